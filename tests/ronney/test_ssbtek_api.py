"""The SSBTEK stand-in: API key, incomes per agency and month, agency errors, refusals, downtime."""

from __future__ import annotations

import httpx
import pytest

from fixtures.scenario import load_scenario
from fixtures.server import start_systems

KEY = {"X-Api-Key": "ssbtek-golden-nyckel-1"}


@pytest.fixture(scope="module")
def ssbtek():
    scenario = load_scenario("ronney_golden")
    with start_systems(scenario, systems=["ssbtek"], ports=0) as systems:
        yield systems, scenario


def number(scenario, case_id: str, index: int = 0) -> str:
    case = next(c for c in scenario.sections["ekonomi"].cases if c.case_id == case_id)
    return case.applications[0].household[index].personnummer


def post(systems, body, headers=KEY):
    return httpx.post(systems.url("ssbtek") + "/api/v1/inkomster", json=body, headers=headers)


def test_incomes_by_agency_for_a_month_range(ssbtek):
    systems, scenario = ssbtek
    r = post(systems, {"personnummer": number(scenario, "1002"), "fran": "2025-10", "till": "2025-11"})
    assert r.status_code == 200
    months = r.json()["manader"]
    assert [m["manad"] for m in months] == ["2025-10", "2025-11"]
    assert months[0]["inkomster"] == []
    assert {(i["myndighet"], i["typ"], i["belopp"]) for i in months[1]["inkomster"]} == {
        ("SO", "A-kassa", 9000), ("FK", "Barnbidrag", 5000), ("FK", "Flerbarnstillägg", 1740)}
    assert r.json()["fel"] == []


def test_an_agency_error_is_reported_next_to_the_answer(ssbtek):
    systems, scenario = ssbtek
    body = post(systems, {"personnummer": number(scenario, "1009"), "fran": "2025-11"}).json()
    assert body["fel"] == [{"myndighet": "FK", "meddelande": "Tjänsten svarade inte i tid"}]


def test_refusals(ssbtek):
    systems, scenario = ssbtek
    assert post(systems, {"personnummer": number(scenario, "1001"), "fran": "2025-11"}, headers={}).status_code == 401
    assert post(systems, {"personnummer": number(scenario, "1001"), "fran": "2025-11"},
                headers={"X-Api-Key": "fel-nyckel"}).status_code == 401
    bad = post(systems, {"personnummer": number(scenario, "1015", 1), "fran": "2025-11"})  # wrong check digit
    assert bad.status_code == 400 and "Ogiltigt personnummer" in bad.json()["error"]
    assert post(systems, {"personnummer": number(scenario, "1001"), "fran": "2025-13"}).status_code == 400


def test_down_and_back(ssbtek):
    systems, scenario = ssbtek
    systems.set_faults("ssbtek", down=True)
    try:
        assert post(systems, {"personnummer": number(scenario, "1001"), "fran": "2025-11"}).status_code == 503
    finally:
        systems.set_faults("ssbtek", down=False)
    assert post(systems, {"personnummer": number(scenario, "1001"), "fran": "2025-11"}).status_code == 200
