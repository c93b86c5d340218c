"""Observer hooks: what a run does, as it does it, for measuring and monitoring without patching.

The bench (bench/recorder.py) uses them to time items and the requests inside them; a test or an
operations tool can too. An observer subclasses `Observer` and overrides the hooks it needs; it is
passed to the engine (`run_robot(..., observers=[...])`). The hooks run in the engine's event loop and
must be quick; one that raises is logged and left out of that call, and never stops the run.

Times are `time.time()` seconds. `worker` is the worker's name ("w1", …, or "fetch" and "report").
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import structlog

if TYPE_CHECKING:  # pragma: no cover
    import httpx
    from playwright.async_api import BrowserContext, Request

    from runner.api import Status

log = structlog.get_logger("runner.engine")


class Observer:
    """No-op hooks; override the ones you need."""

    def context_created(self, worker: str, context: BrowserContext) -> None:
        """A worker opened a new browser context (at its first page, and after each renewal)."""

    def item_started(self, worker: str, key: str) -> None:
        """A worker took an item (claimed under its lease) and is about to process it."""

    def item_finished(self, worker: str, key: str, status: Status | None) -> None:
        """The item is done with: its status, or None when nothing was recorded (the lease was lost)."""

    def request_timed(self, worker: str, system: str | None, start: float, end: float) -> None:
        """A request a worker made ended: the browser's (start → response end, from Playwright's
        timing; `system` None) or an API call's (`system` named; start → response headers)."""


class Observers:
    """The engine's fan-out to its observers; empty costs nothing (no listener is attached)."""

    def __init__(self, observers: Iterable[Observer] = ()) -> None:
        self._all = list(observers)

    def __bool__(self) -> bool:
        return bool(self._all)

    def _call(self, hook: str, *args: Any) -> None:
        for observer in self._all:
            try:
                getattr(observer, hook)(*args)
            except Exception as exc:  # an observer's bug must not stop a night's run
                log.warning("observer.failed", hook=hook, observer=type(observer).__name__, error=type(exc).__name__)

    def context_created(self, worker: str, context: BrowserContext) -> None:
        """Tell the observers, and (when there are any) time the context's requests for them."""
        if not self._all:
            return

        def done(request: Request) -> None:
            try:
                timing = request.timing
            except Exception:  # a request Playwright has no timing for
                return
            start, end = timing.get("startTime", -1), timing.get("responseEnd", -1)
            if start > 0 and end >= 0:
                self._call("request_timed", worker, None, start / 1000, (start + end) / 1000)

        context.on("requestfinished", done)
        context.on("requestfailed", done)
        self._call("context_created", worker, context)

    def http_hooks(self, worker: str, system: str) -> dict[str, list[Any]]:
        """httpx event hooks that time a worker's API calls (none without observers)."""
        if not self._all:
            return {}

        async def sent(request: httpx.Request) -> None:
            request.extensions["nattskift_sent"] = time.time()

        async def answered(response: httpx.Response) -> None:
            sent_at = response.request.extensions.get("nattskift_sent")
            if sent_at is not None:
                self._call("request_timed", worker, system, sent_at, time.time())

        return {"request": [sent], "response": [answered]}

    def item_started(self, worker: str, key: str) -> None:
        self._call("item_started", worker, key)

    def item_finished(self, worker: str, key: str, status: Status | None) -> None:
        self._call("item_finished", worker, key, status)
