"""The procrastinate side: the app, the one task (work one item), and what the dispatcher asks of it.

One job per item, on the robot's queue. The job names the item and the run; the ledger stays the source
of truth: a job for an item that is done, or for a run that stopped, does nothing, so deferring a job too
many is harmless, and a missing one is deferred again by `defer_missing`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from procrastinate import App, PsycopgConnector, RetryStrategy
from procrastinate.jobs import Job
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

log = structlog.get_logger("runner.workers")

TASK = "nattskift.item"
#: Advisory lock key (first half "NATQ") while the queue's tables are created, so two processes starting
#: at once do not both create them.
SCHEMA_LOCK = (0x4E415451, 1)
#: Jobs that fail for a reason of the worker's own (its browser died, the database was away) are tried
#: again on any worker; the item's own retries (with a fresh browser context) are the engine's.
JOB_RETRY = RetryStrategy(max_attempts=5, exponential_wait=2)

#: What a worker process does with a job: (robot, item_id, run_id) → awaited. Set by the process that
#: works jobs (`nattskift worker`, or the dispatcher that works its own queue too).
ItemHandler = Callable[[str, int, str], Awaitable[None]]
_handlers: dict[str, ItemHandler] = {}


def queue_name(robot: str) -> str:
    return f"nattskift.{robot}"


def item_lock(robot: str, item_id: int) -> str:
    return f"nattskift:{robot}:{item_id}"


def conninfo(url: str) -> str:
    """A libpq URI for psycopg from the ledger's SQLAlchemy URL (same database, schema and options)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def make_app(url: str) -> App:
    """A procrastinate app on the ledger's database, with the one task registered."""
    app = App(connector=PsycopgConnector(conninfo=conninfo(url), min_size=1, max_size=4))

    @app.task(name=TASK, retry=JOB_RETRY)
    async def work_item(robot: str, item_id: int, run_id: str) -> None:
        handler = _handlers.get(robot)
        if handler is None:  # a worker started without this robot: give the job back for another
            raise RuntimeError(f"this worker does not run robot {robot}")
        await handler(robot, item_id, run_id)

    return app


def register_handler(robot: str, handler: ItemHandler | None) -> None:
    if handler is None:
        _handlers.pop(robot, None)
    else:
        _handlers[robot] = handler


def ensure_schema(engine: Engine) -> None:
    """Create procrastinate's tables in the ledger's database (and schema) once; a no-op after that."""
    from procrastinate.schema import SchemaManager

    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": SCHEMA_LOCK[0], "b": SCHEMA_LOCK[1]})
        if conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is None:
            with conn.connection.dbapi_connection.cursor() as cur:  # type: ignore[union-attr]
                cur.execute(SchemaManager.get_schema())  # no parameters: psycopg sends the script as it is
            log.info("queue.schema_created")


async def queued_items(app: App, robot: str) -> set[int]:
    """Items of `robot` that have a job waiting or running."""
    found: set[int] = set()
    for status in ("todo", "doing"):
        for job in await app.job_manager.list_jobs_async(queue=queue_name(robot), status=status):
            item = job.task_kwargs.get("item_id")
            if isinstance(item, int):
                found.add(item)
    return found


async def defer_missing(app: App, robot: str, run_id: str, item_ids: list[int]) -> int:
    """Defer a job for each item that has none waiting or running; returns how many were deferred."""
    have = await queued_items(app, robot)
    missing = [i for i in item_ids if i not in have]
    for start in range(0, len(missing), 500):
        batch = [
            Job(queue=queue_name(robot), lock=item_lock(robot, i), queueing_lock=item_lock(robot, i), task_name=TASK,
                task_kwargs={"robot": robot, "item_id": i, "run_id": run_id})
            for i in missing[start:start + 500]
        ]
        await app.job_manager.batch_defer_jobs_async(batch)
    return len(missing)


async def retry_stalled(app: App, robot: str, stall_seconds: float) -> int:
    """Jobs whose worker stopped sending procrastinate's heartbeat (killed, frozen, its machine gone) are
    put back on the queue for another worker; returns how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(queue=queue_name(robot), seconds_since_heartbeat=stall_seconds))
    for job in stalled:
        await app.job_manager.retry_job(job)
        log.warning("queue.stalled_job_retried", robot=robot, item_id=job.task_kwargs.get("item_id"))
    return len(stalled)


async def cancel_waiting(app: App, robot: str) -> int:
    """Cancel the robot's jobs that no worker has taken (the run stopped: its items stay for the next)."""
    cancelled = 0
    for job in await app.job_manager.list_jobs_async(queue=queue_name(robot), status="todo"):
        if job.id is not None and await app.job_manager.cancel_job_by_id_async(job.id):
            cancelled += 1
    return cancelled


def worker_options(lease_seconds: float) -> dict[str, Any]:
    """procrastinate's heartbeat every third of the lease; stalled after a whole lease without one."""
    return {"update_heartbeat_interval": lease_seconds / 3, "stalled_worker_timeout": lease_seconds,
            "install_signal_handlers": False, "listen_notify": True, "fetch_job_polling_interval": 1.0}
