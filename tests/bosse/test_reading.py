"""From the staffing system's Swedish screen text to rules input (no browser)."""

from __future__ import annotations

from datetime import date

import pytest

from robots.bosse.model import Competence
from robots.bosse.pages.shifts import ShiftRow
from robots.bosse.pages.substitutes import SubstituteDetail
from robots.bosse.reading import UnreadableValue, shift_from_row, skills, substitute_from_detail


def test_shift_row_with_a_night_shift_and_skills():
    row = ShiftRow("P-1", "Hemtjänst Centrum (HTC)", "2026-03-31", "21:00–07:00", "Undersköterska", "Körkort B, Läkemedelsdelegering", "Vakant")
    s = shift_from_row(row)
    assert s.unit == "HTC" and s.competence == Competence.underskoterska
    assert s.skills == {"korkort_b", "delegering_lakemedel"}
    assert s.length_min == 10 * 60 and s.end.day == 1  # ends 07:00 on 1 April


def test_unknown_skill_label_stays_a_skill_of_its_own_and_bad_times_are_refused():
    assert skills("Hjärt-lungräddning") == {"Hjärt-lungräddning"}
    assert skills("–") == frozenset()
    with pytest.raises(UnreadableValue):
        shift_from_row(ShiftRow("P-1", "X (X)", "2026-03-31", "kl 7", "Biträde", "–", "Vakant"))


def _detail(**kw) -> SubstituteDetail:
    base = dict(
        id="V1", name="Test Person", competence="Undersköterska", usk="Övergångsrätt t.o.m. 2033-06-30", skills="Demensutbildning",
        employment="Timanställd", hours_this_month="42,5", las_days="120", las_days_3y="100", foretradesratt="Nej",
        units=["SOL", "ROS"], availability=[{"Datum": "2026-03-31", "Från": "00:00", "Till": "00:00"}], booked=[],
    )
    base.update(kw)
    return SubstituteDetail(**base)


def test_substitute_page_to_rules_input():
    m = substitute_from_detail(_detail(), date(2026, 3, 30))
    s = m.substitute
    assert (s.usk_bevis, s.usk_overgang, s.hourly, s.foretradesratt) == (False, True, True, False)
    assert s.units == {"SOL", "ROS"} and s.skills == {"demens"}
    assert s.availability[0].length_min == 24 * 60  # 00:00–00:00 is the whole day
    assert s.month_minutes == {"2026-03": 2550}  # 42,5 h


def test_hours_this_month_already_hold_bookings_but_not_requests_or_next_month():
    booked = [
        {"Pass": "P-1", "Enhet": "SOL", "Datum": "2026-03-31", "Tid": "07:00–16:00", "Typ": "Bokning"},   # in the 42,5 h
        {"Pass": "P-2", "Enhet": "SOL", "Datum": "2026-03-30", "Tid": "13:00–17:00", "Typ": "Förfrågan"},  # + 4 h
        {"Pass": "–", "Enhet": "SOL", "Datum": "2026-04-02", "Tid": "21:00–07:00", "Typ": "Bokning"},     # April 10 h
        {"Pass": "P-9", "Enhet": "SOL", "Datum": "2026-04-03", "Tid": "07:00–16:00", "Typ": "Bokning"},   # skipped
    ]
    m = substitute_from_detail(_detail(booked=booked), date(2026, 3, 30), skip_shift="P-9")
    # March: 42,5 h + 4 h request = 46,5 h = 2790 min. April: 10 h = 600 min.
    assert m.substitute.month_minutes == {"2026-03": 2790, "2026-04": 600}
    assert len(m.substitute.booked) == 3
    assert m.future_booked_dates == (date(2026, 3, 31), date(2026, 4, 2))  # bookings only, not the request


# -- issue 18: rast, birth date and the employment history as the pages show them ----------------------


def test_rast_as_the_list_shows_it():
    from robots.bosse.reading import rast

    day = shift_from_row(ShiftRow("P-1", "X (X)", "2026-03-31", "07:00–16:00", "Biträde", "–", "Vakant", "30 min från 11:30"))
    assert (day.break_minutes, day.break_start.hour, day.break_start.minute) == (30, 11, 30)
    assert day.work_min == 9 * 60 - 30 and day.stretches_min == (4 * 60 + 30, 4 * 60)  # 07–11:30, 12–16
    night = shift_from_row(ShiftRow("P-2", "X (X)", "2026-03-31", "21:00–07:00", "Biträde", "–", "Vakant", "45 min från 02:00"))
    assert night.break_start.day == 1  # 02:00 is after midnight: 1 April
    assert rast("Ingen rast", day.start) == (0, None) and rast("30 min", day.start) == (30, None)
    with pytest.raises(UnreadableValue):
        rast("en halvtimme", day.start)


def _history(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"Från": a, "Till": b, "Anställningsform": f, "Dagar": ""} for a, b, f in rows]


SAVA = "Särskild visstidsanställning (SÄVA)"


def test_las_days_come_from_the_history_not_the_typed_numbers():
    # LAS 5 a § and 3 § (domain brief §4.1): SÄVA 2025-06-09..08-17 = June 9–30 22 + July 31 + Aug 1–17 17 = 70;
    # day contracts 3, 10 and 24 February 2026 = three SÄVA in one month → Feb 3..24 = 22 days. 70 + 22 = 92.
    history = _history(("2025-06-09", "2025-08-17", SAVA), ("2026-02-03", "2026-02-03", SAVA),
                       ("2026-02-10", "2026-02-10", SAVA), ("2026-02-24", "2026-02-24", SAVA))
    m = substitute_from_detail(_detail(history=history, las_days="5", las_days_3y="5", born="2008-06-01"), date(2026, 3, 30))
    assert (m.substitute.las_days, m.substitute.las_days_3y) == (92, 92)
    assert m.substitute.born == date(2008, 6, 1) and m.substitute.age_on(date(2026, 3, 30)) == 17
    # 25 §: 92 days in three years is far from 12 months (361) or 9 months of SÄVA (271).
    assert not m.substitute.foretradesratt
    assert m.foretradesratt_text == "92 anställningsdagar och 92 SÄVA-dagar på 3 år; det krävs 361 respektive 271"


def test_foretradesratt_from_the_history_claim_and_declined_offer():
    # 25 §: a vikariat 2024-09-01..2025-08-31 = 365 days ≥ 361 (more than 12 months in three years);
    # it lasts 9 months after the last day: until 2026-05-31; 27 §: only when claimed.
    history = _history(("2024-09-01", "2025-08-31", "Vikariat"))
    held = substitute_from_detail(_detail(history=history, claimed="2025-09-15"), date(2026, 3, 30))
    assert held.substitute.foretradesratt and held.foretradesratt_text == "gäller till 2026-05-31"
    assert held.substitute.las_days == 0  # a vikariat is no SÄVA day
    assert not substitute_from_detail(_detail(history=history), date(2026, 3, 30)).substitute.foretradesratt
    declined = substitute_from_detail(_detail(history=history, claimed="2025-09-15", declined="2026-01-10"), date(2026, 3, 30))
    assert declined.foretradesratt_text == "tackade nej till ett skäligt erbjudande 2026-01-10"
    expired = substitute_from_detail(_detail(history=history, claimed="2025-09-15"), date(2026, 6, 1))
    assert expired.foretradesratt_text == "företrädesrätten gällde till 2026-05-31"


def test_holders_in_the_order_of_26_paragraph():
    from robots.bosse.reading import ranked

    # 26 §: the longest total employment first; with equal time, the older first.
    # A: 2024-06-01..2025-08-31 = 457 days; B and C: 2024-09-01..2025-08-31 = 365 days, C born earlier.
    on = date(2026, 3, 30)
    long = _history(("2024-06-01", "2025-08-31", "Vikariat"))
    year = _history(("2024-09-01", "2025-08-31", "Vikariat"))
    pool = {
        "A": substitute_from_detail(_detail(id="A", history=long, claimed="2025-09-01", born="1995-01-01"), on),
        "B": substitute_from_detail(_detail(id="B", history=year, claimed="2025-09-01", born="1990-01-01"), on),
        "C": substitute_from_detail(_detail(id="C", history=year, claimed="2025-09-01", born="1980-01-01"), on),
        "D": substitute_from_detail(_detail(id="D"), on),
    }
    assert pool["A"].employment_days == 457
    order = {i: m.substitute.foretradesratt_rank for i, m in ranked(pool).items()}
    assert order == {"A": 1, "C": 2, "B": 3, "D": None}
