"""Ronney's test fixtures: the golden stand-in systems, fresh for each test that writes into them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures.server import RunningSystems, start_systems


@pytest.fixture
def golden() -> Iterator[RunningSystems]:
    """ekonomi and ssbtek loaded with fixtures/scenarios/ronney_golden.json, on free ports."""
    with start_systems("ronney_golden", ports=0) as systems:
        yield systems


def run_ronney(tmp_path: Path, systems: RunningSystems, *, dry_run: bool = False, ledger: str = "a", **robot: Any):
    """One run of Ronney through the real engine; `ledger` names the ledger directory (same name = same ledger)."""
    from runner.testing import make_settings, run_robot

    data = tmp_path / f"ledger-{ledger}"
    data.mkdir(exist_ok=True)
    settings = make_settings(data, systems=systems, robots={"ronney": {"concurrency": 4, **robot}})
    return run_robot("ronney", settings, dry_run=dry_run)


def ronney_notes(systems: RunningSystems) -> dict[str, list[dict[str, Any]]]:
    """case_id → Ronney's notes in ekonomi's state."""
    return {c["case_id"]: [n for n in c["notes"] if n["author"] == "ronney"] for c in systems.state("ekonomi")["cases"]}


def statuses(systems: RunningSystems) -> dict[str, str]:
    return {c["case_id"]: c["applications"][0]["status"] for c in systems.state("ekonomi")["cases"]}
