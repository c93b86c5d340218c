"""Running async page-object code in real Chromium from sync tests.

One Chromium per test module, driven from its own thread and event loop (safe next to the sync
Playwright fixtures of other tests); each call gets a fresh browser context, closed afterwards.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from fixtures.server import RunningSystems
from tests.support.conditions import wait_ms

T = TypeVar("T")
CHROMIUM = os.environ.get("NATTSKIFT_CHROMIUM", "/usr/bin/chromium")


async def login(page: Page, systems: RunningSystems, system: str) -> Page:
    account = systems.scenario.accounts[system]
    await page.goto(systems.url(system) + "/login")
    await page.fill("#username", account.username)
    await page.fill("#password", account.password)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    return page


class AsyncChromium:
    """A Chromium on a background event loop; `run(fn)` awaits `fn(context)` there and returns its result."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="harry-test-chromium", daemon=True)
        self._thread.start()
        self._pw: Any = None
        self._browser: Browser | None = None
        self._call(self._start())

    def _call(self, coro: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=wait_ms(120_000) / 1000)  # type: ignore[arg-type]

    async def _start(self) -> None:
        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(executable_path=CHROMIUM)

    async def _with_context(self, fn: Callable[[BrowserContext], Awaitable[T]]) -> T:
        assert self._browser is not None
        context = await self._browser.new_context(locale="sv-SE")
        context.set_default_timeout(wait_ms(5_000))  # grown on a busy machine
        try:
            return await fn(context)
        finally:
            await context.close()

    def run(self, fn: Callable[[BrowserContext], Awaitable[T]]) -> T:
        return self._call(self._with_context(fn))

    async def _stop(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._pw is not None:
            await self._pw.stop()

    def close(self) -> None:
        try:
            self._call(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)


@contextmanager
def async_chromium() -> Iterator[AsyncChromium]:
    chromium = AsyncChromium()
    try:
        yield chromium
    finally:
        chromium.close()
