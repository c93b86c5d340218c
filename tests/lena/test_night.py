"""The night's plan from what the screens showed (hand-made views, no browser): who is planned again, what
stays, and an open proposal left to the planner."""

from __future__ import annotations

from datetime import date

from robots.lena.model import Group, Place
from robots.lena.night import Read, plan_night
from robots.lena.pages.recipient import RecipientView
from robots.lena.pages.staff import StaffView
from robots.lena.reading import staff_from
from robots.lena.settings import LenaSettings

DAY = date(2026, 11, 24)
SETTINGS = LenaSettings(days_ahead=1, solver_time_limit_seconds=1, solver_deterministic=True)
PASS = {"Datum": "2026-11-24", "Arbetstid": "07:00–16:00", "Rast (min)": "30", "Rast tas": "11:00–13:30", "Frånvaro": "–"}


def _view(rid: str, plan: list[dict[str, str]], draft: dict[str, str] | None = None) -> RecipientView:
    facts = {"Brukare": rid, "Personnummer": "19380412-1240", "Grupp": "NORR", "Koordinater": "56.21100, 15.27800",
             "Språkönskemål": "–", "Fast omsorgskontakt": "–"}
    need = {"Besök": f"D{rid}-20261124-1", "Aktivitet": "Morgonhjälp", "Insats": "Personlig omvårdnad",
            "Dagar": "2026-11-24", "Tidsfönster": "08:00–10:00", "Minuter": "30", "Personal": "1", "Delegering": "–"}
    decisions = [{"Beslut": f"D{rid}", "Insats": "Personlig omvårdnad", "Omfattning": "1 ggr/dag"}]
    return RecipientView(rid, facts, decisions, [], [need], plan, [], draft)


def test_only_a_plan_that_no_longer_holds_is_planned_again_and_an_open_proposal_is_left_alone():
    # B1's published visit is its besöksbehov at 08:00 with P1, who works 07–16: it holds. B2's besöksbehov
    # is not in the plan (a new decision): planned again. B3 has a planner's open proposal: left alone.
    held = [{"Besök": "DB1-20261124-1", "Datum": "2026-11-24", "Tid": "08:00–08:30", "Minuter": "30", "Personal": "P1"}]
    draft = {"Förslag": "F0001", "Period": "2026-11-24 – 2026-11-24", "Skapat av": "planerare"}
    read = Read(DAY, DAY, "lena", {"NORR": Group("NORR", "Grupp Norr", Place(56.2094, 15.2760))},
                {"P1": staff_from(StaffView("P1", "svenska", [], [PASS]), "NORR")},
                {"B1": _view("B1", held), "B2": _view("B2", []), "B3": _view("B3", [], draft)},
                {"F0001": ({**draft, "Brukare": "B3", "Status": "Utkast"}, [], [])})
    night = plan_night(read, SETTINGS)
    items = {(i.kind, i.recipient or i.day): i for i in night.items}
    assert set(items) == {("brukare", "B2"), ("brukare", "B3"), ("dag", "2026-11-24")}
    b2 = items["brukare", "B2"]
    assert b2.reasons == ["Morgonhjälp 2026-11-24 är inte planerat"]
    # P1 takes it after B1's visit (08:00–08:30 stays; the same address, no trip between), inside
    # 08:00–10:00 (the latest start 10:00 − 30 min = 09:30)
    (row,) = b2.planned
    assert row.staff == ["P1"] and "08:30" <= row.start <= "09:30"
    assert items["brukare", "B3"].waiting_draft == "F0001" and items["brukare", "B3"].planned == []
    day = items["dag", "2026-11-24"]
    # granted: three 30-minute visits; planned: B1's (kept) and B2's (new), B3's is in no plan of Lena's
    assert (day.granted, day.planned_day, day.unplaced_visits) == (90, 60, 0)
    # the staff's time: 07:00–16:00 less the 30-minute break = 510 minutes
    assert day.available == 510 and day.staff_used == ["P1"]
