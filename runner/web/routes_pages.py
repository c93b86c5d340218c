"""The pages: Översikt, runs and schedule, a run, a case, its files, and the audit log."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import structlog
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from runner.ledger.models import Item, Outcome, Review, Run
from runner.plugins import RobotNotFound
from runner.settings import SettingsError
from runner.web import queries as q
from runner.web.auth import WebUser
from runner.web.deps import Forbidden, NotFound, check_csrf, current_user, render, web_state, write_audit
from runner.web.format import AUDIT_ACTION_LABELS, RUN_STATUS_LABELS, STATUS_LABELS
from runner.web.report import build_run_export, render_run_html

log = structlog.get_logger(__name__)
router = APIRouter()

MAX_COMMENT = 2000
CASE_PAGE_SIZE = 100
RUN_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
MAX_ID = 2**31 - 1  # the ledger's integer ids (PostgreSQL INTEGER): anything larger exists nowhere
MAX_PAGE = 1_000_000  # a page number past this is past the end of any list (and keeps OFFSET small)
Rows = TypeVar("Rows")


def _page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def _paged(fetch: Callable[[int], tuple[Rows, int]], sida: int, per_page: int) -> tuple[Rows, int, int]:
    """(rows, total, page) of the page asked for; a page past the end is the last page."""
    page = min(max(sida, 1), MAX_PAGE)
    rows, total = fetch(page)
    last = _page_count(total, per_page)
    if page > last:
        page = last
        rows, total = fetch(page)
    return rows, total, page


def _db_id(value: int) -> int:
    """An id from an address or a form; one no row can have is simply not found."""
    if not 1 <= value <= MAX_ID:
        raise NotFound()
    return value


def _visible_robot_names(request: Request, user: WebUser) -> list[str]:
    state = web_state(request)
    with state.sessions() as s:
        in_ledger = q.robots_in_ledger(s)
    return user.visible_robots(list(state.robots(in_ledger)))


def next_runs(request: Request, robot: str, n: int = 3) -> list[datetime] | None:
    """The scheduler's next start times for `robot`; None when they cannot be known: no scheduler was
    given to the app, or the robot's schedule setting is wrong or names no installed robot (logged, so
    operations see why the page shows "–"). Anything else is a bug and fails the page."""
    scheduler = web_state(request).scheduler
    if scheduler is None:
        return None
    try:
        return scheduler.next_runs(robot, n)
    except (SettingsError, RobotNotFound) as exc:
        log.warning("web.next_runs_unknown", robot=robot, error=type(exc).__name__)
        return None


def _refused(request: Request, user: WebUser, robot: str, target: str) -> Exception:
    """Refuse a run or case of `robot`, audited. To someone who may not even see the robot's runs the
    answer is "not found", as for an id that does not exist: a 403 would tell which ids exist."""
    write_audit(web_state(request), user.username, "forbidden", target, path=request.url.path)
    return Forbidden() if user.can_see_runs(robot) else NotFound()


# -- Översikt ------------------------------------------------------------------------------------


@router.get("/")
def overview(request: Request, user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    names = _visible_robot_names(request, user)
    infos = state.robots(names)
    # Real time, as the runs and the next start times are (a demo's frozen `clock` is for the robots' rules).
    now = state.now()
    readable = [n for n in names if user.can_read_cases(n)]
    with state.sessions() as s:
        cards = q.overview(s, [infos[n] for n in names], now, state.settings.tz)
        start_here = q.start_here(s, readable) if readable else None
    if start_here is not None and start_here.rows:  # the cases' titles and summaries: audited like a run page
        write_audit(state, user.username, "view_overview", "overview", cases=len(start_here.rows))
    total_night = sum(c.saved_minutes for c in cards)
    total_month = sum(c.month_minutes for c in cards)
    return render(request, "overview.html", title="Översikt", nav="oversikt", cards=cards, now=now,
                  total_night=total_night, total_month=total_month, status_order=q.STATUS_ORDER + [q.NOT_REACHED],
                  start_here=start_here, infos=infos,
                  robot_errors=state.robot_errors if user.is_admin or user.is_operations else [])


# -- Runs and schedule -----------------------------------------------------------------------------


@router.get("/korningar")
def runs(request: Request, robot: str = "", status: str = "", sida: int = 1,
         user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    names = _visible_robot_names(request, user)
    infos = state.robots(names)
    robot = robot if robot in names else ""
    status = status if status in RUN_STATUS_LABELS else ""
    with state.sessions() as s:
        rows, total, sida = _paged(lambda p: q.list_runs(s, names, robot=robot or None, status=status or None, page=p,
                                                         per_page=RUN_PAGE_SIZE), sida, RUN_PAGE_SIZE)
        problems = q.problem_runs(s, names, state.now() - timedelta(days=30))
    schedule = [
        {"robot": infos[n], "enabled": state.settings.robot_config(n).enabled, "next": next_runs(request, n),
         "calendar": state.settings.robot_config(n).calendar}
        for n in names
    ]
    return render(request, "runs.html", title="Körningar och schema", nav="korningar", runs=rows, total=total,
                  page=sida, pages=_page_count(total, RUN_PAGE_SIZE), robots=[infos[n] for n in names], robot=robot,
                  status=status, run_statuses=RUN_STATUS_LABELS, schedule=schedule, problems=problems, infos=infos)


def _run_or_404(request: Request, run_id: str) -> Run:
    with web_state(request).sessions() as s:
        run = s.get(Run, run_id)
    if run is None:
        raise NotFound()
    return run


@router.get("/korningar/{run_id}")
def run_page(request: Request, run_id: str, status: str = "", sok: str = "", hanterade: int = 0, sida: int = 1,
             user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    run = _run_or_404(request, run_id)
    if not user.can_see_runs(run.robot):
        raise _refused(request, user, run.robot, f"run:{run.id}")
    info = state.robots([run.robot])[run.robot]
    status = status if status in STATUS_LABELS else ""
    sok = sok.strip()[:200]
    ctx: dict[str, Any] = {}
    with state.sessions() as s:
        counts = q.run_counts(s, run)
        needs_person = q.needs_person_count(s, run.id)
        if user.can_read_cases(run.robot):
            if status != q.NOT_REACHED:
                cases, total, sida = _paged(
                    lambda p: q.run_cases(s, run.id, status=status or None, query=sok or None,
                                          include_handled=bool(hanterade), page=p, per_page=CASE_PAGE_SIZE),
                    sida, CASE_PAGE_SIZE)
            else:
                cases, total, sida = [], 0, 1
            left, left_total = ([], 0)
            if status in ("", q.NOT_REACHED):
                left, left_total = q.not_reached_items(s, run.id, query=sok or None)
            ctx.update(cases=cases, total=total, pages=_page_count(total, CASE_PAGE_SIZE), left=left,
                       left_total=left_total, handled=q.handled_count(s, run.id))
            shown = {"view": "cases", "cases": len(cases) + len(left)}
        else:
            failures = q.run_failures(s, run.id)
            ctx.update(failures=failures)
            shown = {"view": "failures", "cases": len(failures)}
    # a list of cases is personal data too (names in titles, amounts in summaries): one entry per view,
    # with what was asked for, so the entry tells what was on the screen
    write_audit(state, user.username, "view_run", f"run:{run.id}", status=status, sok=sok,
                hanterade=bool(hanterade), page=sida, **shown)
    saved_cases, saved_minutes = q.saved(counts, info.minutes_saved_per_case)
    return render(request, "run.html", title=f"Körning {run.id}", nav="korningar", run=run, robot=info, counts=counts,
                  status=status, sok=sok, hanterade=hanterade, page=sida, saved_cases=saved_cases,
                  saved_minutes=saved_minutes, status_order=q.STATUS_ORDER + [q.NOT_REACHED],
                  can_read=user.can_read_cases(run.robot), needs_person=needs_person, **ctx)


@router.get("/korningar/{run_id}/rapport.{fmt}")
def run_export(request: Request, run_id: str, fmt: str, user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    run = _run_or_404(request, run_id)
    if fmt not in ("html", "json"):
        raise NotFound()
    if not user.can_read_cases(run.robot):
        raise _refused(request, user, run.robot, f"run:{run.id}")
    data = build_run_export(state.sessions, state.settings, run.id, robot=state.robots([run.robot])[run.robot])
    write_audit(state, user.username, "export_report", f"run:{run.id}", format=fmt, via="web")
    filename = f"nattskift-{run.robot}-{run.id}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "json":
        return JSONResponse(data, headers=headers)
    return Response(render_run_html(data, state.settings), media_type="text/html; charset=utf-8", headers=headers)


# -- A case ------------------------------------------------------------------------------------------


def _case_or_404(request: Request, item_id: int) -> Item:
    with web_state(request).sessions() as s:
        item = s.get(Item, _db_id(item_id))
    if item is None:
        raise NotFound()
    return item


def _artifacts(outcome: Outcome) -> list[dict[str, Any]]:
    out = []
    for index, entry in enumerate(outcome.artifacts or []):
        path = entry.get("path", "") if isinstance(entry, dict) else str(entry)
        suffix = Path(path).suffix.lower()
        kind = "screenshot" if suffix in (".png", ".jpg", ".jpeg") else "trace" if suffix == ".zip" else "file"
        out.append({"index": index, "path": path, "name": Path(path).name, "kind": kind})
    return out


@router.get("/fall/{item_id}")
def case_page(request: Request, item_id: int, utfall: int | None = None, hanterad: int = 0,
              user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    item = _case_or_404(request, item_id)
    if not user.can_read_cases(item.robot):
        raise _refused(request, user, item.robot, f"{item.robot}:{item.key}")
    with state.sessions() as s:
        history = q.case_history(s, item.id)
    selected = next((h for h in history if h.outcome.id == utfall), history[0] if history else None)
    write_audit(state, user.username, "view_case", f"{item.robot}:{item.key}", item_id=item.id,
                outcome_id=selected.outcome.id if selected else None)
    info = state.robots([item.robot])[item.robot]
    return render(request, "case.html", title=f"Ärende {item.key}", nav="korningar", item=item, robot=info,
                  history=history, selected=selected, artifacts=_artifacts(selected.outcome) if selected else [],
                  just_handled=bool(hanterad), max_comment=MAX_COMMENT,
                  technical=user.is_admin or user.is_operations)


@router.post("/fall/{item_id}/hanterad", dependencies=[Depends(check_csrf)])
def mark_handled(request: Request, item_id: int, utfall: int = Form(...), kommentar: str = Form(""),
                 user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    item = _case_or_404(request, item_id)
    if not user.can_read_cases(item.robot):
        raise _refused(request, user, item.robot, f"{item.robot}:{item.key}")
    comment = kommentar.strip()[:MAX_COMMENT]
    with state.sessions.begin() as s:
        outcome = s.get(Outcome, _db_id(utfall))
        if outcome is None or outcome.item_id != item.id:
            raise NotFound()
        s.add(Review(outcome_id=outcome.id, username=user.username, comment=comment, handled_at=state.now()))
    write_audit(state, user.username, "mark_handled", f"{item.robot}:{item.key}", item_id=item.id, outcome_id=utfall)
    return RedirectResponse(f"/fall/{item.id}?utfall={utfall}&hanterad=1", status_code=303)


@router.get("/fall/{item_id}/artefakt/{outcome_id}/{index}")
def artifact(request: Request, item_id: int, outcome_id: int, index: int,
             user: WebUser = Depends(current_user)) -> Response:
    """A failure's screenshot or trace: personal data on screen, so only for those who may read the case."""
    state = web_state(request)
    item = _case_or_404(request, item_id)
    if not user.can_read_cases(item.robot):
        raise _refused(request, user, item.robot, f"{item.robot}:{item.key}")
    with state.sessions() as s:
        outcome = s.get(Outcome, _db_id(outcome_id))
    if outcome is None or outcome.item_id != item.id:
        raise NotFound()
    entries = _artifacts(outcome)
    if not 0 <= index < len(entries):
        raise NotFound()
    # artifact paths are relative to the data folder, but only what is under artifacts/ is served: the
    # folder also holds the ledger, the logs and the web secret key
    root = (Path(state.settings.data_dir) / "artifacts").resolve()
    path = (Path(state.settings.data_dir).resolve() / entries[index]["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotFound()
    write_audit(state, user.username, "view_artifact", f"{item.robot}:{item.key}", item_id=item.id,
                outcome_id=outcome.id, file=path.name)
    if entries[index]["kind"] == "screenshot":
        return FileResponse(path, media_type="image/png" if path.suffix.lower() == ".png" else "image/jpeg")
    return FileResponse(path, filename=path.name, media_type="application/octet-stream")


# -- Audit log ---------------------------------------------------------------------------------------


@router.get("/granskningslogg")
def audit_log(request: Request, anvandare: str = "", handelse: str = "", arende: str = "", sida: int = 1,
              user: WebUser = Depends(current_user)) -> Response:
    state = web_state(request)
    if not user.is_admin:
        write_audit(state, user.username, "forbidden", "audit_log", path=request.url.path)
        raise Forbidden()
    handelse = handelse if handelse in AUDIT_ACTION_LABELS else ""
    with state.sessions() as s:
        rows, total, sida = _paged(
            lambda p: q.audit_entries(s, username=anvandare.strip() or None, action=handelse or None,
                                      target=arende.strip() or None, page=p, per_page=AUDIT_PAGE_SIZE),
            sida, AUDIT_PAGE_SIZE)
    # who read whom is itself personal data: reading the log is logged
    write_audit(state, user.username, "view_audit_log", "audit_log", anvandare=anvandare.strip()[:128],
                handelse=handelse, arende=arende.strip()[:200], page=sida)
    return render(request, "audit.html", title="Granskningslogg", nav="granskningslogg", rows=rows, total=total,
                  page=sida, pages=_page_count(total, AUDIT_PAGE_SIZE), anvandare=anvandare, handelse=handelse, arende=arende,
                  actions=AUDIT_ACTION_LABELS)
