"""Swedish working days and the deadline rule of Lag (1930:173) om beräkning av lagstadgad tid.

A deadline that falls on a Saturday, a Sunday, an allmän helgdag, midsommarafton, julafton or nyårsafton
may be met on the next weekday. The days off are the framework's (`runner.scheduler.calendars`, which
pins the `holidays` package and spells out its arguments: older releases listed every Sunday as a holiday
and kept the three eves in PUBLIC).
"""

from __future__ import annotations

from datetime import date, timedelta

from runner.scheduler.calendars import swedish_holidays


def holiday_name(day: date) -> str | None:
    """Swedish name of the public holiday or de-facto holiday (julafton …) on `day`, else None."""
    return swedish_holidays(day.year).get(day)


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
