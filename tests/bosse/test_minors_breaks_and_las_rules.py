"""Substitutes under 18, rast inside a shift, LAS days from the history and the order of företrädesrätt.

Sources: Arbetsmiljöverket, AFS 2012:3 and av.se "Arbetstider för minderåriga" [S]: under 18 no work
22–06 (or 23–07), at most 8 h a day and 40 h a week, 12 h nattvila, a rast of at least 30 minutes at the
latest after 4½ hours; under 16 only light work. ATL: no more than 5 h without a rast (domain brief §3.2).
LAS 3, 5 a, 25, 26 §§ (domain brief §4.1 [V]).
"""

from __future__ import annotations

from datetime import date, timedelta

from robots.bosse import las
from robots.bosse import rules as R
from robots.bosse.las import Engagement as E
from robots.bosse.model import Shift
from robots.bosse.planner import plan_shifts
from tests.bosse.helpers import at, period, shift, sub

RULES = R.RuleSet()


def with_break(s: Shift, minutes: int, start: str | None = None) -> Shift:
    return s.model_copy(update={"break_minutes": minutes, "break_start": at(start) if start else None})


# -- under 18 -------------------------------------------------------------------------------------------


def test_no_night_work_for_a_minor():
    # born 2009-06-01: 16 on 2026-03-31. 13:30–21:30 ends before 22:00 → fine; 16:00–22:30 reaches into
    # the night 22–06 → not for a minor; the same shift is fine on the day the person turns 18
    teen = sub("V1", born=date(2009, 6, 1))
    assert R.reason_for(teen, with_break(shift("P1", "2026-03-31 13:30", "21:30"), 30, "2026-03-31 17:30"), RULES) is None
    late = with_break(shift("P2", "2026-03-31 16:00", "22:30"), 30, "2026-03-31 19:00")
    assert R.reason_for(teen, late, RULES) == R.MINOR_NIGHT
    eighteen = sub("V2", born=date(2008, 3, 31))
    assert R.reason_for(eighteen, late, RULES) is None
    # early morning: 05:30 is before 06:00
    assert R.reason_for(teen, with_break(shift("P3", "2026-04-01 05:30", "11:00"), 30, "2026-04-01 09:30"), RULES) == R.MINOR_NIGHT


def test_a_minors_shift_at_most_eight_hours_with_a_rast_within_four_and_a_half():
    teen = sub("V1", born=date(2009, 6, 1))
    # 07:00–16:00 with 30 min rast = 8,5 h of work > 8 h
    assert R.reason_for(teen, with_break(shift("P1", "2026-03-31 07:00", "16:00"), 30, "2026-03-31 11:00"), RULES) == R.MINOR_SHIFT
    # 07:00–15:30 with 30 min rast at 11:00: 4 h, rast, 4 h → fine (8 h)
    assert R.reason_for(teen, with_break(shift("P2", "2026-03-31 07:00", "15:30"), 30, "2026-03-31 11:00"), RULES) is None
    # the same with the rast at 12:00: 5 h before it > 4½ h
    assert R.reason_for(teen, with_break(shift("P3", "2026-03-31 07:00", "15:30"), 30, "2026-03-31 12:00"), RULES) == R.MINOR_SHIFT
    # 5 h without any rast: more than 4½ h
    assert R.reason_for(teen, shift("P4", "2026-03-31 08:00", "13:00"), RULES) == R.MINOR_SHIFT
    # 4 h without rast is fine
    assert R.reason_for(teen, shift("P5", "2026-03-31 08:00", "12:00"), RULES) is None


def test_under_sixteen_is_never_booked_and_twelve_hours_of_rest_for_a_minor():
    assert R.reason_for(sub("V1", born=date(2010, 6, 1)), shift("P1", "2026-03-31 08:00", "12:00"), RULES) == R.TOO_YOUNG
    # booked until 20:00; next morning 07:30 is 11,5 h later: enough for an adult (11 h), not for a minor (12 h)
    booked = (period("2026-03-31 15:00", "20:00"),)
    morning = shift("P2", "2026-04-01 07:30", "11:30")
    assert R.reason_for(sub("V2", booked=booked), morning, RULES) is None
    assert R.reason_for(sub("V3", born=date(2009, 6, 1), booked=booked), morning, RULES) == R.DAILY_REST


def test_a_minors_week_at_most_forty_hours():
    # Mon–Thu booked 4 × 8 h = 32 h (Monday 2026-03-30); Friday 08:00–16:30 with 30 min rast = 8 h → 40 h: fine;
    # with Saturday's 08:00–12:00 too → 44 h > 40 h
    teen = sub("V1", born=date(2009, 6, 1),
               booked=tuple(period(f"2026-0{3 if d < 32 else 4}-{d if d < 32 else d - 31:02d} 08:00", "16:00")
                            for d in (30, 31, 32, 33)))
    friday = with_break(shift("P1", "2026-04-03 08:00", "16:30"), 30, "2026-04-03 12:00")
    assert R.reason_for(teen, friday, RULES) is None
    saturday = shift("P2", "2026-04-04 08:00", "12:00")
    assert R.reason_against(teen, saturday, [friday], RULES) == R.MINOR_WEEK


# -- rast inside a shift ---------------------------------------------------------------------------------


def test_an_ordered_shift_without_rast_is_flagged_and_the_cap_counts_working_time():
    # 07:00–16:00 without rast: 9 h in a row > 5 h
    assert R.break_problem(shift("P1", "2026-03-31 07:00", "16:00"), RULES) == (
        "Passet saknar rast: 9,0 h i följd utan rast (högst 5 h)")
    # 60 min rast at 11:00: 4 h before, 4 h after → fine; at 13:00: 6 h before → flagged
    assert R.break_problem(with_break(shift("P2", "2026-03-31 07:00", "16:00"), 60, "2026-03-31 11:00"), RULES) is None
    assert "6,0 h i följd" in R.break_problem(with_break(shift("P3", "2026-03-31 07:00", "16:00"), 60, "2026-03-31 13:00"), RULES)
    # hour cap 165 h: 157 h worked this month; 07:00–16:00 with 60 min rast is 8 h of work → 165 h: fine
    near = sub("V1", month_minutes={"2026-03": 157 * 60})
    assert R.reason_for(near, with_break(shift("P4", "2026-03-31 07:00", "16:00"), 60, "2026-03-31 11:00"), RULES) is None
    assert R.reason_for(near, shift("P5", "2026-03-31 07:00", "16:00"), RULES) == R.HOUR_CAP  # 9 h → 166 h


# -- LAS from the history -----------------------------------------------------------------------------------


def test_a_booking_that_would_reach_the_conversion_threshold_is_left_to_a_person():
    # SÄVA 2025-04-01..12-31: Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 275;
    # day contracts 2026-01-02..01-05 = 4; SÄVA 2026-01-06..03-25: Jan 26 + Feb 28 + Mar 25 = 79 → 358
    # (January holds five SÄVA, so it counts Jan 2..31 = 30 days: the same 4 + 26 as one by one)
    history = (E(date(2025, 4, 1), date(2025, 12, 31)), E(date(2026, 1, 6), date(2026, 3, 25)),
               E(date(2026, 1, 2), date(2026, 1, 2)), E(date(2026, 1, 3), date(2026, 1, 3)),
               E(date(2026, 1, 4), date(2026, 1, 4)), E(date(2026, 1, 5), date(2026, 1, 5)))
    # bookings on April 1, 2 and 3: 358 + 2 = 360 < 361; the third reaches 361 (more than 12 LAS months)
    person = sub("V1", history=history)
    assert las.conversion_count(history, date(2026, 3, 30)).days == 358
    first, second, third = (shift(f"P{i}", f"2026-04-0{i} 07:00", "15:00") for i in (1, 2, 3))
    assert R.reason_against(person, second, [first], RULES) is None  # 360
    assert R.reason_against(person, third, [first, second], RULES) == R.LAS_CONVERSION  # 361
    # the municipality may let Bosse book it (and flag it for HR)
    assert R.reason_against(person, third, [first, second], R.RuleSet(book_past_conversion=True)) is None
    # the planner gives at most two of the three to this person
    plan = plan_shifts([first, second, third], [person], RULES)
    assert plan.filled == 2 and R.LAS_CONVERSION in plan.unfilled["P3"]


def test_three_in_a_month_makes_one_booking_count_many_days():
    # 346 days in five years, plus day contracts 2026-04-02 and 04-09 = 348; a booking on 04-30 makes
    # three in April: 04-02..04-30 = 29 days → 346 + 29 = 375 ≥ 361: refused, though one day alone would be 349
    history = (E(date(2025, 3, 1), date(2026, 2, 9)), E(date(2026, 4, 2), date(2026, 4, 2)), E(date(2026, 4, 9), date(2026, 4, 9)))
    # 2025-03-01..2026-02-09: March–December 2025 = 306 days + January 31 + February 9 = 346
    assert las.conversion_count(history, date(2026, 4, 9)).days == 348
    person = sub("V1", history=history)
    assert R.reason_for(person, shift("P1", "2026-04-30 07:00", "15:00"), RULES) == R.LAS_CONVERSION
    # in May the same booking is one day: 349
    assert R.reason_for(person, shift("P2", "2026-05-01 07:00", "15:00"), RULES) is None


def test_among_holders_of_foretradesratt_the_first_in_the_order_gets_the_shift():
    # two holders can take the one shift; rank 1 (longest employment, LAS 26 §) gets it, not rank 2
    s = shift("P1", "2026-03-31 07:00", "15:00")
    a = sub("V1", foretradesratt=True, foretradesratt_rank=2)
    b = sub("V2", foretradesratt=True, foretradesratt_rank=1)
    other = sub("V3")
    plan = plan_shifts([s], [a, b, other], RULES)
    assert plan.chosen["P1"].substitute_id == "V2"
    assert plan.chosen["P1"].alternates[:2] == ["V1", "V3"]


def test_a_booked_day_already_in_the_history_is_not_counted_twice():
    # SÄVA 2025-04-01..2026-03-24: Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30
    # + Dec 31 + Jan 31 + Feb 28 + Mar 24 = 358; the day contract of the booking on 2026-04-01 is already
    # written in the history, and the page shows that booking too. A shift on 04-20 is April's second SÄVA:
    # 358 + 1 + 1 = 360 < 361 → may be booked. Counting 04-01 twice would make three in April and
    # count 04-01..04-20 = 20 days: 378, a refusal for nothing.
    history = (E(date(2025, 4, 1), date(2026, 3, 24)), E(date(2026, 4, 1), date(2026, 4, 1)))
    assert las.conversion_count(history, date(2026, 4, 1)).days == 359
    person = sub("V1", history=history, booked=(period("2026-04-01 07:00", "15:00"),))
    assert R.reason_for(person, shift("P1", "2026-04-20 07:00", "15:00"), RULES) is None
    # a third SÄVA in April (04-21) does make three: 04-01..04-21 = 21 days → 358 + 21 = 379 ≥ 361
    assert R.reason_against(person, shift("P2", "2026-04-21 07:00", "15:00"),
                            [shift("P1", "2026-04-20 07:00", "15:00")], RULES) == R.LAS_CONVERSION


def test_the_las_list_does_not_count_a_booked_day_the_history_holds_twice():
    # The same history as above: 358 SÄVA days to 2026-03-24 and the day contract of 2026-04-01 (359).
    # Booked ahead: 04-01 (that contract) and 04-20. Only 04-20 is new: April has two SÄVA, 359 + 1 = 360,
    # one day added. Counting 04-01 again would make three in April: 04-01..04-20 = 20 days, 358 + 20 =
    # 378, 19 "added".
    history = (E(date(2025, 4, 1), date(2026, 3, 24)), E(date(2026, 4, 1), date(2026, 4, 1)))
    assert las.added_days([date(2026, 4, 1), date(2026, 4, 20)], history) == 1
