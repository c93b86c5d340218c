"""The home-care planning system `hemtjanst`: its scenario section refused with the path of a bad value,
the visits it derives from decisions (worked by hand), and its proposal form's every refusal, over HTTP
as a browser posts it. The robot's end-to-end tests drive the same pages in Chromium."""

from __future__ import annotations

import copy
import json
import random
import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from fixtures.hemtjanst import logic
from fixtures.hemtjanst.models import HemtjanstData
from fixtures.hemtjanst.system import SPEC
from fixtures.scenario import ScenarioError, parse_scenario
from fixtures.server import start_systems

TODAY = date(2026, 11, 23)  # a Monday; the period is Tuesday 24th to Monday 30th


def section() -> dict[str, Any]:
    """One group, two recipients, three staff: small enough to work out by hand."""
    shift = {"start": "07:00", "end": "16:00", "break_minutes": 30, "break_start": "11:00", "break_end": "13:30"}
    days = [TODAY + timedelta(days=i) for i in range(-14, 21)]
    return {
        "unit": "Hemtjänst Test",
        "groups": [{"code": "NORR", "name": "Grupp Norr", "address": "Järnvägsgatan 2", "lat": 56.2094, "lon": 15.2760}],
        "recipients": [
            {"id": "B1", "name": "Greta Lind", "personnummer": "19380412-1240", "group": "NORR", "address": "Storgatan 3",
             "lat": 56.2110, "lon": 15.2702, "languages": ["finska"], "contact": "P1"},
            {"id": "B2", "name": "Sven Ek", "personnummer": "19420101-1232", "group": "NORR", "address": "Kyrkogatan 8",
             "lat": 56.2050, "lon": 15.2850},
        ],
        "decisions": [
            {"id": "D1", "recipient": "B1", "insats": "omvardnad", "activity": "Morgonhjälp", "minutes": 30,
             "delegation": "lakemedel", "times": [{"start": "07:00", "end": "09:00"}, {"start": "19:00", "end": "21:00"}],
             "valid_from": "2026-01-01", "changed": "2026-11-01T10:00:00+01:00"},
            {"id": "D2", "recipient": "B1", "insats": "omvardnad", "activity": "Dusch", "minutes": 45, "per_week": 1,
             "days": ["mon", "tue", "wed", "thu", "fri"], "times": [{"start": "09:00", "end": "15:00"}],
             "valid_from": "2026-01-01", "changed": "2026-11-01T10:00:00+01:00"},
            {"id": "D3", "recipient": "B2", "insats": "omvardnad", "activity": "Förflyttning", "minutes": 20, "staff": 2,
             "times": [{"start": "08:00", "end": "10:00"}], "valid_from": "2026-01-01", "valid_to": "2026-11-26",
             "changed": "2026-11-20T09:00:00+01:00"},
            {"id": "D4", "recipient": "B2", "insats": "trygghetslarm", "activity": "Trygghetslarm", "minutes": 15,
             "valid_from": "2026-01-01", "changed": "2026-11-01T10:00:00+01:00"},
        ],
        "recipient_absences": [{"recipient": "B1", "start": "2026-11-26", "end": "2026-11-27", "reason": "sjukhus"}],
        "staff": [
            {"id": "P1", "name": "Anna Berg", "group": "NORR", "languages": ["svenska", "finska"],
             "delegations": [{"kind": "lakemedel", "valid_from": "2026-03-01", "valid_to": "2027-02-28", "by": "Ssk Ek"}]},
            {"id": "P2", "name": "Bo Ström", "group": "NORR"},
            {"id": "P3", "name": "Cissi Ahl", "group": "NORR", "title": "vardbitrade"},
        ],
        "schedules": [{"staff": s, "date": d.isoformat(), **shift} for s in ("P1", "P2", "P3") for d in days],
        "staff_absences": [{"staff": "P2", "start": "2026-11-25", "end": "2026-11-25", "reason": "sjuk"}],
        "plan": {"published": "2026-11-16T08:00:00+01:00", "by": "planerare",
                 "visits": [{"id": "V1", "need": "D2-2026V48-1", "date": "2026-11-23", "start": "10:00",
                             "minutes": 45, "staff": ["P1"]}]},
    }


def scenario(data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": "hemtjanst-test", "today": TODAY.isoformat(),
            "accounts": {"hemtjanst": {"username": "lena", "password": "natt-2026"}},
            "hemtjanst": data or section()}


# -- the scenario section -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda s: s["decisions"][0]["times"][0].update(end="07:20"),
         "hemtjanst.decisions[0].times[0].end: the window is shorter than the visit (30 min)"),
        (lambda s: s["decisions"][1].update(per_week=6),
         "hemtjanst.decisions[1].per_week: more occasions a week than allowed days"),
        (lambda s: s["decisions"][3].update(times=[{"start": "08:00", "end": "09:00"}]),
         "hemtjanst.decisions[3].times: an alarm decision is answered when the alarm goes, it has no planned times"),
        (lambda s: s["recipients"][1].update(contact="P9"), "hemtjanst.recipients[1].contact: unknown staff 'P9'"),
        (lambda s: s["recipients"][0].update(languages=["klingon"]), "hemtjanst.recipients[0].languages: unknown language 'klingon'"),
        (lambda s: s["schedules"].append(dict(s["schedules"][0])),
         "hemtjanst.schedules[105].date: a second pass for P1 that day (one pass a day)"),
        (lambda s: s["schedules"][3].update(break_start="06:00"),
         "hemtjanst.schedules[3].break_start: the break window lies outside the pass"),
        (lambda s: s["plan"]["visits"][0]["staff"].append("P1"), "hemtjanst.plan.visits[0].staff: the same staff member is given twice"),
        (lambda s: s["staff_absences"][0].update(end="2026-11-20"), "hemtjanst.staff_absences[0].end: before start"),
        (lambda s: s["decisions"][0].update(id="D-1"), "hemtjanst.decisions[0].id: String should match pattern"),
    ],
)
def test_a_bad_value_is_refused_with_its_path(change, expected):
    data = section()
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(scenario(data), "t.json")
    assert f"scenario 't.json': {expected}" in str(caught.value)


def test_the_section_loads_and_the_generator_is_valid_and_fixed_by_its_seed():
    parse_scenario(scenario(), "t.json", strict=True)
    one = SPEC.generate(random.Random("s:hemtjanst"), 60, TODAY)
    two = SPEC.generate(random.Random("s:hemtjanst"), 60, TODAY)
    assert json.dumps(one, default=str) == json.dumps(two, default=str)
    data = HemtjanstData.model_validate(one)
    assert len(data.recipients) == 60 and len(data.groups) == 1 and len(data.staff) == 16
    # the night's changes came after the published plan
    assert any(d.changed > data.plan.published for d in data.decisions)  # type: ignore[operator]


# -- besöksbehov -------------------------------------------------------------------------------------------------


def test_the_visits_a_period_asks_for():
    data = HemtjanstData.model_validate(section())
    b1, b2 = data.recipients
    start, end = TODAY + timedelta(days=1), TODAY + timedelta(days=7)  # Tue 24 … Mon 30
    ids = [n.id for n in logic.needs(data, b1, start, end)]
    # D1 twice a day, but not Thu 26 and Fri 27 (hospital): 5 days × 2 = 10. D2 once a week Mon–Fri:
    # week 48 is in the period (its last allowed day, Fri 27, is in it) but was done on Mon 23 already;
    # week 49's last allowed day, Fri Dec 4, is after the period: planned on a later night.
    assert ids == ["D1-20261124-1", "D1-20261124-2", "D1-20261125-1", "D1-20261125-2",
                   "D1-20261128-1", "D1-20261128-2", "D1-20261129-1", "D1-20261129-2",
                   "D1-20261130-1", "D1-20261130-2"]
    # D3 ends on Thursday 26th: Tue, Wed, Thu; the alarm (D4) has no planned visits
    assert [n.id for n in logic.needs(data, b2, start, end)] == ["D3-20261124-1", "D3-20261125-1", "D3-20261126-1"]
    # without Monday's shower, week 48's shower is for Tue 24 (Thu 26, Fri 27: in hospital) or Wed 25
    data.plan.visits.clear()
    weekly = [n for n in logic.needs(data, b1, start, end) if n.weekly]
    assert [(n.id, n.dates) for n in weekly] == [("D2-2026V48-1", (date(2026, 11, 24), date(2026, 11, 25)))]
    assert (weekly[0].earliest, weekly[0].latest) == (9 * 60, 15 * 60 - 45)  # starts 09:00 … 14:15


# -- the pages and the proposal form -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    path = tmp_path_factory.mktemp("hemtjanst") / "s.json"
    path.write_text(json.dumps(scenario()), encoding="utf-8")
    with start_systems(path, ports=0) as running:
        yield running


@pytest.fixture
def client(system):
    system.reset()
    with httpx.Client(base_url=system.url("hemtjanst"), follow_redirects=True, timeout=30) as c:
        assert c.post("/login", data={"username": "lena", "password": "natt-2026", "next": "/grupper"}).status_code == 200
        yield c


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_login_is_needed_and_the_pages_show_what_the_robot_reads(system, client):
    with httpx.Client(base_url=system.url("hemtjanst")) as anonymous:
        assert anonymous.get("/brukare/B1").status_code == 303
    page = client.get("/brukare/B1")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Språkönskemål finska" in text and "Fast omsorgskontakt P1" in text
    assert "D1-20261124-1 Morgonhjälp Personlig omvårdnad 2026-11-24 07:00–09:00 30 1 Läkemedelsdelegering" in text
    assert "2026-11-26 2026-11-27 Sjukhusvistelse" in text
    staff = _text(client.get("/personal/P2").text)
    assert "2026-11-25 07:00–16:00 30 11:00–13:30 Sjuk" in staff
    assert client.get("/brukare/B9").status_code == 404


def _propose(client, rid: str, fields: dict[str, str], start="2026-11-24", end="2026-11-30") -> httpx.Response:
    return client.post(f"/brukare/{rid}/forslag", data={"fran": start, "till": end, **fields})


def test_a_proposal_is_saved_as_a_draft_and_never_twice(system, client):
    fields = {"tid-D3-20261124-1": "08:00", "personal-D3-20261124-1": "P1", "personal2-D3-20261124-1": "P3",
              "orsak-D3-20261125-1": "P2 sjuk"}
    saved = _propose(client, "B2", fields)
    assert saved.status_code == 200 and "/forslag/F0001" in str(saved.url)
    assert "Förslaget F0001 är sparat som utkast." in saved.text
    state = system.state("hemtjanst")
    assert state["drafts"][0]["visits"] == [{"need": "D3-20261124-1", "date": "2026-11-24", "start": "08:00",
                                             "minutes": 20, "staff": ["P1", "P3"]}]
    assert state["drafts"][0]["unplaced"] == [{"need": "D3-20261125-1", "reason": "P2 sjuk"},
                                              {"need": "D3-20261126-1", "reason": ""}]
    assert state["drafts"][0]["by"] == "lena" and state["drafts"][0]["status"] == "utkast"
    again = _propose(client, "B2", fields)
    assert again.status_code == 422
    assert "Det finns redan ett förslag (F0001) för brukaren under perioden. Ett förslag i taget." in again.text
    assert len(system.state("hemtjanst")["drafts"]) == 1
    # the form page now shows the draft instead of a form
    assert 'id="finns-forslag"' in client.get("/brukare/B2/forslag").text


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"tid-D1-20261124-1": "08:45", "personal-D1-20261124-1": "P1"}, "tid-D1-20261124-1",
         "Besöket ska ligga inom 07:00–09:00 (30 min)."),
        ({"tid-D1-20261124-1": "7.30", "personal-D1-20261124-1": "P1"}, "tid-D1-20261124-1",
         "Ange tiden som TT:MM, t.ex. 07:30."),
        ({"tid-D1-20261124-1": "07:30"}, "personal-D1-20261124-1", "Ange både tid och personal, eller lämna raden tom."),
        ({"tid-D1-20261124-1": "07:30", "personal-D1-20261124-1": "P3"}, "personal-D1-20261124-1",
         "P3 saknar giltig läkemedelsdelegering den 2026-11-24."),
        ({"tid-D1-20261125-1": "07:30", "personal-D1-20261125-1": "P9"}, "personal-D1-20261125-1",
         "Det finns ingen personal med id P9."),
        ({"tid-D1-20261124-2": "19:00", "personal-D1-20261124-2": "P1"}, "personal-D1-20261124-2",
         "P1 arbetar inte 19:00–19:30 den 2026-11-24."),
        ({"tid-D1-20261124-1": "07:30", "personal-D1-20261124-1": "P1", "personal2-D1-20261124-1": "P3"},
         "personal2-D1-20261124-1", "Besöket är beviljat för en personal."),
    ],
)
def test_each_refusal_of_the_form_is_at_its_field(system, client, fields, field, message):
    answer = _propose(client, "B1", fields)
    assert answer.status_code == 422
    assert f'<span class="field-error" id="{field}-error">{message}</span>' in answer.text
    assert 'id="form-errors"' in answer.text
    assert system.state("hemtjanst")["drafts"] == []


def test_two_staff_one_person_in_two_places_and_an_absent_person(system, client):
    one = _propose(client, "B2", {"tid-D3-20261124-1": "08:00", "personal-D3-20261124-1": "P1"})
    assert "Besöket kräver två personal (dubbelbemanning)." in one.text
    same = _propose(client, "B2", {"tid-D3-20261124-1": "08:00", "personal-D3-20261124-1": "P1",
                                   "personal2-D3-20261124-1": "P1"})
    assert "Ange två olika personal." in same.text
    sick = _propose(client, "B2", {"tid-D3-20261125-1": "08:00", "personal-D3-20261125-1": "P1",
                                   "personal2-D3-20261125-1": "P2"})
    assert "P2 är frånvarande den 2026-11-25 (sjuk)." in sick.text
    # P1 at B2 08:00–08:20 in a saved proposal; B1's morning visit with P1 at 08:10 overlaps it
    assert _propose(client, "B2", {"tid-D3-20261124-1": "08:00", "personal-D3-20261124-1": "P1",
                                   "personal2-D3-20261124-1": "P3"}).status_code == 200
    clash = _propose(client, "B1", {"tid-D1-20261124-1": "08:10", "personal-D1-20261124-1": "P1"})
    assert "P1 är redan planerad 08:00–08:20 den 2026-11-24 (hos en annan brukare)." in clash.text


def test_a_weekly_visit_needs_one_of_its_days_and_the_period_must_lie_ahead(tmp_path):
    data = section()
    data["plan"]["visits"] = []  # no shower on Monday: week 48 asks for one on Tue 24 or Wed 25 (see above)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario(data)), encoding="utf-8")
    with start_systems(path, ports=0) as running, httpx.Client(base_url=running.url("hemtjanst"),
                                                               follow_redirects=True, timeout=30) as c:
        c.post("/login", data={"username": "lena", "password": "natt-2026", "next": "/grupper"})
        answer = _propose(c, "B1", {"datum-D2-2026V48-1": "2026-11-26", "tid-D2-2026V48-1": "10:00",
                                    "personal-D2-2026V48-1": "P1"})
        assert "Välj en av dagarna: 2026-11-24, 2026-11-25." in answer.text
        today = _propose(c, "B1", {}, start="2026-11-23", end="2026-11-29")
        assert "Planeringen gäller från och med i morgon; dagens plan ändras i dagplaneringen." in today.text
        assert running.state("hemtjanst")["drafts"] == []


def test_a_planner_approves_a_proposal_into_the_plan(system, client):
    saved = _propose(client, "B2", {"tid-D3-20261124-1": "08:30", "personal-D3-20261124-1": "P1",
                                    "personal2-D3-20261124-1": "P3"})
    assert client.post(str(saved.url).replace(system.url("hemtjanst"), "") + "/godkann").status_code == 200
    state = system.state("hemtjanst")
    assert state["drafts"][0]["status"] == "godkand" and state["drafts"][0]["approved_by"] == "lena"
    assert {"id": "V000002", "need": "D3-20261124-1", "date": "2026-11-24", "start": "08:30", "minutes": 20,
            "staff": ["P1", "P3"]} in state["plan"]["visits"]


def test_a_sick_call_in_the_night(system, client):
    body = {"staff": "P1", "start": "2026-11-24", "end": "2026-11-24", "reason": "sjuk"}
    assert httpx.post(system.url("hemtjanst") + "/_admin/hemtjanst/franvaro", json=body).json() == {"ok": True}
    assert "Sjuk" in _text(client.get("/personal/P1").text)
    bad = httpx.post(system.url("hemtjanst") + "/_admin/hemtjanst/franvaro", json={**body, "staff": "P9"})
    assert bad.status_code == 422


def test_changed_pages_rename_what_the_robot_relies_on(system, client):
    system.set_faults("hemtjanst", changed_pages=["brukare", "forslag"])
    try:
        assert 'id="insatsbehov"' in client.get("/brukare/B1").text
        form = client.get("/brukare/B1/forslag").text
        assert 'id="planeringsunderlag"' in form and 'id="starttid-D1-20261124-1"' in form
    finally:
        system.set_faults("hemtjanst", changed_pages=[])


def test_the_section_copy_is_never_changed_by_a_write(system, client):
    before = copy.deepcopy(system.scenario.sections["hemtjanst"].model_dump(mode="json"))
    _propose(client, "B2", {"tid-D3-20261124-1": "08:00", "personal-D3-20261124-1": "P1", "personal2-D3-20261124-1": "P3"})
    assert system.scenario.sections["hemtjanst"].model_dump(mode="json") == before
    system.reset()
    assert system.state("hemtjanst")["drafts"] == []
