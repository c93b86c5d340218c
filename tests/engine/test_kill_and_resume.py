"""A run killed with SIGKILL in the middle, started again, processes every item exactly once.

"Exactly once" is counted on the target side (the target system's own tally of writes), because that is
what a municipality would see: one journal note, one registration, one booking.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from tests.engine.conftest import ROBOT_DIR


def write_config(tmp_path: Path, server) -> Path:
    config = tmp_path / "nattskift.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "var"}"\n'
        f'robot_dirs = ["{ROBOT_DIR}"]\n'
        f'[browser]\nexecutable_path = "{os.environ["NATTSKIFT_CHROMIUM"]}"\n'
        f"[robots.tiny]\nconcurrency = 3\nretry_backoff_seconds = 0.05\n" + server.settings_toml(),
        encoding="utf-8",
    )
    return config


def start_run(config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "runner.cli", "run", "tiny", "--config", str(config), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_run_then_restart_processes_every_item_exactly_once(target, tmp_path):
    server = target(40)
    server.state.latency = 0.05
    config = write_config(tmp_path, server)
    rng = random.Random(20261123)
    kills = 0
    for _ in range(3):
        before = sum(server.state.writes.values())
        stop_after = before + rng.randint(2, 6)  # kill after a few more writes, at a seeded random point
        proc = start_run(config)
        deadline = time.monotonic() + 60
        while sum(server.state.writes.values()) < stop_after and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=30)
        proc.communicate()
    assert kills == 3

    final = start_run(config)
    out, _ = final.communicate(timeout=180)
    assert final.returncode == 0

    assert len(server.state.writes) == 40
    assert set(server.state.writes.values()) == {1}  # no item written twice, none missed
    _, sessions = open_database(f"sqlite:///{tmp_path / 'var' / 'nattskift.db'}")
    ledger = Ledger(sessions)
    assert ledger.item_states("tiny") == {"done": 40}
    statuses = [r.status for r in ledger.list_runs("tiny", limit=10)]
    assert statuses[0] == "completed"
    assert statuses.count("interrupted") == 3  # each killed run was closed as interrupted on restart
