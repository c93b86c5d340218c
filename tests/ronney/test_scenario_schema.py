"""The ekonomi and ssbtek scenario sections hold the everyday cases, and a bad value is named by its path.

New in issue 18: a child's växelvis boende or umgänge with the days in the household, a young person's
studies, incomes with gross amount and payment date, saved calculations with need and counted incomes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from fixtures.scenario import ScenarioError, parse_scenario, resolve


def golden() -> dict[str, Any]:
    return json.loads(resolve("ronney_golden").read_text(encoding="utf-8"))


def refused(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw, "x.json", strict=True)
    return str(caught.value)


def first_app(raw: dict[str, Any], case: int = 1) -> dict[str, Any]:
    return raw["ekonomi"]["cases"][case]["applications"][0]


def test_the_new_fields_load():
    raw = golden()
    app = first_app(raw)
    app["household"][2].update(living="växelvis", days=15)
    app["household"][5].update(studies="gymnasieskola")
    app["incomes"][0].update(gross=12500, paid="2025-11-25")
    raw["ekonomi"]["cases"][1]["calculations"][0].update(needs=34790, counted_incomes=15740)
    raw["ssbtek"]["incomes"][0].update(gross=9000, paid="2025-11-18")
    loaded = parse_scenario(raw, "x.json", strict=True)
    person = loaded.sections["ekonomi"].cases[1].applications[0].household[2]
    assert (person.living, person.days) == ("växelvis", 15)


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda r: first_app(r)["household"][2].update(living="umgänge"),
     "ekonomi.cases[1].applications[0].household[2].days", "needed with växelvis boende or umgänge"),
    (lambda r: (first_app(r).update(month="2026-02"), first_app(r)["household"][2].update(living="växelvis", days=29)),
     "ekonomi.cases[1].applications[0].household[2].days", "2026-02 has only 28 days"),
    (lambda r: first_app(r, 0)["household"].__setitem__(0, {**first_app(r, 0)["household"][0], "living": "växelvis", "days": 3}),
     "ekonomi.cases[0].applications[0].household[0].living", "växelvis boende and umgänge are for children"),
    (lambda r: first_app(r)["household"][2].update(days=12),
     "ekonomi.cases[1].applications[0].household[2].days", "only for växelvis boende or umgänge"),
    (lambda r: first_app(r)["household"][5].update(studies="universitet"),
     "ekonomi.cases[1].applications[0].household[5].studies", "Input should be"),
    (lambda r: first_app(r)["incomes"][0].update(gross=100),
     "ekonomi.cases[1].applications[0].incomes[0].gross", "must not be below the net amount"),
    (lambda r: r["ssbtek"]["incomes"][0].update(paid="2025-12-02"),
     "ssbtek.incomes[0].paid", "the payment date must lie in the income's month"),
    (lambda r: r["ekonomi"]["cases"][1]["calculations"][0].update(needs=-1),
     "ekonomi.cases[1].calculations[0].needs", "greater than or equal to 0"),
])
def test_a_bad_value_is_named_by_its_path(change, path, message):
    raw = golden()
    change(raw)
    text = refused(raw)
    assert f"scenario 'x.json': {path}: " in text and message in text


def test_ekonomi_and_ssbtek_show_the_new_fields():
    import httpx

    from fixtures.server import start_systems

    raw = golden()
    app = first_app(raw)
    app["household"][2].update(living="växelvis", days=15)
    app["household"][5].update(studies="gymnasieskola")
    app["incomes"][0].update(gross=12500, paid="2025-11-25")
    raw["ekonomi"]["cases"][1]["calculations"][0].update(needs=34790, counted_incomes=15740)
    pnr = raw["ssbtek"]["incomes"][0]["personnummer"]
    raw["ssbtek"]["incomes"][0].update(gross=9000, paid="2025-11-18")
    with start_systems(parse_scenario(raw, "x.json", strict=True), ports=0) as systems:
        with httpx.Client(base_url=systems.url("ekonomi"), timeout=10) as web:
            web.post("/login", data={"username": "ronney", "password": "ekonomi-golden-1"})
            page = web.get("/arenden/1002/ansokan/2025-12").text
        answer = httpx.post(systems.url("ssbtek") + "/api/v1/inkomster", json={"personnummer": pnr, "fran": "2025-11"},
                            headers={"X-Api-Key": "ssbtek-golden-nyckel-1"}).json()
    for shown in ("<th>Boende</th>", "<td>Växelvis boende</td><td>15</td>", "<td>Gymnasieskola</td>",
                  "<th>Brutto</th><th>Utbetald</th>", "12\u00a0500\u00a0kr</td><td>2025-11-25</td>",
                  "<th>Behov</th><th>Inkomster som räknades</th>", "34\u00a0790\u00a0kr"):
        assert shown in page
    first = answer["manader"][0]["inkomster"][0]
    assert (first["brutto"], first["utbetald"]) == (9000, "2025-11-18")
