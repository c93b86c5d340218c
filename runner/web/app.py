"""The morning report's web app: `create_app(settings, scheduler=...)` returns a FastAPI app.

Server-rendered Swedish pages, no JavaScript at all (the Content-Security-Policy forbids scripts), so it
works with a keyboard, a screen reader and the municipality's locked-down browsers alike.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from urllib.parse import quote, urlsplit

from runner.ledger.db import open_database
from runner.settings import Settings
from runner.web.deps import CsrfFailed, Forbidden, LoginRequired, NotFound, WebState, load_secret, render
from runner.web.routes_auth import router as auth_router
from runner.web.routes_drift import router as drift_router
from runner.web.routes_monitoring import router as monitoring_router
from runner.web.routes_pages import router as pages_router
from runner.web.scheduling import Scheduler
from runner.web.templates import make_templates
from runner.web.throttle import LoginThrottle

STATIC_DIR = Path(__file__).resolve().parent / "static"

log = structlog.get_logger(__name__)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def create_app(
    settings: Settings, *, scheduler: Scheduler | None = None, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """The web app over the ledger in `settings`.

    `scheduler` is what the pages ask about the schedule (runner.web.scheduling: the running
    NightScheduler in `nattskift serve`, a PlannedSchedule in `nattskift web`; None shows no next start
    times). `clock` (aware, real time by default) is for tests.
    """
    _, sessions = open_database(settings.database_url())
    app = FastAPI(title="Nattskift", docs_url=None, redoc_url=None, openapi_url=None)
    state = WebState(
        settings=settings,
        sessions=sessions,
        clock=clock or (lambda: datetime.now(UTC)),
        throttle=LoginThrottle(lambda: app.state.web.now()),
        secret=load_secret(settings),
        templates=make_templates(),
        scheduler=scheduler,
    )
    app.state.web = state
    app.include_router(auth_router)
    app.include_router(pages_router)
    app.include_router(monitoring_router)
    app.include_router(drift_router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        structlog.contextvars.unbind_contextvars("web_user")
        try:
            response = await call_next(request)
        except Exception as exc:  # answered here, not by Starlette's bare 500, so it gets the headers too
            log.error("web.error", route=getattr(request.scope.get("route"), "path", "?"), error=type(exc).__name__)
            response = render(request, "error.html", status_code=500, title="Fel", heading="Något gick fel",
                              message="Sidan kunde inte visas på grund av ett tekniskt fel. Försök igen om en stund; "
                              "kvarstår felet, kontakta driften.")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # pages hold personal data: keep them out of caches
        if state.secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        route = request.scope.get("route")
        # the route's template, never the URL: a search box or a case key must not reach the log
        log.info("web.request", method=request.method, route=getattr(route, "path", "?"),
                 status=response.status_code, ms=round((time.perf_counter() - started) * 1000))
        return response

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":  # a form posted after the session ended: back to the page it came from
            referer = urlsplit(request.headers.get("referer", ""))
            same_site = referer.netloc == request.headers.get("host")
            target = (referer.path + (f"?{referer.query}" if referer.query else "")) if same_site else "/"
        url = f"/login?next={quote(target, safe='')}" + ("&utgangen=1" if exc.expired else "")
        response = RedirectResponse(url, status_code=303)
        if exc.expired:
            response.delete_cookie("nattskift_session", path="/")
        return response

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", status_code=403, title="Ingen behörighet", heading="Ingen behörighet",
                      message="Du har inte behörighet att se det här. Kontakta en administratör om du behöver åtkomst.")

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        log.warning("web.csrf_rejected")
        return render(request, "error.html", status_code=403, title="Formuläret kunde inte skickas",
                      heading="Formuläret kunde inte skickas",
                      message="Säkerhetskontrollen av formuläret misslyckades. Gå tillbaka, ladda om sidan och försök igen.")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _render_404(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _render_404(request)
        return render(request, "error.html", status_code=exc.status_code, title="Fel", heading="Något gick fel",
                      message="Begäran kunde inte utföras.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return render(request, "error.html", status_code=400, title="Felaktig begäran", heading="Felaktig begäran",
                      message="Adressen eller formuläret innehöll ett ogiltigt värde.")

    return app


def _render_404(request: Request) -> Response:
    return render(request, "error.html", status_code=404, title="Sidan finns inte", heading="Sidan finns inte",
                  message="Det finns ingen sida, körning eller ärende med den adressen.")
