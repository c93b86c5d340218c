"""The engine: fetch → ledger → N concurrent workers → report, for one run of one robot.

Promises it keeps (each tested):
- every fetched item is in the ledger before any is processed; a kill at any moment leaves every item
  `new` or `in_progress`, and the next start resumes them before fetching anew;
- a BusinessError becomes `needs_attention` at once; other errors are retried with a fresh browser
  context and backoff, and the last failure keeps a screenshot and a Playwright trace; an item that
  failed is tried again by the next run, fetched again or not;
- K consecutive technical failures stop the run ("Systemet verkar nere") and leave the rest `new`;
- a deadline, a signal or a stop event stops claiming; items in flight finish; the rest stay `new`;
- a run is the robot's one `running` run (the database refuses a second); a run whose owner is gone (a
  dead pid here, or a lease nobody renews) is taken over and its items resumed;
- every item is worked under a lease renewed every third of `workers.lease_seconds`; an outcome or
  checkpoint is recorded only while the lease is the worker's own, and (PostgreSQL) every request that
  could write into a target system checks it first, so a worker that lost its item writes nothing more;
- with `workers.queue` the items are deferred as procrastinate jobs (runner/workers) instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from playwright.async_api import Browser, async_playwright
from sqlalchemy.exc import SQLAlchemyError

from runner.api import (
    LOGIN_PAGE,
    BusinessError,
    LoginFailedError,
    Outcome,
    PageChangedError,
    Robot,
    Report,
    RunReport,
    SessionExpiredError,
    Status,
    StopRun,
    SystemUnavailableError,
    WorkItem,
)
from runner.browser import PAIRED_MAJOR, launch, major_version
from runner.engine.context import FETCH_WORKER, WorkerContext
from runner.engine.items import RobotDataError, checked_outcome, parsed_item, stored_item
from runner.engine.locks import RobotLocks
from runner.engine.observers import Observer, Observers
from runner.failure_text import failed_case_summary, fetch_failed_reason, log_fields, technical_detail
from runner.ledger.db import open_database
from runner.ledger.models import Item, Run
from runner.ledger.repo import LeaseLost, Ledger, RunBusy
from runner.logging import attach_run_log, detach
from runner.proc import process_name, split_name
from runner.settings import Settings, SettingsError, validate_robot_settings
from runner.swedish import count

log = structlog.get_logger("runner.engine")
ProgressCallback = Callable[..., None]


class AlreadyRunning(RuntimeError):
    """Another live process is running this robot against the same ledger. `run` is that run (None when
    it ended meanwhile); `lease_until` says when it may be taken over if it stops renewing its lease."""

    def __init__(self, run: Run | None, lease_seconds: float) -> None:
        self.run = run
        self.lease_until = run.lease_until if run is not None else None
        if run is None:
            super().__init__("another run of the robot kept starting at the same time; try again")
            return
        who = run.owner or f"{run.host}:{run.pid}"
        super().__init__(
            f"robot {run.robot} is already running (run {run.id}, process {who}); a process that stops renewing "
            f"its lease ({lease_seconds:g} s) is taken over by the next start"
        )


class QueueNeedsPostgres(SettingsError):
    """`workers.queue` with a SQLite ledger: a wrong setting, named."""


class LedgerUnavailable(RuntimeError):
    """The ledger cannot be written (disk full, read-only, database down). The run stops at once:
    going on would do work that cannot be recorded. Everything recorded before stays; the items in
    flight are resumed (and read back before any write is repeated) by the next start."""


@dataclass
class RunSummary:
    id: str
    robot: str
    status: str
    reason: str | None
    counts: dict[str, int]
    started_at: datetime
    ended_at: datetime
    dry_run: bool
    fetched: dict[str, int] = field(default_factory=dict)
    resumed: int = 0
    report: dict[str, Any] | None = None
    #: Why a run stopped before its end: "signal", "operator", "deadline", "login_refused",
    #: "page_changed", "system_down" or "robot" (a robot's own StopRun); None when it was not stopped.
    stop_cause: str | None = None
    #: The technical detail of a failed run, for operations (the exception, the system, the URL).
    detail: str | None = None


class Engine:
    def __init__(
        self,
        settings: Settings,
        robot_cls: type[Robot],
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
    ) -> None:
        self.settings = settings
        self.robot = robot_cls()
        self.name = robot_cls.name
        self.config = settings.robot_config(self.name)
        self.robot_settings = validate_robot_settings(robot_cls.Settings, self.name, self.config)
        _check_systems_configured(settings, robot_cls)
        self.dry_run = dry_run
        self.concurrency = concurrency or self.config.concurrency
        self.limit = limit
        self.trigger = trigger
        self.scheduled_for = scheduled_for
        self.deadline = deadline
        self.stop_event = stop_event or threading.Event()
        self.progress = progress or (lambda *a, **k: None)
        self.observers = Observers(observers)
        db, sessions = open_database(settings.database_url(), echo=settings.database.echo)
        self.ledger = Ledger(sessions)
        self.locks = RobotLocks(self.name, db)
        self.run_id = ""
        self._stop_reason: str | None = None
        self._stop_cause: str | None = None
        self._consecutive_failures = 0
        self._claimed = 0
        self._wake = asyncio.Event()
        self.owner = process_name()
        self.lease_seconds = settings.workers.lease_seconds
        #: Work is deferred to procrastinate jobs (PostgreSQL, `workers.queue`); a dry run stays local.
        self.queued = settings.workers.queue and not dry_run
        if self.queued and not self.ledger.shared:
            raise QueueNeedsPostgres(
                "setting 'workers.queue': the job queue needs PostgreSQL ([database] url = \"postgresql://…\"); "
                "with SQLite, one machine does all the work (set workers.queue = false)"
            )
        self.owns_run = True  # False in a `nattskift worker`: it works jobs of runs that others own
        self._run_lost = False
        self._holding: set[WorkerContext] = set()
        self._item_tasks: dict[str, asyncio.Task[Status | None]] = {}

    # -- stopping --------------------------------------------------------------------------------

    def request_stop(self, reason: str = "Körningen stoppades av driften", cause: str = "operator") -> None:
        if self._stop_reason is None:
            self._stop_reason = reason
            self._stop_cause = cause
            log.info("run.stop_requested", cause=cause)
            if self.queued and self.run_id:  # every worker of the run, on every machine, stops too
                with contextlib.suppress(SQLAlchemyError):
                    self.ledger.request_run_stop(self.run_id, reason, cause)
        self._wake.set()

    def _stopping(self) -> bool:
        if self._stop_reason is not None:
            return True
        if self.stop_event.is_set():
            self.request_stop("Körningen stoppades av driften (signal)", "signal")
            return True
        if self.deadline is not None and datetime.now(UTC) >= self.deadline:
            local = self.deadline.astimezone(self.settings.tz).strftime("%H:%M")
            self.request_stop(f"Tidsgränsen {local} nåddes", "deadline")
            return True
        return False

    async def _sleep(self, seconds: float) -> None:
        """Sleep that a stop request cuts short."""
        end = asyncio.get_running_loop().time() + seconds
        while not self._stopping():
            left = end - asyncio.get_running_loop().time()
            if left <= 0:
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=min(left, 0.5))

    # -- the run ---------------------------------------------------------------------------------

    def _begin(self) -> int:
        """Start this run as the robot's one running run, taking over a run whose owner is gone; release
        the items gone holders left. Returns how many items wait from earlier runs."""
        for _ in range(5):
            try:
                self.run_id = self.ledger.start_run(
                    self.name, dry_run=self.dry_run, trigger=self.trigger, scheduled_for=self.scheduled_for,
                    deadline=self.deadline, owner=self.owner, lease_seconds=self.lease_seconds, queued=self.queued,
                )
                break
            except RunBusy as busy:
                run = busy.run
                if not self.ledger.run_is_stale(run):
                    raise AlreadyRunning(run, self.lease_seconds) from None
                host = (split_name(run.owner) or (run.host or "", 0))[0]
                where = f" på {host}" if host and host != socket.gethostname() else ""
                reason = (f"Körningen avbröts oväntat (processen{where} slutade svara); "
                          "ärendena som inte hanns med tas i nästa körning")
                if self.ledger.take_over_run(run, reason):
                    log.warning("run.resumed_dead_run", dead_run=run.id, owner=run.owner)
        else:
            raise AlreadyRunning(self.ledger.running_run(self.name), self.lease_seconds)
        self.ledger.release_abandoned(self.name)
        return self.ledger.pending_count(self.name)

    # -- leases ----------------------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        """Renew the run's lease and the lease of every item in hand, every third of the lease. A lease
        found taken over stops that work at once: its item is dropped unrecorded, a lost run stops."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            self.renew_leases()

    def renew_leases(self) -> None:
        try:
            if self.owns_run and not self.ledger.renew_run(self.run_id, self.owner, self.lease_seconds):
                self._run_lost = True
                log.error("run.lease_lost")
                self.request_stop("Körningen togs över av en annan process när den slutade svara")
            elif self.owns_run and self._stop_reason is None:
                # operations asked for a stop from elsewhere (the Drift page, `nattskift stop`): stop as for a signal
                asked = self.ledger.stop_request(self.run_id)
                if asked is not None:
                    self.request_stop(*asked)
            for wctx in list(self._holding):
                if wctx.row is not None and not self.ledger.renew(wctx.row, self.lease_seconds):
                    self._lose_item(wctx)
        except SQLAlchemyError as exc:  # the database is away: the fence decides once it is back
            log.warning("lease.renew_failed", error=technical_detail(exc))

    def _lose_item(self, wctx: WorkerContext) -> None:
        log.warning("item.lease_lost", worker=wctx.worker)
        wctx.lease_lost = True
        task = self._item_tasks.get(wctx.worker)
        if task is not None and not task.done():
            task.cancel()

    def _ledger_unavailable(self, exc: SQLAlchemyError) -> LedgerUnavailable:
        detail = technical_detail(getattr(exc, "orig", None) or exc)
        log.error("run.ledger_error", error=detail)
        return LedgerUnavailable(
            f"the ledger ({self.settings.database_url().split('://')[0]}) could not be written: {detail}. "
            "Everything recorded before is kept; fix the cause and start the robot again to resume."
        )

    async def run(self) -> RunSummary:
        try:
            pending = self._begin()
        except SQLAlchemyError as exc:
            raise self._ledger_unavailable(exc) from None
        heartbeat = asyncio.create_task(self._heartbeat(), name="nattskift-leases")
        started = datetime.now(UTC)
        log_dir = self.settings.data_dir / "logs"
        handler = attach_run_log(log_dir, self.run_id)
        structlog.contextvars.bind_contextvars(run_id=self.run_id, robot=self.name)
        status, reason, fetched, report, detail = "completed", None, Counter[str](), None, None
        try:
            log.info("run.started", dry_run=self.dry_run, concurrency=self.concurrency, resumed=pending)
            self.progress("started", run_id=self.run_id, resumed=pending)
            async with async_playwright() as pw:
                browser = await launch(pw, self.settings.browser)
                self._check_browser_version(browser)
                try:
                    work = self._dispatch if self.queued else self._process_all
                    if pending:
                        self.progress("resume", total=pending)
                        await work(browser)
                    if not self._stopping():
                        fetched = await self._fetch(browser)
                        if Status.failed in self.robot.reprocess_statuses and not self.dry_run:
                            retried = self.ledger.requeue_failed(self.name, self.run_id)
                            if retried:
                                fetched["failed_retried"] += retried
                                log.info("run.failed_items_retried", count=retried)
                    if not self._stopping():
                        await work(browser)
                    report = await self._report(browser)
                finally:
                    await browser.close()
            if self._stop_reason is not None:
                status, reason = "interrupted", self._stop_reason
        except _FetchFailed as exc:
            status, reason, detail = "failed", exc.reason, exc.detail
        except SQLAlchemyError as exc:
            status, reason = "failed", "Liggaren (databasen) gick inte att skriva; körningen stoppades"
            raise self._ledger_unavailable(exc) from None
        except SettingsError as exc:
            status, reason, detail = "failed", "En inställning saknas eller är fel; körningen stoppades", str(exc)
            raise
        except BaseException as exc:
            status, reason, detail = "failed", "Ett oväntat fel stoppade körningen; felet finns i driftens logg", technical_detail(exc)
            log.exception("run.crashed")
            raise
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            if self._run_lost:
                status = "interrupted"
            counts, reason = self._finish(status, reason, report)
            ended = datetime.now(UTC)
            log.info("run.finished", status=status, counts=counts, seconds=round((ended - started).total_seconds(), 2))
            structlog.contextvars.unbind_contextvars("run_id", "robot")
            detach(handler)
        return RunSummary(
            id=self.run_id,
            robot=self.name,
            status=status,
            reason=reason,
            counts=counts,
            started_at=started,
            ended_at=ended,
            dry_run=self.dry_run,
            fetched=dict(fetched),
            resumed=pending,
            report=report,
            stop_cause=self._stop_cause if status == "interrupted" else None,
            detail=detail,
        )

    def _finish(
        self, status: str, reason: str | None, report: dict[str, Any] | None
    ) -> tuple[dict[str, int], str | None]:
        try:
            left = self.ledger.pending_count(self.name)
            if left and reason is not None:
                reason = f"{reason}; {count(left, 'ärende', 'ärenden', space=' ')} ligger kvar till nästa körning"
            cause = self._stop_cause if status == "interrupted" else None
            return self.ledger.finish_run(self.run_id, status, reason, report, owner=self.owner, stop_cause=cause), reason
        except LeaseLost:
            log.error("run.taken_over_not_finished")  # the process that took it over closed it
            return self.ledger.run_counts(self.run_id), reason
        except SQLAlchemyError:
            log.error("run.finish_not_recorded")
            return {}, reason

    def _check_browser_version(self, browser: Browser) -> None:
        major = major_version(browser.version)
        if abs(major - PAIRED_MAJOR) > 3:
            log.warning("browser.version_mismatch", version=browser.version, paired_major=PAIRED_MAJOR)

    def worker_context(self, browser: Browser, worker: str) -> WorkerContext:
        """A context for one worker slot (used by `nattskift worker`, which keeps them across runs)."""
        return self._context(browser, worker)

    def _context(self, browser: Browser | None, worker: str) -> WorkerContext:
        fence = (lambda row: self.ledger.renew(row, self.lease_seconds)) if self.ledger.shared else None
        return WorkerContext(
            fence=fence,
            robot=self.robot,
            robot_settings=self.robot_settings,
            config=self.config,
            settings=self.settings,
            run_id=self.run_id,
            dry_run=self.dry_run,
            browser=browser,
            worker=worker,
            artifacts_root=self.settings.data_dir / "artifacts" / self.run_id,
            locks=self.locks,
            observers=self.observers,
        )

    # -- fetch -----------------------------------------------------------------------------------

    async def _fetch(self, browser: Browser) -> Counter[str]:
        """Store every fetched item, in batches, before any is processed. Retried like an item."""
        reprocess = frozenset(self.robot.reprocess_statuses)
        total: Counter[str] = Counter()
        for attempt in range(1, self.config.max_attempts + 1):
            ctx = self._context(browser, FETCH_WORKER)
            batch: list[WorkItem] = []
            try:
                try:
                    async for item in self.robot.fetch(ctx):
                        batch.append(stored_item(type(self.robot), item))
                        if len(batch) >= 500:
                            total.update(self.ledger.add_items(self.name, self.run_id, batch, reprocess))
                            self.progress("fetched", count=sum(total.values()))
                            batch = []
                except PageChangedError as exc:
                    raise await _unmask(ctx, exc) from None
                total.update(self.ledger.add_items(self.name, self.run_id, batch, reprocess))
                self.progress("fetched", count=sum(total.values()), done=True, new=total["new"] + total["requeued"])
                log.info("fetch.done", **total)
                return total
            except StopRun as exc:
                total.update(self.ledger.add_items(self.name, self.run_id, batch, reprocess))
                log.error("run.stopped_by_robot", **log_fields(exc, self.settings.systems))
                self.request_stop(exc.message_sv, stop_cause(exc))
                return total
            except (SQLAlchemyError, SettingsError):
                raise
            except RobotDataError as exc:  # a bug in the robot: trying again would fail the same way
                total.update(self.ledger.add_items(self.name, self.run_id, batch, reprocess))
                log.error("fetch.robot_data_error", error=str(exc))
                raise _FetchFailed(
                    "Roboten lämnade ett ärende som inte går att spara (ett fel i roboten, se driftens logg). "
                    "Inga ärenden har gått förlorade; nästa körning försöker igen", str(exc)
                ) from None
            except Exception as exc:
                total.update(self.ledger.add_items(self.name, self.run_id, batch, reprocess))
                log.warning("fetch.failed", attempt=attempt, **log_fields(exc, self.settings.systems))
                if attempt == self.config.max_attempts:
                    raise _FetchFailed(
                        fetch_failed_reason(exc, self.settings.systems, attempt), technical_detail(exc)
                    ) from None
                await self._sleep(self.config.retry_backoff_seconds * 2 ** (attempt - 1))
                if self._stopping():
                    return total
            finally:
                await ctx.close()
        return total

    # -- process ---------------------------------------------------------------------------------

    async def _process_all(self, browser: Browser) -> None:
        workers = [self._context(browser, f"w{i + 1}") for i in range(self.concurrency)]
        tasks = [asyncio.create_task(self._worker(w)) for w in workers]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:  # one worker cannot record: the others must not go on working unrecorded
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            await asyncio.gather(*(w.close() for w in workers), return_exceptions=True)

    async def _worker(self, wctx: WorkerContext) -> None:
        claimant = f"{self.owner}:{wctx.worker}"
        while not self._stopping():
            if self.limit is not None and self._claimed >= self.limit:
                return
            row = self.ledger.claim_next(self.name, self.run_id, claimant, dry_run=self.dry_run,
                                         lease_seconds=self.lease_seconds)
            if row is None:
                if not await self._wait_for_others():
                    return
                continue
            self._claimed += 1
            status = await self.work_item(wctx, row)
            if status is not None:
                self.progress("item", status=status.value)

    async def _dispatch(self, browser: Browser) -> None:
        """Queue mode: a procrastinate job per unfinished item, worked by `nattskift worker` processes (and,
        with `workers.local`, by this process too); returns when every item of the run is done or the run
        stopped and its items in flight have finished."""
        # Imported here, not at the top: procrastinate and psycopg are needed in queue mode only (start-up
        # time of every other run); there is no import cycle behind it (tests/architecture).
        from runner.workers.dispatch import dispatch

        await dispatch(self, browser)

    async def _wait_for_others(self) -> bool:
        """Nothing claimable, but another process holds items of this robot (PostgreSQL): wait until the
        first of their leases could run out, so a dead holder's items are taken over, not stranded.
        False when nothing is held elsewhere (the work is done)."""
        if not self.ledger.shared or self.dry_run:
            return False
        until = self.ledger.held_elsewhere(self.name, self.owner)
        if until is None:
            return False
        log.info("run.waiting_for_other_workers")
        await self._sleep(min(self.lease_seconds / 3, max(0.1, (until - datetime.now(UTC)).total_seconds() + 0.1)))
        return True

    def adopt_run(self, run_id: str) -> bool:
        """In a worker: take on the run a job belongs to (its dry-run flag, deadline and stop state). False
        when that run is over or was asked to stop: the job then leaves its item for the next run."""
        run = self.ledger.get_run(run_id)
        if run is None or run.status != "running" or run.stop_reason:
            return False
        if run_id != self.run_id:
            self.run_id, self.dry_run, self.deadline = run_id, run.dry_run, run.deadline
            self._stop_reason, self._consecutive_failures = None, 0
        return not self._stopping()

    async def work_item(self, wctx: WorkerContext, row: Item) -> Status | None:
        """Process one claimed item under its lease; a lease found taken over drops it unrecorded (the
        worker that took it over reads back and does it)."""
        with structlog.contextvars.bound_contextvars(item_key=row.key):
            wctx.begin_item(self.ledger, row)
            self.observers.item_started(wctx.worker, row.key)
            self._holding.add(wctx)
            task = asyncio.create_task(self._process_item(wctx, row))
            self._item_tasks[wctx.worker] = task
            status: Status | None = None
            try:
                status = await task
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if not wctx.lease_lost or (current is not None and current.cancelling()):
                    raise
                await wctx.discard_attempt()
                await wctx.reset_browser()
            except LeaseLost:
                log.warning("item.dropped_lease_lost")
                await wctx.discard_attempt()
                await wctx.reset_browser()
            finally:
                self._holding.discard(wctx)
                self._item_tasks.pop(wctx.worker, None)
                wctx.end_item()
                self.observers.item_finished(wctx.worker, row.key, status)
            await wctx.refresh_if_due()
        return status

    async def _process_item(self, wctx: WorkerContext, row: Item) -> Status | None:
        assert wctx.item is not None
        attempts = row.attempts
        while True:
            # Only the last allowed attempt can leave a trace behind (earlier failures are retried and
            # their traces discarded), so only that one is traced.
            await wctx.start_attempt(f"{row.key} försök {attempts + 1}", traced=attempts + 1 >= self.config.max_attempts)
            try:
                try:
                    item = wctx.item = parsed_item(type(self.robot), row.key, row.title, row.data)
                    outcome = await self.robot.process(wctx, item)
                except PageChangedError as exc:
                    raise await _unmask(wctx, exc) from None
                if not isinstance(outcome, Outcome):
                    raise TypeError(f"process() returned {type(outcome).__name__}, not Outcome")
                checked_outcome(self.name, outcome)
            except BusinessError as exc:
                await wctx.discard_attempt()
                self._consecutive_failures = 0
                self._record(row, exc.to_outcome())
                log.info("item.needs_attention", code=exc.code)
                return Status.needs_attention
            except LeaseLost:
                raise
            except StopRun as exc:
                await wctx.discard_attempt()
                self.ledger.release(row)
                log.error("run.stopped_by_robot", **log_fields(exc, self.settings.systems))
                self.request_stop(exc.message_sv, stop_cause(exc))
                return None
            except (SQLAlchemyError, SettingsError, asyncio.CancelledError):
                raise
            except RobotDataError as exc:  # a bug in the robot: another attempt would fail the same way
                if wctx.lease_lost:
                    raise LeaseLost(f"item {row.id} was taken over") from None
                self.ledger.count_attempt(row)
                await wctx.discard_attempt()
                await wctx.reset_browser()
                # Not counted towards the breaker: a robot's bug says nothing about the systems being down.
                self._record(row, self._robot_bug_outcome(), error=technical_detail(exc))
                log.error("item.robot_data_error", error=technical_detail(exc))
                return Status.failed
            except Exception as exc:
                if wctx.lease_lost:  # the fence stopped a write: this worker no longer holds the item
                    raise LeaseLost(f"item {row.id} was taken over") from None
                attempts = self.ledger.count_attempt(row)
                self._consecutive_failures += 1
                log.warning("item.attempt_failed", attempt=attempts, **log_fields(exc, self.settings.systems))
                if self._consecutive_failures >= self.config.circuit_breaker:
                    await wctx.discard_attempt()
                    await wctx.reset_browser()
                    self.ledger.release(row)
                    self.request_stop(
                        f"Systemet verkar nere: {self._consecutive_failures} tekniska fel i rad, körningen stoppades",
                        "system_down",
                    )
                    return None
                if attempts >= self.config.max_attempts:
                    files = await wctx.keep_failure_evidence(f"forsok-{attempts}")
                    await wctx.reset_browser()
                    self._record(row, self._failed_outcome(exc), files=files, error=technical_detail(exc))
                    log.error("item.failed", attempts=attempts, **log_fields(exc, self.settings.systems))
                    return Status.failed
                await wctx.discard_attempt()
                await wctx.reset_browser()
                await self._sleep(self.config.retry_backoff_seconds * 2 ** (attempts - 1))
                if self._stopping():
                    self.ledger.release(row)
                    return None
                continue
            await wctx.discard_attempt()
            if wctx.lease_lost:
                raise LeaseLost(f"item {row.id} was taken over")
            self._consecutive_failures = 0
            self._record(row, outcome)
            log.info("item.done", status=outcome.status.value)
            return outcome.status

    def _failed_outcome(self, exc: BaseException) -> Outcome:
        """Swedish guidance for the caseworker; the technical detail goes to the item's `error`."""
        retried = Status.failed in self.robot.reprocess_statuses
        return Outcome(status=Status.failed, summary=failed_case_summary(exc, self.settings.systems, retried_next_run=retried))

    def _robot_bug_outcome(self) -> Outcome:
        """A case the robot finished but handed back data it cannot keep: a bug for the robot's developers."""
        again = ("Roboten försöker igen med ärendet vid nästa körning." if Status.failed in self.robot.reprocess_statuses
                 else "Roboten tar inte upp ärendet igen av sig själv.")
        return Outcome(status=Status.failed, summary=(
            "Roboten kunde inte spara resultatet av ärendet på grund av ett fel i roboten (se driftens logg). "
            f"{again} Behöver ärendet hanteras innan dess kan du handlägga det som vanligt."))

    def _record(self, row: Item, outcome: Outcome, *, files: list[Path] = (), error: str | None = None) -> None:  # type: ignore[assignment]
        rel = [str(p.relative_to(self.settings.data_dir)) for p in files]
        if self.dry_run:  # the framework marks a dry run's outcomes; no robot copies the flag itself
            outcome = outcome.model_copy(update={"data": {**outcome.data, "dry_run": True}})
        self.ledger.record_outcome(row, self.run_id, outcome, dry_run=self.dry_run, artifacts=rel, error=error)

    # -- report ----------------------------------------------------------------------------------

    async def _report(self, browser: Browser) -> dict[str, Any] | None:
        ctx = self._context(browser, "report")
        run = RunReport(
            run_id=self.run_id,
            robot=self.name,
            dry_run=self.dry_run,
            counts=self.ledger.run_counts(self.run_id),
            outcomes=lambda: self.ledger.iter_run_outcomes(self.run_id),
        )
        try:
            report = await self.robot.report(ctx, run)
            return report.model_dump(mode="json") if isinstance(report, Report) else report
        except Exception as exc:
            log.error("report.failed", **log_fields(exc, self.settings.systems))
            return {"fel": "Robotens sammanställning av natten kunde inte göras; ärendena finns ändå i listan"}
        finally:
            await ctx.close()


class _FetchFailed(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def stop_cause(exc: StopRun) -> str:
    """Why a robot's StopRun stopped the run, for the exit code of `nattskift run`."""
    if isinstance(exc, LoginFailedError):
        return "login_refused"
    if isinstance(exc, PageChangedError):
        return "page_changed"
    return "robot"


def _check_systems_configured(settings: Settings, robot_cls: type[Robot]) -> None:
    """Stop before the browser starts when a system the robot works in has no `[systems.<name>]`:
    nothing would work, and retrying would only hide the cause."""
    missing = [s for s in robot_cls.systems if s not in settings.systems]
    if missing:
        tables = ", ".join(f"[systems.{s}]" for s in missing)
        where = settings.config_file or "the settings"
        raise SettingsError(
            f"setting 'systems.{missing[0]}' is missing: robot {robot_cls.name} works in {', '.join(robot_cls.systems)}; "
            f"add {tables} with url, username and password to {where} "
            "(`nattskift fixtures serve --write-config FILE` writes one for the stand-in systems)"
        )


async def _unmask(ctx: WorkerContext, exc: PageChangedError) -> Exception:
    """A "changed page" that is really the login form or a server error page, as technical errors.

    A form sent just as the session expired lands on the login page, and a form answered 500 lands on an
    error page; a robot that checks its elements reads either as a changed screen. Both are technical
    errors of the step, not a reason to stop the night: the next attempt logs in again and reads back
    before it writes.
    """
    why = await ctx.interrupted_page() if exc.page != LOGIN_PAGE else None
    if why == "login":
        return SessionExpiredError(f"the session in {exc.system} expired during the step")
    if why == "5xx":
        return SystemUnavailableError(f"{exc.system} answered a server error during the step")
    return exc
