"""Rule years end to end (issue 18): an application for January 2027 arrives in December 2026, before the 2027
riksnorm is loaded. It is never calculated with the 2026 table; it goes to a person naming the missing
file, and adding the table is a data file in `rules_dir` plus nothing else (robots/ronney/README.md).

Scenario fixtures/scenarios/ronney_rule_years.json, the night of 2026-12-20, real engine and Chromium.
Riksnorm 2026 (SoF 2025:468 12 kap. 2 § as amended by SFS 2025:1046): ensamstående 3 940, household-common
1 person 1 280.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.api import Status

from fixtures.server import start_systems
from robots.ronney.rules.riksnorm import DATA_DIR
from tests.ronney.conftest import ronney_notes, run_ronney, statuses


@pytest.fixture
def rule_years():
    with start_systems("ronney_rule_years", ports=0) as systems:
        yield systems


def test_a_month_without_its_riksnorm_goes_to_a_person_until_the_table_is_added(tmp_path: Path, rule_years):
    first = run_ronney(tmp_path, rule_years)
    assert first.run.status == "completed"
    january, december = first.outcomes["3001:2027-01"], first.outcomes["3002:2026-12"]

    # January 2027: no riksnorm_2027.toml → no calculation, no note, status as it was
    assert january.status == Status.needs_attention
    assert [f.code for f in january.findings] == ["NORM_SAKNAS"]
    assert "riksnorm_2027.toml" in january.findings[0].message
    assert "räknas aldrig med ett äldre års tabell" in january.findings[0].message
    assert "amount" not in january.data
    assert ronney_notes(rule_years)["3001"] == []
    assert statuses(rule_years)["3001"] == "Inkommen"

    # December 2026, the same night, with the 2026 table:
    # 3 940 + 1 280 = 5 220; hyra 4 500 → behov 9 720; a-kassa November 6 000 → 3 720
    assert december.status == Status.prepared
    assert (december.data["amount"], december.data["norm_year"]) == (3720, 2026)

    # the municipality adds the 2027 table as a data file (here: the 2026 figures, marked not official)
    rules = tmp_path / "regler"
    rules.mkdir()
    text = (DATA_DIR / "riksnorm_2026.toml").read_text(encoding="utf-8")
    text = text.replace("year = 2026", "year = 2027").replace("official = true", "official = false")
    text = text.replace('valid_from = "2026-01-01"', 'valid_from = "2027-01-01"')
    (rules / "riksnorm_2027.toml").write_text(text, encoding="utf-8")

    # next night (a new ledger, so January is looked at again): calculated with the 2027 table
    # 3 940 + 1 280 = 5 220; hyra 4 900 → 10 120; a-kassa December 7 000 → 3 120; an unofficial table → a person
    second = run_ronney(tmp_path, rule_years, ledger="b", rules_dir=str(rules))
    january = second.outcomes["3001:2027-01"]
    assert january.status == Status.needs_attention
    assert [f.code for f in january.findings] == ["NORM_EJ_OFFICIELL"]
    assert (january.data["amount"], january.data["norm_year"], january.data["norm_official"]) == (3120, 2027, False)
    notes = ronney_notes(rule_years)["3001"]
    assert [n["title"] for n in notes] == ["Underlag från Ronney – januari 2027"]
    assert "UPPSKATTAD, EJ OFFICIELL" in notes[0]["text"]
