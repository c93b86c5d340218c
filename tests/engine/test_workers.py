"""One night on three worker processes (issue 20): `nattskift run` on the scheduler host fetches and
defers; three `nattskift worker` processes (each its own browser) do the cases. Every case once, every
write once in the stand-in's `/_admin/state`, the cases spread over all three; one worker SIGKILLed in the
middle of a case and another frozen past its lease: the rest finish their cases, nothing is doubled, and
the frozen one writes nothing when it wakes.

Also the two ends of issue 20's point 5: a dead worker's case is never left stranded while the run
reports `completed`, and claims name the host and pid of the worker that holds them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, text

from runner.ledger.db import close_database, open_database
from runner.ledger.models import Item, Outcome, Run
from runner.proc import split_name
from tests.support.hosts import signal_tree
from tests.support.pg import pg_schema_url
from tests.support.target import ROBOT_DIR, TargetServer, tiny_on_postgres
from tests.support.waits import wait_until

pytestmark = pytest.mark.postgres
NATTSKIFT = str(Path(sys.executable).parent / "nattskift")
LEASE = 3
KEYS = [f"A{i:03d}" for i in range(18)]
KILLED, FROZEN = "A009", "A011"  # the first view of each is held: whoever takes it is caught mid-case


def admin_writes(server: TargetServer) -> dict[str, int]:
    with urllib.request.urlopen(f"{server.url}/_admin/state") as answer:
        return json.load(answer)["writes"]


def holder_pid(url: str, key: str) -> int | None:
    engine, _ = open_database(url)
    with engine.connect() as conn:
        holder = conn.execute(text("SELECT claimed_by FROM items WHERE key = :k"), {"k": key}).scalar()
    found = split_name(holder)
    return found[1] if found else None


def test_three_workers_share_a_night_and_survive_a_kill_and_a_freeze(tmp_path: Path, postgres_url: str) -> None:
    with TargetServer(KEYS) as server, pg_schema_url(postgres_url) as url:
        server.state.latency = 0.1
        server.state.hold_keys = {KILLED, FROZEN}
        config = tiny_on_postgres(tmp_path / "night.toml", server, url, lease=LEASE, queue=True, local=False,
                                  concurrency=1)
        env = {**os.environ, "PYTHONPATH": str(ROBOT_DIR.parents[2])}
        workers = [subprocess.Popen([NATTSKIFT, "worker", "--robot", "tiny", "--config", str(config)], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for _ in range(3)]
        engine, _ = open_database(url)

        def registered() -> int:
            try:
                with engine.connect() as conn:
                    return conn.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar() or 0
            except Exception:  # the first worker has not created the queue's tables yet
                return 0

        wait_until(lambda: registered() == 3, "all three workers take jobs")
        dispatcher = subprocess.Popen([NATTSKIFT, "run", "tiny", "--config", str(config)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        frozen: int | None = None
        try:
            wait_until(lambda: KILLED in server.state.held, f"a worker is in the middle of {KILLED}")
            killed = holder_pid(url, KILLED)
            assert killed in {w.pid for w in workers}
            signal_tree(killed, signal.SIGKILL)  # that machine is gone, its browser and all
            wait_until(lambda: FROZEN in server.state.held, f"a worker is in the middle of {FROZEN}")
            frozen = holder_pid(url, FROZEN)
            assert frozen in {w.pid for w in workers} - {killed}
            signal_tree(frozen, signal.SIGSTOP)  # frozen past its lease

            out, err = dispatcher.communicate(timeout=300)
            assert dispatcher.returncode == 0, err[-3000:]
            assert admin_writes(server) == {key: 1 for key in KEYS}  # the others did the killed and frozen cases

            server.state.release.set()  # the frozen worker's page arrives, and it wakes up
            signal_tree(frozen, signal.SIGCONT)
            _, sessions = open_database(url)

            def frozen_one_gave_up() -> bool:  # it tried to write and was fenced, or noticed its lost lease
                with sessions() as s:
                    it = s.scalar(select(Item).where(Item.key == FROZEN))
                return it is not None and it.state == "done" and not server.state.in_flight
            wait_until(frozen_one_gave_up, "the frozen worker has woken up")
            for w in workers:  # drain the survivors
                if w.poll() is None:
                    w.send_signal(signal.SIGTERM)
            for w in workers:
                w.wait(timeout=120)
        finally:
            server.state.release.set()
            if frozen is not None:
                signal_tree(frozen, signal.SIGCONT)
            for w in [*workers, dispatcher]:
                if w.poll() is None:
                    w.kill()
                    w.wait(timeout=60)
        assert admin_writes(server) == {key: 1 for key in KEYS}  # the woken worker wrote nothing

        with sessions() as s:
            [run] = s.scalars(select(Run).where(Run.robot == "tiny")).all()
            outcomes = list(s.scalars(select(Outcome).where(Outcome.run_id == run.id)))
            states = Counter(i.state for i in s.scalars(select(Item)))
        assert run.status == "completed" and run.queued
        assert states == {"done": len(KEYS)}
        assert sorted(o.key for o in outcomes) == KEYS  # every case once in the ledger too
        by_worker = Counter(split_name(o.worker)[1] for o in outcomes if split_name(o.worker))  # type: ignore[index]
        assert set(by_worker) == {w.pid for w in workers}  # spread over all three
        assert all((o.worker or "").count(":") == 2 for o in outcomes)  # host:pid:slot
        killed_case = next(o for o in outcomes if o.key == KILLED)
        assert split_name(killed_case.worker)[1] != killed  # type: ignore[index]
        close_database(url)


def test_nattskift_worker_refuses_a_sqlite_ledger(tmp_path: Path) -> None:
    config = tmp_path / "nattskift.toml"
    config.write_text(f'data_dir = "{tmp_path / "var"}"\n[logging]\nconsole = "never"\n', encoding="utf-8")
    done = subprocess.run([NATTSKIFT, "worker", "--config", str(config)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "needs a PostgreSQL ledger" in " ".join(done.stderr.split())
