"""The cycle on the calendar: real elapsed time over the daylight-saving nights, and red days.

Sources: ATL (1982:673) counts rest and working time in real hours (domain brief §3.2); summer time in
Sweden begins the last Sunday of March at 02:00 (the clock jumps to 03:00) and ends the last Sunday of
October at 03:00 (back to 02:00) — 2026-03-29 and 2026-10-25. Red days: Lag (1989:253) om allmänna
helgdagar plus midsommar-, jul- och nyårsafton (domain brief §5), as `runner.scheduler.calendars` has them.
"""

from __future__ import annotations

from datetime import date

from robots.harry.model import Shift
from robots.harry.rules.dated import dated_findings, dated_passes
from robots.harry.rules.working_time import Limits, working_time_findings
from tests.harry.helpers import FRI, MON, SAT, SUN, schedule, shift, weekdays

LIMITS = Limits()


def placed(week: int, day: int, start: str, end: str, rast: int, at: str) -> Shift:
    return Shift(week=week, weekday=day, start=start, end=end, break_minutes=rast, break_start=at)


def test_the_cycle_lands_on_the_periods_dates():
    # A 2-week cycle from Monday 2026-03-16: week 1 Mon, week 2 Tue; over 4 weeks → 16, 24, 30 Mar, 7 Apr
    s = schedule([shift(1, MON, "07:00", "16:00", 60), shift(2, 2, "07:00", "16:00", 60)], cycle=2,
                 start=date(2026, 3, 16), end=date(2026, 4, 12))
    days = [p.day for p in dated_passes(s, s.period.start, s.period.end)]
    assert days == [date(2026, 3, 16), date(2026, 3, 24), date(2026, 3, 30), date(2026, 4, 7)]


def test_a_night_pass_when_summer_time_begins_is_an_hour_shorter():
    # Saturday 2026-03-28 21:00 CET (20:00 UTC) to Sunday 07:00 CEST (05:00 UTC) = 9 h, not 10
    s = schedule([shift(1, SAT, "21:00", "07:00", 30)], start=date(2026, 3, 23), end=date(2026, 4, 5))
    night = [p for p in dated_passes(s, s.period.start, s.period.end) if p.day == date(2026, 3, 28)][0]
    assert (night.clock_minutes, night.real_minutes) == (600, 540)
    findings, notes = dated_findings(s, LIMITS)
    assert findings == []
    assert [n.message for n in notes if n.code == "sommartid"] == [
        "Passet lördag 2026-03-28 21:00–07:00 är 9,0 h i verklig tid, 1,0 h kortare än klockan visar "
        "(sommartid börjar natten mot 29 mars); lönen räknas på verklig tid"]


def test_eleven_hours_by_the_clock_are_ten_in_real_time_on_the_spring_night():
    # Sat 13:00–21:00 then Sun 08:00–16:00: 11 h by the clock, but the night of 28/29 March loses an hour:
    # 21:00 CET = 20:00 UTC, 08:00 CEST = 06:00 UTC → 10 h of rest < 11 h
    passes = [placed(1, SAT, "13:00", "21:00", 30, "17:00"), placed(1, SUN, "08:00", "16:00", 30, "12:00")]
    s = schedule(passes, start=date(2026, 3, 23), end=date(2026, 4, 5))
    assert working_time_findings(s, LIMITS) == []  # the cycle itself is fine
    findings, _ = dated_findings(s, LIMITS)
    assert [f.message for f in findings] == [
        "Dygnsvilan mellan passen lördag 2026-03-28 13:00–21:00 och söndag 2026-03-29 08:00–16:00 är 10,0 h i "
        "verklig tid (klockan ställs om); minst 11 h krävs"]
    # the same schedule a week earlier crosses no clock change: nothing to report
    earlier = schedule(passes, start=date(2026, 3, 9), end=date(2026, 3, 22))
    assert dated_findings(earlier, LIMITS)[0] == []


def test_an_autumn_night_is_an_hour_longer_and_the_stretch_after_the_rast_passes_five_hours():
    # Sat 2026-10-24 21:00–07:00 with 60 min rast at 01:00: by the clock 4 h before the rast, 5 h after.
    # In real time 21:00 CEST = 19:00 UTC; rast 01:00–02:00 CEST = 23:00–00:00 UTC; 07:00 CET = 06:00 UTC:
    # 4 h before, 6 h after (> 5 h), the pass 11 h long (≤ 12 h)
    s = schedule([placed(1, SAT, "21:00", "07:00", 60, "01:00")], start=date(2026, 10, 19), end=date(2026, 11, 1))
    assert working_time_findings(s, LIMITS) == []
    findings, notes = dated_findings(s, LIMITS)
    assert [f.code for f in findings] == ["rast"]
    assert "6,0 h i följd utan rast i verklig tid (sommartiden slutar natten mot 25 oktober)" in findings[0].message
    assert "11,0 h i verklig tid, 1,0 h längre" in [n for n in notes if n.code == "sommartid"][0].message


def test_an_eleven_and_a_half_hour_night_becomes_twelve_and_a_half_in_autumn():
    # 19:30–07:00 is 11,5 h by the clock (≤ 12 h) and 12,5 h on the night of 24/25 October (> 12 h).
    # (Two stretches of 5 h 30 around one rast: this test allows 6 h without rast to look at length alone.)
    limits = Limits(max_minutes_without_break=6 * 60)
    s = schedule([placed(1, SAT, "19:30", "07:00", 60, "01:00")], start=date(2026, 10, 19), end=date(2026, 11, 1))
    assert [f.code for f in working_time_findings(s, limits)] == []
    assert [f.code for f in dated_findings(s, limits)[0]] == ["passlangd"]


def test_passes_on_red_days_are_listed_and_a_setting_can_make_them_a_deviation():
    # Mon–Fri 08:00–16:30 over Easter 2026: långfredagen Fri 3 April, annandag påsk Mon 6 April
    s = schedule(weekdays(1, range(MON, FRI + 1), "08:00", "16:30", 30), start=date(2026, 3, 30), end=date(2026, 4, 12))
    findings, notes = dated_findings(s, LIMITS)
    assert findings == []
    assert [(n.code, n.severity.value, n.message) for n in notes] == [(
        "rod_dag", "info",
        "Pass på röda dagar: fredag 2026-04-03 08:00–16:30 (långfredagen), måndag 2026-04-06 08:00–16:30 (annandag påsk)")]
    findings, notes = dated_findings(s, LIMITS, red_days="deviation")
    assert [(f.code, f.severity.value) for f in findings] == [("rod_dag", "error")] and notes == []


def test_an_open_ended_schedule_is_checked_for_a_year():
    # from 2026-08-03, tills vidare: the horizon of 366 days holds both clock changes of that year
    s = schedule([shift(1, SAT, "21:00", "07:00", 30)], start=date(2026, 8, 3), end=None)
    nights = sorted(n.message[7:17] for n in dated_findings(s, LIMITS)[1] if n.code == "sommartid")
    assert nights == ["lördag 202"] * 2  # one in October 2026, one in March 2027
    assert {n.message.split(" ")[2] for n in dated_findings(s, LIMITS)[1] if n.code == "sommartid"} == {
        "2026-10-24", "2027-03-27"}
