"""Date ranges: does the employment cover the schedule, does it overlap another, does it start soon?

All periods are inclusive at both ends; an open end ("tills vidare") runs for ever.
"""

from __future__ import annotations

from datetime import date

from robots.harry.model import Period

FOREVER = date.max


def _end(p: Period) -> date:
    return p.end or FOREVER


def overlaps(a: Period, b: Period) -> bool:
    """Two inclusive ranges share at least one day."""
    return a.start <= _end(b) and b.start <= _end(a)


def covers(outer: Period, inner: Period) -> bool:
    """Every day of `inner` lies in `outer` (an open-ended inner needs an open-ended outer)."""
    return outer.start <= inner.start and _end(inner) <= _end(outer)


def days_until(start: date, today: date) -> int:
    """Whole days from today to the start: 0 = starts today, negative = already started."""
    return (start - today).days


def is_late_change(start: date, today: date, late_change_days: int) -> bool:
    """Starts within `late_change_days` days (HÖK: förskjuten arbetstid is paid for changes within 10 days).

    Starting today + 9 is late; today + 10 is not. A start in the past (retroactive) is late too.
    """
    return days_until(start, today) < late_change_days
