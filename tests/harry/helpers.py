"""Small builders so a test's schedule reads like the schedule on paper."""

from __future__ import annotations

from datetime import date

from robots.harry.model import Employment, Period, Schedule, Shift

MON, TUE, WED, THU, FRI, SAT, SUN = range(1, 8)


def shift(week: int, day: int, start: str, end: str, rast: int = 0) -> Shift:
    return Shift(week=week, weekday=day, start=start, end=end, break_minutes=rast)


def weekdays(week: int, days: range | list[int], start: str, end: str, rast: int = 0) -> list[Shift]:
    return [shift(week, d, start, end, rast) for d in days]


def schedule(
    shifts: list[Shift],
    *,
    cycle: int = 1,
    employee: str = "40101",
    start: date = date(2026, 4, 6),
    end: date | None = date(2026, 6, 28),
    version: int = 1,
    schedule_id: str = "S-1",
) -> Schedule:
    return Schedule(
        employee=employee,
        period=Period(start=start, end=end),
        version=version,
        cycle_weeks=cycle,
        shifts=tuple(shifts),
        schedule_id=schedule_id,
    )


def employment(start: date, end: date | None, grade: float = 100, category: str = "barnskotare") -> Employment:
    return Employment(period=Period(start=start, end=end), grade_percent=grade, category=category)
