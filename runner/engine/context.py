"""The `ctx` a robot's steps get: one per worker, holding that worker's browser context and pages."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import structlog
from playwright.async_api import Browser, BrowserContext, Page, Request, Route
from pydantic import BaseModel

from runner.api import Robot, WorkItem, http_status
from runner.engine.locks import RobotLocks
from runner.engine.observers import Observers
from runner.engine.retry import READ_ONLY_KEY, RetryingTransport, goto_with_retry
from runner.ledger.models import Item
from runner.ledger.repo import LeaseLost, Ledger
from runner.private_files import private_dir, private_file
from runner.settings import RobotConfig, Settings, SettingsError, SystemSettings


#: The worker name of the fetch step (its reads are retried `browser.fetch_read_retries` times).
FETCH_WORKER = "fetch"


#: Requests that only read: they pass the write fence without a look at the lease.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Checks (and renews) the worker's lease on an item right before a write leaves for a target system.
Fence = Callable[[Item], bool]


class ItemCheckpoints:
    """Per-item checkpoints, written to the ledger the moment they are marked, only while the worker's
    lease on the item holds (LeaseLost otherwise)."""

    def __init__(self, ledger: Ledger, item: Item) -> None:
        self._ledger = ledger
        self._row = item
        self._values: dict[str, Any] = dict(item.checkpoints or {})

    def get(self, name: str) -> Any | None:
        return self._values.get(name)

    def done(self, name: str) -> bool:
        return name in self._values

    def mark(self, name: str, value: Any = True) -> None:
        self._ledger.set_checkpoint(self._row, name, value)
        self._values[name] = value


class NoCheckpoints:
    """Outside an item (fetch, report) there is nothing to checkpoint."""

    def get(self, name: str) -> Any | None:
        return None

    def done(self, name: str) -> bool:
        return False

    def mark(self, name: str, value: Any = True) -> None:
        raise RuntimeError("checkpoints exist only while an item is processed")


class WorkerContext:
    """Implements `runner.api.Context` for one worker (or for the fetch and report steps)."""

    def __init__(
        self,
        *,
        robot: Robot,
        robot_settings: BaseModel,
        config: RobotConfig,
        settings: Settings,
        run_id: str,
        dry_run: bool,
        browser: Browser | None,
        worker: str,
        artifacts_root: Path,
        locks: RobotLocks | None = None,
        fence: Fence | None = None,
        observers: Observers | None = None,
    ) -> None:
        self.robot = robot
        self.settings = robot_settings
        self.config = config
        self.app_settings = settings
        self.run_id = run_id
        self.dry_run = dry_run
        self.worker = worker
        self.log = structlog.get_logger(f"robots.{robot.name}").bind(worker=worker)
        self.item: WorkItem | None = None
        self.checkpoints: ItemCheckpoints | NoCheckpoints = NoCheckpoints()
        self.artifacts_root = artifacts_root
        self.artifacts_dir = artifacts_root / worker
        self._browser = browser
        self._context: BrowserContext | None = None
        self._pages: dict[str, Page] = {}
        self._http: dict[str, httpx.AsyncClient] = {}
        self._attempt_title: str | None = None
        self._chunk_open = False
        self._tracing = False
        self._items_in_context = self._items_on_pages = 0
        self._logged_in: set[str] = set()  # systems logged in within the current context
        self._locks = locks or RobotLocks(robot.name)
        self._fence = fence
        self.observers = observers or Observers()
        self.row: Item | None = None  # the ledger row of the item in hand, with this worker's lease
        self.lease_lost = False  # set when the lease on the item in hand is found taken over

    # -- time and settings -----------------------------------------------------------------------

    def now(self) -> datetime:
        return self.app_settings.now()

    def system(self, name: str) -> SystemSettings:
        try:
            return self.app_settings.systems[name]
        except KeyError:
            where = self.app_settings.config_file or "the settings"
            raise SettingsError(
                f"setting 'systems.{name}' is missing (robot {self.robot.name} uses it): add [systems.{name}] to {where}"
            ) from None

    def lock(self, name: str) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(name)

    # -- browser ---------------------------------------------------------------------------------

    async def browser_context(self) -> BrowserContext:
        if self._context is None:
            if self._browser is None:
                raise RuntimeError("this step has no browser")
            bs = self.app_settings.browser
            self._context = await self._browser.new_context(locale="sv-SE", timezone_id=self.app_settings.timezone)
            self._context.set_default_timeout(bs.timeout_ms)
            self._context.set_default_navigation_timeout(bs.navigation_timeout_ms)
            if self._fence is not None:
                await self._context.route("**/*", self._fence_route)
            self.observers.context_created(self.worker, self._context)
            if self._attempt_title is not None:
                await self._start_chunk()
        return self._context

    async def _start_chunk(self) -> None:
        """Record the current attempt (tracing is started on the context the first time it is needed)."""
        assert self._context is not None
        if not self._tracing:
            bs = self.app_settings.browser
            await self._context.tracing.start(
                screenshots=bs.trace_screenshots, snapshots=True, sources=False, title=self._attempt_title
            )
            self._tracing = True
        else:
            await self._context.tracing.start_chunk(title=self._attempt_title)
        self._chunk_open = True

    # -- the write fence ---------------------------------------------------------------------------

    def lease_holds(self) -> bool:
        """True while this worker still holds the item in hand (checked in the ledger, and renewed)."""
        if self.row is None or self._fence is None:
            return True
        if not self.lease_lost and self._fence(self.row):
            return True
        self.lease_lost = True
        return False

    async def _fence_route(self, route: Route, request: Request) -> None:
        """Every request that could write into a target system passes here first: a worker whose lease
        ran out (it froze, another machine took the item over) stops before the write leaves."""
        if request.method in SAFE_METHODS or self.lease_holds():
            await route.continue_()
            return
        self.log.warning("item.write_fenced", method=request.method)
        await route.abort("blockedbyclient")

    async def _fence_http(self, request: httpx.Request) -> None:
        if request.method in SAFE_METHODS or request.extensions.get(READ_ONLY_KEY) is True:
            return
        if not self.lease_holds():
            self.log.warning("item.write_fenced", method=request.method)
            raise LeaseLost(f"item {self.row.id if self.row else '?'}: the lease is no longer this worker's")

    async def page(self, system: str) -> Page:
        page = self._pages.get(system)
        if page is None or page.is_closed():
            context = await self.browser_context()
            page = await context.new_page()
            self._pages[system] = page
            if system not in self._logged_in:  # a renewed page shares its context's session
                await self.robot.login(self, system, page)
                self._logged_in.add(system)
        return page

    async def goto(self, system: str, path: str) -> Page:
        page = await self.page(system)
        url = self.system(system).url + (path if path.startswith("/") else "/" + path)
        await self._goto(page, url, system)
        if await self.robot.is_login_page(system, page):
            self.log.info("session.expired", system=system)
            await self.robot.login(self, system, page)
            await self._goto(page, url, system)
        return page

    @property
    def read_retries(self) -> int:
        """How often a read answered 5xx is tried again: more often in the fetch, which loses all its reads
        when one fails, than in an item, which the engine retries on its own."""
        bs = self.app_settings.browser
        return bs.fetch_read_retries if self.worker == FETCH_WORKER else bs.read_retries

    async def _goto(self, page: Page, url: str, system: str) -> None:
        backoff = self.app_settings.browser.read_retry_backoff_seconds
        await goto_with_retry(page, url, retries=self.read_retries, backoff=backoff, system=system)

    async def interrupted_page(self) -> str | None:
        """Why one of this worker's pages shows no screen of its system at all: "login" when it shows the
        login form (the session expired), "5xx" when the system answered a server error; else None."""
        for system, page in list(self._pages.items()):
            try:
                if page.is_closed():
                    continue
                if await self.robot.is_login_page(system, page):
                    return "login"
                if await http_status(page) >= 500:
                    return "5xx"
            except Exception:
                continue
        return None

    def http(self, system: str) -> httpx.AsyncClient:
        client = self._http.get(system)
        if client is None or client.is_closed:
            bs = self.app_settings.browser
            transport = RetryingTransport(self.read_retries, bs.read_retry_backoff_seconds)
            hooks = self.observers.http_hooks(self.worker, system)
            if self._fence is not None:
                hooks["request"] = [self._fence_http, *hooks.get("request", [])]
            client = httpx.AsyncClient(base_url=self.system(system).url, timeout=30.0, transport=transport,
                                       event_hooks=hooks)
            self._http[system] = client
        return client

    # -- lifecycle, used by the engine -------------------------------------------------------------

    def begin_item(self, ledger: Ledger, row: Item) -> None:
        self.item = WorkItem(key=row.key, title=row.title, data=row.data or {})
        self.row, self.lease_lost = row, False
        self.checkpoints = ItemCheckpoints(ledger, row)
        self.artifacts_dir = self.artifacts_root / f"item-{row.id}"

    def end_item(self) -> None:
        self.item = self.row = None
        self.checkpoints = NoCheckpoints()
        self._items_in_context += 1
        self._items_on_pages += 1

    async def refresh_if_due(self) -> None:
        """Fresh pages after `browser.fresh_page_after_items` items, in the same context (the login's
        cookies stay), and a fresh context after `browser.fresh_context_after_items`.

        Without this a night's memory grows with its length: a renderer grows by a few MB for every page
        read through Playwright's locators and gives it back only when its page closes, and Playwright
        keeps every request and response of a context (in the driver and in this process) until the
        context closes.
        """
        bs = self.app_settings.browser
        if bs.fresh_context_after_items and self._items_in_context >= bs.fresh_context_after_items:
            self.log.info("browser.context_renewed", items=self._items_in_context)
            await self.reset_browser()
            return
        if not bs.fresh_page_after_items or self._items_on_pages < bs.fresh_page_after_items:
            return
        self._items_on_pages = 0
        pages, self._pages = self._pages, {}
        for page in pages.values():
            with contextlib.suppress(Exception):
                await page.close()
        self.log.info("browser.pages_renewed", pages=len(pages))

    async def start_attempt(self, title: str, *, traced: bool = True) -> None:
        """Trace this attempt in its own chunk, so a failure keeps exactly its own trace.

        Only an attempt whose failure would be kept is traced (`traced`: the engine passes False for
        attempts that a failure would retry, whose trace would be thrown away). Tracing records every
        Playwright call with its Python stack and a DOM snapshot: about a fifth of the robot process's
        CPU and a third of the driver's on an item that succeeds (bench/README.md).
        """
        self._attempt_title = title if traced and self.app_settings.browser.trace_failures else None
        if self._context is not None and self._attempt_title is not None:
            await self._start_chunk()

    async def _stop_chunk(self, path: Path | None) -> bool:
        self._attempt_title = None
        if self._context is None or not self._chunk_open:
            return False
        self._chunk_open = False
        try:
            await self._context.tracing.stop_chunk(path=path)
        except Exception:
            return False
        return path is not None

    async def keep_failure_evidence(self, name: str) -> list[Path]:
        """Screenshot of each open page and the trace of the failed attempt; returns the files."""
        files: list[Path] = []
        if self._context is None:
            return files
        private_dir(self.artifacts_dir, ours=True)  # screenshots and traces show whole pages of a case
        for system, page in list(self._pages.items()):
            if page.is_closed():
                continue
            shot = self.artifacts_dir / f"{name}-{system}.png"
            try:
                await page.screenshot(path=shot, full_page=True, timeout=5_000)
                files.append(shot)
            except Exception:
                pass
        trace = self.artifacts_dir / f"{name}-trace.zip"
        if await self._stop_chunk(trace):
            files.append(trace)
        return [private_file(f) for f in files]

    async def discard_attempt(self) -> None:
        await self._stop_chunk(None)

    async def reset_browser(self) -> None:
        """A fresh context and pages after a technical failure (the next attempt logs in again)."""
        context, self._context, self._pages = self._context, None, {}
        self._chunk_open = self._tracing = False
        self._items_in_context = self._items_on_pages = 0
        self._logged_in.clear()
        if context is not None:
            try:
                await context.close()
            except Exception:
                pass

    async def close(self) -> None:
        await self.reset_browser()
        for client in self._http.values():
            await client.aclose()
        self._http.clear()
