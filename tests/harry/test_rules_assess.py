"""Steps 1–4 on one schedule at a time: register, skip, or hand to a person with every reason."""

from __future__ import annotations

from datetime import date

from robots.harry.rules.assess import Rules, assess
from tests.harry.helpers import FRI, MON, THU, employment, schedule, shift, weekdays

TODAY = date(2026, 3, 2)
RULES = Rules()
FULL_TIME = weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60)  # 8 h × 5 = 40 h


def test_clean_full_time_schedule_is_registered() -> None:
    s = schedule(FULL_TIME, start=date(2026, 4, 6), end=date(2026, 6, 28))
    a = assess(s, [employment(date(2020, 8, 1), None, 100)], [], RULES, TODAY)
    assert a.register and a.findings == []
    assert a.hours.scheduled == 40.0 and a.hours.required == 40.0
    # the period holds annandag påsk, första maj, Kristi himmelsfärd and midsommarafton: listed, not blocking
    assert [(f.code, f.severity.value) for f in a.notes] == [("rod_dag", "info")]


def test_teacher_uses_the_35_hour_measure() -> None:
    # 07:30–15:30 rast 60 = 7 h × 5 = 35 h; category 'larare' → 100 % × 35 h.
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:30", "15:30", 60))
    a = assess(s, [employment(date(2019, 8, 1), None, 100, "larare")], [], RULES, TODAY)
    assert a.register and a.hours.required == 35.0
    # The measure is a setting: a municipality that plans teachers at 40 h sees the deviation.
    forty = Rules(full_time_by_category={})
    assert [f.code for f in assess(s, [employment(date(2019, 8, 1), None, 100, "larare")], [], forty, TODAY).findings] == [
        "timmar"
    ]


def test_unknown_employee() -> None:
    s = schedule(FULL_TIME, employee="49999")
    a = assess(s, None, [], RULES, TODAY)
    assert not a.register
    assert [f.message for f in a.findings] == ["Anställningsnummer 49999 finns inte i personalsystemet"]


def test_period_outside_the_employment_names_both_periods() -> None:
    # A vikariat 2026-01-01–2026-06-30; the schedule runs to 2026-08-30.
    s = schedule(FULL_TIME, start=date(2026, 4, 6), end=date(2026, 8, 30))
    a = assess(s, [employment(date(2026, 1, 1), date(2026, 6, 30))], [], RULES, TODAY)
    assert [f.message for f in a.findings] == [
        "Ingen anställning täcker hela schemaperioden 2026-04-06–2026-08-30; anställningen gäller 2026-01-01–2026-06-30"
    ]
    assert a.hours is None  # no employment → no grade to check hours against


def test_second_employment_that_covers_the_period_is_used() -> None:
    # An old vikariat ended 2025-12-31; a tillsvidare at 80 % from 2026-01-01 covers the period.
    # Mon–Thu 07:00–16:00 rast 60 = 32 h = 80 % × 40 h.
    s = schedule(weekdays(1, range(MON, THU + 1), "07:00", "16:00", 60))
    employments = [employment(date(2025, 1, 1), date(2025, 12, 31), 100), employment(date(2026, 1, 1), None, 80)]
    a = assess(s, employments, [], RULES, TODAY)
    assert a.register and a.employment.grade_percent == 80


def test_identical_registration_is_skipped() -> None:
    s = schedule(FULL_TIME)
    a = assess(s, [employment(date(2020, 8, 1), None)], [s.model_copy(update={"schedule_id": "P-7"})], RULES, TODAY)
    assert not a.register and a.identical is not None and a.findings == []


def test_overlap_with_another_registered_schedule() -> None:
    registered = schedule(FULL_TIME, start=date(2026, 1, 5), end=date(2026, 6, 28), schedule_id="P-12", version=1)
    # The new one starts 2026-04-06 with Friday off (32 h at 80 %): overlaps 2026-04-06–2026-06-28.
    s = schedule(weekdays(1, range(MON, THU + 1), "07:00", "16:00", 60), start=date(2026, 4, 6), end=date(2026, 12, 20))
    a = assess(s, [employment(date(2020, 8, 1), None, 80)], [registered], RULES, TODAY)
    assert [f.message for f in a.findings] == [
        "Perioden 2026-04-06–2026-12-20 överlappar schemat P-12 (version 1, 2026-01-05–2026-06-28) "
        "som redan är registrerat i personalsystemet"
    ]


def test_registered_schedule_before_the_period_is_no_overlap() -> None:
    registered = schedule(FULL_TIME, start=date(2026, 1, 5), end=date(2026, 4, 5))
    s = schedule(FULL_TIME, start=date(2026, 4, 6), end=date(2026, 6, 28))
    assert assess(s, [employment(date(2020, 8, 1), None)], [registered], RULES, TODAY).register


def test_every_finding_at_once() -> None:
    # Too many hours (36 h at 80 %) AND a Friday pass 07:00–13:00 without rast (6 h in a row).
    # Mon–Thu 07:00–16:00 rast 60 = 32 h + Fri 6 h = 38 h vs 80 % × 40 = 32 h.
    s = schedule(weekdays(1, range(MON, THU + 1), "07:00", "16:00", 60) + [shift(1, FRI, "07:00", "13:00")])
    a = assess(s, [employment(date(2020, 8, 1), None, 80)], [], RULES, TODAY)
    assert [f.code for f in a.findings] == ["timmar", "rast"]
    assert a.findings[0].message == "Schemat ger 38,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka"


def test_late_change_is_registered_with_a_note() -> None:
    # Starts 2026-03-06, 4 days after 2026-03-02: less than 10 days' notice.
    s = schedule(FULL_TIME, start=date(2026, 3, 6), end=date(2026, 6, 28))
    a = assess(s, [employment(date(2020, 8, 1), None)], [], RULES, TODAY)
    assert a.register and a.late
    assert [f.message for f in a.notes if f.code == "sen_andring"] == [
        "Sen ändring: schemat börjar 2026-03-06, om 4 dagar (mindre än 10 dagars varsel)"
    ]


def test_retroactive_start_is_a_late_change_too() -> None:
    s = schedule(FULL_TIME, start=date(2026, 2, 16), end=date(2026, 6, 28))
    a = assess(s, [employment(date(2020, 8, 1), None)], [], RULES, TODAY)
    assert [f.message for f in a.notes if f.code == "sen_andring"] == [
        "Sen ändring: schemat började redan 2026-02-16, för 14 dagar sedan (retroaktivt)"]
    assert a.notes[0].code == "sen_andring"  # first: it matters most


def _absence(kind: str, start: date, end: date | None, percent: float = 100):
    from robots.harry.model import Absence, Period

    return Absence(kind=kind, period=Period(start=start, end=end), percent=percent)


def _registered(kind: str, start: date, end: date | None, schedule_id: str):
    s = schedule(FULL_TIME, start=start, end=end, schedule_id=schedule_id)
    return s.model_copy(update={"kind": kind, "employee": s.employee})


def test_an_absence_in_the_period_goes_to_a_person() -> None:
    # Domain brief §3.4 point 5: registered absence needs a placeringsschema and a human decision.
    s = schedule(FULL_TIME, start=date(2026, 4, 6), end=date(2026, 6, 28))
    leave = _absence("foraldraledighet", date(2026, 5, 4), date(2026, 6, 28), 25)
    a = assess(s, [employment(date(2020, 8, 1), None)], [], RULES, TODAY, [leave])
    assert [f.message for f in a.findings] == [
        "Frånvaro under schemaperioden: föräldraledighet 25 % 2026-05-04–2026-06-28; frånvaro kräver ett "
        "placeringsschema och ett beslut av löneadministratören"]
    # an absence that ended before the schedule starts is none of its business
    old = _absence("sjukfranvaro", date(2026, 2, 2), date(2026, 2, 13))
    assert assess(s, [employment(date(2020, 8, 1), None)], [], RULES, TODAY, [old]).register


def test_a_placeringsschema_over_partial_absence_owes_the_hours_less_the_absence() -> None:
    # 100 % × 40 h, föräldraledighet 25 % over the whole placering period → 75 % × 40 = 30 h required;
    # Mon–Fri 07:00–13:30 rast 30 = 6 h × 5 = 30 h → the hours agree; the absence still needs a person
    week = weekdays(1, range(MON, FRI + 1), "07:00", "13:30", 30)
    s = schedule(week, start=date(2026, 5, 4), end=date(2026, 6, 28)).model_copy(update={"kind": "placeringsschema"})
    base = _registered("grundschema", date(2026, 1, 5), date(2026, 12, 20), "P-3")
    leave = _absence("foraldraledighet", date(2026, 5, 4), date(2026, 6, 28), 25)
    a = assess(s, [employment(date(2020, 8, 1), None)], [base], RULES, TODAY, [leave])
    assert a.hours.required == 30.0 and a.hours.scheduled == 30.0
    assert [f.code for f in a.findings] == ["franvaro"]  # no overlap: a placeringsschema lies on its grundschema
    assert a.findings[0].message.startswith("Frånvaro under placeringsschemats period: föräldraledighet 25 %")


def test_a_placeringsschema_needs_a_grundschema_under_it_and_no_other_placering() -> None:
    s = schedule(FULL_TIME, start=date(2026, 5, 4), end=date(2026, 6, 28)).model_copy(update={"kind": "placeringsschema"})
    a = assess(s, [employment(date(2020, 8, 1), None)], [], RULES, TODAY)
    assert [f.code for f in a.findings] == ["grundschema_saknas"]
    base = _registered("grundschema", date(2026, 1, 5), date(2026, 12, 20), "P-3")
    other = _registered("placeringsschema", date(2026, 6, 1), date(2026, 6, 14), "P-7")
    a = assess(s, [employment(date(2020, 8, 1), None)], [base, other], RULES, TODAY)
    assert [f.message for f in a.findings] == [
        "Perioden 2026-05-04–2026-06-28 överlappar placeringsschemat P-7 (version 1, 2026-06-01–2026-06-14) "
        "som redan är registrerat i personalsystemet"]
    # a grundschema is not stopped by a registered placeringsschema over part of its period
    g = schedule(FULL_TIME, start=date(2026, 4, 6), end=date(2026, 6, 28))
    assert assess(g, [employment(date(2020, 8, 1), None)], [other], RULES, TODAY).register
