"""Pure time arithmetic of the night: which fire times were missed, and when a run must be done by.

Kept free of the scheduler and the database so that tests can hand it any "now" they like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

#: At most this many missed fire times are listed one by one (an hourly job down for a month would
#: otherwise write 700 rows); the rest are counted in the log and the e-mail.
MAX_LISTED_MISSES = 100


class Trigger(Protocol):
    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None: ...


@dataclass
class CatchUp:
    """What to do with the fire times that fell due while nobody was looking."""

    missed: list[datetime] = field(default_factory=list)  # past the grace time: recorded as missed
    run: datetime | None = None  # the one fire time to run now (several within grace coalesce into it)
    unlisted: int = 0  # missed fire times beyond MAX_LISTED_MISSES


def due_fire_times(trigger: Trigger, first_due: datetime, until: datetime, limit: int = 10_000) -> list[datetime]:
    """Every fire time from `first_due` (the job's stored next run time) up to and including `until`."""
    out: list[datetime] = []
    t: datetime | None = first_due
    while t is not None and t <= until and len(out) < limit:
        out.append(t)
        t = trigger.get_next_fire_time(t, t)
    return out


def catch_up(trigger: Trigger, first_due: datetime, now: datetime, grace: timedelta) -> CatchUp:
    """Split the due fire times: the latest within `grace` runs (once); older ones past grace are missed.

    Fire times within grace that are not the latest are covered by the coalesced run, not missed: the
    run that starts does the work all of them would have done.
    """
    due = due_fire_times(trigger, first_due, now)
    if not due:
        return CatchUp()
    latest = due[-1]
    run = latest if now - latest <= grace else None
    missed = [t for t in due if t is not run and now - t > grace]
    listed = missed[-MAX_LISTED_MISSES:]
    return CatchUp(missed=listed, run=run, unlisted=len(missed) - len(listed))


def deadline_for(scheduled_for: datetime, deadline: time | None, tz: ZoneInfo) -> datetime | None:
    """The first local `deadline` (e.g. 06:30) after the fire time: a 01:30 run must be done by 06:30 the
    same morning, a 23:00 run by 06:30 the next morning. Returned aware, in `tz`."""
    if deadline is None:
        return None
    local = scheduled_for.astimezone(tz)
    day = local.date()
    for offset in (0, 1, 2):
        wall = datetime.combine(day + timedelta(days=offset), deadline)
        candidate = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)  # a time in the spring gap moves on
        if candidate > local:
            return candidate
    raise AssertionError("unreachable: a deadline always falls within two days")
