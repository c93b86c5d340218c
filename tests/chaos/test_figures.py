"""The figures file holds every check of a run, also when pytest-xdist's workers each write their own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.chaos.figures import Figures


def test_workers_of_one_run_merge_and_a_new_run_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "last-run.json"
    first, second = Figures("run-1"), Figures("run-1")
    first.add("sigkill", "harry", items=30, kills=10, runs=11)
    second.add("transient_faults", "ronney", items=208, faults_injected=590, runs=2)
    second.add("bad_data", "ronney", items=23, runs=1)
    first.write(path)
    second.write(path)

    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(c["check"], c["robot"]) for c in data["checks"]] == [
        ("bad_data", "ronney"), ("sigkill", "harry"), ("transient_faults", "ronney")]  # the report's order
    assert data["totals"]["items"] == 30 + 208 + 23 and data["totals"]["kills"] == 10
    assert data["totals"]["runs"] == 11 + 2 + 1

    later = Figures("run-2")
    later.add("changed_page", "bosse", items=27, runs=1)
    later.write(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [c["check"] for c in data["checks"]] == ["changed_page"]
