"""The hours rule, on hand-worked schedules (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from robots.harry.rules.fmt import decimal_sv, plain_sv
from robots.harry.rules.hours import average_weekly_hours, check_hours, hours_finding, required_weekly_hours
from tests.harry.helpers import FRI, MON, SAT, SUN, THU, schedule, shift, weekdays


def test_full_time_day_work_gives_40_hours() -> None:
    # Mon–Fri 07:00–16:00 with 60 min rast: (9 h − 1 h) × 5 days = 40 h/week.
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60))
    assert average_weekly_hours(s) == 40.0
    check = check_hours(s, grade_percent=100, full_time_hours=40, tolerance=0.25)
    assert check.ok
    assert hours_finding(check, 1) is None


def test_part_time_80_percent_with_too_many_hours_names_both_figures() -> None:
    # Mon–Thu 07:00–16:00 rast 60: 8 h × 4 = 32 h; plus Fri 07:00–11:00 without rast: 4 h → 36 h/week.
    # Required: 80 % × 40 h = 32 h/week. Off by 4 h > 0,25 h tolerance.
    s = schedule(weekdays(1, range(MON, THU + 1), "07:00", "16:00", 60) + [shift(1, FRI, "07:00", "11:00")])
    check = check_hours(s, grade_percent=80, full_time_hours=40, tolerance=0.25)
    assert check.scheduled == 36.0 and check.required == 32.0
    assert not check.ok
    finding = hours_finding(check, 1)
    assert finding is not None and finding.code == "timmar"
    assert finding.message == "Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka"


def test_teacher_35_hours_of_reglerad_tid() -> None:
    # Mon–Fri 07:30–15:30 rast 60: 7 h × 5 = 35 h; 100 % × 35 h (Bilaga M reglerad tid) = 35 h.
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:30", "15:30", 60))
    assert check_hours(s, 100, 35, 0.25).ok
    # The same schedule against the 40 h day-work measure is 5 h short.
    check = check_hours(s, 100, 40, 0.25)
    assert hours_finding(check, 1).message == "Schemat ger 35,0 h/vecka; 100 % av 40 h kräver 40,0 h/vecka"


def test_two_week_cycle_is_averaged_over_both_weeks() -> None:
    # Week 1: Mon–Fri 08:00–16:00 rast 60 → 7 h × 5 = 35 h.
    # Week 2: Mon–Fri 08:00–13:00 no rast → 5 h × 5 = 25 h.
    # Average (35 + 25) / 2 = 30 h/week = 75 % × 40 h.
    s = schedule(
        weekdays(1, range(MON, FRI + 1), "08:00", "16:00", 60) + weekdays(2, range(MON, FRI + 1), "08:00", "13:00"),
        cycle=2,
    )
    assert average_weekly_hours(s) == 30.0
    assert check_hours(s, 75, 40, 0.25).ok
    # At 80 % (32 h) it is 2 h short, and the message says it is an average over the cycle.
    finding = hours_finding(check_hours(s, 80, 40, 0.25), 2)
    assert finding.message == "Schemat ger 30,0 h/vecka i snitt över 2 veckor; 80 % av 40 h kräver 32,0 h/vecka"


def test_night_pass_over_midnight_counts_its_real_length() -> None:
    # 21:00–07:00 is 10 h (3 h before midnight + 7 h after); rast 30 → 9,5 h of work.
    s = schedule([shift(1, SAT, "21:00", "07:00", 30), shift(1, SUN, "21:00", "07:00", 30)])
    assert s.shifts[0].length_minutes == 600
    assert average_weekly_hours(s) == 19.0  # 9,5 h × 2


@pytest.mark.parametrize(
    ("thursday_end", "friday", "ok"),
    [
        # Mon–Wed 07:00–16:00 rast 60 = 3 × 8 h = 24 h; Thursday and Friday make up the rest.
        ("16:00", ("07:00", "07:15"), True),  # 24 + 8 + 0,25 = 32,25 h: exactly +0,25 → accepted
        ("16:00", ("07:00", "07:16"), False),  # 24 + 8 + 16/60 = 32,27 h: just over
        ("15:45", None, True),  # 24 + 7,75 = 31,75 h: exactly −0,25 → accepted
        ("15:44", None, False),  # 24 + 7 h 44 min = 31,73 h: just under
    ],
)
def test_tolerance_edges(thursday_end: str, friday: tuple[str, str] | None, ok: bool) -> None:
    # Required: 80 % × 40 h = 32 h/week; tolerance 0,25 h = 15 min either way.
    shifts = weekdays(1, [MON, 2, 3], "07:00", "16:00", 60) + [shift(1, THU, "07:00", thursday_end, 60)]
    if friday:
        shifts.append(shift(1, FRI, *friday))
    assert check_hours(schedule(shifts), 80, 40, 0.25).ok is ok


def test_required_hours_for_odd_grades_and_measures() -> None:
    # 62,5 % × 40 h = 25 h; 100 % × 34 h 20 min (night work) = 34,333… h.
    assert required_weekly_hours(62.5, 40) == 25.0
    assert required_weekly_hours(100, 34 + 20 / 60) == pytest.approx(34.3333, abs=1e-3)


def test_swedish_decimal_comma() -> None:
    assert decimal_sv(36) == "36,0"
    assert decimal_sv(32.25) == "32,25"
    assert decimal_sv(34 + 1 / 3) == "34,33"
    assert decimal_sv(7.5) == "7,5"
    assert decimal_sv(0.005) == "0,01"  # rounded half up
    assert plain_sv(40) == "40"
    assert plain_sv(62.5) == "62,5"
    assert plain_sv(38.25) == "38,25"
