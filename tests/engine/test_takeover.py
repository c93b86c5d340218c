"""A frozen machine's run is taken over, and the frozen machine writes nothing more when it wakes
(issue 20, point 1). PostgreSQL; the two machines are `nattskift run` in UTS namespaces of their own.

Host A reads a case (nothing written yet) and freezes (SIGSTOP on Python, driver and Chromium) before
its write. Once A's leases have run out, host B starts: it takes A's run and items over and writes each
case once. Then A wakes up with the case page it read before the freeze, and clicks "Spara": the write
fence asks the ledger whether A still holds the case, and the request never leaves A's browser.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from runner.ledger.db import close_database, open_database
from runner.ledger.models import Run
from tests.support.hosts import on_host, signal_tree
from tests.support.pg import pg_schema_url
from tests.support.target import ROBOT_DIR, TargetServer, tiny_on_postgres
from tests.support.waits import wait_until

pytestmark = pytest.mark.postgres
NATTSKIFT = str(Path(sys.executable).parent / "nattskift")
LEASE = 3


def test_a_frozen_host_is_taken_over_and_writes_nothing_when_it_wakes(tmp_path: Path, postgres_url: str) -> None:
    keys = [f"A{i:03d}" for i in range(6)]
    with TargetServer(keys) as server, pg_schema_url(postgres_url) as url:
        server.state.hold_keys = {"A002"}
        env = {**os.environ, "PYTHONPATH": str(ROBOT_DIR.parents[2])}
        host_a = subprocess.Popen(on_host("host-a", [NATTSKIFT, "run", "tiny", "--config",
                                                     str(tiny_on_postgres(tmp_path / "a.toml", server, url, lease=LEASE))]),
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: "A002" in server.state.held, "host A has read A002 and waits for the rest")
            signal_tree(host_a.pid, signal.SIGSTOP)  # the whole machine freezes, with items in progress
            engine, _ = open_database(url)

            def leases_ran_out() -> bool:
                with engine.connect() as conn:
                    return bool(conn.execute(text(
                        "SELECT bool_and(lease_until < clock_timestamp()) FROM runs WHERE status = 'running'"
                    )).scalar())

            wait_until(leases_ran_out, "host A's run lease has run out")
            writes_before_b = sum(server.state.writes.values())

            host_b = subprocess.run(on_host("host-b", [NATTSKIFT, "run", "tiny", "--config",
                                                       str(tiny_on_postgres(tmp_path / "b.toml", server, url, lease=LEASE))]),
                                    env=env, capture_output=True, text=True, timeout=240)
            assert host_b.returncode == 0, host_b.stderr[-2000:]
            assert server.state.writes == {key: 1 for key in keys}  # B did the rest, A's held case too
            assert writes_before_b < len(keys)

            server.state.release.set()  # A's page arrives…
            signal_tree(host_a.pid, signal.SIGCONT)  # …and A wakes up, sure it still holds A002
            host_a.wait(timeout=120)
        finally:
            server.state.release.set()
            signal_tree(host_a.pid, signal.SIGCONT)
            if host_a.poll() is None:
                host_a.kill()
            host_a.wait(timeout=60)
        assert server.state.writes == {key: 1 for key in keys}  # A's write was fenced: nothing twice

        _, sessions = open_database(url)
        with sessions() as s:
            runs = list(s.scalars(select(Run).where(Run.robot == "tiny").order_by(Run.started_at)))
        assert [r.status for r in runs] == ["interrupted", "completed"]
        a_run, b_run = runs
        assert a_run.owner.startswith("host-a:") and b_run.owner.startswith("host-b:")
        assert "på host-a slutade svara" in (a_run.reason or "")  # the overlap is on record
        assert b_run.counts.get("prepared", 0) + b_run.counts.get("skipped", 0) == len(keys) - a_run.counts.get("prepared", 0)
        close_database(url)
