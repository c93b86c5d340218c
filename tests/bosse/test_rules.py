"""The hard rules, one by one, against hand-worked cases (the arithmetic is in the comments)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from robots.bosse import rules as R
from robots.bosse.model import Competence, Period
from tests.bosse.helpers import at, period, shift, sub

RULES = R.RuleSet()


# -- competence: undersköterska is a protected title ----------------------------------------------------


def test_usk_shift_needs_bevis():
    s = shift("P1", "2026-03-31 07:00", "16:00", comp="underskoterska")
    trained_no_bevis = sub("V1", competence=Competence.underskoterska, usk_bevis=False)
    assert R.reason_for(trained_no_bevis, s, RULES) == R.COMPETENCE_USK
    assert R.reason_for(sub("V2", usk_bevis=True), s, RULES) is None


def test_transition_right_holds_until_2033_06_30_and_not_a_day_after():
    holder = sub("V1", competence=Competence.underskoterska, usk_bevis=False, usk_overgang=True)
    last_day = shift("P1", "2033-06-30 07:00", "16:00", comp="underskoterska")
    day_after = shift("P2", "2033-07-01 07:00", "16:00", comp="underskoterska")
    avail = (Period(start=at("2033-06-29 00:00"), end=at("2033-07-03 00:00")),)
    holder = holder.model_copy(update={"availability": avail})
    assert R.reason_for(holder, last_day, RULES) is None
    assert R.reason_for(holder, day_after, RULES) == R.COMPETENCE_USK


def test_a_bitrade_cannot_take_a_vardbitrade_shift_but_a_usk_can():
    s = shift("P1", "2026-03-31 07:00", "16:00", comp="vardbitrade")
    assert R.reason_for(sub("V1", competence=Competence.bitrade, usk_bevis=False), s, RULES) == R.COMPETENCE
    assert R.reason_for(sub("V2"), s, RULES) is None


def test_specialist_shift_needs_the_title_and_the_specialist_level():
    s = shift("P1", "2026-03-31 07:00", "16:00", comp="specialistunderskoterska")
    assert R.reason_for(sub("V1", competence=Competence.underskoterska), s, RULES) == R.COMPETENCE
    assert R.reason_for(sub("V2", competence=Competence.specialistunderskoterska, usk_bevis=False), s, RULES) == R.COMPETENCE_USK
    assert R.reason_for(sub("V3", competence=Competence.specialistunderskoterska), s, RULES) is None


# -- skills, introduction, availability ------------------------------------------------------------------


def test_required_skills_and_the_first_missing_one_is_named():
    s = shift("P1", "2026-03-31 07:00", "16:00", skills=("korkort_b", "delegering_lakemedel"))
    assert R.reason_for(sub("V1", skills={"korkort_b"}), s, RULES) == "skill:delegering_lakemedel"
    assert R.reason_sv("skill:korkort_b") == "saknar körkort (B)"
    assert R.reason_for(sub("V2", skills={"korkort_b", "delegering_lakemedel", "demens"}), s, RULES) is None


def test_must_be_introduced_on_the_unit():
    s = shift("P1", "2026-03-31 07:00", "16:00", unit="ROS")
    assert R.reason_for(sub("V1", units={"SOL"}), s, RULES) == R.NOT_INTRODUCED


def test_available_for_the_whole_shift_joining_touching_windows():
    s = shift("P1", "2026-03-31 07:00", "16:00")
    # 07:00–12:00 and 12:00–16:00 touch: together they cover 07–16.
    joined = (period("2026-03-31 07:00", "12:00"), period("2026-03-31 12:00", "16:00"))
    assert R.reason_for(sub("V1", availability=joined), s, RULES) is None
    # 07:00–15:59 misses the last minute.
    short = (period("2026-03-31 07:00", "15:59"),)
    assert R.reason_for(sub("V2", availability=short), s, RULES) == R.NOT_AVAILABLE
    # A gap 12:00–12:30 breaks it.
    gap = (period("2026-03-31 07:00", "12:00"), period("2026-03-31 12:30", "16:00"))
    assert R.reason_for(sub("V3", availability=gap), s, RULES) == R.NOT_AVAILABLE


# -- between shifts: overlap and 11 h daily rest -----------------------------------------------------------


def test_overlap_with_a_booked_shift():
    s = shift("P1", "2026-03-31 13:30", "21:30")
    booked = (period("2026-03-31 07:00", "14:00"),)  # 13:30 < 14:00: the shifts overlap by 30 min
    assert R.reason_for(sub("V1", booked=booked), s, RULES) == R.OVERLAP


def test_daily_rest_eleven_hours_exactly_is_enough():
    # Evening 13:30–21:30, next day 07:00: 21:30 → 07:00 = 9 h 30 min < 11 h.
    booked = (period("2026-03-31 13:30", "21:30"),)
    early = shift("P1", "2026-04-01 07:00", "16:00")
    assert R.reason_for(sub("V1", booked=booked), early, RULES) == R.DAILY_REST
    # 21:30 → 08:30 = exactly 11 h: allowed.
    ok = shift("P2", "2026-04-01 08:30", "16:00")
    assert R.reason_for(sub("V1", booked=booked), ok, RULES) is None
    # Also the other way: a new shift ending 20:00 before a booked 06:59 start = 10 h 59 min.
    before = shift("P3", "2026-03-30 12:00", "20:00")
    booked2 = (period("2026-03-31 06:59", "15:00"),)
    assert R.reason_for(sub("V2", booked=booked2), before, RULES) == R.DAILY_REST


def test_daily_rest_counts_real_hours_over_the_daylight_saving_change():
    # Night 2026-03-28 21:00 → 03-29 07:00 local. Clocks go 02:00 → 03:00 that night:
    # 10 wall-clock hours but 9 real hours (540 min).
    night = shift("P1", "2026-03-28 21:00", "07:00")
    assert night.length_min == 9 * 60
    # Booked shift ending 2026-03-28 09:00; the gap to 21:00 the same day is 12 h: fine.
    assert R.pair_reason(period("2026-03-28 01:00", "09:00"), night, RULES) is None


# -- weekly rest: 36 h inside each calendar week -----------------------------------------------------------


def test_weekly_rest_seven_day_shifts_leave_no_36_hours():
    # Week of Mon 2026-03-30. Day shifts 07–16 Mon..Sat are booked: gaps are 15 h each and Sat 16:00 →
    # Mon 00:00 = 32 h. A Sunday shift makes the longest rest 15 h (< 36 h).
    booked = tuple(period(f"2026-{d} 07:00", "16:00") for d in ("03-30", "03-31", "04-01", "04-02", "04-03", "04-04"))
    sunday = shift("P1", "2026-04-05 07:00", "16:00")
    v = sub("V1", booked=booked)
    monday = R.week_start(sunday.start)
    assert R.longest_rest_in_week(booked, monday) == 32 * 60  # Sat 16:00 → Mon 00:00
    assert R.reason_for(v, sunday, RULES) == R.WEEKLY_REST


def test_weekly_rest_at_the_start_of_the_week_counts():
    # Booked Tue..Sun 07–16 (6 shifts). Mon 00:00 → Tue 07:00 = 31 h. A Monday 00:00–06:00 shift? Not
    # needed: take a week where Mon 00:00 → Wed 07:00 = 55 h is free; adding Mon 13:30–21:30 leaves
    # Mon 00:00 → 13:30 = 13.5 h and Mon 21:30 → Wed 07:00 = 33.5 h; Sun 16:00 → Mon 00:00 = 8 h: < 36 h.
    booked = tuple(period(f"2026-{d} 07:00", "16:00") for d in ("04-01", "04-02", "04-03", "04-04", "04-05"))
    v = sub("V1", booked=booked)
    monday = R.week_start(at("2026-03-30 12:00"))
    assert R.longest_rest_in_week(booked, monday) == 55 * 60
    assert R.reason_for(v, shift("P1", "2026-03-30 13:30", "21:30"), RULES) == R.WEEKLY_REST
    # A Monday morning 00:00–06:00 instead leaves 06:00 Mon → 07:00 Wed = 49 h: fine. (Rest to Wed 07:00 ≥ 11 h.)
    assert R.reason_for(v, shift("P2", "2026-03-30 00:00", "06:00"), RULES) is None


def test_week_bounds_follow_local_midnight():
    # The week of Mon 2026-03-23 holds the spring-forward night: it is 167 real hours long.
    lo, hi = R.week_bounds(R.week_start(at("2026-03-25 12:00")))
    assert hi - lo == 167 * 60


# -- monthly hour cap for hourly staff -------------------------------------------------------------------


def test_hour_cap_for_hourly_staff_only():
    s = shift("P1", "2026-03-31 07:00", "16:00")  # 9 h = 540 min in March
    # 157 h booked: 157 + 9 = 166 h > 165 h.
    hourly = sub("V1", month_minutes={"2026-03": 157 * 60})
    assert R.reason_for(hourly, s, RULES) == R.HOUR_CAP
    # 156 h: 156 + 9 = 165 h, exactly the cap: allowed.
    assert R.reason_for(sub("V2", month_minutes={"2026-03": 156 * 60}), s, RULES) is None
    # Monthly paid staff are not capped by this rule.
    assert R.reason_for(hourly.model_copy(update={"hourly": False}), s, RULES) is None


def test_hour_cap_counts_a_shift_in_the_month_it_starts():
    # Night 31 March 21:00 → 1 April 07:00 (10 h) counts in March: 156 + 10 = 166 h > 165 h.
    night = shift("P1", "2026-03-31 21:00", "07:00")
    assert R.reason_for(sub("V1", month_minutes={"2026-03": 156 * 60}), night, RULES) == R.HOUR_CAP
    assert R.reason_for(sub("V2", month_minutes={"2026-04": 160 * 60}), night, RULES) is None


# -- reasons and the referee ------------------------------------------------------------------------------


def test_first_broken_rule_is_the_one_counted_and_the_text_reads_naturally():
    s = shift("P1", "2026-03-31 07:00", "16:00", unit="ROS", comp="underskoterska")
    # No bevis AND not introduced: counted once, as the competence (first in the order).
    assert R.reason_for(sub("V1", usk_bevis=False, units={"SOL"}), s, RULES) == R.COMPETENCE_USK
    text = R.format_reasons(Counter({R.NOT_INTRODUCED: 1, R.DAILY_REST: 2, R.COMPETENCE_USK: 4}))
    assert text == "4 saknar USK-bevis, 2 för kort vila, 1 ej introducerad"


def test_schedule_violations_finds_two_new_shifts_too_close():
    a = shift("P1", "2026-03-31 13:30", "21:30")
    b = shift("P2", "2026-04-01 07:00", "16:00")  # 21:30 → 07:00 = 9.5 h
    assert R.schedule_violations(sub("V1"), [a, b], RULES) == [("P2", R.DAILY_REST)]
    assert R.schedule_violations(sub("V1"), [a], RULES) == []


@pytest.mark.parametrize("d,expected", [(date(2033, 6, 30), True), (date(2033, 7, 1), False)])
def test_may_use_title(d, expected):
    assert R.may_use_usk_title(sub("V", usk_bevis=False, usk_overgang=True), d, RULES) is expected
