"""What Lena reads off the screens, parsed the way the planning system writes it (hand-made rows)."""

from __future__ import annotations

from datetime import date

import pytest

from robots.lena import reading as rd
from robots.lena.model import Place
from robots.lena.pages.recipient import RecipientView
from robots.lena.pages.staff import StaffView


def test_times_spans_and_lists():
    assert rd.span("07:00–09:00", "x") == (420, 540)  # 7 × 60, 9 × 60
    assert rd.hhmm(455) == "07:35"
    assert rd.listed("P1, P2") == ("P1", "P2") and rd.listed("–") == ()
    assert rd.place("56.21100, 15.27020", "x") == Place(56.211, 15.2702)
    with pytest.raises(rd.ReadError, match="Tid: not a time span"):
        rd.span("kl 7", "Tid")


def test_age_comes_from_the_birth_date_in_the_number_and_a_samordningsnummer_has_day_plus_60():
    assert rd.born("19380412-1240") == date(1938, 4, 12)
    assert rd.born("19380472-1240") == date(1938, 4, 12)  # 72 − 60 = 12
    assert rd.born("380412-1240") is None  # without the century the age is not read


def _recipient(**over) -> RecipientView:
    facts = {"Brukare": "B1", "Personnummer": "19380412-1240", "Grupp": "NORR", "Koordinater": "56.21100, 15.27020",
             "Språkönskemål": "finska", "Fast omsorgskontakt": "P1"}
    base = dict(id="B1", facts=facts, decisions=[], absences=[], needs=[], plan=[], history=[], draft=None)
    return RecipientView(**{**base, **over})


def test_a_recipient_their_absence_and_visits():
    view = _recipient(
        absences=[{"Från": "2026-11-26", "Till": "2026-11-27", "Orsak": "Sjukhusvistelse"}],
        decisions=[{"Beslut": "D1", "Insats": "Personlig omvårdnad", "Omfattning": "2 ggr/dag"},
                   {"Beslut": "D2", "Insats": "Personlig omvårdnad", "Omfattning": "1 ggr/vecka (mån, tis, ons, tor, fre)"}],
        needs=[{"Besök": "D1-20261124-1", "Aktivitet": "Morgonhjälp", "Insats": "Personlig omvårdnad",
                "Dagar": "2026-11-24", "Tidsfönster": "07:00–09:00", "Minuter": "30", "Personal": "2 (dubbelbemanning)",
                "Delegering": "Läkemedelsdelegering"},
               {"Besök": "D2-2026V48-1", "Aktivitet": "Dusch", "Insats": "Personlig omvårdnad",
                "Dagar": "2026-11-24, 2026-11-25", "Tidsfönster": "09:00–15:00", "Minuter": "45", "Personal": "1",
                "Delegering": "–"}])
    r = rd.recipient_from(view)
    assert r.away == frozenset({date(2026, 11, 26), date(2026, 11, 27)})
    assert r.languages == frozenset({"finska"}) and r.contact == "P1" and r.born == date(1938, 4, 12)
    morning, shower = rd.visits_from(view)
    # the latest start is the window's end less the visit: 09:00 − 30 min = 08:30 (510)
    assert (morning.earliest, morning.latest, morning.staff, morning.delegation) == (420, 510, 2, "lakemedel")
    assert shower.weekly and shower.dates == (date(2026, 11, 24), date(2026, 11, 25)) and shower.latest == 14 * 60 + 15
    assert rd.weekdays_of(view) == {"D2": (0, 1, 2, 3, 4)}


def test_a_staff_member_without_the_days_they_are_absent():
    view = StaffView("P2", "svenska, finska", [{"Delegering": "Insulindelegering", "Från": "2026-03-01", "Till": "2027-02-28"}],
                     [{"Datum": "2026-11-24", "Arbetstid": "07:00–16:00", "Rast (min)": "30", "Rast tas": "11:00–13:30", "Frånvaro": "–"},
                      {"Datum": "2026-11-25", "Arbetstid": "07:00–16:00", "Rast (min)": "30", "Rast tas": "11:00–13:30", "Frånvaro": "Sjuk"}])
    s = rd.staff_from(view, "NORR")
    assert list(s.shifts) == [date(2026, 11, 24)]
    assert (s.shifts[date(2026, 11, 24)].break_from, s.shifts[date(2026, 11, 24)].break_to) == (660, 810)
    assert s.may("insulin", date(2026, 11, 24)) and not s.may("lakemedel", date(2026, 11, 24))
