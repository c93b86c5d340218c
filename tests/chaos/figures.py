"""The figures of a chaos run: collected by the checks, written to a JSON file when the suite ends.

`python -m tests.chaos.report` copies the last file into docs/reliability.md.
"""

from __future__ import annotations

import fcntl
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.chaos.profiles import PROFILES

FIGURES_FILE = Path(__file__).resolve().parents[2] / "var" / "chaos" / "last-run.json"


class Figures:
    """One entry per check; totals are summed when the file is written.

    Under pytest-xdist every worker collects its own checks; they share `run_id` (xdist's test-run id), and
    each worker merges its checks into the file of the same run, under a lock, so the file holds them all.
    """

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.started = time.time()
        self.checks: list[dict[str, Any]] = []

    def add(self, check: str, robot: str, **values: Any) -> None:
        self.checks.append({"check": check, "robot": robot, **values})

    def write(self, path: Path = FIGURES_FILE) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            earlier = _read(path)
            same_run = earlier.get("run_id") == self.run_id
            checks = (earlier["checks"] if same_run else []) + self.checks
            started = min(earlier["started"], self.started) if same_run else self.started
            data = {
                "run_id": self.run_id,
                "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "started": started,
                "runtime_seconds": round(time.time() - started, 1),
                "machine": f"{platform.machine()}, {_cpus()} cores, Python {platform.python_version()}",
                "totals": totals(checks),
                "checks": sorted(checks, key=lambda c: (ORDER.get(c["check"], 99), ROBOTS.get(c["robot"], 99))),
            }
            tmp = path.with_suffix(".part")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            tmp.replace(path)
        return path


#: The order of the report's table: as the checks are listed in docs/reliability.md.
ORDER = {name: i for i, name in enumerate(
    ["bad_data", "system_down", "changed_page", "sigkill", "ledger_full", "transient_faults"])}
ROBOTS = {name: i for i, name in enumerate(PROFILES)}


def totals(checks: list[dict[str, Any]]) -> dict[str, int]:
    def total(key: str) -> int:
        return sum(int(c.get(key, 0)) for c in checks)

    return {key: total(key) for key in ("items", "faults_injected", "kills", "lost", "duplicated", "runs")}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and "checks" in data and "started" in data else {}


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)
