"""`NightScheduler`: APScheduler 3.11 set up so that nightly runs are never silently missed or doubled.

- One scheduler per database (runner.scheduler.lock), jobs in the ledger's database (SQLAlchemyJobStore).
  The lock is checked before every firing pass (`GatedProcessing`): a scheduler that lost it fires
  nothing and waits as a standby; `scheduler.standby` starts one that way (an HA pair). Database errors
  while waiting or checking are retried, never fatal.
- One start per scheduled time is the database's business (the ledger's one running run per robot, and
  a start time already run is refused in the start's transaction); a start that meets another live run
  waits up to two leases (a crashed one is taken over), else it is recorded as missed and mailed.
- Crash recovery from the ledger: on leading, and every `maintenance_interval`, a night whose latest run
  was interrupted or is running with its owner gone is fired again within its grace time.
- Start-up never replaces stored jobs (that would drop the runs missed while the machine was down): it
  starts paused, adds the jobs that are missing, modifies only what changed, then resumes.
- Each due submission goes through `on_due`: fire times older than the robot's grace time are recorded in
  the ledger as `missed` (with a Swedish reason) and mailed to operations; the newest fire time within
  grace runs once (coalesce=True, max_instances=1).
- The job checks the calendar, the DST duplicate and the deadline, then calls the engine with a stop
  event; SIGTERM sets it and waits for the runs (items in flight finish); the restart within the grace
  time finds them interrupted in the ledger and continues them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from runner.control.pausing import is_paused
from runner.control.presence import SchedulerPresence
from runner.engine import AlreadyRunning, run_robot
from runner.ledger.db import open_database
from runner.ledger.models import Run
from runner.ledger.repo import Ledger, NightAlreadyRun
from runner.redact import scrub_text
from runner.retention.job import sync_job
from runner.scheduler import job as jobmod
from runner.scheduler.calendars import closed_reason, is_open
from runner.scheduler.catchup import catch_up, deadline_for, due_fire_times
from runner.scheduler.lock import DatabaseUnreachable, SchedulerLock, SchedulerLocked, acquire_scheduler_lock
from runner.scheduler.notify import Notice, send, smtp_configured
from runner.scheduler.plan import JOB_PREFIX, Plans, job_id, next_runs, plan_robots, robot_of, robot_plan
from runner.settings import Settings

log = structlog.get_logger("runner.scheduler")

JOBS_TABLE = "apscheduler_jobs"
RunFn = Callable[..., Any]  # engine.run_robot's signature


#: How often a leader checks that it still holds the database lock, and a standby tries to take it.
LOCK_CHECK_SECONDS = 1.0


class GatedProcessing:
    """A scheduler mixin: due jobs are processed only while `gate()` says this process leads.

    APScheduler advances a job's stored next run time as soon as it processes the job. A scheduler that
    lost the database lock must therefore not even look at due jobs: it would advance them in the store
    it shares with the new leader, and the night would be lost. The gate is asked right before every
    pass, so a leader that lost its lock stops firing at once, not at its next periodic check.

    It also keeps APScheduler 3.11's loop from processing jobs once shut down (its loop wakes up once more
    after shutdown() and would advance a due fire time against executors already shut down).
    """

    gate: Callable[[], bool] | None = None

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:  # type: ignore[attr-defined]
            return None
        if self.gate is not None and not self.gate():
            return LOCK_CHECK_SECONDS
        return super()._process_jobs()  # type: ignore[misc]


class NightBackgroundScheduler(GatedProcessing, BackgroundScheduler):
    """APScheduler's BackgroundScheduler behind the leader gate."""


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class NightScheduler:
    def __init__(
        self,
        settings: Settings,
        *,
        run_fn: RunFn | None = None,
        clock: Callable[[], datetime] | None = None,
        scheduler_factory: Callable[..., BaseScheduler] | None = None,
        executor_factory: Callable[[Any, int], Any] | None = None,
        maintenance_interval: float = 30.0,
    ) -> None:
        self.settings = settings
        self.tz = ZoneInfo(settings.scheduler.timezone)
        self.run_fn: RunFn = run_fn or run_robot
        self.clock = clock or (lambda: datetime.now(UTC))
        self.url = settings.database_url()
        engine, sessions = open_database(self.url, echo=settings.database.echo)
        self.ledger = Ledger(sessions)
        self.stop_event = threading.Event()  # handed to every run: set it and runs stop gracefully
        self.lock: SchedulerLock | None = None
        self.leading = threading.Event()  # set while this process holds the lock and fires
        self._leader_mutex = threading.Lock()
        self._resumed: dict[tuple[str, datetime], str] = {}
        self.lock_attempts = 0  # how often this process, not leading, has tried to take the lock
        self._inflight = 0
        self._inflight_cv = threading.Condition()
        self._rearm: dict[str, datetime] = {}
        self._reload: Callable[[], Settings] | None = None
        self._reload_requested = threading.Event()
        self._wake = threading.Event()
        self._maintenance_interval = maintenance_interval
        self._maint: threading.Thread | None = None
        self._closed = False
        make_executor = executor_factory or (lambda hooks, n: jobmod.NightExecutor(hooks, n))
        self.scheduler: BaseScheduler = (scheduler_factory or NightBackgroundScheduler)(
            timezone=self.tz,
            jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
            executors={"default": make_executor(self, settings.scheduler.max_parallel_runs)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3 * 3600},
        )
        if isinstance(self.scheduler, GatedProcessing):
            self.scheduler.gate = self._verify_leader

    # -- life cycle ----------------------------------------------------------------------------------

    def start(self, *, reload: Callable[[], Settings] | None = None) -> SyncResult | None:
        """Take the database's scheduler lock, bring the jobs in line with the settings, start firing.

        Raises SchedulerLocked (naming the holder) when another scheduler runs against the database, and
        DatabaseUnreachable when the database does not answer, both after `lock_timeout_seconds`. With
        `scheduler.standby` it returns None instead and waits in the background: it leads as soon as the
        lock is free (the other scheduler stopped or its machine went away).
        """
        self._reload = reload
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_JOB_ERROR)
        sc = self.settings.scheduler
        try:
            self.lock = acquire_scheduler_lock(self.url, sc.lock_timeout_seconds)
        except (SchedulerLocked, DatabaseUnreachable) as exc:
            if not sc.standby:
                self._close()
                raise
            log.info("scheduler.standby", reason=str(exc))
            self._start_maintenance()
            return None
        try:
            result = self._lead()
        except BaseException:
            self._close()
            raise
        self._start_maintenance()
        return result

    def _start_maintenance(self) -> None:
        self._maint = threading.Thread(target=self._maintain, name="nattskift-scheduler-maintenance", daemon=True)
        self._maint.start()

    def _lead(self) -> SyncResult:
        """Become the firing scheduler: jobs synced, interrupted nights re-armed, then fire."""
        if self.scheduler.state == STATE_STOPPED:
            self.scheduler.start(paused=True)
        result = self.sync()
        self._resume_nights()
        self.leading.set()
        self.scheduler.resume()
        log.info("scheduler.started", timezone=self.tz.key, jobs=[robot_of(j.id) for j in self.scheduler.get_jobs()],
                 database=self.url.split("://")[0])
        return result

    def _verify_leader(self) -> bool:
        """True while this process leads and its lock still holds (asked before every firing pass). A
        lost lock steps down at once: no fire is processed without the lock."""
        if not self.leading.is_set():
            return False
        lock = self.lock
        try:
            held = lock is not None and lock.check()
        except Exception:  # whatever the lock raises, it is not held
            held = False
        if not held:
            self._step_down()
        return held

    def _step_down(self) -> None:
        with self._leader_mutex:
            if not self.leading.is_set():
                return
            self.leading.clear()
            lock, self.lock = self.lock, None
        log.error("scheduler.lock_lost", running=self._inflight)
        if lock is not None:
            try:
                lock.release()
            except Exception:
                pass
        self._wake.set()

    def _try_to_lead(self) -> None:
        """A standby's turn: take the lock if it is free, then lead; a database error waits for the next try."""
        self.lock_attempts += 1
        try:
            lock = acquire_scheduler_lock(self.url, 0)
        except (SchedulerLocked, DatabaseUnreachable):
            return
        with self._leader_mutex:
            self.lock = lock
        try:
            self._lead()
        except SQLAlchemyError as exc:
            log.error("scheduler.lead_failed", error=_first_line(exc))
            self.leading.set()  # so that stepping down releases the lock taken above
            self._step_down()

    def shutdown(self) -> None:
        """Stop gracefully: no new runs; running robots finish their items in flight and stop; a run
        interrupted this way is re-armed so that a restart within the grace time continues it."""
        if self._closed:
            return
        log.info("scheduler.stopping", running=self._inflight)
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.pause()
        self.stop_event.set()
        self._wake.set()
        with self._inflight_cv:
            while self._inflight:
                self._inflight_cv.wait(1.0)
        if self.leading.is_set():
            self._rearm_deferred()
        self._close()
        log.info("scheduler.stopped")

    def _close(self) -> None:
        self._closed = True
        self._wake.set()
        try:
            if self.scheduler.state != STATE_STOPPED:
                self.scheduler.shutdown(wait=True)
        finally:
            self.leading.clear()
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def request_reload(self) -> None:
        """Re-read the settings and update the jobs (SIGHUP); done in the maintenance thread."""
        self._reload_requested.set()
        self._wake.set()

    def next_runs(self, robot: str, n: int = 3) -> list[datetime]:
        """The next `n` start times of `robot` with the settings this scheduler runs on (the web app's
        `Scheduler`, runner.web.scheduling)."""
        return next_runs(self.settings, robot, n, now=self.clock())

    def presence(self) -> SchedulerPresence:
        """This process runs a scheduler: whether it leads and whether it is stopping (the Drift page)."""
        return SchedulerPresence(here=True, leading=self.leading.is_set(), stopping=self.stop_event.is_set())

    # -- runs started by operations (the Drift page) -------------------------------------------------

    #: How long `run_now` waits for the engine to take the robot's running run before it returns.
    RUN_NOW_WAIT_SECONDS = 30.0

    def run_now(self, robot: str, *, dry_run: bool = False, limit: int | None = None) -> str | None:
        """Start a manual run of `robot` in this process, as `nattskift run` would; returns its run id as
        soon as the engine holds the robot's running run (None if that took longer than
        RUN_NOW_WAIT_SECONDS; the run goes on). Raises what the start raised (AlreadyRunning, a settings
        error). The run gets this scheduler's stop event: shutting down stops it gracefully."""
        if self.stop_event.is_set():
            raise RuntimeError("the scheduler is shutting down")
        started = threading.Event()
        box: dict[str, Any] = {}

        def progress(event: str, **data: Any) -> None:
            if event == "started":
                box["run_id"] = data["run_id"]
                started.set()

        def body() -> None:
            try:
                summary = self.run_fn(self.settings, robot, dry_run=dry_run, limit=limit, trigger="manual",
                                      stop_event=self.stop_event, progress=progress)
                box.setdefault("run_id", summary.id)
                log.info("scheduler.run_now_finished", robot=robot, run_id=summary.id, status=summary.status)
            except BaseException as exc:  # handed to the caller while it waits; logged when it no longer does
                box["error"] = exc
                if started.is_set():
                    log.error("scheduler.run_now_failed", robot=robot, error=type(exc).__name__)

        self._launch(body, f"nattskift-run-now-{robot}", started)
        started.wait(self.RUN_NOW_WAIT_SECONDS)
        if "run_id" in box:
            return box["run_id"]
        if "error" in box:
            raise box["error"]
        return None

    def catch_up_paused(self, robot: str, since: datetime) -> datetime | None:
        """After a pause, when operations ask for it: run the latest night that fell due since `since` and is
        still within the robot's grace time (the nightly checks apply: calendar, deadline, a night already
        run). Returns that night's time, or None when there is none to catch up."""
        plan = robot_plan(self.settings, robot)
        trigger = plan.trigger()
        now = self.clock()
        first = trigger.get_next_fire_time(None, since)
        due = due_fire_times(trigger, first, now) if first is not None else []
        if not due or now - due[-1] > plan.grace:
            return None
        fire = due[-1]
        self._launch(lambda: self.run_scheduled(robot, fire), f"nattskift-catch-up-{robot}", threading.Event())
        return fire

    def _launch(self, body: Callable[[], Any], name: str, started: threading.Event) -> None:
        """Run `body` in its own thread, counted as a run in flight (shutdown waits for it)."""
        with self._inflight_cv:
            self._inflight += 1

        def target() -> None:
            try:
                body()
            finally:
                started.set()
                with self._inflight_cv:
                    self._inflight -= 1
                    self._inflight_cv.notify_all()

        threading.Thread(target=target, name=name, daemon=True).start()

    def reload(self, settings: Settings) -> SyncResult | None:
        """Use new settings from now on: jobs are updated (only what changed), the next runs use them. A
        standby only keeps the settings: the jobs are the leader's, and are synced when it leads."""
        self.settings = settings
        return self.sync() if self.leading.is_set() else None

    def _maintain(self) -> None:
        """Reloads on request; the leader checks its lock every second and re-arms interrupted nights
        every `maintenance_interval`; a standby tries to take the lock every second."""
        next_resume = time.monotonic() + self._maintenance_interval
        while not self._closed:
            self._wake.wait(min(LOCK_CHECK_SECONDS, self._maintenance_interval))
            self._wake.clear()
            if self._closed:
                return
            if self._reload_requested.is_set() and self._reload is not None:
                self._reload_requested.clear()
                try:
                    self.reload(self._reload())
                    log.info("scheduler.reloaded")
                except Exception as exc:  # a bad edit of the settings must not stop the night
                    log.error("scheduler.reload_failed", error=str(exc).splitlines()[0][:300])
            if self.stop_event.is_set():
                continue
            if not self.leading.is_set():
                self._try_to_lead()
            elif self._verify_leader() and time.monotonic() >= next_resume:
                next_resume = time.monotonic() + self._maintenance_interval
                try:
                    self._resume_nights()
                except SQLAlchemyError as exc:
                    log.warning("scheduler.resume_check_failed", error=_first_line(exc))

    # -- jobs from settings --------------------------------------------------------------------------

    def sync(self) -> SyncResult:
        """Add missing jobs, modify changed ones, remove jobs of disabled robots. Never replaces a job:
        its stored next run time (possibly in the past: a run to catch up) is kept unless the trigger
        changed and nothing is pending."""
        now = self.clock()
        plans: Plans = plan_robots(self.settings)
        result = SyncResult(errors=list(plans.errors))
        for message in plans.errors:
            log.error("scheduler.robot_unavailable", detail=message)
        config = str(self.settings.config_file) if self.settings.config_file else None
        existing = {j.id: j for j in self.scheduler.get_jobs()}
        for name, plan in plans.plans.items():
            jid = job_id(name)
            trigger = plan.trigger()
            options = {"misfire_grace_time": plan.grace_seconds, "coalesce": True, "max_instances": 1}
            args = (name, config)
            job = existing.get(jid)
            if job is None:
                self.scheduler.add_job(
                    jobmod.scheduled_run, trigger=trigger, id=jid, name=f"{name} (nattlig körning)", args=args,
                    next_run_time=trigger.get_next_fire_time(None, now), replace_existing=False, **options,
                )
                result.added.append(name)
                log.info("scheduler.job_added", robot=name, cron=plan.cron, calendar=plan.calendar)
                continue
            changes: dict[str, Any] = {k: v for k, v in options.items() if getattr(job, k) != v}
            if job.trigger != trigger:
                changes["trigger"] = trigger
            pending = job.next_run_time is not None and job.next_run_time <= now
            if ("trigger" in changes or job.next_run_time is None) and not pending:
                changes["next_run_time"] = trigger.get_next_fire_time(None, now)
            if tuple(job.args) != args:
                changes["args"] = args
            if job.func_ref != jobmod.FUNC_REF:
                changes["func"] = jobmod.scheduled_run
            if changes:
                self.scheduler.modify_job(jid, **changes)
                result.updated[name] = sorted(changes)
                log.info("scheduler.job_updated", robot=name, changed=sorted(changes), pending_kept=pending)
            else:
                result.kept.append(name)
        for jid in existing:
            if not jid.startswith(JOB_PREFIX) or robot_of(jid) in plans.plans:
                continue
            name = robot_of(jid)
            if name in plans.unavailable:  # it may load again after a fix: keep its missed-run history
                log.warning("scheduler.job_kept_robot_unavailable", robot=name)
                continue
            self.scheduler.remove_job(jid)
            result.removed.append(name)
            log.info("scheduler.job_removed", robot=name, disabled=name in plans.disabled)
        sync_job(self.scheduler, self.settings, now)  # gallring, the one job that is not a robot's night
        return result

    # -- due fire times (called by NightExecutor) ----------------------------------------------------

    def submitted(self, job: Job) -> None:
        with self._inflight_cv:
            self._inflight += 1

    def finished(self, job: Job) -> None:
        with self._inflight_cv:
            self._inflight -= 1
            self._inflight_cv.notify_all()

    def on_due(self, job: Job, first_due: datetime | None, run_times: list[datetime]) -> list[datetime]:
        """Record the fire times that are past the grace time as missed; return the one to run."""
        if not job.id.startswith(JOB_PREFIX):  # gallring: no night to record missed, run once for the newest
            return run_times[-1:]
        robot = robot_of(job.id)
        now = self.clock()
        grace = timedelta(seconds=job.misfire_grace_time) if job.misfire_grace_time is not None else timedelta.max
        first = min([t for t in (first_due, *run_times) if t is not None])
        plan = catch_up(job.trigger, first, now, grace)
        if plan.run is None and plan.missed == [] and run_times:  # the trigger disagrees: trust APScheduler
            return [run_times[-1]]
        if plan.missed:
            hours = _hours(grace)
            self._record_missed(
                robot, plan.missed,
                lambda t: (f"Körningen planerad till {self._local(t)} startade aldrig: schemaläggaren var inte igång "
                           f"då och kom inte igång inom respittiden ({hours})."),
                more=plan.unlisted,
            )
        return [plan.run] if plan.run is not None else []

    def _on_event(self, event: Any) -> None:
        """Backstops for what on_due does not see: a run skipped because the last one still runs, a
        miss found by APScheduler's own check, a job that raised."""
        job_id_ = getattr(event, "job_id", "") or ""
        if not job_id_.startswith(JOB_PREFIX):  # gallring's own errors are logged; it has no nights
            if event.code == EVENT_JOB_ERROR:
                log.error("scheduler.job_error", job=job_id_, error=type(getattr(event, "exception", None)).__name__)
            return
        robot = robot_of(job_id_)
        if event.code == EVENT_JOB_MAX_INSTANCES and isinstance(event, JobSubmissionEvent):
            self._record_missed(
                robot, list(event.scheduled_run_times),
                lambda t: (f"Körningen planerad till {self._local(t)} startade inte: föregående körning av "
                           "roboten pågick fortfarande."),
            )
        elif event.code == EVENT_JOB_MISSED and isinstance(event, JobExecutionEvent):
            self._record_missed(
                robot, [event.scheduled_run_time],
                lambda t: f"Körningen planerad till {self._local(t)} startade inte inom respittiden.",
            )
        elif event.code == EVENT_JOB_ERROR:
            log.error("scheduler.job_error", robot=robot, error=type(getattr(event, "exception", None)).__name__)

    # -- one scheduled run ---------------------------------------------------------------------------

    def run_scheduled(self, robot: str, scheduled_for: datetime) -> str | None:
        """The job's body: calendar, duplicate and deadline checks, then the engine. Never raises."""
        with structlog.contextvars.bound_contextvars(robot=robot):
            try:
                return self._run_scheduled(robot, scheduled_for)
            except Exception as exc:  # recorded and mailed; the scheduler must go on
                log.error("scheduler.run_error", error=type(exc).__name__)
                reason = f"Körningen kunde inte startas: {type(exc).__name__}"
                run_id = self._record_failed_start(robot, scheduled_for, reason)
                self._notify([Notice(robot, "failed", reason, [scheduled_for], run_id)])
                return run_id

    def _run_scheduled(self, robot: str, scheduled_for: datetime) -> str | None:
        settings = self.settings
        local = scheduled_for.astimezone(self.tz)
        if not settings.robot_config(robot).enabled:
            log.info("scheduler.skip_disabled")
            return None
        if is_paused(self.ledger.sessions, robot):  # operations paused it (the Drift page, `nattskift pause`)
            log.info("scheduler.skip_paused", scheduled_for=local.isoformat())
            return None
        plan = robot_plan(settings, robot)
        if not is_open(local.date(), plan.calendar, plan.closed_dates):
            log.info("scheduler.skip_closed_day", date=local.date().isoformat(),
                     why=closed_reason(local.date(), plan.calendar, plan.closed_dates))
            return None
        if self._already_ran(robot, scheduled_for, repeated_hour_runs=plan.trigger().runs_repeated_hour):
            log.warning("scheduler.skip_duplicate_fire", scheduled_for=local.isoformat())
            return None
        if self.stop_event.is_set():  # fired while shutting down: keep it for the restart
            self._rearm.setdefault(robot, scheduled_for)
            log.info("scheduler.fire_deferred_shutdown", scheduled_for=local.isoformat())
            return None
        deadline = deadline_for(scheduled_for, plan.deadline, self.tz)
        if deadline is not None and self.clock() >= deadline:
            dl = deadline.strftime("%H:%M")
            self._record_missed(
                robot, [scheduled_for],
                lambda t: f"Körningen planerad till {self._local(t)} kunde inte starta före tidsgränsen {dl}.",
            )
            return None
        log.info("scheduler.run_starting", scheduled_for=local.isoformat(),
                 deadline=deadline.isoformat() if deadline else None)
        started = datetime.now(UTC) - timedelta(seconds=1)
        give_up: float | None = None
        try:
            while True:
                try:
                    summary = self.run_fn(settings, robot, trigger="schedule", scheduled_for=scheduled_for,
                                          deadline=deadline, stop_event=self.stop_event)
                    break
                except AlreadyRunning as busy:
                    # Another process runs the robot. A crashed one stops renewing its lease and is taken over
                    # by the next try; a live one makes this start a skip, recorded and mailed.
                    other = busy.run
                    if other is not None and other.trigger == "schedule" and other.scheduled_for == scheduled_for:
                        log.info("scheduler.night_running_elsewhere", run_id=other.id, owner=other.owner)
                        return other.id
                    lease = settings.workers.lease_seconds
                    give_up = give_up if give_up is not None else time.monotonic() + 2 * lease
                    if time.monotonic() >= give_up or self.stop_event.is_set():
                        who = (other.owner or other.host or "?") if other is not None else "?"
                        self._record_missed(
                            robot, [scheduled_for],
                            lambda t: (f"Körningen planerad till {self._local(t)} startade inte: roboten kördes redan av "
                                       f"en annan process ({who}) som fortfarande svarade."),
                        )
                        return None
                    log.info("scheduler.waiting_for_running_run", other=other.id if other else None)
                    self.stop_event.wait(lease / 3)
        except NightAlreadyRun as done:
            log.warning("scheduler.skip_duplicate_fire", scheduled_for=local.isoformat(), run_id=done.run_id)
            return None
        except Exception as exc:
            log.error("scheduler.run_failed_to_start", error=type(exc).__name__)
            reason = f"Körningen kunde inte startas: {_first_line(exc)}"
            run_id = self._record_failed_start(robot, scheduled_for, reason, deadline, since=started)
            self._notify([Notice(robot, "failed", reason, [scheduled_for], run_id)])
            return run_id
        log.info("scheduler.run_finished", run_id=summary.id, status=summary.status)
        if summary.status in ("failed", "interrupted"):
            self._notify([Notice(robot, summary.status, summary.reason, [scheduled_for], summary.id, dict(summary.counts))])
        return summary.id

    def _rearm_deferred(self) -> None:
        """Put a fire time that came while shutting down (no run row was written) back as the job's next
        run time, so the restart catches it up within the grace time."""
        if self.scheduler.state == STATE_STOPPED:
            return
        for robot, fire in self._rearm.items():
            self._rearm_fire(robot, fire)

    def _rearm_fire(self, robot: str, fire: datetime) -> bool:
        job = self.scheduler.get_job(job_id(robot))
        if job is None or (job.next_run_time is not None and job.next_run_time <= fire):
            return False
        self.scheduler.modify_job(job.id, next_run_time=fire)
        log.info("scheduler.run_rearmed", robot=robot, scheduled_for=fire.astimezone(self.tz).isoformat())
        return True

    def _resume_nights(self) -> None:
        """Crash recovery from the ledger: a scheduled night whose latest run was interrupted (SIGTERM, a
        crash closed by a later start) or is still `running` with its owner gone (SIGKILL, a machine that
        went away) is fired again while within its grace time; the engine then resumes its items.

        Each such run is re-armed once: a night whose fire does not start a new run (its deadline passed:
        recorded missed) is not tried over and over.
        """
        now = self.clock()
        for job in self.scheduler.get_jobs():
            if not job.id.startswith(JOB_PREFIX):
                continue
            robot = robot_of(job.id)
            grace = timedelta(seconds=job.misfire_grace_time or 0)
            latest = self._latest_scheduled_run(robot, now - grace)
            if latest is None:
                continue
            resumable = latest.status == "interrupted" or (latest.status == "running" and self.ledger.run_is_stale(latest))
            key = (robot, latest.scheduled_for)
            if not resumable or self._resumed.get(key) == latest.id:
                continue
            self._resumed[key] = latest.id
            if self._rearm_fire(robot, latest.scheduled_for):
                log.warning("scheduler.night_resumed", robot=robot, run_id=latest.id, status=latest.status)

    def _latest_scheduled_run(self, robot: str, since: datetime) -> Run | None:
        with self.ledger.sessions() as s:
            return s.scalar(
                select(Run).where(Run.robot == robot, Run.trigger == "schedule", Run.scheduled_for >= since,
                                  Run.status != "missed")
                .order_by(Run.scheduled_for.desc(), Run.started_at.desc()).limit(1)
            )

    # -- ledger --------------------------------------------------------------------------------------

    def _already_ran(self, robot: str, scheduled_for: datetime, *, repeated_hour_runs: bool = False) -> bool:
        """True when this fire repeats a local time already run (the autumn DST hour, unless the schedule
        is a wildcard one that works that hour again), or repeats an instant whose run completed or was
        recorded missed. An interrupted or failed run is resumed."""
        wall = scheduled_for.astimezone(self.tz).replace(tzinfo=None)
        with self.ledger.sessions() as s:
            rows = s.execute(
                select(Run.scheduled_for, Run.status).where(
                    Run.robot == robot,
                    Run.trigger == "schedule",
                    Run.scheduled_for >= scheduled_for - timedelta(hours=3),
                    Run.scheduled_for <= scheduled_for + timedelta(hours=3),
                )
            ).all()
        for at, status in rows:
            if at is None:
                continue
            if not repeated_hour_runs and at != scheduled_for and at.astimezone(self.tz).replace(tzinfo=None) == wall:
                return True
            if at == scheduled_for and status in ("completed", "missed"):
                return True
        return False

    def _record_missed(self, robot: str, times: list[datetime], reason: Callable[[datetime], str], more: int = 0) -> None:
        """Record each fire time as a `missed` run (once), log it, and mail operations one message. A paused
        robot's nights are not missed: operations chose to skip them."""
        try:
            if is_paused(self.ledger.sessions, robot):
                log.info("scheduler.skip_paused", count=len(times) + more)
                return
        except SQLAlchemyError:
            pass  # the ledger is away: recording below fails too, and says so
        recorded: list[datetime] = []
        reasons: list[str] = []
        for t in times:
            try:
                if self._missed_exists(robot, t):
                    continue
                text = reason(t)
                self.ledger.record_missed_run(robot, t, text)
            except SQLAlchemyError as exc:
                log.error("scheduler.missed_not_recorded", robot=robot, error=type(exc).__name__)
                continue
            recorded.append(t)
            reasons.append(text)
            log.warning("scheduler.run_missed", robot=robot, scheduled_for=t.astimezone(self.tz).isoformat())
        if more:
            log.warning("scheduler.runs_missed_unlisted", robot=robot, count=more)
        if recorded:
            self._notify([Notice(robot, "missed", reasons[-1] if len(reasons) == 1 else
                                 f"{len(recorded)} planerade körningar startade aldrig. Senast: {reasons[-1]}",
                                 recorded, more_missed=more)])

    def _missed_exists(self, robot: str, t: datetime) -> bool:
        with self.ledger.sessions() as s:
            return s.scalar(
                select(Run.id).where(Run.robot == robot, Run.status == "missed", Run.scheduled_for == t).limit(1)
            ) is not None

    def _record_failed_start(self, robot: str, scheduled_for: datetime, reason: str,
                             deadline: datetime | None = None, since: datetime | None = None) -> str | None:
        """A run that could not start leaves a `failed` row; a run the engine had already started (and
        closed as failed itself) is not recorded twice."""
        try:
            if since is not None:
                with self.ledger.sessions() as s:
                    existing = s.scalar(
                        select(Run.id).where(Run.robot == robot, Run.scheduled_for == scheduled_for,
                                             Run.status != "missed", Run.started_at >= since)
                        .order_by(Run.started_at.desc()).limit(1)
                    )
                if existing:
                    return existing
            return self.ledger.record_closed_run(robot, scheduled_for, "failed", reason, deadline=deadline)
        except SQLAlchemyError as exc:
            log.error("scheduler.failure_not_recorded", error=type(exc).__name__)
            return None

    def _notify(self, notices: list[Notice]) -> None:
        if smtp_configured(self.settings):
            send(self.settings, notices, self.tz)

    def _local(self, t: datetime) -> str:
        return t.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")


def _hours(grace: timedelta) -> str:
    if grace == timedelta.max:
        return "obegränsad"
    h = grace.total_seconds() / 3600
    return f"{h:g} timme" if h == 1 else f"{h:g} timmar"


def _first_line(exc: BaseException) -> str:
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return scrub_text(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)
