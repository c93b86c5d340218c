"""What a bench run writes: the machine it ran on, its JSON under bench/results/, its logs."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from bench.paths import RESULTS
from runner.browser import resolve_browser
from runner.logging import configure_logging
from runner.settings import BrowserSettings


def machine(chromium: str | None = None) -> dict[str, Any]:
    """Cores, memory, Python, platform and the browser a run uses (`chromium` None: the framework's choice)."""
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    chosen = resolve_browser(BrowserSettings(executable_path=chromium))
    return {"cpus": os.cpu_count(), "mem_gb": round(int(mem) / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform(), "browser": f"{chosen.path or 'playwright'} ({chosen.origin})"}


def write_json(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def configure_bench_logging(root: Path) -> None:
    """One service log for the whole bench (as in production); each run also gets its own run log."""
    configure_logging(level="info", console="never", log_dir=root / "logs")
