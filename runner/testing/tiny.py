"""A tiny web system for a robot's own tests: a login, a few server-rendered pages, forms that refuse.

The stand-ins in `fixtures/` model the municipality's real systems; a new robot's first test needs far less:

    system = TinySystem("kassa")

    @system.page("/arenden")
    def cases(params, form):
        return "<table id='arenden'><thead><tr><th>Ärende</th></tr></thead><tbody>…</tbody></table>"

    @system.page("/arenden/{case_id}/notering", methods=("GET", "POST"))
    def note(params, form):
        if form is not None and not form.get("rubrik"):
            return Refused(["Rubrik saknas"], NOTE_FORM)   # 422, the errors in #form-errors
        ...
        return Redirect(f"/arenden/{params['case_id']}")

    with system:                                           # serves on a free port in a thread
        settings = make_settings(tmp_path, systems=system, robots={"kassa": {}})

It behaves like the real ones where a robot must cope: every page but /login needs the session cookie
(else a redirect to the login form), a wrong password shows the form again, `expire_sessions()` ends
every session, and `fail_next(n, status)` answers the next n requests with a server error.
"""

from __future__ import annotations

import html
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import SecretStr

from runner.settings import SystemSettings

COOKIE = "tiny_session"


@dataclass(frozen=True)
class Redirect:
    """Answer 303 to `path` (what a system does after a form it took)."""

    path: str


@dataclass(frozen=True)
class Refused:
    """Answer 422 with the form again and the system's messages in `#form-errors`."""

    errors: list[str]
    body: str = ""


#: A page handler: the path's parameters and, for a POST, the form; returns HTML, a Redirect or a Refused.
Handler = Callable[[dict[str, str], dict[str, str] | None], "str | Redirect | Refused"]

_LOGIN = """<form method="post" action="/login">
<label for="username">Användarnamn</label><input id="username" name="username">
<label for="password">Lösenord</label><input id="password" name="password" type="password">
<button type="submit">Logga in</button></form>"""


def _document(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='sv'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><main>{body}</main></body></html>").encode()


def form_errors(errors: list[str]) -> str:
    """The error summary a refused form shows (`#form-errors li`, as `runner.pages.FORM_ERRORS` reads)."""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return f"<div id='form-errors' role='alert'><ul>{items}</ul></div>"


@dataclass
class _Route:
    pattern: re.Pattern[str]
    methods: tuple[str, ...]
    handler: Handler


@dataclass
class TinySystem:
    """One small system; `with system:` serves it. `settings()` and `settings_toml()` point a robot at it."""

    name: str
    username: str = "robot"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    title: str = ""
    _routes: list[_Route] = field(default_factory=list)
    _sessions: set[str] = field(default_factory=set)
    _failures: list[int] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    #: Every request (method, path) in order: what a test counts to check a write happened once.
    requests: list[tuple[str, str]] = field(default_factory=list)

    def page(self, path: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[Handler], Handler]:
        """Register a handler for `path`; `{name}` parts match one path segment and are passed in."""
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))

        def register(handler: Handler) -> Handler:
            self._routes.append(_Route(re.compile(f"^{regex}$"), methods, handler))
            return handler

        return register

    # -- faults a test can switch on ----------------------------------------------------------------

    def expire_sessions(self) -> None:
        self._sessions.clear()

    def fail_next(self, n: int = 1, status: int = 503) -> None:
        self._failures.extend([status] * n)

    # -- where it is ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"tiny system {self.name} is not running: use `with system:`")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> SystemSettings:
        return SystemSettings(url=self.url, username=self.username, password=SecretStr(self.password))

    def settings_toml(self) -> str:
        return f'[systems.{self.name}]\nurl = "{self.url}"\nusername = "{self.username}"\npassword = "{self.password}"\n'

    # -- serving ----------------------------------------------------------------------------------------

    def __enter__(self) -> TinySystem:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name=f"tiny-{self.name}", daemon=True).start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def answer(self, method: str, path: str, cookie: str | None, form: dict[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one request; the HTTP plumbing is in `_handler_for`."""
        self.requests.append((method, path))
        if self._failures:
            status = self._failures.pop(0)
            return status, {}, _document("Serverfel", f"<h1>Tekniskt fel ({status})</h1>")
        route_path = urlsplit(path).path
        if route_path == "/login":
            return self._login(method, form)
        if cookie not in self._sessions:
            return 303, {"Location": "/login"}, b""
        for route in self._routes:
            match = route.pattern.match(route_path)
            if match and method in route.methods:
                params = {k: v for k, v in match.groupdict().items()}
                query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
                result = route.handler({**query, **params}, form)
                if isinstance(result, Redirect):
                    return 303, {"Location": result.path}, b""
                if isinstance(result, Refused):
                    return 422, {}, _document(self.title or self.name, form_errors(result.errors) + result.body)
                return 200, {}, _document(self.title or self.name, result)
        if route_path == "/":
            return 200, {}, _document(self.title or self.name, f"<h1>{html.escape(self.title or self.name)}</h1>")
        return 404, {}, _document("Hittades inte", "<h1>Sidan finns inte</h1>")

    def _login(self, method: str, form: Mapping[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        if method == "POST" and form is not None:
            if form.get("username") == self.username and form.get("password") == self.password:
                token = secrets.token_urlsafe(16)
                self._sessions.add(token)
                return 303, {"Location": "/", "Set-Cookie": f"{COOKIE}={token}; Path=/; HttpOnly"}, b""
            return 200, {}, _document("Logga in", "<p class='fel'>Fel användarnamn eller lösenord</p>" + _LOGIN)
        return 200, {}, _document("Logga in", _LOGIN)


def _handler_for(system: TinySystem) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, method: str, form: dict[str, str] | None) -> None:
            jar = SimpleCookie(self.headers.get("Cookie", ""))
            cookie = jar[COOKIE].value if COOKIE in jar else None
            try:
                status, headers, body = system.answer(method, self.path, cookie, form)
            except Exception:  # a handler's bug is the system's 500, as in a real one
                status, headers, body = 500, {}, _document("Serverfel", "<h1>Tekniskt fel (500)</h1>")
            self.send_response(status)
            for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            self._serve("GET", None)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            self._serve("POST", {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()})

        def log_message(self, format: str, *args: Any) -> None:  # quiet: paths may carry case ids
            pass

    return Handler


__all__ = ["Redirect", "Refused", "TinySystem", "form_errors"]
