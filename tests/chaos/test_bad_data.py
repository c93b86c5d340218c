"""Bad data: what a person typed into a legacy system is not always what a robot expects.

A generated scenario is spoiled in a few cases the way real records are (an impossible date inside a
personnummer, a wrong check digit, absurdly long texts, a malformed amount, an empty amount, an
impossible date, a missing age: ekonomi shows its free-text fields as typed), with everything else left
as generated. Each spoiled case must become `needs_attention` with a message naming the bad field (or,
where the robot does not read the field at all, be handled as if it were fine); the run goes on;
nothing crashes (no technical failure, no stopped run).
"""

from __future__ import annotations

from typing import Any

import pytest

from runner.testing import run_robot
from tests.chaos.harness import (
    Stopwatch,
    chaos_settings,
    chaos_systems,
    duplicates,
    ledger_items,
    make_scenario,
    pending,
    robot_writes,
)
from tests.chaos.profiles import RONNEY

pytestmark = pytest.mark.chaos

LONG = 20_000


def _impossible_date(pnr: str) -> str:
    """'19850412-2384' -> '19851312-2384': month 13."""
    return pnr[:4] + "13" + pnr[6:]


def _wrong_check_digit(pnr: str) -> str:
    return pnr[:-1] + str((int(pnr[-1]) + 1) % 10)


def _spoil_ekonomi(raw: dict[str, Any]) -> dict[str, str]:
    """Spoil five Inkommen applications without supplements; returns case_id -> what was spoiled."""
    chosen = [
        c for c in raw["ekonomi"]["cases"]
        if c["applications"][0]["status"] == "Inkommen" and c["applications"][0]["kind"] == "Återansökan"
        and not c["applications"][0]["supplements"] and c["applications"][0]["incomes"]
        and c["applications"][0]["costs"]
    ][:9]
    assert len(chosen) == 9
    spoiled: dict[str, str] = {}

    def renumber(app: dict[str, Any], person: dict[str, Any], new: str) -> None:
        old = person["personnummer"]
        person["personnummer"] = new
        for income in app["incomes"]:
            if income["personnummer"] == old:
                income["personnummer"] = new

    a = chosen[0]["applications"][0]
    renumber(a, a["household"][0], _impossible_date(a["household"][0]["personnummer"]))
    spoiled[chosen[0]["case_id"]] = "personnummer_date"

    a = chosen[1]["applications"][0]
    renumber(a, a["household"][0], _wrong_check_digit(a["household"][0]["personnummer"]))
    spoiled[chosen[1]["case_id"]] = "personnummer_check_digit"

    a = chosen[2]["applications"][0]
    a["costs"].append({"type": "Övrigt: " + "mycket lång text " * (LONG // 17), "amount": 450})
    spoiled[chosen[2]["case_id"]] = "long_cost_type"

    a = chosen[3]["applications"][0]
    a["incomes"][0]["type"] = "Annan inkomst " * (LONG // 14)
    spoiled[chosen[3]["case_id"]] = "long_income_type"

    a = chosen[4]["applications"][0]
    a["household"][0]["name"] = "Namn " * (LONG // 5)  # Ronney never reads names
    spoiled[chosen[4]["case_id"]] = "long_name"

    # what the old system kept as free text, shown as typed (fixtures/ekonomi/models.py, TypedAmount …)
    a = chosen[5]["applications"][0]
    a["incomes"][0]["amount"] = "12 5OO"  # letter O for zero
    spoiled[chosen[5]["case_id"]] = "malformed_income_amount"

    a = chosen[6]["applications"][0]
    a["costs"][0]["amount"] = ""
    spoiled[chosen[6]["case_id"]] = "missing_cost_amount"

    a = chosen[7]["applications"][0]
    a["attachments"].append({"type": "Hyresavi", "received": "2026-02-30"})
    spoiled[chosen[7]["case_id"]] = "impossible_attachment_date"

    a = chosen[8]["applications"][0]
    a["household"][0]["age"] = ""
    spoiled[chosen[8]["case_id"]] = "missing_age"
    return spoiled


#: what must be named in a needs_attention message, per spoiled field (None: the robot does not read it)
RONNEY_EXPECTED = {
    "personnummer_date": "Personnumret",
    "personnummer_check_digit": "Personnumret",
    "long_cost_type": "Kostnaden",
    "long_income_type": "Inkomsttypen",
    "long_name": None,
    "malformed_income_amount": "Beloppet för inkomsten",
    "missing_cost_amount": "Beloppet för kostnaden",
    "impossible_attachment_date": "Datumet då bilagan ”Hyresavi” kom in",
    "missing_age": "Åldern för den sökande",
}


def test_ronney_bad_data_goes_to_a_person_naming_the_field_and_the_run_goes_on(tmp_path, figures):
    clock = Stopwatch()
    spoiled: dict[str, str] = {}

    def spoil(raw: dict[str, Any]) -> None:
        spoiled.update(_spoil_ekonomi(raw))

    scenario = make_scenario(RONNEY, RONNEY.small_size, mutate=spoil)
    with chaos_systems(scenario) as (systems, _):
        settings = chaos_settings(tmp_path, systems, RONNEY)
        result = run_robot(RONNEY.name, settings)
        items = ledger_items(settings, RONNEY.name)
        writes = robot_writes(systems, scenario, RONNEY)

    assert result.run.status == "completed", result.run.reason
    assert pending(items) == []  # nothing failed, nothing left: the run went on
    assert duplicates(writes) == 0
    for case_id, what in spoiled.items():
        key = next(k for k in result.outcomes if k.startswith(f"{case_id}:"))
        outcome = result.outcomes[key]
        field = RONNEY_EXPECTED[what]
        if field is None:
            assert (what, outcome.status.value != "failed") == (what, True)
            continue
        assert (what, outcome.status.value) == (what, "needs_attention")
        messages = [f.message for f in outcome.findings] + [outcome.summary]
        assert (what, any(field in m for m in messages)) == (what, True)
    figures.add("bad_data", RONNEY.name, items=len(items), spoiled=len(spoiled), lost=0, duplicated=duplicates(writes),
                failed=sum(r.status == "failed" for r in items.values()), seconds=clock.seconds)
