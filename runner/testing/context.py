"""A stand-in for the engine's `ctx`, to test a robot's page objects and steps one at a time in Chromium.

    async with chromium() as browser:
        ctx = FakeContext(Lena(), browser, {"hemtjanst": system.settings()}, now=datetime(2025, 12, 1, 2, 0))
        items = await ctx.fetch_items()          # as the ledger stores them and gives them back
        outcome = await ctx.process_item(items[0])

The whole night through the real engine is `runner.testing.run_robot`; this is for the paths a night
rarely takes (a write already there, a session ending in the middle, a changed screen).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx
import structlog
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from pydantic import BaseModel

from runner.api import Outcome, Robot, WorkItem
from runner.engine.items import checked_outcome, parsed_item, stored_item
from runner.engine.locks import RobotLocks
from runner.settings import RobotConfig, SystemSettings

S = TypeVar("S", bound=BaseModel)
T = TypeVar("T")


class MemoryCheckpoints:
    """Checkpoints kept in a dict (the engine's are written to the ledger at once)."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(values or {})

    def get(self, name: str) -> Any | None:
        return self.values.get(name)

    def done(self, name: str) -> bool:
        return name in self.values

    def mark(self, name: str, value: Any = True) -> None:
        self.values[name] = value


class FakeContext(Generic[S]):
    """Implements `runner.api.Context` over a real browser, without engine or ledger.

    Logs in with the robot's own `login`, like the engine, and again when a page shows the login form.
    `timeout_ms` is Playwright's default wait for this context.
    """

    def __init__(
        self,
        robot: Robot[Any, Any],
        browser: Browser,
        systems: Mapping[str, SystemSettings],
        *,
        now: datetime,
        settings: S | None = None,
        dry_run: bool = False,
        artifacts: Path | None = None,
        timeout_ms: float = 5000,
    ) -> None:
        self.robot = robot
        self.settings: S = settings if settings is not None else robot.Settings()  # type: ignore[assignment]
        self.config = RobotConfig()
        self.log = structlog.get_logger(f"tests.{robot.name}")
        self.dry_run = dry_run
        self.run_id = "test"
        self.item: WorkItem | None = None
        self.checkpoints = MemoryCheckpoints()
        self.artifacts_dir = artifacts or Path("/tmp")
        self._browser = browser
        self._systems = dict(systems)
        self._now = now
        self._timeout_ms = timeout_ms
        self._pages: dict[str, Page] = {}
        self._context: BrowserContext | None = None
        self._http: dict[str, httpx.AsyncClient] = {}
        self._locks = RobotLocks(robot.name)

    def now(self) -> datetime:
        return self._now

    def lock(self, name: str) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(name)

    def system(self, name: str) -> SystemSettings:
        return self._systems[name]

    async def page(self, system: str) -> Page:
        if system not in self._pages:
            if self._context is None:
                self._context = await self._browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
                self._context.set_default_timeout(self._timeout_ms)
            page = await self._context.new_page()
            self._pages[system] = page
            await self.robot.login(self, system, page)
        return self._pages[system]

    async def goto(self, system: str, path: str) -> Page:
        page = await self.page(system)
        url = self.system(system).url + (path if path.startswith("/") else "/" + path)
        await page.goto(url)
        if await self.robot.is_login_page(system, page):
            await self.robot.login(self, system, page)
            await page.goto(url)
        return page

    def http(self, system: str) -> httpx.AsyncClient:
        if system not in self._http:
            self._http[system] = httpx.AsyncClient(base_url=self.system(system).url, timeout=30.0)
        return self._http[system]

    # -- the robot's steps as the engine calls them ------------------------------------------------

    async def fetch_items(self, limit: int | None = None) -> list[WorkItem]:
        """The robot's fetch, each item checked and given back as `process` gets it from the ledger."""
        robot = type(self.robot)
        items: list[WorkItem] = []
        async for item in self.robot.fetch(self):
            stored = stored_item(robot, item)
            items.append(parsed_item(robot, stored.key, stored.title, stored.data))
            if limit is not None and len(items) >= limit:
                break
        return items

    async def process_item(self, item: WorkItem, checkpoints: MemoryCheckpoints | None = None) -> Outcome:
        """The robot's process for one item, with fresh checkpoints (or `checkpoints`, to resume)."""
        self.item, self.checkpoints = item, checkpoints or MemoryCheckpoints()
        try:
            outcome = await self.robot.process(self, item)
        finally:
            self.item = None
        return checked_outcome(self.robot.name, outcome)

    async def reset_browser(self) -> None:
        """A fresh browser context, as the engine gives a retried attempt (the next page logs in again)."""
        context, self._context, self._pages = self._context, None, {}
        if context is not None:
            await context.close()

    async def close(self) -> None:
        await self.reset_browser()
        for client in self._http.values():
            await client.aclose()
        self._http.clear()


def chromium_path() -> str | None:
    """The Chromium the tests use: NATTSKIFT_CHROMIUM, a headless shell or chromium on PATH, else Playwright's."""
    return (os.environ.get("NATTSKIFT_CHROMIUM") or shutil.which("chromium-headless-shell")
            or shutil.which("chromium") or None)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A headless Chromium for the length of a `with` block."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            yield browser
        finally:
            await browser.close()


class BrowserLoop:
    """One event loop and one Chromium for a whole test module (launching Chromium per test is slow).

    `loop.run(fn)` calls `await fn(browser)` on the module's loop and returns its result. The loop runs in
    a thread of its own: the calling thread may already run one (pytest-playwright's sync fixtures keep a
    loop running in the main thread), and a second loop cannot run there.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="nattskift-browser-loop", daemon=True)
        self._thread.start()
        self._pw = self._call(async_playwright().start())
        self.browser: Browser = self._call(self._pw.chromium.launch(executable_path=chromium_path(), headless=True))

    def _call(self, coro: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()  # type: ignore[arg-type]

    def run(self, fn: Callable[[Browser], Awaitable[T]]) -> T:
        return self._call(fn(self.browser))

    def close(self) -> None:
        try:
            self._call(self.browser.close())
            self._call(self._pw.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=30)
            self.loop.close()
