"""`NightlyTrigger`: a cron trigger that knows the robot's calendar and fires once per wall-clock time.

APScheduler's own CronTrigger (3.11.3) fires a 02:30 job TWICE on the autumn switch day (02:30 CEST and
again at 02:30 CET) and, on the spring switch day, at 02:30+01:00, an instant that reads 03:30 on the clock.
This trigger:

- skips the second occurrence of a repeated local time (fold=1), so a nightly 02:30 runs once on the
  autumn day; a schedule with a wildcard in its minute or hour field ("0 * * * *", "*/15 1-4 * * *") is
  work per elapsed hour and runs in the repeated hour too, which is cron(8)'s rule ("Only jobs that run at
  a particular time (not specified as @hourly, nor with '*' in the hour or minute specifier) are affected");
- moves a local time that does not exist (the spring gap) to the first instant after the gap, 03:00
  CEST, which is what cron(8) does;
- skips fire times whose local date is closed by the robot's calendar, so a closed day is neither run
  nor counted as missed.

It is pickled into the job store, so it keeps only plain values (strings) and rebuilds the rest.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from runner.scheduler.calendars import is_open, parse_closed_dates

#: Candidates further ahead than this are not searched: the trigger never returns None for a schedule
#: that is merely rare (None would make APScheduler delete the job).
SEARCH_YEARS = 8


class NightlyTrigger(BaseTrigger):
    __slots__ = ("cron", "timezone", "calendar", "closed_dates", "_tz", "_cron", "_closed", "_wildcard")

    def __init__(
        self, cron: str, timezone: str = "Europe/Stockholm", calendar: str = "every_day", closed_dates: tuple[str, ...] = ()
    ) -> None:
        self.cron = " ".join(cron.split())
        self.timezone = timezone
        self.calendar = calendar
        self.closed_dates = tuple(sorted({d.isoformat() for d in parse_closed_dates(closed_dates)}))
        self._build()

    def _build(self) -> None:
        self._tz = ZoneInfo(self.timezone)
        self._cron = CronTrigger.from_crontab(self.cron, timezone=self._tz)
        self._closed = frozenset(date.fromisoformat(d) for d in self.closed_dates)
        minute, hour = (self.cron.split() + ["", ""])[:2]
        self._wildcard = "*" in minute or "*" in hour
        is_open(date(2000, 1, 3), self.calendar)  # an unknown calendar fails here, not at 01:30

    # -- APScheduler's interface -------------------------------------------------------------------

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        candidate = self._cron.get_next_fire_time(previous_fire_time, now)
        horizon = (previous_fire_time or now) + timedelta(days=366 * SEARCH_YEARS)
        while candidate is not None and candidate <= horizon:
            fire = self._real_instant(candidate)
            start = previous_fire_time or now
            if self._wildcard and start.astimezone(UTC) < fire.astimezone(UTC):
                # APScheduler walks wall-clock time, so it steps over the repeated hour: find its slots here.
                fire = self._first_repeated_slot(start, fire, inclusive=previous_fire_time is None) or fire
            # (compared in UTC: Python compares two times of one zone by their wall clock, fold ignored)
            after = previous_fire_time is None or fire.astimezone(UTC) > previous_fire_time.astimezone(UTC)
            if after and not self._repeated(fire) and is_open(fire.date(), self.calendar, self._closed):
                # A repeated-hour instant is handed out in UTC, for the same reason: APScheduler compares it
                # with its local "now", and 02:15 (second time) would read as due at 02:15 (first time).
                return fire.astimezone(UTC) if fire.fold else fire
            candidate = self._cron.get_next_fire_time(candidate, candidate)
        return None

    # -- DST ---------------------------------------------------------------------------------------

    def _real_instant(self, candidate: datetime) -> datetime:
        """The instant to fire for a cron match, as a proper local time.

        A wall time inside the spring gap (02:00–03:00 on the last Sunday of March) does not exist;
        it is moved to the end of the gap, so the job runs once, as soon as that time has come.
        """
        wall = candidate.replace(tzinfo=None)
        if _exists(wall, self._tz):
            return candidate.astimezone(self._tz)
        return _gap_end(wall, self._tz)

    @property
    def runs_repeated_hour(self) -> bool:
        """True when the autumn switch's repeated hour is worked again (a wildcard schedule)."""
        return self._wildcard

    def _first_repeated_slot(self, start: datetime, before: datetime, *, inclusive: bool) -> datetime | None:
        """The first minute of the repeated hour (fold=1) after `start` and before `before` that the cron
        matches, or None when no autumn switch lies between them."""
        start_utc, before_utc = start.astimezone(UTC), before.astimezone(UTC)
        if start.astimezone(self._tz).utcoffset() == before.astimezone(self._tz).utcoffset():
            return None
        switch = _offset_change(start_utc, before_utc, self._tz)
        shift = start.astimezone(self._tz).utcoffset() - before.astimezone(self._tz).utcoffset()  # type: ignore[operator]
        if shift <= timedelta(0):  # spring: nothing is repeated
            return None
        minute = switch
        while minute < switch + shift and minute < before_utc:
            if minute > start_utc or (inclusive and minute == start_utc):
                local = minute.astimezone(self._tz)
                wall = local.replace(tzinfo=None)
                match = self._cron.get_next_fire_time(None, wall.replace(tzinfo=self._tz, fold=0) - timedelta(microseconds=1))
                if match is not None and match.replace(tzinfo=None) == wall:
                    return local
            minute += timedelta(minutes=1)
        return None

    def _repeated(self, fire: datetime) -> bool:
        """True for the second occurrence of a local time that the autumn switch repeats, when this
        schedule names its time (a wildcard schedule works the repeated hour: see the module doc)."""
        if fire.fold != 1 or self._wildcard:
            return False
        wall = fire.replace(tzinfo=None)
        return wall.replace(tzinfo=self._tz, fold=0).utcoffset() != wall.replace(tzinfo=self._tz, fold=1).utcoffset()

    # -- identity and pickling ---------------------------------------------------------------------

    def key(self) -> tuple[str, str, str, tuple[str, ...]]:
        return (self.cron, self.timezone, self.calendar, self.closed_dates)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NightlyTrigger) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __getstate__(self) -> dict[str, Any]:
        return {"version": 1, "cron": self.cron, "timezone": self.timezone, "calendar": self.calendar,
                "closed_dates": list(self.closed_dates)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("version", 1) > 1:
            raise ValueError(f"NightlyTrigger state version {state['version']} is newer than this code")
        self.cron = state["cron"]
        self.timezone = state["timezone"]
        self.calendar = state["calendar"]
        self.closed_dates = tuple(state["closed_dates"])
        self._build()

    def describe(self) -> str:
        closed = f", {len(self.closed_dates)} stängda datum" if self.closed_dates else ""
        return f"{self.cron} ({self.timezone}, {self.calendar}{closed})"

    def __str__(self) -> str:
        return f"nightly[{self.describe()}]"

    def __repr__(self) -> str:
        return (f"NightlyTrigger(cron={self.cron!r}, timezone={self.timezone!r}, calendar={self.calendar!r}, "
                f"closed_dates={self.closed_dates!r})")


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    """Does the naive local time `wall` occur in `tz` (it does not in the spring gap)?"""
    back = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back == wall


def _offset_change(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime:
    """The instant, to the minute, where `tz`'s UTC offset changes between UTC instants `lo` and `hi`."""
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return hi.replace(second=0, microsecond=0)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant after the gap that swallows `wall`, as an aware local time (03:00 CEST)."""
    # fold=1 reads the gap with the offset after the switch (an instant before the gap), fold=0 with
    # the offset before it (an instant after the gap); the switch lies between. Find it to the second.
    lo = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) > wall:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0).astimezone(tz)
