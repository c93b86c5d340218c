"""Read-back: what was sent against what the payroll system stored, field by field."""

from __future__ import annotations

from datetime import date

from robots.harry.model import Shift
from robots.harry.rules.readback import differences
from tests.harry.helpers import FRI, MON, TUE, schedule, shift, weekdays


def test_identical_has_no_differences() -> None:
    s = schedule(weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60))
    assert differences(s, s.model_copy(update={"schedule_id": "P-1"})) == []


def test_each_differing_field_is_named_with_both_values() -> None:
    sent = schedule([shift(1, MON, "07:00", "15:42", 42), shift(1, TUE, "07:00", "16:00", 60)], end=date(2026, 6, 28))
    stored = schedule([shift(1, MON, "07:00", "15:42", 40)], end=None, version=2)
    assert differences(sent, stored) == [
        "Giltig till: skickat 2026-06-28, sparat tills vidare",
        "Version: skickat 1, sparat 2",
        "Rast måndag: skickat 42 min, sparat 40 min",
        "Pass tisdag: skickat 07:00–16:00, saknas i personalsystemet",
    ]


def test_weeks_are_named_in_a_longer_cycle() -> None:
    sent = schedule([shift(2, MON, "08:00", "13:00")], cycle=2)
    stored = schedule([shift(2, MON, "08:00", "12:00")], cycle=2)
    assert differences(sent, stored) == ["Slut vecka 2 måndag: skickat 13:00, sparat 12:00"]


def test_a_delad_tur_the_rast_start_and_the_kind_are_compared_too() -> None:
    # Monday 06:30–09:00 and 14:00–18:00 (a delad tur); Tuesday's rast placed at 11:00.
    sent = schedule([shift(1, MON, "06:30", "09:00"), shift(1, MON, "14:00", "18:00"),
                     Shift(week=1, weekday=TUE, start="07:00", end="16:00", break_minutes=60, break_start="11:00")])
    stored = schedule([shift(1, MON, "06:30", "09:00"), shift(1, MON, "14:00", "17:00"),
                       shift(1, TUE, "07:00", "16:00", 60)]).model_copy(update={"kind": "placeringsschema"})
    assert differences(sent, stored) == [
        "Schematyp: skickat grundschema, sparat placeringsschema",
        "Slut måndag andra passet: skickat 18:00, sparat 17:00",
        "Rastens start tisdag: skickat 11:00, sparat ej angiven",
    ]
    assert differences(sent, sent) == []
