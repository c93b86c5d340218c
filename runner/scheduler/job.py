"""The job APScheduler stores and calls, and the executor that hands it its scheduled time.

Jobs are pickled into the ledger's database, so the callable is a plain module-level function
(`runner.scheduler.job:scheduled_run`) and its arguments are two strings: the robot's name and the
settings file. The scheduler process registers its `NightScheduler` here; the job finds it and runs the
robot with that scheduler's settings, stop event and clock.

APScheduler 3 does not tell a job which fire time it is running for, and the engine needs it
(`scheduled_for`, the deadline, the DST duplicate check). `NightExecutor` passes it through a
thread-local, and first asks the scheduler which due fire times were missed (see service.on_due).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from apscheduler.executors.base import run_job
from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job

if TYPE_CHECKING:
    from runner.scheduler.service import NightScheduler

FUNC_REF = "runner.scheduler.job:scheduled_run"

_local = threading.local()
_active: NightScheduler | None = None
_active_lock = threading.Lock()


def set_active(service: NightScheduler | None) -> None:
    global _active
    with _active_lock:
        _active = service


def active() -> NightScheduler | None:
    with _active_lock:
        return _active


def current_run_time() -> datetime | None:
    """The fire time the current job runs for (set by NightExecutor in the job's thread)."""
    return getattr(_local, "run_time", None)


def scheduled_run(robot: str, config_path: str | None = None) -> str | None:
    """APScheduler's job: run `robot` for the current fire time. Returns the run id (or None)."""
    scheduled_for = current_run_time() or datetime.now(UTC)
    service = active()
    if service is None:  # a job store used outside `nattskift schedule` (should not happen)
        from runner.scheduler.service import NightScheduler
        from runner.settings import load_settings

        service = NightScheduler(load_settings(config_path))
    return service.run_scheduled(robot, scheduled_for)


class DueHooks(Protocol):
    def submitted(self, job: Job) -> None: ...

    def on_due(self, job: Job, first_due: datetime, run_times: list[datetime]) -> list[datetime]: ...

    def finished(self, job: Job) -> None: ...


def run_due(hooks: DueHooks, job: Job, alias: str, run_times: list[datetime], logger_name: str,
            first_due: datetime) -> list[Any]:
    """Run one submission: let the scheduler record missed fire times, then run what is left with the
    fire time in a thread-local. Uses APScheduler's own run_job (its events, misfire check and logs)."""
    events: list[Any] = []
    try:
        for run_time in hooks.on_due(job, first_due, run_times):
            _local.run_time = run_time
            try:
                events.extend(run_job(job, alias, [run_time], logger_name))
            finally:
                _local.run_time = None
    finally:
        hooks.finished(job)
    return events


class NightExecutor(ThreadPoolExecutor):
    """A thread pool executor that runs jobs through `run_due`."""

    def __init__(self, hooks: DueHooks, max_workers: int = 4) -> None:
        super().__init__(max_workers=max_workers, pool_kwargs={"thread_name_prefix": "nattskift-run"})
        self.hooks = hooks

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        first_due = job.next_run_time  # still the first due time: APScheduler advances it after submitting
        self.hooks.submitted(job)

        def callback(f: Any) -> None:
            exc = f.exception()
            if exc:
                self._run_job_error(job.id, exc, getattr(exc, "__traceback__", None))
            else:
                self._run_job_success(job.id, f.result())

        try:
            f = self._pool.submit(run_due, self.hooks, job, job._jobstore_alias, run_times, self._logger.name, first_due)
        except BaseException:
            self.hooks.finished(job)
            raise
        f.add_done_callback(callback)


class NightDebugExecutor(DebugExecutor):
    """The same, run synchronously in the scheduler's thread: for tests that drive a fake clock."""

    def __init__(self, hooks: DueHooks) -> None:
        super().__init__()
        self.hooks = hooks

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        first_due = job.next_run_time
        self.hooks.submitted(job)
        try:
            events = run_due(self.hooks, job, job._jobstore_alias, run_times, self._logger.name, first_due)
        except BaseException as exc:
            self._run_job_error(job.id, exc, exc.__traceback__)
        else:
            self._run_job_success(job.id, events)


ExecutorFactory = Callable[[DueHooks, int], Any]
