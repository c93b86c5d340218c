"""HaRry's rules as pure functions: hours, working time, periods. No I/O; tested by hand-worked cases."""

from robots.harry.rules.hours import HoursCheck, average_weekly_hours, check_hours, hours_finding, required_weekly_hours
from robots.harry.rules.periods import covers, days_until, is_late_change, overlaps
from robots.harry.rules.working_time import Limits, working_time_findings

__all__ = [
    "HoursCheck",
    "Limits",
    "average_weekly_hours",
    "check_hours",
    "covers",
    "days_until",
    "hours_finding",
    "is_late_change",
    "overlaps",
    "required_weekly_hours",
    "working_time_findings",
]
