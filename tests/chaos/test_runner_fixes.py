"""Focused tests of the framework fixes the chaos suite led to (each found by a check in this folder).

- A login answered 5xx is tried again instead of timing out on a missing field (test_transient_faults:
  "Page.fill: Timeout 15000ms exceeded" on an error page where the login form should be).
- A POST that only reads (SSBTEK's income query) is re-sent after a 5xx like a GET (test_transient_faults:
  a passing 503 sent an application to a caseworker as "SSBTEK kunde inte läsas").
- An item that failed technically is tried again by the next run even when the fetch no longer lists it
  (test_transient_faults: Ronney's status change went through, the read-back after it failed, and the
  case, no longer "Inkommen", was never fetched again: its item stayed failed although the work was done).
- A form sent just as the session expired is a technical error, not a changed page (test_transient_faults:
  "Sidan ”Anteckningar” i systemet ekonomi har ändrats" stopped whole runs); covered end to end there.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from runner.api import READ_ONLY, Outcome, PageChangedError, Robot, Status, SystemUnavailableError, WorkItem
from runner.engine import run_coroutine
from runner.engine.retry import RetryingTransport
from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from runner.settings import SystemSettings

pytestmark = pytest.mark.chaos

LOGIN = b"""<!doctype html><html lang="sv"><body><form method="post" action="/login">
<input id="username" name="username"><input id="password" name="password" type="password">
<button type="submit">Logga in</button></form></body></html>"""
CHANGED_LOGIN = LOGIN.replace(b'id="username"', b'id="anvandar-id"')
HOME = b"<!doctype html><html lang='sv'><body><h1>Start</h1></body></html>"


class _Server:
    """Answers the login page and the login with 503 the first `failures` times each."""

    def __init__(self, failures: int, login_page: bytes = LOGIN) -> None:
        self.left = {"GET": failures, "POST": failures}
        self.login_page = login_page
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, code: int, body: bytes, location: str | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                self.wfile.write(body)

            def _fault(self) -> bool:
                if state.left[self.command] > 0:
                    state.left[self.command] -= 1
                    self._answer(503, b"<h1>Systemet \xc3\xa4r tillf\xc3\xa4lligt otillg\xc3\xa4ngligt</h1>")
                    return True
                return False

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/login"):
                    if not self._fault():
                        self._answer(200, state.login_page)
                else:
                    self._answer(200, HOME)

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self._fault():
                    self._answer(303, b"", location="/")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Ctx:
    def __init__(self, url: str) -> None:
        self._system = SystemSettings(url=url, username="robot", password=SecretStr("hemligt"))

    def system(self, name: str) -> SystemSettings:
        return self._system


def _login(server: _Server) -> str:
    import os

    from playwright.async_api import async_playwright

    async def go() -> str:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=os.environ["NATTSKIFT_CHROMIUM"])
            try:
                page = await browser.new_page()
                try:
                    await Robot().login(_Ctx(server.url), "test", page)  # type: ignore[arg-type]
                except (SystemUnavailableError, PageChangedError) as exc:
                    return type(exc).__name__
                return "logged in" if page.url.rstrip("/") == server.url else page.url
            finally:
                await browser.close()

    return run_coroutine(go)


def test_a_login_answered_503_is_tried_again_and_then_reported_as_unavailable():
    with _Server(failures=1) as flaky:
        assert _login(flaky) == "logged in"  # a 503 on the page, then one on the form, then in
    with _Server(failures=99) as down:
        assert _login(down) == "SystemUnavailableError"  # a technical error, not a 15-second timeout


def test_a_changed_login_page_stops_at_once():
    with _Server(failures=0, login_page=CHANGED_LOGIN) as changed:
        assert _login(changed) == "PageChangedError"


def test_a_read_only_post_is_sent_again_after_a_5xx_and_a_write_is_not():
    def client(answers: list[int]) -> tuple[httpx.AsyncClient, list[str]]:
        seen: list[str] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request.method)
            return httpx.Response(answers.pop(0) if answers else 200)

        async def no_sleep(_: float) -> None:
            return None

        transport = RetryingTransport(2, 0.0, sleep=no_sleep, inner=httpx.MockTransport(handler))
        return httpx.AsyncClient(base_url="http://ssbtek.test", transport=transport), seen

    async def scenario() -> tuple[int, int, list[str], list[str]]:
        reader, read_seen = client([503, 500])
        query = await reader.post("/api/v1/inkomster", json={}, extensions=READ_ONLY)
        writer, write_seen = client([503])
        write = await writer.post("/arenden/1/anteckningar", data={})
        return query.status_code, write.status_code, read_seen, write_seen

    query, write, read_seen, write_seen = run_coroutine(scenario)
    assert (query, read_seen) == (200, ["POST"] * 3)
    assert (write, write_seen) == (503, ["POST"])


def test_a_failed_item_is_queued_again_by_the_next_run_even_when_not_fetched_again(tmp_path: Path):
    _, sessions = open_database(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger = Ledger(sessions)
    first = ledger.start_run("robot")
    ledger.add_items("robot", first, [WorkItem(key="A", title="A"), WorkItem(key="B", title="B")], frozenset({Status.failed}))
    for key, outcome in (("A", Outcome(status=Status.failed, summary="Tekniskt fel")), ("B", Outcome.prepared("Klart"))):
        row = ledger.claim_next("robot", first, "w1")
        assert row is not None and row.key == key
        ledger.record_outcome(row, first, outcome)
    ledger.finish_run(first, "completed", None, None)

    second = ledger.start_run("robot")  # the fetch of this run lists neither A nor B
    assert ledger.requeue_failed("robot", second) == 1
    assert ledger.requeue_failed("robot", second) == 0  # not twice within one run
    again = ledger.claim_next("robot", second, "w1")
    assert again is not None and again.key == "A" and again.attempts == 0
    assert ledger.claim_next("robot", second, "w1") is None  # B was done: it stays done
