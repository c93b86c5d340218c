"""LAS day counting and the booking mode, hand-worked."""

from __future__ import annotations

from datetime import date

from robots.bosse import las
from robots.bosse.mode import BOOK, REQUEST, booking_mode, red_day_name
from tests.bosse.helpers import at


def test_each_day_counts_once():
    # Two engagements in April and one in May: 2 + 1 = 3 days (no month has three).
    assert las.added_days([date(2026, 4, 2), date(2026, 4, 9), date(2026, 5, 1), date(2026, 4, 9)]) == 3


def test_three_in_a_month_counts_the_days_between():
    # April 2, 9 and 16: three engagements in one month → April 2..16 = 15 days (ka.se's example).
    assert las.added_days([date(2026, 4, 2), date(2026, 4, 9), date(2026, 4, 16)]) == 15
    # Plus May 1 alone: 15 + 1 = 16.
    assert las.added_days([date(2026, 4, 2), date(2026, 4, 9), date(2026, 4, 16), date(2026, 5, 1)]) == 16


def test_thresholds_and_notes():
    # 12 LAS months of 30 days = 360; "more than 12 months" = 361. 9 months = 270 → 271.
    assert las.CONVERSION_DAYS == 12 * 30 + 1
    assert las.FORETRADESRATT_DAYS == 9 * 30 + 1
    row = las.LasRow("V1", "x", las_days=355, projected=362, las_days_3y=260, projected_3y=267, foretradesratt=False)
    notes = las.las_notes(row, warning_days=330, margin_days=30)
    assert notes[0].startswith("Passerar konverteringsgränsen")
    assert notes[1] == "Nära företrädesrätt: 4 dagar kvar"  # 271 − 267 = 4
    quiet = las.LasRow("V2", "y", 100, 102, 100, 102, False)
    assert las.las_notes(quiet, 330, 30) == []
    crossing = las.LasRow("V3", "z", 300, 305, 269, 272, False)
    # 305 ≥ 361 − 30 = 331? No. 272 ≥ 271 and 269 < 271: reaches företrädesrätt with the booked shifts.
    assert las.las_notes(crossing, 330, 30) == ["Når företrädesrätt (271 dagar SÄVA på 3 år) med bokade pass"]


def test_booking_mode_by_calendar():
    now = at("2026-03-30 01:30")  # Monday night
    tue = (at("2026-03-31 07:00"), at("2026-03-31 16:00"))
    assert booking_mode(*tue, now) == (BOOK, "vardag")
    # Långfredagen 2026-04-03 is a public holiday.
    assert booking_mode(at("2026-04-03 07:00"), at("2026-04-03 16:00"), now) == (REQUEST, "helgdag (Långfredagen)")
    # Saturday 04-04 (påskafton is not a red day in PUBLIC/DE_FACTO): weekend.
    assert booking_mode(at("2026-04-04 07:00"), at("2026-04-04 16:00"), now) == (REQUEST, "helg")
    # Same day: a shift starting 2026-03-30 13:30 with now 01:30 the same day.
    assert booking_mode(at("2026-03-30 13:30"), at("2026-03-30 21:30"), now) == (REQUEST, "pass samma dag")
    # Turned off by settings: booked directly.
    assert booking_mode(at("2026-04-04 07:00"), at("2026-04-04 16:00"), now, weekends=False)[0] == BOOK
    # Short shifts only when configured: 3 h < 4 h.
    short = (at("2026-03-31 08:00"), at("2026-03-31 11:00"))
    assert booking_mode(*short, now)[0] == BOOK
    assert booking_mode(*short, now, shorter_than_hours=4) == (REQUEST, "pass kortare än 4 timmar")


def test_de_facto_holidays_count_as_red_days():
    assert red_day_name(date(2026, 12, 24)) == "Julafton"
    assert red_day_name(date(2026, 6, 19)) == "Midsommarafton"
    assert red_day_name(date(2026, 3, 31)) is None


def test_the_las_warning_on_a_booking_counts_three_in_a_month():
    # LAS 3 § (domain brief §4.1 [V]): with three or more SÄVA in a calendar month the time between counts.
    # History: SÄVA 2025-04-01..2026-02-14 = Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30 + Oct 31
    # + Nov 30 + Dec 31 + Jan 31 + Feb 14 = 320 LAS days today. Booked ahead: 2 and 9 April. The shift on
    # 20 April is April's third SÄVA: April 2..20 = 19 days, so 320 + 19 = 339 ≥ the warning level 330
    # (one day per shift would say 320 + 3 = 323 and no warning).
    from robots.bosse.item import Person, ShiftFacts
    from robots.bosse.las import Engagement
    from robots.bosse.reading import PoolMember
    from robots.bosse.robot import BosseSettings, _done
    from runner.api import Link
    from tests.bosse.helpers import shift, sub

    history = (Engagement(date(2025, 4, 1), date(2026, 2, 14)),)
    assert las.conversion_count(history, date(2026, 3, 30)).days == 320
    person = sub("V1", history=history, las_days=320)
    member = PoolMember(substitute=person, name="Test Person", future_booked_dates=(date(2026, 4, 2), date(2026, 4, 9)))
    s = shift("P1", "2026-04-20 07:00", "15:00")
    facts = ShiftFacts(**s.model_dump(), unit_label="Solgläntan (SOL)", competence_label="Biträde", skills_label="")
    out = _done(shift=facts, cand=Person(id="V1", name="Test Person"), member=member, mode=BOOK, why="vardag", tried=[],
                evidence=[], link=Link(label="Passet", url="http://x/pass/P1"), settings=BosseSettings(), dry_run=True)
    warning = next(f for f in out.findings if f.code == "las_varning")
    assert "har 320 LAS-dagar och når 339 med passet och 2 bokade pass" in warning.message
    # Without the two bookings ahead the shift is one SÄVA in April: 321, under the warning level.
    alone = PoolMember(substitute=person, name="Test Person", future_booked_dates=())
    out = _done(shift=facts, cand=Person(id="V1", name="Test Person"), member=alone, mode=BOOK, why="vardag", tried=[],
                evidence=[], link=Link(label="Passet", url="http://x/pass/P1"), settings=BosseSettings(), dry_run=True)
    assert not any(f.code == "las_varning" for f in out.findings)
