"""The Drift page (operations and admin): the robots' state and schedules, and the actions on them.

Every action is a form post with the session's CSRF token, done by runner.control.actions (audited,
refused with a Swedish reason). A refusal shows the page again with the reason (409); a done action
sends the browser back to the page with what was done (303, so a reload does not repeat it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from runner.control.actions import Control, Operator, Refused
from runner.ledger.models import Run
from runner.web import queries as q
from runner.web.auth import WebUser
from runner.web.deps import Forbidden, NotFound, WebState, check_csrf, current_user, render, web_state, write_audit
from runner.web.drift import drift_robot
from runner.web.routes_pages import next_runs

log = structlog.get_logger(__name__)
router = APIRouter()

MAX_LIMIT = 1_000_000
DONE_MESSAGES = {
    "startad": "Körningen är startad.",
    "startar": "Körningen har begärts och startar strax.",
    "provkorning": "Provkörningen är startad. Den skriver inget i verksamhetssystemen.",
    "pausad": "Roboten är pausad. Schemalagda körningar startar inte förrän den återupptas.",
    "aterupptagen": "Roboten är återupptagen. Nästa schemalagda körning startar som vanligt.",
    "ikapp": "Roboten är återupptagen, och den senast missade körningen startas nu.",
    "inget_ikapp": "Roboten är återupptagen. Det fanns ingen missad körning inom respittiden att ta igen.",
    "stoppas": "Körningen ombeds stoppa. Ärenden som pågår blir klara; resten ligger kvar till nästa körning.",
    "omkoad": "De misslyckade ärendena är köade igen och tas först i nästa körning.",
    "omkoad_startad": "De misslyckade ärendena är köade igen, och en körning för dem är startad.",
    "omkoad_pagar": "De misslyckade ärendena är köade igen och tas av körningen som pågår.",
}


def _operations(request: Request, user: WebUser) -> WebState:
    """Only operations and admin: anyone else is refused (audited), page and actions alike."""
    state = web_state(request)
    if not (user.is_admin or user.is_operations):
        write_audit(state, user.username, "forbidden", "drift", path=request.url.path)
        raise Forbidden()
    return state


def _control(state: WebState) -> Control:
    return Control(state.settings, state.sessions, robots=lambda: list(state.robots()), scheduler=state.scheduler,
                   clock=state.now)


def _page(request: Request, user: WebUser, *, status_code: int = 200, refused: str | None = None,
          done: str | None = None, run_id: str | None = None) -> Response:
    state = web_state(request)
    now = state.now()
    with state.sessions() as s:
        names = user.visible_robots(list(state.robots(q.robots_in_ledger(s))))
    infos = state.robots(names)
    plans = {n: next_runs(request, n) for n in names}
    with state.sessions() as s:
        robots = [drift_robot(s, state.settings, infos[n], plans[n], now) for n in names]
    presence = state.scheduler.presence() if state.scheduler is not None else None
    return render(request, "drift.html", status_code=status_code, title="Drift", nav="drift", robots=robots,
                  presence=presence, now=now, refused=refused, done=DONE_MESSAGES.get(done or ""), done_run=run_id)


@router.get("/drift")
def drift(request: Request, klart: str = "", korning: str = "", user: WebUser = Depends(current_user)) -> Response:
    _operations(request, user)
    return _page(request, user, done=klart, run_id=korning[:40] or None)


def _done(code: str, run_id: str | None = None) -> Response:
    return RedirectResponse(f"/drift?klart={code}" + (f"&korning={run_id}" if run_id else "") + "#resultat",
                            status_code=303)


def _act(request: Request, user: WebUser, action: Callable[[Control, Operator], Response]) -> Response:
    state = _operations(request, user)
    try:
        return action(_control(state), Operator(user.username, "web"))
    except Refused as refusal:
        log.info("web.drift_refused")
        return _page(request, user, status_code=409, refused=refusal.reason)


def _run(request: Request, run_id: str) -> Run:
    with web_state(request).sessions() as s:
        run = s.get(Run, run_id[:40])
    if run is None:
        raise NotFound()
    return run


@router.post("/drift/{robot}/kor", dependencies=[Depends(check_csrf)])
def run_now(request: Request, robot: str, provkorning: str = Form(""), grans: str = Form(""),
            user: WebUser = Depends(current_user)) -> Response:
    limit: int | None = None
    if grans.strip():
        try:
            limit = int(grans.strip())
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            return _act(request, user, lambda c, who: _refuse(c, who, "run_now", f"robot:{robot}",
                        "Högsta antal ärenden ska vara ett heltal från 1 och uppåt, eller tomt."))
    dry_run = bool(provkorning)

    def action(control: Control, who: Operator) -> Response:
        run_id = control.run_now(who, robot, dry_run=dry_run, limit=limit)
        return _done(("provkorning" if dry_run else "startad") if run_id else "startar", run_id)

    return _act(request, user, action)


def _refuse(control: Control, who: Operator, action: str, target: str, reason: str) -> Response:
    raise control.refuse(who, action, target, reason)


@router.post("/drift/{robot}/pausa", dependencies=[Depends(check_csrf)])
def pause(request: Request, robot: str, user: WebUser = Depends(current_user)) -> Response:
    def action(control: Control, who: Operator) -> Response:
        control.pause(who, robot)
        return _done("pausad")

    return _act(request, user, action)


@router.post("/drift/{robot}/ateruppta", dependencies=[Depends(check_csrf)])
def resume(request: Request, robot: str, ta_igen: str = Form(""), user: WebUser = Depends(current_user)) -> Response:
    def action(control: Control, who: Operator) -> Response:
        night: datetime | None = control.resume(who, robot, catch_up=bool(ta_igen))
        return _done(("ikapp" if night else "inget_ikapp") if ta_igen else "aterupptagen")

    return _act(request, user, action)


def _on_run(request: Request, user: WebUser, run_id: str, act: Callable[[Control, Operator, Run], Response]) -> Response:
    """An action on a run: operations only, a run that exists (404 otherwise), then the action."""
    _operations(request, user)
    run = _run(request, run_id)
    return _act(request, user, lambda control, who: act(control, who, run))


@router.post("/drift/korningar/{run_id}/stoppa", dependencies=[Depends(check_csrf)])
def stop(request: Request, run_id: str, user: WebUser = Depends(current_user)) -> Response:
    def action(control: Control, who: Operator, run: Run) -> Response:
        control.stop(who, run.id)
        return _done("stoppas", run.id)

    return _on_run(request, user, run_id, action)


@router.post("/drift/korningar/{run_id}/forsok-igen", dependencies=[Depends(check_csrf)])
def retry(request: Request, run_id: str, user: WebUser = Depends(current_user)) -> Response:
    def action(control: Control, who: Operator, run: Run) -> Response:
        retried = control.retry_failed(who, run.id)
        if retried.run_id:
            return _done("omkoad_startad", retried.run_id)
        return _done("omkoad_pagar" if retried.running else "omkoad", retried.running)

    return _on_run(request, user, run_id, action)
