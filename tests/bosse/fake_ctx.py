"""A small stand-in for the engine's Context, so page objects and process() can be tested step by step.

The end-to-end tests (test_golden.py) use the real engine through runner.testing instead.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from playwright.async_api import Browser, Page, async_playwright
from pydantic import SecretStr

from runner.api import Robot, WorkItem
from runner.engine.locks import RobotLocks
from runner.settings import SystemSettings
from tests.conftest import CHROMIUM
from tests.support.conditions import wait_ms


class DictCheckpoints:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, name: str) -> Any | None:
        return self.values.get(name)

    def done(self, name: str) -> bool:
        return name in self.values

    def mark(self, name: str, value: Any = True) -> None:
        self.values[name] = value


class FakeContext:
    def __init__(self, robot: Robot, browser: Browser, systems: dict[str, SystemSettings], *, now: datetime,
                 settings: Any = None, dry_run: bool = False, artifacts: Path | None = None) -> None:
        self.robot = robot
        self.settings = settings if settings is not None else robot.Settings()
        self.config = None
        self.log = structlog.get_logger("tests.bosse")
        self.dry_run = dry_run
        self.run_id = "test"
        self.item: WorkItem | None = None
        self.checkpoints = DictCheckpoints()
        self.artifacts_dir = artifacts or Path("/tmp")
        self._browser = browser
        self._systems = systems
        self._now = now
        self._pages: dict[str, Page] = {}
        self._context = None
        self._locks = RobotLocks(robot.name)

    def now(self) -> datetime:
        return self._now

    def lock(self, name: str):
        return self._locks.hold(name)

    def system(self, name: str) -> SystemSettings:
        return self._systems[name]

    async def page(self, system: str) -> Page:
        if system not in self._pages:
            if self._context is None:
                self._context = await self._browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
                self._context.set_default_timeout(wait_ms(5000))  # grown on a busy machine
            page = await self._context.new_page()
            self._pages[system] = page
            await self.robot.login(self, system, page)
        return self._pages[system]

    async def goto(self, system: str, path: str) -> Page:
        page = await self.page(system)
        url = self.system(system).url + path
        await page.goto(url)
        if await self.robot.is_login_page(system, page):
            await self.robot.login(self, system, page)
            await page.goto(url)
        return page

    def http(self, system: str):  # pragma: no cover - Bosse has no JSON API
        raise NotImplementedError


def system_settings(running, name: str = "bemanning") -> dict[str, SystemSettings]:
    acc = running.scenario.accounts[name]
    return {name: SystemSettings(url=running.url(name), username=acc.username, password=SecretStr(acc.password))}


@asynccontextmanager
async def chromium():
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


def run(coro):
    return asyncio.run(coro)


class BrowserLoop:
    """One event loop and one Chromium for a whole test module (launching Chromium per test is slow).

    `runner.run(fn)` calls `await fn(browser)` on the module's loop and returns its result.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._pw = self.loop.run_until_complete(async_playwright().start())
        self.browser: Browser = self.loop.run_until_complete(
            self._pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        )

    def run(self, fn):
        return self.loop.run_until_complete(fn(self.browser))

    def close(self) -> None:
        self.loop.run_until_complete(self.browser.close())
        self.loop.run_until_complete(self._pw.stop())
        self.loop.close()
