"""Working-time rules on hand-worked schedules (arithmetic in the comments).

Limits: 11 h dygnsvila, 36 h veckovila, 5 h without rast, 12 h longest pass (the defaults).
"""

from __future__ import annotations

from robots.harry.rules.working_time import (
    Limits,
    break_findings,
    daily_rest_findings,
    longest_stretch_without_break,
    longest_weekly_rest,
    shift_length_findings,
    weekly_rest_findings,
    working_time_findings,
)
from tests.harry.helpers import FRI, MON, SAT, SUN, THU, TUE, WED, schedule, shift, weekdays

LIMITS = Limits()


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_ordinary_day_work_breaks_no_rule() -> None:
    # Mon–Fri 07:00–16:00 rast 60: rest between days 16:00 → 07:00 = 15 h ≥ 11 h;
    # weekend rest Fri 16:00 → Mon 07:00 = 8 + 24 + 24 + 7 = 63 h ≥ 36 h; 9 h pass with 60 min rast:
    # at best (9 − 1) / 2 = 4 h in a row ≤ 5 h; 9 h ≤ 12 h.
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60))
    assert working_time_findings(s, LIMITS) == []
    assert longest_weekly_rest(s, 1) == 63 * 60


def test_short_rest_across_midnight() -> None:
    # Mon 14:00–22:30, then Tue 06:00–14:30: 22:30 → 24:00 = 1,5 h + 00:00 → 06:00 = 6 h → 7,5 h < 11 h.
    s = schedule(
        [shift(1, MON, "14:00", "22:30", 30), shift(1, TUE, "06:00", "14:30", 30)]
        + weekdays(1, [WED, THU, FRI], "07:00", "15:30", 30)
    )
    findings = daily_rest_findings(s, LIMITS)
    assert codes(findings) == ["dygnsvila"]
    assert findings[0].message == (
        "Dygnsvilan mellan passen måndag 14:00–22:30 och tisdag 06:00–14:30 är 7,5 h; minst 11 h krävs"
    )


def test_exactly_11_hours_rest_is_enough() -> None:
    # Mon 13:00–21:00, Tue 08:00–16:00: 21:00 → 08:00 = 3 + 8 = 11 h, exactly the minimum.
    s = schedule([shift(1, MON, "13:00", "21:00", 30), shift(1, TUE, "08:00", "16:00", 30)])
    assert daily_rest_findings(s, LIMITS) == []


def test_short_rest_across_the_week_boundary_of_a_one_week_cycle() -> None:
    # Sun 14:00–22:00 then (next week) Mon 06:00: 2 h + 6 h = 8 h < 11 h, across the week's end.
    s = schedule([shift(1, MON, "06:00", "14:00", 30), shift(1, SUN, "14:00", "22:00", 30)])
    findings = daily_rest_findings(s, LIMITS)
    assert [f.message for f in findings] == [
        "Dygnsvilan mellan passen söndag 14:00–22:00 och måndag 06:00–14:00 (över veckoskiftet) är 8,0 h; minst 11 h krävs"
    ]


def test_short_rest_between_weeks_inside_a_two_week_cycle() -> None:
    # Week 1 Sun 13:00–21:30 → week 2 Mon 06:00: 2,5 h + 6 h = 8,5 h. Not the cycle's end, so no note.
    s = schedule(
        [shift(1, SUN, "13:00", "21:30", 30), shift(2, MON, "06:00", "14:30", 30)],
        cycle=2,
    )
    findings = daily_rest_findings(s, LIMITS)
    assert [f.message for f in findings] == [
        "Dygnsvilan mellan passen vecka 1 söndag 13:00–21:30 och vecka 2 måndag 06:00–14:30 är 8,5 h; minst 11 h krävs"
    ]


def test_short_rest_across_the_cycle_end() -> None:
    # Two-week cycle. Week 2 Sun 13:00–21:30, and the cycle starts over with week 1 Mon 06:00:
    # 21:30 → 24:00 = 2,5 h + 6 h = 8,5 h < 11 h. Inside each week the rests are long (15,5 h).
    s = schedule(
        weekdays(1, range(MON, FRI + 1), "06:00", "14:30", 30)
        + [shift(2, SAT, "13:00", "21:30", 30), shift(2, SUN, "13:00", "21:30", 30)],
        cycle=2,
    )
    findings = daily_rest_findings(s, LIMITS)
    assert [f.message for f in findings] == [
        "Dygnsvilan mellan passen vecka 2 söndag 13:00–21:30 och vecka 1 måndag 06:00–14:30 "
        "(över schemacykelns slut, vecka 2 till vecka 1) är 8,5 h; minst 11 h krävs"
    ]


def test_night_passes_rest_is_measured_from_the_morning_end() -> None:
    # Fri 21:00–07:00 (ends Sat 07:00), Sat 21:00–07:00: rest Sat 07:00 → 21:00 = 14 h ≥ 11 h.
    s = schedule([shift(1, FRI, "21:00", "07:00", 30), shift(1, SAT, "21:00", "07:00", 30)])
    assert daily_rest_findings(s, LIMITS) == []
    # Sun 07:00 (end of the Sat pass) → next Fri 21:00 = 5 days + 14 h = 134 h of weekly rest.
    assert longest_weekly_rest(s, 1) == 134 * 60


def test_overlapping_passes_are_named() -> None:
    # Mon 22:00–08:00 runs into Tue 07:00–15:00: the passes overlap by an hour.
    s = schedule([shift(1, MON, "22:00", "08:00", 30), shift(1, TUE, "07:00", "15:00", 30)])
    assert codes(daily_rest_findings(s, LIMITS)) == ["passen_overlappar"]


def test_seven_short_days_leave_no_weekly_rest() -> None:
    # Mon–Sun 08:00–12:00: every rest is 12:00 → 08:00 = 20 h < 36 h. Hours 4 × 7 = 28 h (70 %).
    s = schedule(weekdays(1, range(MON, SUN + 1), "08:00", "12:00"))
    findings = weekly_rest_findings(s, LIMITS)
    assert [f.message for f in findings] == ["Veckovilan är som längst 20,0 h i följd; minst 36 h krävs"]
    assert daily_rest_findings(s, LIMITS) == []


def test_sunday_and_monday_off_after_a_saturday_pass_counts_for_the_week_it_begins() -> None:
    # Tue–Sat 07:00–16:00: rest Sat 16:00 → Tue 07:00 = 8 + 24 + 24 + 7 = 63 h, begins in the week.
    s = schedule(weekdays(1, [TUE, WED, THU, FRI, SAT], "07:00", "16:00", 60))
    assert weekly_rest_findings(s, LIMITS) == []


def test_weekly_rest_in_each_week_of_a_two_week_cycle() -> None:
    # Week 1: Mon–Fri 07:00–16:00 → rest Fri 16:00 → week 2 Mon 07:00 = 63 h.
    # Week 2: Mon–Sun 07:00–11:00 → rests inside week 2 are 20 h; the rest after Sun 11:00 runs to
    # week 1 Mon 07:00 = 20 h. So week 2 has no 36 h rest; week 1 is fine.
    s = schedule(
        weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60) + weekdays(2, range(MON, SUN + 1), "07:00", "11:00"),
        cycle=2,
    )
    assert longest_weekly_rest(s, 1) == 63 * 60
    assert longest_weekly_rest(s, 2) == 20 * 60
    assert [f.message for f in weekly_rest_findings(s, LIMITS)] == [
        "Veckovilan vecka 2 är som längst 20,0 h i följd; minst 36 h krävs"
    ]


def test_a_week_off_counts_as_weekly_rest() -> None:
    # Week 1 Mon–Fri work, week 2 free: the rest from week 1 Fri 16:00 to the next week 1 Mon 07:00
    # covers all of week 2 (168 h inside it).
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60), cycle=2)
    assert longest_weekly_rest(s, 2) == 168 * 60
    assert weekly_rest_findings(s, LIMITS) == []


def test_missing_break() -> None:
    # 08:00–16:00 without rast: 8 h in a row > 5 h.
    s = schedule([shift(1, MON, "08:00", "16:00")])
    assert [f.message for f in break_findings(s, LIMITS)] == [
        "Passet måndag 08:00–16:00 saknar rast (8,0 h i följd); högst 5 h utan rast är tillåtet"
    ]


def test_five_hours_without_break_is_allowed() -> None:
    # 08:00–13:00 = 5 h exactly: allowed.
    s = schedule([shift(1, MON, "08:00", "13:00")])
    assert break_findings(s, LIMITS) == []


def test_one_break_cannot_save_a_very_long_pass() -> None:
    # 06:00–18:00 = 12 h with 30 min rast: with the rast in the middle (12 − 0,5) / 2 = 5,75 h in a row > 5 h.
    s = schedule([shift(1, MON, "06:00", "18:00", 30)])
    assert longest_stretch_without_break(s.shifts[0]) == 345
    assert [f.message for f in break_findings(s, LIMITS)] == [
        "Passet måndag 06:00–18:00 har bara 30 min rast: minst 5,75 h i följd utan rast; högst 5 h är tillåtet"
    ]
    # With 2 h rast: (12 − 2) / 2 = 5 h: allowed.
    assert break_findings(schedule([shift(1, MON, "06:00", "18:00", 120)]), LIMITS) == []


def test_pass_longer_than_the_maximum() -> None:
    # A split pass 07:00–20:30 = 13,5 h (rast 3,5 h keeps each stretch at (13,5 − 3,5) / 2 = 5 h) > 12 h.
    s = schedule([shift(1, MON, "07:00", "20:30", 210)])
    assert break_findings(s, LIMITS) == []
    assert [f.message for f in shift_length_findings(s, LIMITS)] == [
        "Passet måndag 07:00–20:30 är 13,5 h långt; högst 12 h är tillåtet"
    ]
    # The maximum is a setting: at 14 h the same pass is fine.
    assert shift_length_findings(s, Limits(max_shift_minutes=14 * 60)) == []


def test_findings_come_in_a_stable_order() -> None:
    # A one-pass week 06:00–19:00 without rast: no rest problems (155 h rest), then rast, then length.
    s = schedule([shift(1, WED, "06:00", "19:00")])
    assert codes(working_time_findings(s, LIMITS)) == ["rast", "passlangd"]


def placed(week: int, day: int, start: str, end: str, rast: int, at: str):
    from robots.harry.model import Shift

    return Shift(week=week, weekday=day, start=start, end=end, break_minutes=rast, break_start=at)


def test_a_delad_tur_is_one_working_day_not_two_short_rests() -> None:
    # Mon–Fri 06:30–09:00 and 14:00–18:00 (fritids): the 5 h between them are neither rast nor dygnsvila;
    # the day spans 06:30 → 18:00 = 11,5 h ≤ 24 − 11 = 13 h; rest to the next morning 18:00 → 06:30 = 12,5 h.
    passes = [shift(1, d, "06:30", "09:00") for d in range(MON, FRI + 1)] + [
        shift(1, d, "14:00", "18:00") for d in range(MON, FRI + 1)]
    assert working_time_findings(schedule(passes), LIMITS) == []


def test_a_delad_tur_that_spans_too_much_of_the_day_leaves_no_room_for_eleven_hours() -> None:
    # Tue 06:00–10:00 and 16:00–21:00: the day spans 06:00 → 21:00 = 15 h > 13 h (ATL 13 §: 11 h rest in
    # every 24 hours from 06:00 would need the day over by 19:00)
    passes = [*weekdays(1, [MON, WED, THU, FRI], "07:00", "15:00", 30), shift(1, TUE, "06:00", "10:00"),
              shift(1, TUE, "16:00", "21:00")]
    found = daily_rest_findings(schedule(passes), LIMITS) + working_time_findings(schedule(passes), LIMITS)
    assert [f.message for f in found if "spänner" in f.message] == [
        "Arbetsdagen med passen tisdag 06:00–10:00 och tisdag 16:00–21:00 spänner över 15,0 h; med minst 11 h "
        "dygnsvila per 24 timmar får den spänna högst 13 h"]


def test_where_the_rast_falls_decides_the_five_hour_rule() -> None:
    # 07:00–16:00 with 60 min rast: placed in the middle at best (9 − 1) / 2 = 4 h each side → fine;
    # the schedule places it at 13:00: 07:00 → 13:00 = 6 h in a row > 5 h
    late = placed(1, MON, "07:00", "16:00", 60, "13:00")
    assert longest_stretch_without_break(late) == 360
    assert [f.message for f in break_findings(schedule([late]), LIMITS)] == [
        "Passet måndag 07:00–16:00 har rasten 13:00 (60 min): 6,0 h i följd utan rast; högst 5 h är tillåtet"]
    # at 11:00: 4 h before, 16:00 − 12:00 = 4 h after → fine
    assert break_findings(schedule([placed(1, MON, "07:00", "16:00", 60, "11:00")]), LIMITS) == []
