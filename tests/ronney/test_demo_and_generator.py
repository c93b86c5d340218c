"""The demo contribution gives every Ronney outcome; the generator is deterministic, consistent and linear."""

from __future__ import annotations

import random
from collections import Counter
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
    # issue 18's everyday cases, once each
    assert {"BARN_ARBETSINKOMST", "VAXELVIS_BOENDE", "UMGANGE", "UNG_VUXEN", "ALDER_AVVIKER", "INKOMST_ANNAN_MANAD",
            "NORMOVERSKOTT", "NORM_SAKNAS"} <= codes
    assert [f.code for f in by_case["2021"].findings] == ["NORM_SAKNAS"]  # January 2027: no 2027 table
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


def test_the_generator_holds_the_everyday_cases_at_their_rates():
    # rates in fixtures/ekonomi/population.py; 2 000 cases keep every count far from 0 and from the whole
    n = 2000
    data = EkonomiData.model_validate(generate_ekonomi(random.Random(1), n, TODAY))
    ssbtek = SsbtekData.model_validate(generate_ssbtek(random.Random(1), n, TODAY))
    apps = [a for c in data.cases for a in c.applications]
    people = [p for a in apps for p in a.household]
    incomes = [i for a in apps for i in a.incomes]
    living = Counter(p.living for p in people if p.role == "barn")
    assert 0 < living["växelvis"] < living["heltid"] and 0 < living["umgänge"] < living["växelvis"]
    young = Counter(p.studies for p in people if p.role == "barn" and isinstance(p.age, int) and p.age >= 18)
    assert young["gymnasieskola"] > young[""] > 0
    assert 0 < sum(p.age in (None, "") for p in people) < len(people) / 20  # the typed age not filled in
    assert sum(i.gross is not None for i in incomes) > len(incomes) / 3 and all(i.paid for i in incomes)
    late = [i for i in incomes if str(i.paid)[:7] < "2026-11"]
    assert 0 < len(late) < len(incomes) / 20  # paid before the comparison month
    assert any(i.month < "2026-11" for i in ssbtek.incomes)  # a child's earlier earnings this year
    calcs = [c for case in data.cases for c in case.calculations]
    assert all(c.needs is not None and c.counted_incomes is not None for c in calcs)
    surplus = [c for c in calcs if c.counted_incomes > c.needs]
    assert 0 < len(surplus) < len(data.cases) / 10
