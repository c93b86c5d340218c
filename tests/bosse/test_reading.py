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
