"""The hours rule: does the schedule give the hours the employment is for?

The cycle's average weekly working time (pass lengths minus rast, summed over the 1–N rolling weeks,
divided by N) must equal sysselsättningsgrad × the full-time measure of the employee's category, within
a tolerance (domain brief §3.4 point 1: e.g. ±0.25 h/week). The full-time measure is 40 h for day work
and 35 h of reglerad arbetstid for teachers (Bilaga M); others as the municipality sets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from runner.api import Finding, Severity

from robots.harry.model import Schedule
from robots.harry.rules.fmt import decimal_sv, plain_sv

HOURS = "timmar"


@dataclass(frozen=True)
class HoursCheck:
    """The figures behind the rule, kept so the report can show the arithmetic."""

    scheduled: float  # h/week, average over the cycle
    required: float  # h/week
    grade_percent: float
    full_time: float
    tolerance: float

    @property
    def difference(self) -> float:
        return self.scheduled - self.required

    @property
    def ok(self) -> bool:
        # A tiny epsilon so that a difference of exactly the tolerance passes despite float rounding.
        return abs(self.difference) <= self.tolerance + 1e-9


def average_weekly_hours(schedule: Schedule) -> float:
    """Working hours per week averaged over the rolling cycle (rast is not working time)."""
    total = sum(s.work_minutes for s in schedule.shifts)
    return total / 60 / schedule.cycle_weeks


def required_weekly_hours(grade_percent: float, full_time_hours: float) -> float:
    """Sysselsättningsgrad × heltidsmått: 80 % of 40 h is 32 h/week."""
    return grade_percent / 100 * full_time_hours


def check_hours(schedule: Schedule, grade_percent: float, full_time_hours: float, tolerance: float) -> HoursCheck:
    return HoursCheck(
        scheduled=average_weekly_hours(schedule),
        required=required_weekly_hours(grade_percent, full_time_hours),
        grade_percent=grade_percent,
        full_time=full_time_hours,
        tolerance=tolerance,
    )


def hours_finding(check: HoursCheck, cycle_weeks: int) -> Finding | None:
    """None when the hours add up; else 'Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka'."""
    if check.ok:
        return None
    average = f" i snitt över {cycle_weeks} veckor" if cycle_weeks > 1 else ""
    message = (
        f"Schemat ger {decimal_sv(check.scheduled)} h/vecka{average}; "
        f"{plain_sv(check.grade_percent)} % av {plain_sv(check.full_time)} h kräver "
        f"{decimal_sv(check.required)} h/vecka"
    )
    return Finding(code=HOURS, message=message, severity=Severity.error)
