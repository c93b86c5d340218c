"""Working a robot's jobs in this process: one browser, a context per concurrency slot, the engine's item
logic (retries, evidence, the breaker, leases and the write fence), procrastinate taking the jobs.

`RobotWorker` is what `nattskift worker` runs per robot, and what a dispatcher runs on its own queue with
`workers.local`. A job's item is claimed in the ledger under a lease before anything else; a job whose
item is done, or whose run stopped, ends at once without touching the item.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog
from playwright.async_api import Browser
from procrastinate import App
from procrastinate.worker import Worker

from runner.ledger.models import Item
from runner.proc import process_name
from runner.workers import queue as q

if TYPE_CHECKING:
    from runner.engine.context import WorkerContext
    from runner.engine.core import Engine

log = structlog.get_logger("runner.workers")

#: How often a job waits for another worker's live lease on its item before it gives the job back.
CLAIM_TRIES = 3


class RobotWorker:
    def __init__(self, engine: Engine, browser: Browser, concurrency: int) -> None:
        self.engine = engine
        self.browser = browser
        self.concurrency = concurrency
        self._free: asyncio.Queue[WorkerContext] = asyncio.Queue()
        self._contexts = [engine.worker_context(browser, f"w{i + 1}") for i in range(concurrency)]
        for wctx in self._contexts:
            self._free.put_nowait(wctx)
        self._worker: Worker | None = None
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None

    async def start(self, app: App) -> None:
        """Start taking the robot's jobs (procrastinate's worker in this event loop)."""
        e = self.engine
        q.register_handler(e.name, self.handle)
        self._worker = Worker(app, queues=[q.queue_name(e.name)], concurrency=self.concurrency,
                              name=f"{process_name()}:{e.name}", **q.worker_options(e.lease_seconds))
        self._task = asyncio.create_task(self._worker.run(), name=f"nattskift-worker-{e.name}")
        if not e.owns_run:  # a dispatcher's engine already renews leases with the run's
            self._heartbeat = asyncio.create_task(self._renew(), name=f"nattskift-leases-{e.name}")

    async def stop(self) -> None:
        """Stop taking jobs; the jobs in hand finish (a drained worker leaves nothing half-done)."""
        if self._worker is not None:
            self._worker.stop()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
        q.register_handler(self.engine.name, None)
        await asyncio.gather(*(w.close() for w in self._contexts), return_exceptions=True)

    async def wait(self) -> None:
        if self._task is not None:
            await self._task

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.engine.lease_seconds / 3)
            self.engine.renew_leases()

    # -- one job -----------------------------------------------------------------------------------

    async def handle(self, robot: str, item_id: int, run_id: str) -> None:
        e = self.engine
        if e.owns_run and run_id != e.run_id:
            return  # a job of an earlier run of this robot that a dispatcher's own worker met: not ours
        if not e.owns_run and not e.adopt_run(run_id):
            log.info("job.run_over", item_id=item_id)
            return
        wctx = await self._free.get()
        try:
            row = await self._claim(item_id, run_id, f"{e.owner}:{wctx.worker}")
            if row is None:
                return
            wctx.artifacts_root = e.settings.data_dir / "artifacts" / run_id
            status = await e.work_item(wctx, row)
        finally:
            self._free.put_nowait(wctx)
        if status is not None:
            e.progress("item", status=status.value)

    async def _claim(self, item_id: int, run_id: str, claimant: str) -> Item | None:
        """Claim the job's item; if another worker holds it under a live lease (the job was retried as
        stalled a moment before that lease ran out), wait for the lease, a few times at most."""
        e = self.engine
        for _ in range(CLAIM_TRIES):
            row = e.ledger.claim_item(item_id, run_id, claimant, lease_seconds=e.lease_seconds)
            if row is not None:
                return row
            current = e.ledger.get_item(item_id)
            if current is None or current.state != "in_progress" or current.lease_until is None:
                return None  # done, or released meanwhile (another job will take it)
            wait = (current.lease_until - datetime.now(UTC)).total_seconds() + 0.1
            await asyncio.sleep(min(max(wait, 0.1), e.lease_seconds))
        log.warning("job.item_held_elsewhere", item_id=item_id)
        return None
