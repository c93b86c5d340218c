"""Lena's rules against hand-worked cases; the arithmetic is written out in each test."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from robots.lena import rules as R
from robots.lena.model import Booked, Grant, Place, Recipient, Shift, Staff, Visit

BASE = Place(56.2094, 15.2760)


def hm(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


class TenMinutes:
    """Travel of ten minutes between any two different places: keeps the arithmetic in view."""

    def minutes(self, a: Place, b: Place) -> int:
        return 0 if a == b else 10


# -- travel -------------------------------------------------------------------------------------------------


def test_travel_time_is_distance_on_the_road_at_the_speed_plus_the_stop():
    # 0.009° of latitude: 6371 km × 0.009 × π/180 = 1.0007 km; on the road × 1.3 = 1.3010 km;
    # at 30 km/h that is 1.3010 / 30 × 60 = 2.602 minutes; plus 3 minutes to park and get in = 5.602 → 6
    north = Place(BASE.lat + 0.009, BASE.lon)
    assert R.distance_km(BASE, north) == pytest.approx(1.0007, abs=1e-4)
    assert R.Travel().minutes(BASE, north) == 6
    # by bike at 15 km/h, no detour factor, 1 minute to lock it: 1.0007 / 15 × 60 = 4.003 + 1 = 5.003 → 6
    assert R.Travel(speed_kmh=15, detour_factor=1.0, stop_minutes=1).minutes(BASE, north) == 6
    # the same address: no trip
    assert R.Travel().minutes(north, Place(north.lat, north.lon)) == 0


def test_travel_is_symmetric_and_keeps_the_triangle():
    a, b, c = BASE, Place(56.2200, 15.2900), Place(56.2000, 15.3000)
    t = R.Travel().minutes
    assert t(a, b) == t(b, a)
    assert t(a, c) <= t(a, b) + t(b, c)


# -- the break ------------------------------------------------------------------------------------------------


def test_break_range_keeps_both_halves_of_the_pass_within_five_hours():
    # 07:00–16:00, 30 min break to be taken 11:00–13:30.
    # Schedule: start 11:00 … 13:30 − 0:30 = 13:00.
    # Law: start by 07:00 + 5 h = 12:00; end no earlier than 16:00 − 5 h = 11:00, so start ≥ 10:30.
    # Both: 11:00–12:00.
    shift = Shift(date(2026, 11, 24), hm("07:00"), hm("16:00"), 30, hm("11:00"), hm("13:30"))
    assert R.break_range(shift) == (hm("11:00"), hm("12:00"))
    assert not R.break_breaks_law(shift)
    # 07:00–13:00, window 10:30–12:30: schedule 10:30–12:00, law ≤ 12:00 and ≥ 13:00 − 5:00 − 0:30 = 07:30
    morning = Shift(date(2026, 11, 24), hm("07:00"), hm("13:00"), 30, hm("10:30"), hm("12:30"))
    assert R.break_range(morning) == (hm("10:30"), hm("12:00"))


def test_a_schedule_that_breaks_the_five_hour_rule_is_kept_but_named():
    # 07:00–19:00 with its break at 09:00: the 9 h 30 after it break the rule; the pass is as HR made it
    long = Shift(date(2026, 11, 24), hm("07:00"), hm("19:00"), 30, hm("09:00"), hm("09:30"))
    assert R.break_breaks_law(long)
    assert R.break_range(long) == (hm("09:00"), hm("09:00"))
    # five hours exactly need no break; five and a half without one break the rule
    assert not R.break_breaks_law(Shift(date(2026, 11, 24), hm("07:00"), hm("12:00")))
    assert R.break_breaks_law(Shift(date(2026, 11, 24), hm("07:00"), hm("12:30")))
    assert R.break_range(Shift(date(2026, 11, 24), hm("07:00"), hm("12:00"))) is None


# -- personalkontinuitet -----------------------------------------------------------------------------------------

START = date(2026, 11, 24)
WINDOW = R.measure_window(START + timedelta(days=13))  # 2026-11-24 … 2026-12-07


def _visits(per_day: list[tuple[str, str, tuple[str, ...]]]) -> list[Booked]:
    """The same visits every day of the window: (start, insats, staff)."""
    out = []
    for i in range(14):
        day = START + timedelta(days=i)
        for k, (at, insats, staff) in enumerate(per_day):
            out.append(Booked(f"D1-{day:%Y%m%d}-{k}", "B1", day, hm(at), 20, staff, insats))
    return out


def test_the_measure_window_is_the_fourteen_days_ending_with_the_last():
    assert WINDOW == (date(2026, 11, 24), date(2026, 12, 7))


def test_who_is_in_socialstyrelsens_measure():
    old = Recipient("B1", "NORR", BASE, born=date(1940, 3, 1))
    twice = _visits([("08:00", "omvardnad", ("P1",)), ("19:00", "omvardnad", ("P2",))])
    assert R.qualifies(old, twice, WINDOW)
    # 65 on the last day of the window counts; 64 does not (born 1961-12-07 / 1961-12-08, window ends 2026-12-07)
    assert R.qualifies(Recipient("B1", "NORR", BASE, born=date(1961, 12, 7)), twice, WINDOW)
    assert not R.qualifies(Recipient("B1", "NORR", BASE, born=date(1961, 12, 8)), twice, WINDOW)
    # a food delivery is not a visit in the measure: one counted visit a day is too few
    assert not R.qualifies(old, _visits([("08:00", "omvardnad", ("P1",)), ("12:00", "matleverans", ("P3",))]), WINDOW)
    # 07–22: a visit starting 22:00 is outside, one at 21:59 inside
    assert not R.qualifies(old, _visits([("08:00", "omvardnad", ("P1",)), ("22:00", "omvardnad", ("P2",))]), WINDOW)
    assert R.qualifies(old, _visits([("08:00", "omvardnad", ("P1",)), ("21:59", "omvardnad", ("P2",))]), WINDOW)
    # one day away (hospital) during the 14 days: left out of the measure
    away = Recipient("B1", "NORR", BASE, born=date(1940, 3, 1), away=frozenset({date(2026, 12, 1)}))
    assert not R.qualifies(away, twice, WINDOW)
    # no birth date known: not in the measure
    assert not R.qualifies(Recipient("B1", "NORR", BASE), twice, WINDOW)


def test_continuity_counts_different_staff_on_counted_visits_in_the_window():
    visits = _visits([("08:00", "omvardnad", ("P1",)), ("12:00", "matleverans", ("P9",)), ("19:00", "omvardnad", ("P2",))])
    # every day P1 and P2, the food delivery's P9 does not count: 2
    assert R.continuity(visits, WINDOW) == 2
    # a double visit on one day brings P3 and P4; a visit the day after the window does not count
    visits.append(Booked("D2-20261130-1", "B1", date(2026, 11, 30), hm("10:00"), 30, ("P3", "P4")))
    visits.append(Booked("D2-20261208-1", "B1", date(2026, 12, 8), hm("10:00"), 30, ("P5",)))
    assert R.continuity(visits, WINDOW) == 4
    assert R.mean_continuity([4, 7, 6]) == 5.7  # 17 / 3 = 5.67
    assert R.mean_continuity([]) is None


# -- why a published plan no longer holds --------------------------------------------------------------------------

DAY = date(2026, 11, 25)
ANNA = Staff("P1", "NORR", delegations=(Grant("lakemedel", date(2026, 1, 1), date(2026, 12, 31)),),
             shifts={DAY: Shift(DAY, hm("07:00"), hm("16:00"))})
BO = Staff("P2", "NORR", shifts={DAY: Shift(DAY, hm("07:00"), hm("12:00"))})
STAFF = {"P1": ANNA, "P2": BO}
MORNING = Visit("D1-20261125-1", "B1", "D1", "Morgonhjälp", "omvardnad", (DAY,), hm("07:00"), hm("08:30"), 30,
                delegation="lakemedel")
HOME = Recipient("B1", "NORR", BASE)


def test_a_plan_that_still_fits_the_decisions_holds():
    planned = [Booked("D1-20261125-1", "B1", DAY, hm("07:30"), 30, ("P1",))]
    assert R.stale_reasons(HOME, [MORNING], planned, STAFF) == []


def test_each_way_a_plan_stops_fitting_is_named():
    def reasons(start: str = "07:30", minutes: int = 30, staff: tuple[str, ...] = ("P1",), visits=(MORNING,)):
        return R.stale_reasons(HOME, list(visits), [Booked("D1-20261125-1", "B1", DAY, hm(start), minutes, staff)], STAFF)

    # the window moved: latest start 08:30 (ends 09:00), planned 08:45
    assert reasons(start="08:45") == ["Morgonhjälp 2026-11-25 08:45: utanför tidsfönstret 07:00–09:00"]
    # the extent changed: 45 minutes granted now
    longer = Visit(**{**MORNING.__dict__, "minutes": 45, "latest": hm("08:15")})
    assert reasons(visits=[longer]) == ["Morgonhjälp 2026-11-25 07:30: planerat 30 min, beviljat 45 min"]
    # P2 has no medication delegation
    assert reasons(staff=("P2",)) == ["Morgonhjälp 2026-11-25 07:30: P2 saknar giltig läkemedelsdelegering"]
    # a staff member without a pass that day (absent: the robot leaves absent days out of `shifts`)
    assert reasons(staff=("P3",)) == ["Morgonhjälp 2026-11-25 07:30: P3 arbetar inte då"]
    # dubbelbemanning granted now, one planned
    double = Visit(**{**MORNING.__dict__, "staff": 2})
    assert reasons(visits=[double]) == ["Morgonhjälp 2026-11-25 07:30: 1 personal planerad, 2 beviljad"]
    # the decision ended: the planned visit has no need behind it
    assert reasons(visits=[]) == ["planerat besök 2026-11-25 07:30 saknar gällande beslut"]


def test_a_new_decision_and_an_absence_make_the_plan_change():
    lunch = Visit("D2-20261125-1", "B1", "D2", "Lunch", "omvardnad", (DAY,), hm("11:00"), hm("13:00"), 30)
    planned = [Booked("D1-20261125-1", "B1", DAY, hm("07:30"), 30, ("P1",))]
    assert R.stale_reasons(HOME, [MORNING, lunch], planned, STAFF) == ["Lunch 2026-11-25 är inte planerat"]
    in_hospital = Recipient("B1", "NORR", BASE, away=frozenset({DAY}))
    assert R.stale_reasons(in_hospital, [], planned, STAFF) == [
        "brukaren är inte hemma 2026-11-25 men har ett planerat besök"]


def test_a_weekly_visit_of_a_later_week_is_left_alone():
    # a shower once a week Monday–Friday (weekdays 0–4); week 49 of 2026 runs 2026-11-30 … 12-06, its
    # last allowed day is Friday 2026-12-04: after a period ending 2026-11-30, so planned on a later night
    assert R.later_week("D4-2026V49-1", [0, 1, 2, 3, 4], date(2026, 11, 30))
    assert not R.later_week("D4-2026V49-1", [0, 1, 2, 3, 4], date(2026, 12, 4))
    assert not R.later_week("D4-20261130-1", [0, 1, 2, 3, 4], date(2026, 11, 30))
    planned = [Booked("D4-2026V49-1", "B1", date(2026, 11, 30), hm("10:00"), 45, ("P1",))]
    assert R.stale_reasons(HOME, [], planned, STAFF, later=["D4-2026V49-1"]) == []


# -- can a staff day be worked -------------------------------------------------------------------------------------

A, B, C = Place(56.21, 15.27), Place(56.22, 15.28), Place(56.23, 15.29)
PLACES = {"A": A, "B": B, "C": C}
PASS = Shift(DAY, hm("07:00"), hm("16:00"), 30, hm("11:00"), hm("13:30"))  # break 11:00–12:00 (above)


def _day(*visits: tuple[str, str, int]) -> list[Booked]:
    return [Booked(f"V{i}", who, DAY, hm(at), minutes, ("P1",)) for i, (who, at, minutes) in enumerate(visits)]


def test_a_staff_day_with_travel_and_a_break_at_the_base():
    # base → A 10 min: 07:10 at the earliest; A 07:10–07:40 → B by 07:50; B 07:50–08:20 → C 08:30.
    # back at the base 08:30 + 30 + 10 = 09:10, break 11:00–11:30 there, day ends 16:00
    assert R.day_problem(_day(("A", "07:10", 30), ("B", "07:50", 30), ("C", "08:30", 30)), PASS, BASE, PLACES, TenMinutes()) is None
    # one minute too early for the first visit, or for the second
    assert R.day_problem(_day(("A", "07:09", 30)), PASS, BASE, PLACES, TenMinutes()) == "hinner inte till besöket 07:09"
    assert R.day_problem(_day(("A", "07:10", 30), ("B", "07:49", 30)), PASS, BASE, PLACES, TenMinutes()) == \
        "hinner inte till besöket 07:49"
    # the same recipient twice in a row: no trip between (A 07:10–07:40, A again 07:40)
    assert R.day_problem(_day(("A", "07:10", 30), ("A", "07:40", 10)), PASS, BASE, PLACES, TenMinutes()) is None
    # two visits at once
    assert R.day_problem(_day(("A", "07:10", 30), ("B", "07:20", 30)), PASS, BASE, PLACES, TenMinutes()) == \
        "två besök samtidigt 07:20"
    # last visit 15:30–15:50: back at 16:00 just in time; 15:31 is one minute late
    assert R.day_problem(_day(("A", "15:30", 20)), PASS, BASE, PLACES, TenMinutes()) is None
    assert R.day_problem(_day(("A", "15:31", 20)), PASS, BASE, PLACES, TenMinutes()) == \
        "hinner inte tillbaka till gruppens lokal före passets slut"


def test_no_room_for_the_break():
    # the break must start 11:00–12:00 at the base. Visits 10:40–11:20 and 11:50–12:40 leave the base
    # free 11:30–11:40 only (back 11:20 + 10, away 11:50 − 10): ten minutes, not thirty.
    assert R.day_problem(_day(("A", "10:40", 40), ("B", "11:50", 50)), PASS, BASE, PLACES, TenMinutes()) == \
        "ingen plats för rasten"
    # moved to 12:10: free 11:30–12:00, the break 11:30–12:00 fits exactly
    assert R.day_problem(_day(("A", "10:40", 40), ("B", "12:10", 30)), PASS, BASE, PLACES, TenMinutes()) is None


def test_infeasible_days_of_a_published_plan_are_named_per_staff_day():
    staff = {"P1": Staff("P1", "NORR", shifts={DAY: PASS})}
    planned = _day(("A", "07:10", 30), ("B", "07:20", 30))
    assert R.infeasible_days(planned, staff, PLACES, {"NORR": BASE}, TenMinutes()) == {
        ("P1", DAY): "P1 2026-11-25: två besök samtidigt 07:20"}


# -- granted against planned, capacity -------------------------------------------------------------------------------


def test_deviation_and_a_groups_day():
    # 45 planned of 50 granted: 5 / 50 = 10 %
    assert R.deviation_percent(45, 50) == 10.0
    assert R.deviation_percent(0, 0) == 0.0 and R.deviation_percent(30, 0) == 100.0
    # 07:00–16:00 with 30 min break: 540 − 30 = 510 working minutes
    assert R.available_minutes(PASS) == 510
    load = R.DayLoad(granted=600, planned=540, travel=120, available=1020)
    assert load.unplanned == 60
    assert load.travel_share == 18.2  # 120 / (540 + 120) = 18.18 %
    assert not load.over_capacity  # 600 + 120 = 720 ≤ 1020
    assert R.DayLoad(granted=900, planned=800, travel=150, available=1020).over_capacity  # 1050 > 1020
    assert R.visit_minutes([MORNING, Visit(**{**MORNING.__dict__, "staff": 2})]) == 90  # 30 + 2 × 30
