"""The figures of a chaos run: collected by the checks, written to a JSON file when the suite ends.

`python -m tests.chaos.report` copies the last file into docs/reliability.md.
"""

from __future__ import annotations

import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FIGURES_FILE = Path(__file__).resolve().parents[2] / "var" / "chaos" / "last-run.json"


class Figures:
    """One entry per check; totals are summed when the file is written."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.checks: list[dict[str, Any]] = []

    def add(self, check: str, robot: str, **values: Any) -> None:
        self.checks.append({"check": check, "robot": robot, **values})

    def totals(self) -> dict[str, Any]:
        def total(key: str) -> int:
            return sum(int(c.get(key, 0)) for c in self.checks)

        return {
            "items": total("items"),
            "faults_injected": total("faults_injected"),
            "kills": total("kills"),
            "lost": total("lost"),
            "duplicated": total("duplicated"),
            "runs": total("runs"),
        }

    def write(self, path: Path = FIGURES_FILE) -> Path:
        data = {
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "runtime_seconds": round(time.monotonic() - self.started, 1),
            "machine": f"{platform.machine()}, {_cpus()} cores, Python {platform.python_version()}",
            "totals": self.totals(),
            "checks": self.checks,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)
