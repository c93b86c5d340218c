"""The schedule model refuses what cannot be a schedule, and names items by employee, start and version."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from robots.harry.model import Shift, parse_hhmm
from tests.harry.helpers import MON, TUE, schedule, shift


def test_key_and_pass_order() -> None:
    s = schedule([shift(1, TUE, "07:00", "16:00", 60), shift(1, MON, "07:00", "16:00", 60)], employee="40101",
                 start=date(2026, 4, 6), version=2)
    assert s.key == "40101:2026-04-06:2"
    assert [x.weekday for x in s.shifts] == [MON, TUE]


def test_pass_lengths() -> None:
    # 07:00–16:00 = 9 h = 540 min; rast 60 → 480 min of work. 22:00–06:00 = 2 + 6 = 8 h.
    assert shift(1, MON, "07:00", "16:00", 60).work_minutes == 480
    assert shift(1, MON, "22:00", "06:00").length_minutes == 480
    # Week 2 Tuesday 07:00 is (7 + 1) days × 1440 + 420 = 11 940 minutes from the cycle's start.
    assert shift(2, TUE, "07:00", "16:00").offset_minutes == 11_940


@pytest.mark.parametrize(
    "bad",
    [
        {"start": "07:00", "end": "07:00"},  # zero length
        {"start": "07:00", "end": "08:00", "break_minutes": 60},  # rast as long as the pass
        {"start": "7", "end": "08:00"},  # not HH:MM
        {"start": "07:00", "end": "08:00", "weekday": 8},
    ],
)
def test_bad_passes_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Shift(**{"week": 1, "weekday": 1, **bad})


def test_pass_outside_the_cycle_or_overlapping_another_on_its_day_is_refused() -> None:
    with pytest.raises(ValidationError):
        schedule([shift(3, MON, "07:00", "16:00")], cycle=2)
    with pytest.raises(ValidationError):  # 07:00–12:30 and 12:00–16:00 share half an hour
        schedule([shift(1, MON, "07:00", "12:30"), shift(1, MON, "12:00", "16:00")])


def test_two_passes_on_one_day_are_a_delad_tur_in_time_order() -> None:
    s = schedule([shift(1, MON, "16:00", "19:00"), shift(1, MON, "06:30", "09:00")])
    assert [(x.start.hour, x.day_key) for x in s.shifts] == [(6, (1, MON)), (16, (1, MON))]


def test_a_placed_rast_must_lie_inside_its_pass() -> None:
    # 07:00–16:00 with 60 min rast at 11:30: 4 h 30 before, 3 h 30 after; the offset is 270 minutes
    assert Shift(week=1, weekday=MON, start="07:00", end="16:00", break_minutes=60, break_start="11:30").break_offset_minutes == 270
    # a night pass 21:00–07:00 with the rast at 01:00: 4 h after its start, across midnight
    assert Shift(week=1, weekday=MON, start="21:00", end="07:00", break_minutes=30, break_start="01:00").break_offset_minutes == 240
    for bad in ({"break_start": "06:00"}, {"break_start": "15:30"}, {"break_start": "07:00"},
                {"break_start": "12:00", "break_minutes": 0}):
        with pytest.raises(ValidationError):
            Shift(**{"week": 1, "weekday": MON, "start": "07:00", "end": "16:00", "break_minutes": 60, **bad})


def test_times_in_both_spellings() -> None:
    assert parse_hhmm("7.30").hour == 7 and parse_hhmm("07:30").minute == 30


def test_a_schedule_survives_the_ledger_round_trip() -> None:
    # Work items carry the schedule as JSON; times come back as '07:00:00'.
    s = schedule([shift(1, MON, "22:00", "06:00", 30)], cycle=1)
    again = type(s).model_validate(s.model_dump(mode="json"))
    assert again == s
