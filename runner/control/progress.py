"""A running run's progress from the ledger: items done and left, the rate, and the expected end.

Read from the ledger, not from the process that runs it, so the Drift page shows the same figures for a
run started by the scheduler, from the page, or from a shell, on this machine or another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from runner.ledger.models import Item, Outcome, Run
from runner.ledger.repo import not_reached_filter


@dataclass(frozen=True)
class RunProgress:
    done: int  # items the run has recorded an outcome for
    left: int  # items it fetched or took over and has not finished (the fetch may still add more)
    per_minute: float | None  # items done per minute since the run started; None before the first
    expected_end: datetime | None  # now + left at that rate; None while it cannot be told

    @property
    def total(self) -> int:
        return self.done + self.left


def run_progress(s: Session, run: Run, now: datetime) -> RunProgress:
    done = s.scalar(select(func.count()).select_from(Outcome).where(Outcome.run_id == run.id)) or 0
    left = s.scalar(select(func.count()).select_from(Item).where(*not_reached_filter(run.id))) or 0
    minutes = (now - run.started_at).total_seconds() / 60
    rate = done / minutes if done and minutes > 0 else None
    end = now + timedelta(minutes=left / rate) if rate and left else (now if rate and not left else None)
    return RunProgress(done=done, left=left, per_minute=rate, expected_end=end)
