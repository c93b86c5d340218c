"""What the Drift page shows of each robot: state, schedule in words, next runs, last runs, the running
run's progress and the circuit breaker. Read from the settings, the scheduler and the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from runner.api import Status
from runner.control.metrics import BREAKER_CAUSE
from runner.control.progress import RunProgress, run_progress
from runner.ledger.models import Item, Outcome, RobotControl, Run
from runner.settings import Settings
from runner.web.format import schedule_in_words
from runner.web.queries import RobotInfo

RECENT_RUNS = 5


@dataclass
class DriftRobot:
    robot: RobotInfo
    enabled: bool
    scheduled: bool  # the scheduler starts its nights: `scheduler.robots` is empty (all) or lists it
    control: RobotControl | None
    schedule: str  # in words: "varje arbetsdag kl. 01:30"
    next_runs: list[datetime] | None  # None: cannot be known here
    breaker_limit: int
    recent: list[Run] = field(default_factory=list)
    running: Run | None = None
    progress: RunProgress | None = None
    breaker_tripped: Run | None = None  # the latest finished run, when the breaker stopped it
    retryable: dict[str, int] = field(default_factory=dict)  # run id -> its failed items still failed

    @property
    def paused(self) -> bool:
        return self.control is not None and self.control.paused


def failed_left(s: Session, run_id: str) -> int:
    """The run's failed items that are still failed (no later run did them since)."""
    failed_here = exists().where(Outcome.item_id == Item.id, Outcome.run_id == run_id,
                                 Outcome.status == Status.failed.value)
    return s.scalar(select(func.count()).select_from(Item).where(
        Item.state == "done", Item.status == Status.failed.value, failed_here)) or 0


def drift_robot(s: Session, settings: Settings, info: RobotInfo, next_runs: list[datetime] | None,
                now: datetime) -> DriftRobot:
    rc = settings.robot_config(info.name)
    row = DriftRobot(
        robot=info, enabled=rc.enabled,
        scheduled=not settings.scheduler.robots or info.name in settings.scheduler.robots, control=s.get(RobotControl, info.name),
        schedule=schedule_in_words(rc.schedule or info.schedule, rc.calendar, len(rc.closed_dates)),
        next_runs=next_runs, breaker_limit=rc.circuit_breaker,
    )
    row.recent = list(s.scalars(select(Run).where(Run.robot == info.name)
                                .order_by(Run.started_at.desc(), Run.id.desc()).limit(RECENT_RUNS)))
    row.running = next((r for r in row.recent if r.status == "running"), None) or s.scalar(
        select(Run).where(Run.robot == info.name, Run.status == "running"))
    if row.running is not None:
        row.progress = run_progress(s, row.running, now)
    finished = next((r for r in row.recent if r.status not in ("running", "missed")), None)
    if finished is not None and finished.stop_cause == BREAKER_CAUSE:
        row.breaker_tripped = finished
    for run in row.recent:
        if run.status != "running" and not run.dry_run and (run.counts or {}).get("failed"):
            n = failed_left(s, run.id)
            if n:
                row.retryable[run.id] = n
    return row
