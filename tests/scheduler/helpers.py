"""Helpers for the scheduler's tests: a fake engine, a scheduler driven by a controllable clock, ledger reads."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import select

from runner.engine.core import RunSummary
from runner.ledger.db import open_database
from runner.ledger.models import Run
from runner.ledger.repo import Ledger
from runner.scheduler.service import GatedProcessing, NightScheduler
from runner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ROBOT_DIR = ROOT / "tests" / "support" / "robots"
NATTSKIFT = str(Path(sys.executable).parent / "nattskift")
SE = ZoneInfo("Europe/Stockholm")


def local(*args: int) -> datetime:
    """An aware Stockholm time: local(2026, 11, 21, 1, 30)."""
    return datetime(*args, tzinfo=SE)  # type: ignore[misc]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FakeEngine:
    """Stands in for runner.engine.run_robot: writes a real run row (so duplicate checks see it)."""

    status: str = "completed"
    reason: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    raises: BaseException | None = None

    def __call__(self, settings: Settings, robot: str, **kw: Any) -> RunSummary:
        self.calls.append({"robot": robot, **kw})
        if self.raises is not None:
            raise self.raises
        ledger = Ledger(open_database(settings.database_url())[1])
        run_id = ledger.start_run(robot, trigger=kw["trigger"], scheduled_for=kw["scheduled_for"], deadline=kw["deadline"])
        counts = ledger.finish_run(run_id, self.status, self.reason)
        now = datetime.now(UTC)
        return RunSummary(id=run_id, robot=robot, status=self.status, reason=self.reason, counts=counts,
                          started_at=now, ended_at=now, dry_run=False)

    @property
    def fired(self) -> list[datetime]:
        return [c["scheduled_for"] for c in self.calls]


class ManualScheduler(GatedProcessing, BaseScheduler):
    """APScheduler's real job processing (behind the leader gate), but only when the test calls `tick()`."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def tick(self) -> None:
        self._process_jobs()


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Driven:
    """A started NightScheduler whose time only moves when the test says so."""

    service: NightScheduler
    clock: Clock

    @property
    def scheduler(self) -> ManualScheduler:
        return self.service.scheduler  # type: ignore[return-value]

    def job(self) -> Any:
        return self.scheduler.get_job("robot:tiny")

    def run_until(self, until: datetime) -> None:
        """Jump from fire time to fire time up to `until`, letting APScheduler process each, as its own
        loop does (it sleeps until the next run time)."""
        while True:
            times = [j.next_run_time for j in self.scheduler.get_jobs() if j.next_run_time is not None]
            nxt = min(times) if times else None
            if nxt is None or nxt > until:
                self.clock.now = max(self.clock.now, until)
                self.scheduler.tick()
                return
            self.clock.now = max(self.clock.now, nxt)
            self.scheduler.tick()

    def tick(self) -> None:
        self.scheduler.tick()


def runs(settings: Settings, status: str | None = None) -> list[Run]:
    _, sessions = open_database(settings.database_url())
    with sessions() as s:
        q = select(Run).order_by(Run.scheduled_for, Run.started_at)
        if status:
            q = q.where(Run.status == status)
        return list(s.scalars(q))


def utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC)
