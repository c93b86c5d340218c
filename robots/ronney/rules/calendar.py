"""Swedish working days and the deadline rule of Lag (1930:173) om beräkning av lagstadgad tid.

A deadline that falls on a Saturday, a Sunday, an allmän helgdag, midsommarafton, julafton or nyårsafton
may be met on the next weekday. The `holidays` package is pinned (0.109) and called with explicit
arguments: older releases listed every Sunday as a holiday and kept the three eves in PUBLIC.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.constants import DE_FACTO, PUBLIC


@lru_cache(maxsize=32)
def _swedish_days_off(year: int) -> holidays.HolidayBase:
    return holidays.Sweden(years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv")


def holiday_name(day: date) -> str | None:
    """Swedish name of the public holiday or de-facto holiday (julafton …) on `day`, else None."""
    return _swedish_days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def why_not_working(day: date) -> str:
    """'lördag', 'söndag' or the holiday's Swedish name ('julafton')."""
    name = holiday_name(day)
    if name:
        return name.lower()
    return "lördag" if day.weekday() == 5 else "söndag"


def effective_due_date(due: date) -> date:
    """The last day a komplettering may arrive: `due`, or the next working day after a day off."""
    return next_working_day_on_or_after(due)
