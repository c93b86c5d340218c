"""What operations may do with the night, one implementation for the Drift page and the CLI.

Each action is audited (who, when, through which door) and refused with a Swedish reason when it cannot
be done; a refusal is audited too. The ledger carries every action, so an action works whichever process
runs the robot:

- run now: a manual run, the same run `nattskift run` starts (only where a scheduler runs in this
  process: it owns the run's thread and stops it gracefully on shutdown);
- pause / resume: `robot_controls` in the ledger (runner.control.pausing); resuming catches up the
  latest night missed while paused only when asked;
- stop: the run's `stop_reason` in the ledger; the engine that runs it reads it with its lease heartbeat
  and stops as for a signal (items in flight finish, the rest stay `new` for the next run);
- retry: the run's failed items are queued again; they go first in the next run (started at once when
  this process can).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, sessionmaker

from runner.api import Status
from runner.ledger.models import AuditEntry, Item, Outcome, Run
from runner.ledger.repo import Ledger
from runner.control.pausing import control_of, set_paused
from runner.control.presence import HasPresence, RunningScheduler
from runner.settings import Settings
from runner.web.format import run_status_label



class Refused(Exception):
    """The action cannot be done; `reason` says why, in Swedish, for the person who asked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Operator:
    """Who acts: a web user ("drift") or a shell user ("cli:root"), and through which door."""

    username: str
    via: str  # "web" | "cli"


@dataclass(frozen=True)
class Retried:
    items: int
    run_id: str | None  # the run started for them at once, if any
    running: str | None  # the robot's running run that takes them, if any


class Control:
    """The actions over one ledger. `scheduler` is the process's (the web app's): a
    RunningScheduler can start runs; anything else (or None) cannot. `robots` names the known robots."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], *, robots: Callable[[], Iterable[str]],
                 scheduler: HasPresence | None = None, clock: Callable[[], datetime] | None = None) -> None:
        self.settings = settings
        self.sessions = sessions
        self.ledger = Ledger(sessions)
        self.robots = robots
        self.scheduler = scheduler
        self.clock = clock or (lambda: datetime.now(UTC))

    # -- the audit log -----------------------------------------------------------------------------

    def audit(self, who: Operator, action: str, target: str, **detail: Any) -> None:
        with self.sessions.begin() as s:
            s.add(AuditEntry(at=self.clock(), username=who.username, action=action, target=target[:255],
                             detail={"via": who.via, **detail}))

    def refuse(self, who: Operator, action: str, target: str, reason: str) -> Refused:
        self.audit(who, "control_refused", target, refused=action, reason=reason)
        return Refused(reason)

    # -- the actions -------------------------------------------------------------------------------

    def run_now(self, who: Operator, robot: str, *, dry_run: bool = False, limit: int | None = None) -> str | None:
        """Start a manual run of `robot` here; its run id (None: still starting)."""
        from runner.engine import AlreadyRunning  # here, for start-up time: the engine brings Playwright

        target = f"robot:{robot}"
        self._known(who, "run_now", robot)
        if not self.settings.robot_config(robot).enabled:
            raise self.refuse(who, "run_now", target, f"{robot} är avstängd i inställningarna "
                              f"(robots.{robot}.enabled = false) och kan inte köras.")
        scheduler = self.scheduler
        presence = scheduler.presence() if scheduler is not None else None
        if not isinstance(scheduler, RunningScheduler) or presence is None or not presence.here:
            raise self.refuse(who, "run_now", target, no_scheduler_here(robot))
        if presence.stopping:
            raise self.refuse(who, "run_now", target, "Schemaläggaren håller på att stängas av; inga nya körningar startas.")
        running = self.ledger.running_run(robot)
        if running is not None:
            raise self.refuse(who, "run_now", target, self._already_running(robot, running))
        try:
            run_id = scheduler.run_now(robot, dry_run=dry_run, limit=limit)
        except AlreadyRunning as busy:
            raise self.refuse(who, "run_now", target, self._already_running(robot, busy.run)) from None
        self.audit(who, "control_run_now", target, run_id=run_id, dry_run=dry_run, limit=limit)
        return run_id

    def pause(self, who: Operator, robot: str) -> None:
        target = f"robot:{robot}"
        self._known(who, "pause", robot)
        row = control_of(self.sessions, robot)
        if row is not None and row.paused:
            raise self.refuse(who, "pause", target, f"{robot} är redan pausad sedan "
                              f"{self._local(row.changed_at)} (av {row.changed_by}).")
        set_paused(self.sessions, robot, True, who.username, self.clock())
        self.audit(who, "control_pause", target)

    def resume(self, who: Operator, robot: str, *, catch_up: bool = False) -> datetime | None:
        """Resume `robot`; with `catch_up`, also run the latest night missed while paused (if still within
        its grace time). Returns that night's time, or None."""
        target = f"robot:{robot}"
        self._known(who, "resume", robot)
        row = control_of(self.sessions, robot)
        if row is None or not row.paused:
            raise self.refuse(who, "resume", target, f"{robot} är inte pausad.")
        if catch_up and not isinstance(self.scheduler, RunningScheduler):
            raise self.refuse(who, "resume", target, "Missade körningar kan bara tas igen där schemaläggaren körs i "
                              "samma process (`nattskift serve`). Återuppta utan att ta igen, eller kör "
                              f"`nattskift run {robot}` på servern.")
        paused_at = row.changed_at
        set_paused(self.sessions, robot, False, who.username, self.clock())
        night = None
        if catch_up and isinstance(self.scheduler, RunningScheduler):
            night = self.scheduler.catch_up_paused(robot, paused_at)
        self.audit(who, "control_resume", target, catch_up=catch_up,
                   caught_up=night.isoformat() if night is not None else None)
        return night

    def stop(self, who: Operator, run_id: str) -> Run:
        """Ask the running run to stop gracefully; returns the run as it was."""
        run, target = self._run(who, "stop", run_id)
        if run.status != "running":
            raise self.refuse(who, "stop", target, f"Körningen pågår inte längre (status: {run_status_label(run.status)}).")
        if run.stop_reason:
            raise self.refuse(who, "stop", target, f"Körningen har redan ombetts att stoppa: {run.stop_reason}")
        self.ledger.request_run_stop(run.id, f"Körningen stoppades av driften ({who.username})")
        self.audit(who, "control_stop", target, robot=run.robot)
        return run

    def retry_failed(self, who: Operator, run_id: str) -> Retried:
        """Queue the run's failed items again (those still failed: not done since by a later run)."""
        run, target = self._run(who, "retry", run_id)
        if run.dry_run:
            raise self.refuse(who, "retry", target, "En provkörning skriver inget; starta en ny körning i stället.")
        with self.sessions.begin() as s:
            failed_here = exists().where(Outcome.item_id == Item.id, Outcome.run_id == run.id,
                                         Outcome.status == Status.failed.value)
            count = s.execute(
                update(Item).where(Item.robot == run.robot, Item.state == "done", Item.status == Status.failed.value,
                                   failed_here)
                .values(state="new", attempts=0, claimed_by=None, claimed_at=None, lease=None, lease_until=None,
                        updated_at=datetime.now(UTC))
            ).rowcount or 0
        if not count:
            raise self.refuse(who, "retry", target, "Körningen har inga misslyckade ärenden kvar att försöka igen.")
        running = self.ledger.running_run(run.robot)
        started = None
        if running is None and isinstance(self.scheduler, RunningScheduler) and self.settings.robot_config(run.robot).enabled:
            try:
                started = self.scheduler.run_now(run.robot)
            except Exception:  # the items stay queued for the next run; said on the page
                started = None
        self.audit(who, "control_retry", target, robot=run.robot, items=count, run_id=started)
        return Retried(count, started, running.id if running is not None else None)

    # -- helpers -----------------------------------------------------------------------------------

    def _run(self, who: Operator, action: str, run_id: str) -> tuple[Run, str]:
        """The run and its audit target; refused when there is no such run."""
        run = self.ledger.get_run(run_id)
        target = f"run:{run_id}"[:255]
        if run is None:
            raise self.refuse(who, action, target, f"Det finns ingen körning {run_id}.")
        return run, target

    def _known(self, who: Operator, action: str, robot: str) -> None:
        names = set(self.robots())
        with self.sessions() as s:
            names |= set(s.scalars(select(Run.robot).distinct()))
        if robot not in names:
            raise self.refuse(who, action, f"robot:{robot}"[:255], f"Det finns ingen robot som heter {robot}.")

    def _already_running(self, robot: str, run: Run | None) -> str:
        if run is None:
            return f"{robot} startade just en annan körning. Försök igen om en stund."
        return (f"{robot} kör redan (körning {run.id}, startad {self._local(run.started_at)}). "
                "Vänta tills den är klar eller stoppa den först.")

    def _local(self, at: datetime) -> str:
        return at.astimezone(self.settings.tz).strftime("%Y-%m-%d %H:%M")


def no_scheduler_here(robot: str) -> str:
    return ("Ingen schemaläggare körs i webbappens process, så körningen kan inte startas härifrån. "
            f"Kör `nattskift run {robot}` på servern, eller kör webbappen med `nattskift serve`.")
