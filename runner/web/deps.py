"""Request plumbing shared by the pages: who is logged in, CSRF checks, the audit log, rendering."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import AuditEntry
from runner.plugins import load_robots
from runner.private_files import private_dir, private_opener
from runner.settings import Settings
from runner.web.auth import WebUser, get_user, to_web_user
from runner.web.queries import RobotInfo, robot_info
from runner.web.scheduling import Scheduler
from runner.web.sessions import WebSession, load_session
from runner.web.throttle import LoginThrottle

log = structlog.get_logger(__name__)

SESSION_COOKIE = "nattskift_session"
LOGIN_CSRF_COOKIE = "nattskift_login_csrf"


class LoginRequired(Exception):
    """No valid session: send the browser to the login page."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class Forbidden(Exception):
    """The user is logged in but may not see this."""


class CsrfFailed(Exception):
    """A form arrived without this session's CSRF token (or from another site)."""


class NotFound(Exception):
    """A run, case or file that does not exist."""


@dataclass
class WebState:
    settings: Settings
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime]
    throttle: LoginThrottle
    secret: bytes
    templates: Jinja2Templates
    scheduler: Scheduler | None = None  # what the pages ask about the schedule (runner.web.scheduling)
    installed_robots: dict[str, type] | None = None
    robot_errors: list[str] = field(default_factory=list)

    def now(self) -> datetime:
        """Real time for sessions, throttling and the audit log (never the frozen demo clock)."""
        return self.clock()

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.settings.web.idle_minutes)

    @property
    def lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.web.session_minutes)

    @property
    def secure_cookies(self) -> bool:
        return (self.settings.web.base_url or "").startswith("https://")

    def robots(self, extra_names: list[str] = ()) -> dict[str, RobotInfo]:  # type: ignore[assignment]
        """Installed robots (loaded once) and any robot the ledger knows of."""
        if self.installed_robots is None:
            errors: list[str] = []
            try:
                self.installed_robots = load_robots(errors)
            except Exception as exc:  # a broken robot must not take the morning report down
                self.installed_robots, errors = {}, [str(exc)]
            # a robot registered in-process under the same name replaces a broken entry point
            self.robot_errors = [m for m in errors if not any(f"'{n}'" in m for n in self.installed_robots)]
            for message in errors:
                log.warning("web.robot_not_loaded", error=message)
        infos = {name: robot_info(name, cls, self.settings.robot_config(name).schedule)
                 for name, cls in self.installed_robots.items()}
        for name in extra_names:
            infos.setdefault(name, robot_info(name, None))
        return dict(sorted(infos.items()))


def web_state(request: Request) -> WebState:
    return request.app.state.web


def current_user(request: Request) -> WebUser:
    """The logged-in user; raises LoginRequired when there is no live session."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    state = web_state(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    ws, expired = load_session(state.sessions, token, state.now(), idle=state.idle, lifetime=state.lifetime)
    if ws is None:
        raise LoginRequired(expired=expired)
    with state.sessions() as s:
        user = get_user(s, ws.username)
    if user is None or not user.active:
        raise LoginRequired()
    request.state.web_session = ws
    request.state.user = to_web_user(user)
    structlog.contextvars.bind_contextvars(web_user=user.username)
    return request.state.user


def same_origin(request: Request) -> bool:
    """A form post must come from a page of this site (Origin, when the browser sends it)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def check_csrf(request: Request, csrf_token: str = Form("")) -> None:
    """Dependency for every form post of a logged-in user."""
    current_user(request)
    ws: WebSession = request.state.web_session
    if not same_origin(request) or not csrf_token or not hmac.compare_digest(csrf_token, ws.csrf):
        raise CsrfFailed()


def login_csrf_pair(secret: bytes) -> tuple[str, str]:
    """(form value, cookie value) for the login form: a double-submit token signed with the secret."""
    token = secrets.token_urlsafe(24)
    return token, f"{token}.{_sign(secret, token)}"


def login_csrf_ok(secret: bytes, form_value: str, cookie_value: str | None) -> bool:
    if not form_value or not cookie_value or "." not in cookie_value:
        return False
    token, signature = cookie_value.rsplit(".", 1)
    return hmac.compare_digest(token, form_value) and hmac.compare_digest(signature, _sign(secret, token))


def _sign(secret: bytes, token: str) -> str:
    return hmac.new(secret, b"login-csrf:" + token.encode(), "sha256").hexdigest()


def write_audit(state: WebState, username: str, action: str, target: str = "", **detail: Any) -> None:
    with state.sessions.begin() as s:
        s.add(AuditEntry(at=state.now(), username=username, action=action, target=target[:255], detail=detail))


def safe_next(value: str | None) -> str:
    """Only local paths after login: never an open redirect to another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    state = web_state(request)
    user = getattr(request.state, "user", None)
    ws = getattr(request.state, "web_session", None)
    return state.templates.TemplateResponse(
        request,
        template,
        {"user": user, "csrf_token": ws.csrf if ws else "", "tz": state.settings.tz, **context},
        status_code=status_code,
    )


def load_secret(settings: Settings) -> bytes:
    """web.secret_key, else a random key kept in the data directory (created once, owner-only)."""
    if settings.web.secret_key is not None:
        return settings.web.secret_key.get_secret_value().encode()
    path = Path(settings.data_dir) / "web-secret"
    private_dir(path.parent)
    if not path.exists():
        try:
            with open(path, "x", encoding="utf-8", opener=private_opener) as fh:
                fh.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    return path.read_text(encoding="utf-8").strip().encode()
