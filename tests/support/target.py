"""A tiny target system for engine tests: login, one page per item, a write form, and a tally.

Stdlib only and in-process, so engine tests measure the engine, not a web framework. The tally counts
writes per key on the target side: that is how the tests prove "exactly once".
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

#: The tiny robot that works this target (tests/support/robots/tiny).
ROBOT_DIR = Path(__file__).resolve().parent / "robots"

PAGE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head>
<body>{body}</body></html>"""
LOGIN = """<form method="post" action="/login"><label for="username">Användarnamn</label>
<input id="username" name="username"><label for="password">Lösenord</label>
<input id="password" name="password" type="password"><button type="submit">Logga in</button></form>"""


@dataclass
class TargetState:
    keys: list[str] = field(default_factory=list)
    writes: Counter[str] = field(default_factory=Counter)
    fail_keys: set[str] = field(default_factory=set)  # answer 500 on the item page
    flaky: Counter[str] = field(default_factory=Counter)  # answer 503 this many more times, then work
    flaky_list: int = 0  # answer the list of items 503 this many more times, then work
    list_views: int = 0
    business_keys: set[str] = field(default_factory=set)  # the page says the case is blocked
    latency: float = 0.0
    down: bool = False
    in_flight: int = 0
    max_in_flight: int = 0
    page_views: Counter[str] = field(default_factory=Counter)
    session_version: int = 0  # bump it to expire every session, as a real system's timeout does
    logins: int = 0
    # The first view of each of these keys is rendered, then held until `release` is set: a worker that
    # has read the page (nothing written yet) and waits for the rest of the answer.
    hold_keys: set[str] = field(default_factory=set)
    held: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: TargetState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, code: int, body: str, ctype: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _logged_in(self) -> bool:
            return f"session=ok{state.session_version}" in (self.headers.get("Cookie") or "")

        def _enter(self) -> None:
            with state.lock:
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            if state.latency:
                time.sleep(state.latency)

        def _leave(self) -> None:
            with state.lock:
                state.in_flight -= 1

        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            if url.path == "/_admin/state":
                return self._send(200, json.dumps({"writes": dict(state.writes)}), "application/json")
            if state.down:
                return self._send(503, PAGE.format(title="Fel", body="<h1>Systemet är nere</h1>"))
            if url.path == "/login":
                return self._send(200, PAGE.format(title="Logga in", body=LOGIN))
            if not self._logged_in():
                return self._send(303, "", headers={"Location": "/login"})
            self._enter()
            try:
                if url.path == "/start":
                    return self._send(200, PAGE.format(title="Start", body="<h1>Välkommen</h1>"))
                if url.path == "/items":
                    state.list_views += 1
                    if state.flaky_list > 0:
                        state.flaky_list -= 1
                        return self._send(503, PAGE.format(title="Fel", body="<h1>Tillfälligt fel</h1>"))
                    rows = "".join(f'<li class="item" data-key="{k}">{k}</li>' for k in state.keys)
                    return self._send(200, PAGE.format(title="Ärenden", body=f"<ul id='items'>{rows}</ul>"))
                if url.path.startswith("/item/"):
                    key = url.path.removeprefix("/item/")
                    state.page_views[key] += 1
                    if state.flaky[key] > 0:
                        state.flaky[key] -= 1
                        return self._send(503, PAGE.format(title="Fel", body="<h1>Tillfälligt fel</h1>"))
                    if key in state.fail_keys:
                        return self._send(500, PAGE.format(title="Fel", body="<h1>Internt fel</h1>"))
                    blocked = '<p id="blocked">Spärrat ärende</p>' if key in state.business_keys else ""
                    written = f'<p id="written">{state.writes[key]}</p>'
                    form = f'<form method="post" action="/write/{key}"><button id="write" type="submit">Spara</button></form>'
                    page = PAGE.format(title=key, body=f"<h1 id='case'>{key}</h1>{blocked}{written}{form}")
                    with state.lock:
                        hold = key in state.hold_keys
                        state.hold_keys.discard(key)
                    if hold:
                        state.held.append(key)
                        state.release.wait()
                    return self._send(200, page)
                return self._send(404, PAGE.format(title="Saknas", body="<h1>Sidan finns inte</h1>"))
            finally:
                self._leave()

        def do_POST(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            if url.path == "/login":
                ok = form.get("username") == ["robot"] and form.get("password") == ["hemligt"]
                if not ok:
                    return self._send(200, PAGE.format(title="Logga in", body="<p>Fel lösenord</p>" + LOGIN))
                with state.lock:
                    state.logins += 1
                cookie = f"session=ok{state.session_version}; Path=/"
                return self._send(303, "", headers={"Location": "/start", "Set-Cookie": cookie})
            if not self._logged_in():
                return self._send(303, "", headers={"Location": "/login"})
            if url.path.startswith("/write/"):
                key = url.path.removeprefix("/write/")
                self._enter()
                try:
                    with state.lock:
                        state.writes[key] += 1
                finally:
                    self._leave()
                return self._send(303, "", headers={"Location": f"/item/{key}"})
            return self._send(404, "")

    return Handler


class TargetServer:
    def __init__(self, keys: list[str]) -> None:
        self.state = TargetState(keys=list(keys))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> TargetServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def settings_toml(self) -> str:
        return f'[systems.target]\nurl = "{self.url}"\nusername = "robot"\npassword = "hemligt"\n'


def tiny_on_postgres(path: Path, server: TargetServer, url: str, *, lease: float, queue: bool = False,
                     local: bool = True, concurrency: int = 2) -> Path:
    """A settings file for the tiny robot against `server`, its ledger on PostgreSQL `url`, for tests
    that run `nattskift` processes as other machines or workers."""
    import os

    path.write_text(
        f'data_dir = "{path.with_suffix("")}-var"\nrobot_dirs = ["{ROBOT_DIR}"]\n'
        f'[database]\nurl = "{url}"\n'
        f'[workers]\nlease_seconds = {lease}\nqueue = {str(queue).lower()}\nlocal = {str(local).lower()}\n'
        f'[browser]\nexecutable_path = "{os.environ["NATTSKIFT_CHROMIUM"]}"\n'
        '[logging]\nconsole = "never"\n'
        f"[robots.tiny]\nconcurrency = {concurrency}\nretry_backoff_seconds = 0.05\n" + server.settings_toml(),
        encoding="utf-8",
    )
    return path
