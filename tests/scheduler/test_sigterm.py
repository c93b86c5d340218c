"""SIGTERM during a scheduled run: items in flight finish, the rest stay, the process exits 0; the restart
(within the grace time) continues the night, and every item is written exactly once.

Real engine, real Chromium, the tiny robot against the tiny target system; `nattskift schedule` in a
subprocess. The night's fire time is armed in the job store beforehand as "two minutes ago", which is
exactly the situation after a restart: a run due within the grace time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from runner.ledger.db import open_database
from runner.ledger.models import Item, Run
from runner.scheduler.service import JOBS_TABLE, NightScheduler
from runner.settings import load_settings
from tests.scheduler.helpers import NATTSKIFT, ROBOT_DIR, FakeEngine
from tests.support.target import TargetServer

KEYS = 10


@pytest.fixture
def server() -> Iterator[TargetServer]:
    with TargetServer([f"A{i:03d}" for i in range(KEYS)]) as srv:
        srv.state.latency = 0.1  # each page takes a while, so SIGTERM lands mid-run
        yield srv


def write_config(tmp_path: Path, server: TargetServer) -> Path:
    config = tmp_path / "nattskift.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{ROBOT_DIR}"]\n'
        f'[browser]\nexecutable_path = "{os.environ["NATTSKIFT_CHROMIUM"]}"\n'
        '[logging]\nconsole = "never"\n'
        '[scheduler]\nrobots = ["tiny"]\n'
        '[robots.tiny]\nschedule = "30 1 * * *"\nconcurrency = 2\ngrace_hours = 3\nretry_backoff_seconds = 0.05\n'
        + server.settings_toml(),
        encoding="utf-8",
    )
    return config


def arm(config: Path, due: datetime) -> None:
    """Leave the job store as a machine that was off at `due` would: the job's next run time is past."""
    service = NightScheduler(load_settings(config), run_fn=FakeEngine())
    service.start()
    service.scheduler.pause()
    service.scheduler.modify_job("robot:tiny", next_run_time=due)
    service.shutdown()


def stored_next_run(config: Path) -> datetime:
    engine, _ = open_database(load_settings(config).database_url())
    with engine.connect() as conn:
        ts = conn.exec_driver_sql(f"SELECT next_run_time FROM {JOBS_TABLE} WHERE id = 'robot:tiny'").scalar_one()
    return datetime.fromtimestamp(ts, UTC)


def wait_for(predicate, timeout: float, proc: subprocess.Popen | None = None) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"scheduler exited early with {proc.returncode}")
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_sigterm_mid_run_exits_0_and_the_restart_finishes_the_night(
    tmp_path: Path, server: TargetServer, subprocess_env: dict[str, str]
) -> None:
    config = write_config(tmp_path, server)
    due = (datetime.now(UTC) - timedelta(minutes=2)).replace(microsecond=0)
    arm(config, due)
    settings = load_settings(config)
    _, sessions = open_database(settings.database_url())

    proc = subprocess.Popen([NATTSKIFT, "schedule", "--config", str(config)], env=subprocess_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: sum(server.state.writes.values()) >= 3, timeout=90, proc=proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err

    with sessions() as s:
        [run] = s.scalars(select(Run).where(Run.robot == "tiny")).all()
        states = [i.state for i in s.scalars(select(Item).where(Item.robot == "tiny"))]
    assert run.status == "interrupted" and run.trigger == "schedule"
    assert run.scheduled_for == due
    assert "stoppades av driften" in (run.reason or "")
    assert 3 <= states.count("done") < KEYS  # in-flight items finished, the rest were left
    assert states.count("new") == KEYS - states.count("done")  # …as new, for the resume
    assert set(server.state.writes.values()) == {1}

    # the machine comes back: the scheduler finds the interrupted night in the ledger, fires it again
    # within the grace time, and the engine resumes what was left
    restart_and_finish(settings, sessions)
    with sessions() as s:
        rows = list(s.scalars(select(Run).where(Run.robot == "tiny").order_by(Run.started_at)))
    assert [(r.status, r.scheduled_for) for r in rows] == [("interrupted", due), ("completed", due)]
    assert len(server.state.writes) == KEYS and set(server.state.writes.values()) == {1}  # each once
    assert stored_next_run(config) > datetime.now(UTC)  # and the next fire is a future night


def restart_and_finish(settings, sessions) -> None:  # type: ignore[no-untyped-def]
    service = NightScheduler(settings)
    service.start()
    try:
        def completed() -> bool:
            with sessions() as s:
                return s.scalar(select(Run.id).where(Run.status == "completed")) is not None

        wait_for(completed, timeout=120)
    finally:
        service.shutdown()


def test_sigkill_mid_run_and_a_restart_a_second_later_resumes_the_night(
    tmp_path: Path, server: TargetServer, subprocess_env: dict[str, str]
) -> None:
    """Issue 20, point 3: after a SIGKILL the stored next start was already tomorrow and the run stayed
    `running` with its items waiting a day. The restart must resume the night, each item written once."""
    config = write_config(tmp_path, server)
    due = (datetime.now(UTC) - timedelta(minutes=2)).replace(microsecond=0)
    arm(config, due)
    settings = load_settings(config)
    _, sessions = open_database(settings.database_url())

    proc = subprocess.Popen([NATTSKIFT, "schedule", "--config", str(config)], env=subprocess_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: sum(server.state.writes.values()) >= 3, timeout=90, proc=proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the scheduler, its browser and all: nothing gets to clean up
        proc.wait(timeout=30)
    with sessions() as s:
        [run] = s.scalars(select(Run).where(Run.robot == "tiny")).all()
    assert run.status == "running"  # as the kill left it
    assert stored_next_run(config) > datetime.now(UTC)  # APScheduler had already moved on to tomorrow

    restart_and_finish(settings, sessions)
    with sessions() as s:
        rows = list(s.scalars(select(Run).where(Run.robot == "tiny").order_by(Run.started_at)))
        states = {i.state for i in s.scalars(select(Item).where(Item.robot == "tiny"))}
    assert [(r.status, r.scheduled_for) for r in rows] == [("interrupted", due), ("completed", due)]
    assert "avbröts oväntat" in (rows[0].reason or "")
    assert states == {"done"}
    assert len(server.state.writes) == KEYS and set(server.state.writes.values()) == {1}  # each once, none twice
