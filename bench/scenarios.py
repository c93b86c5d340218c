"""The bench's scenario: a generated ekonomi + ssbtek scenario with enough of Ronney's items (cached)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench.paths import RESULTS
from fixtures.generate import generate_file
from robots.ronney.robot import FETCH_STATUSES


def fetchable(path: Path) -> int:
    """How many Ronney work items a scenario holds (applications with a status Ronney fetches)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for c in data["ekonomi"]["cases"] for a in c["applications"] if a["status"] in FETCH_STATUSES)


def ensure_scenario(items: int, seed: str = "bench") -> tuple[Path, int, int]:
    """A generated ekonomi+ssbtek scenario with at least `items` Ronney items (cached under results/).

    Returns (path, cases in the scenario, fetchable items). About 70 % of generated cases are fetchable.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    size = max(10, math.ceil(items / 0.68))
    while True:
        path = RESULTS / f"scenario-{size}-{seed}.json"
        if not path.exists():
            generate_file(path, size=size, seed=seed, systems=["ekonomi", "ssbtek"])
        n = fetchable(path)
        if n >= items:
            return path, size, n
        size = math.ceil(size * 1.08) + 1
