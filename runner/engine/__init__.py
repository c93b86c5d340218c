"""Running a robot: `run_robot(settings, name)` is the one entry point the CLI and the scheduler use."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any, TypeVar

from runner.engine.core import AlreadyRunning, Engine, LedgerUnavailable, ProgressCallback, RunSummary
from runner.engine.observers import Observer
from runner.ledger.repo import NightAlreadyRun
from runner.plugins import add_robot_dirs, get_robot
from runner.settings import Settings

__all__ = ["AlreadyRunning", "Engine", "LedgerUnavailable", "NightAlreadyRun", "Observer", "RunSummary", "run_coroutine", "run_robot"]
T = TypeVar("T")


def run_robot(
    settings: Settings,
    name: str,
    *,
    dry_run: bool = False,
    concurrency: int | None = None,
    limit: int | None = None,
    trigger: str = "manual",
    scheduled_for: datetime | None = None,
    deadline: datetime | None = None,
    stop_event: threading.Event | None = None,
    progress: ProgressCallback | None = None,
    observers: Iterable[Observer] = (),
) -> RunSummary:
    """Run one robot to the end (synchronously, in its own event loop).

    `observers` get the run's hooks (items, browser contexts, request timings: runner.engine.observers).

    In the main thread SIGINT and SIGTERM stop it gracefully: items in flight finish, the rest stay for
    the next run. Elsewhere (a scheduler thread) set `stop_event` instead.
    """
    add_robot_dirs(settings.robot_dirs)
    engine = Engine(
        settings,
        get_robot(name),
        dry_run=dry_run,
        concurrency=concurrency,
        limit=limit,
        trigger=trigger,
        scheduled_for=scheduled_for,
        deadline=deadline,
        stop_event=stop_event,
        progress=progress,
        observers=observers,
    )

    async def main() -> RunSummary:
        loop = asyncio.get_running_loop()
        installed: list[int] = []
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, engine.request_stop, "Körningen stoppades av driften (signal)")
                installed.append(sig)
        try:
            return await engine.run()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    return run_coroutine(main)


#: How long a run broken into from outside its event loop may take to close its browser, then the rest.
SHUTDOWN_GRACE_SECONDS = 20.0


def run_coroutine(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `factory()` to the end in a new event loop, in a helper thread when this thread already runs one.

    Playwright's sync API (used by pytest-playwright and by notebooks) keeps a loop running in the main
    thread; a nested loop would fail there.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_in_new_loop(factory)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = _run_in_new_loop(factory)
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=target, name="nattskift-engine")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def _run_in_new_loop(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Like `asyncio.run`, but an exception breaking into the loop from outside cannot hang the process.

    A Python signal handler that raises (a test timeout, a debugger) leaves the run's task pending.
    `asyncio.run` would then cancel every task at once, Playwright's connection included, and wait forever
    for the browser to answer the run's `browser.close()`. Here the run is cancelled first, while
    Playwright still works, so it closes its browser and records what it can; whatever is still pending
    after that gets a bounded time too.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        main = loop.create_task(factory())
        try:
            return loop.run_until_complete(main)
        except BaseException:
            if not main.done():
                main.cancel()
                loop.run_until_complete(asyncio.wait({main}, timeout=SHUTDOWN_GRACE_SECONDS))
            raise
        finally:
            _cancel_the_rest(loop)
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _cancel_the_rest(loop: asyncio.AbstractEventLoop) -> None:
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.wait(pending, timeout=SHUTDOWN_GRACE_SECONDS))
    for finishing in (loop.shutdown_asyncgens(), loop.shutdown_default_executor()):
        loop.run_until_complete(asyncio.wait({loop.create_task(finishing)}, timeout=SHUTDOWN_GRACE_SECONDS))
