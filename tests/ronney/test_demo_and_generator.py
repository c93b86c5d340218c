"""The demo contribution gives every Ronney outcome; the generator is deterministic, consistent and linear."""

from __future__ import annotations

import random
from datetime import date

from runner.api import Status

from fixtures.ekonomi.generate import generate as generate_ekonomi
from fixtures.ekonomi.models import EkonomiData
from fixtures.server import start_systems
from fixtures.ssbtek.generate import generate as generate_ssbtek
from fixtures.ssbtek.models import SsbtekData
from tests.ronney.conftest import run_ronney

TODAY = date(2026, 11, 23)


def test_demo_gives_every_outcome(tmp_path):
    with start_systems("demo_ronney", ports=0) as systems:
        result = run_ronney(tmp_path, systems, max_attempts=2)
    by_case = {key.split(":")[0]: o for key, o in result.outcomes.items()}
    assert {o.status for o in by_case.values()} == set(Status)
    assert by_case["2001"].status == Status.prepared
    assert by_case["2008"].status == Status.waiting
    assert by_case["2011"].status == Status.skipped
    assert by_case["2012"].status == Status.failed
    codes = {c for o in by_case.values() for c in (f.code for f in o.findings)}
    assert {"NYANSOKAN", "KOSTNAD_KAPAD", "BOENDEKOSTNAD_ANDRAD", "SSBTEK_AVVIKER", "KOMPLETTERING_SAKNAS",
            "SSBTEK_LASFEL"} <= codes
    assert by_case["2001"].data["norm_year"] == 2026 and by_case["2001"].data["norm_official"] is True


def test_generator_is_deterministic_and_ssbtek_knows_ekonomis_people():
    first = generate_ekonomi(random.Random(1), 300, TODAY)
    assert generate_ekonomi(random.Random(2), 300, TODAY) == first  # each case is seeded by its index
    data = EkonomiData.model_validate(first)
    ssbtek = SsbtekData.model_validate(generate_ssbtek(random.Random(3), 300, TODAY))
    people = {p.personnummer for c in data.cases for a in c.applications for p in a.household}
    assert {i.personnummer for i in ssbtek.incomes} <= people
    statuses = {a.status for c in data.cases for a in c.applications}
    assert {"Inkommen", "Komplettering begärd", "Väntar på beslut"} <= statuses
    assert {a.month for c in data.cases for a in c.applications} == {"2026-12"}
