"""The job APScheduler stores and calls, and the executor that hands it its scheduled time.

Jobs are pickled into the ledger's database, so the callable is a plain module-level function
(`runner.scheduler.job:scheduled_run`) and its arguments are two strings: the robot's name and the
settings file. APScheduler 3 tells a job neither which fire time it runs for (the engine needs it:
`scheduled_for`, the deadline, the DST duplicate check) nor which scheduler runs it. Our executors
(`NightExecutor`, `NightDebugExecutor`) are the only ones a `NightScheduler` uses, and they know both:
they run each job with its fire time and their scheduler (the `DueHooks`) in a thread-local, after
asking the scheduler which due fire times were missed (see service.on_due). So this module needs
nothing of the service, and two schedulers in one process (tests) never see each other's jobs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.executors.base import run_job
from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job

FUNC_REF = "runner.scheduler.job:scheduled_run"

_local = threading.local()


class DueHooks(Protocol):
    """What the executors need of the scheduler (NightScheduler implements it)."""

    settings: Any  # runner.settings.Settings: what a job such as gallring runs with

    def submitted(self, job: Job) -> None: ...

    def on_due(self, job: Job, first_due: datetime, run_times: list[datetime]) -> list[datetime]: ...

    def finished(self, job: Job) -> None: ...

    def run_scheduled(self, robot: str, scheduled_for: datetime) -> str | None: ...


class NotInScheduler(RuntimeError):
    """A job of the night scheduler was called outside one of its executors."""


def active() -> DueHooks | None:
    """The scheduler whose executor runs the current job (None outside a job's thread)."""
    return getattr(_local, "scheduler", None)


def current_run_time() -> datetime | None:
    """The fire time the current job runs for (set by the executor in the job's thread)."""
    return getattr(_local, "run_time", None)


def scheduled_run(robot: str, config_path: str | None = None) -> str | None:
    """APScheduler's job: run `robot` for the current fire time. Returns the run id (or None).

    `config_path` is kept in the stored job so that it reads the same to a person looking at the job
    store; the run uses the settings of the scheduler that fires it (which SIGHUP may have re-read)."""
    scheduler = active()
    if scheduler is None:
        raise NotInScheduler(f"the job for robot {robot!r} runs only inside `nattskift schedule` or `nattskift serve`")
    return scheduler.run_scheduled(robot, current_run_time() or datetime.now(UTC))


def run_due(hooks: DueHooks, job: Job, alias: str, run_times: list[datetime], logger_name: str,
            first_due: datetime) -> list[Any]:
    """Run one submission: let the scheduler record missed fire times, then run what is left with the
    fire time in a thread-local. Uses APScheduler's own run_job (its events, misfire check and logs)."""
    events: list[Any] = []
    try:
        for run_time in hooks.on_due(job, first_due, run_times):
            _local.run_time, _local.scheduler = run_time, hooks
            try:
                events.extend(run_job(job, alias, [run_time], logger_name))
            finally:
                _local.run_time = _local.scheduler = None
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
