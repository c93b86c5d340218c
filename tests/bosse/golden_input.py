"""A bemanning scenario as planner input, built straight from the data (no browser).

Used by the tests (the golden night's greedy/solver difference, the demo data) and bench/planner.py;
the robot reads the same through the pages.
"""

from __future__ import annotations

from datetime import date, timedelta

from fixtures.bemanning.models import BemanningData, span
from fixtures.scenario import load_scenario
from robots.bosse.las import Engagement
from robots.bosse.model import TZ, Competence, Period, Shift, Substitute
from robots.bosse.reading import las_figures


def golden_pool_and_shifts(days_ahead: int = 14, name: str = "bosse_golden") -> tuple[list[Shift], list[Substitute]]:
    scenario = load_scenario(name)
    return pool_and_shifts(scenario.sections["bemanning"], scenario.today, days_ahead)


def pool_and_shifts(data: BemanningData, today: date, days_ahead: int = 14) -> tuple[list[Shift], list[Substitute]]:
    """The vacant shifts within `days_ahead` and the pool, as Bosse would read them from the pages."""
    taken = {b.shift: b for b in data.bookings}
    shifts = []
    for s in data.shifts:
        if s.id in taken or not today <= s.date <= today + timedelta(days=days_ahead):
            continue
        a, b = span(s.date, s.start, s.end)
        rast = None
        if s.break_start:
            rast, _ = span(s.date if s.break_start >= s.start else s.date + timedelta(days=1), s.break_start, s.break_start)
        shifts.append(Shift(id=s.id, unit=s.unit, start=a, end=b, competence=Competence(s.competence), skills=frozenset(s.skills),
                            break_minutes=s.break_minutes, break_start=rast.astimezone(TZ) if rast else None))
    pool = []
    this_month = today.strftime("%Y-%m")
    for v in data.substitutes:
        periods = [(span(b.date, b.start, b.end), b.kind) for b in v.bookings]
        for b in data.bookings:
            if b.substitute == v.id:
                s = data.shift(b.shift)
                periods.append((span(s.date, s.start, s.end), b.kind))
        minutes = {this_month: round(v.worked_hours_this_month * 60)}
        for (a, e), kind in periods:
            length = int((e.timestamp() - a.timestamp()) // 60)
            month = a.strftime("%Y-%m")
            minutes[month] = minutes.get(month, 0) + length
        history = tuple(sorted(Engagement(e.start, e.end, e.form) for e in v.employments))
        las_days, las_days_3y, holds = v.las_days, v.las_days_3y, v.foretradesratt
        if history:
            las_days, las_days_3y, holds, _, _ = las_figures(history, today, v.foretradesratt_claimed, v.foretradesratt_declined)
        pool.append(
            Substitute(
                id=v.id,
                competence=Competence(v.competence),
                usk_bevis=v.usk_bevis,
                usk_overgang=v.usk_overgang,
                skills=frozenset(v.skills),
                units=frozenset(v.units),
                availability=tuple(Period(start=a, end=e) for a, e in (span(x.date, x.start, x.end) for x in v.availability)),
                booked=tuple(Period(start=a, end=e) for (a, e), _ in periods),
                month_minutes=minutes,
                hourly=v.hourly,
                las_days=las_days,
                las_days_3y=las_days_3y,
                foretradesratt=holds,
                born=v.birth_date,
                history=history,
            )
        )
    return shifts, pool
