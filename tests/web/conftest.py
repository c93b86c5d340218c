"""The morning report under test: demo rows in a fresh ledger, the app on a free port, demo users.

One app serves the whole folder (starting it per test would cost more than the tests). Tests that change
shared state (marking a case handled, the clock) use cases and users of their own or restore what they change.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from runner.ledger.db import open_database
from runner.scheduler.plan import PlannedSchedule
from runner.settings import Settings
from runner.testing import make_settings
from runner.web.app import create_app
from runner.web.auth import add_user
from tests.support.waits import wait_until
from tests.web.demo_data import Demo, local, seed

PASSWORD = "morgonkaffe-2025"
USERS = {
    "admin": ("Ada Admin", ["admin"]),
    "drift": ("Dag Drift", ["operations"]),
    "handlaggare": ("Hanna Handläggare", ["staff:ronney"]),
    "lon": ("Lena Lön", ["staff:harry"]),
    "bemanning": ("Bo Bemanning", ["staff:bosse"]),
    "lasbar": ("Låsbar Användare", ["staff:bosse"]),  # only for the throttling test
}
NOW = local(2025, 11, 24, 7, 30)
#: Where the README's screenshots are written: only by `make screenshots`, which sets this variable.
#: Without it the test writes into its temporary folder, so `make test` never changes a tracked file.
SCREENSHOTS_ENV = "NATTSKIFT_SCREENSHOTS_DIR"


class Clock:
    """The app's clock: it starts at NOW, the demo rows' morning, and runs at real speed; a test may move
    it forward or freeze it. (The pages read this clock, as real runs and start times are real time.)"""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.frozen: datetime | None = None
        self.started = datetime.now(UTC)

    def __call__(self) -> datetime:
        return (self.frozen or NOW.astimezone(UTC) + (datetime.now(UTC) - self.started)) + self.offset

    def reset(self) -> None:
        self.offset, self.frozen = timedelta(0), None


@dataclass
class Live:
    url: str
    settings: Settings
    demo: Demo
    clock: Clock
    app: object

    @property
    def sessions(self):  # type: ignore[no-untyped-def]
        return open_database(self.settings.database_url())[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(app: object) -> tuple[uvicorn.Server, threading.Thread, int]:
    """The web app on a free port in a thread of its own, once it answers; stop it with
    `server.should_exit = True` and `thread.join()`."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "the web app started")
    assert server.started, "the web app did not start"
    return server, thread, port


def _failure_screenshot(browser: Browser) -> bytes:
    """A screenshot like the engine keeps: the stand-in case system showing an error."""
    page = browser.new_page(viewport={"width": 800, "height": 360})
    page.set_content(
        "<body style='font-family:sans-serif;margin:0'><div style='background:#35506b;color:#fff;padding:12px'>"
        "Ekonomiskt bistånd – handläggning</div><div style='padding:24px'><h1 style='color:#a00'>"
        "Tjänsten svarar inte</h1><p>Försök igen senare. Felkod 504.</p></div></body>"
    )
    png = page.screenshot()
    page.close()
    return png


@pytest.fixture(scope="package")  # undone when tests/web ends: other folders use the real robots
def cheap_hashes() -> Iterator[None]:
    """Argon2 with small parameters for the demo accounts: a login costs milliseconds instead of most of a
    second on a busy test machine. Verification follows the parameters stored in each hash, so the app's
    code path is the production one."""
    from argon2 import PasswordHasher

    from runner.web import auth

    saved = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth._dummy_hash.cache_clear()
    yield
    auth._hasher = saved
    auth._dummy_hash.cache_clear()


@pytest.fixture(scope="package")  # undone when tests/web ends: other folders use the real robots
def live(tmp_path_factory: pytest.TempPathFactory, browser: Browser, cheap_hashes: None) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("web")
    settings = make_settings(root, clock=NOW, web={"idle_minutes": 30, "session_minutes": 480})
    _, sessions = open_database(settings.database_url())
    demo = seed(sessions, settings.data_dir, _failure_screenshot(browser))
    for username, (name, roles) in USERS.items():
        add_user(sessions, username, PASSWORD, roles, name)
    clock = Clock()
    app = create_app(settings, scheduler=PlannedSchedule(settings), clock=clock)
    server, thread, port = serve_app(app)
    yield Live(f"http://127.0.0.1:{port}", settings, demo, clock, app)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def clock(live: Live) -> Iterator[Clock]:
    live.clock.reset()
    yield live.clock
    live.clock.reset()
    live.app.state.web.throttle.reset()  # type: ignore[attr-defined]


def login(page: Page, live: Live, username: str, password: str = PASSWORD) -> None:
    page.goto(live.url + "/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som")).to_be_visible()
