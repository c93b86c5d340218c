"""Which days a robot runs on: `every_day` or Swedish `working_days`, minus extra closed dates.

Working days are Monday to Friday except the public holidays (allmänna helgdagar, SFS 1989:253) and the
three de-facto holidays midsommarafton, julafton and nyårsafton. The `holidays` package is pinned and
called with every argument spelled out, because its defaults have changed between releases (Sundays
used to be listed as holidays; the three eves moved from PUBLIC to DE_FACTO around 0.88).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from runner.settings import SettingsError

CALENDARS: tuple[str, ...] = ("every_day", "working_days")


@lru_cache(maxsize=64)
def swedish_holidays(year: int) -> dict[date, str]:
    """Swedish public and de-facto holidays of `year`, with their Swedish names (the robots' red days too)."""
    # Imported here, not at the top, for start-up time: `holidays` costs about 0.2 s of CPU (it loads its
    # Hebrew and other calendars), and `nattskift list` imports every robot that checks a date; only the
    # check itself needs it.
    import holidays
    from holidays.constants import DE_FACTO, PUBLIC

    cal = holidays.country_holidays(
        "SE", years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv"
    )
    return dict(cal.items())


def is_swedish_working_day(day: date) -> bool:
    """Monday–Friday and not a public holiday, midsommarafton, julafton or nyårsafton."""
    return day.weekday() < 5 and day not in swedish_holidays(day.year)


def parse_closed_dates(values: Iterable[str], robot: str = "") -> frozenset[date]:
    """`closed_dates` from the settings as dates; a bad one stops start-up naming the key."""
    out: set[date] = set()
    for value in values:
        try:
            out.add(date.fromisoformat(str(value).strip()))
        except ValueError:
            key = f"robots.{robot}.closed_dates" if robot else "closed_dates"
            raise SettingsError(f"setting '{key}': {value!r} is not a date (use YYYY-MM-DD)") from None
    return frozenset(out)


def is_open(day: date, calendar: str, closed: frozenset[date] | set[date] = frozenset()) -> bool:
    """Does a robot with this calendar run on `day` (the local date of the fire time)?"""
    if day in closed:
        return False
    if calendar == "every_day":
        return True
    if calendar == "working_days":
        return is_swedish_working_day(day)
    raise ValueError(f"unknown calendar {calendar!r} (allowed: {', '.join(CALENDARS)})")


def closed_reason(day: date, calendar: str, closed: frozenset[date] | set[date] = frozenset()) -> str | None:
    """Why `day` is closed, in Swedish (for logs and the schedule listing); None when it is open."""
    if day in closed:
        return "stängd dag enligt inställningarna"
    if calendar == "working_days":
        name = swedish_holidays(day.year).get(day)
        if name:
            return name
        if day.weekday() >= 5:
            return "helg"
    return None
