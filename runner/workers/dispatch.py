"""The dispatcher: the process that fetched (every item already in the ledger) defers the run's work as
procrastinate jobs and watches the run until every item is done.

While it waits it renews the run's lease (the engine's heartbeat), asks procrastinate for jobs of
stalled workers and retries them, defers a job again for any unfinished item that has none (a job lost
to a crash between two steps), and passes a stop (deadline, operator, circuit breaker in any worker) to
every worker through the run's `stop_reason`. With `workers.local` it works the queue itself as well.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import structlog
from playwright.async_api import Browser

from runner.ledger.db import open_database
from runner.workers import queue as q
from runner.workers.worker import RobotWorker

if TYPE_CHECKING:
    from runner.engine.core import Engine

log = structlog.get_logger("runner.workers")

#: How often the dispatcher looks at the run (also bounded by a third of the lease).
WATCH_SECONDS = 2.0


async def dispatch(engine: Engine, browser: Browser) -> None:
    url = engine.settings.database_url()
    q.ensure_schema(open_database(url)[0])
    app = q.make_app(url)
    robot = engine.name
    local: RobotWorker | None = None
    async with app.open_async():
        ids = engine.ledger.unfinished_ids(engine.name, engine.limit)
        deferred = await q.defer_missing(app, robot, engine.run_id, ids)
        log.info("queue.deferred", robot=robot, jobs=deferred, items=len(ids))
        if engine.settings.workers.local:
            local = RobotWorker(engine, browser, engine.concurrency)
            await local.start(app)
        try:
            await _watch(engine, app, ids)
        finally:
            if local is not None:
                await local.stop()
            if engine._stopping():
                cancelled = await q.cancel_waiting(app, robot)
                log.info("queue.cancelled_waiting", robot=robot, jobs=cancelled)


async def _watch(engine: Engine, app: object, ids: list[int]) -> None:
    """Until the run's items are done, or the run stopped and nothing is in flight any more."""
    robot, lease = engine.name, engine.lease_seconds
    every = min(WATCH_SECONDS, lease / 3)
    wanted = set(ids)
    done_before = 0
    while True:
        asked = engine.ledger.stop_request(engine.run_id)
        if asked is not None and not engine._stopping():
            engine.request_stop(*asked)  # a worker tripped the breaker (its cause kept), or operations stopped the run
        left = [i for i in engine.ledger.unfinished_ids(robot) if i in wanted]
        if engine._stopping():
            if engine.ledger.in_flight(robot) == 0:
                return
        elif not left:
            return
        else:
            await q.retry_stalled(app, robot, lease)  # type: ignore[arg-type]
            missing = await q.defer_missing(app, robot, engine.run_id, left)  # type: ignore[arg-type]
            if missing:
                log.warning("queue.jobs_deferred_again", robot=robot, jobs=missing)
        done = len(wanted) - len(left)
        for _ in range(max(0, done - done_before)):
            engine.progress("item", status="done")  # the progress bar moves as the workers finish items
        done_before = done
        with contextlib.suppress(asyncio.TimeoutError):
            await engine._sleep(every)
