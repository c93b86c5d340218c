"""Never twice: a second scheduler on the same database refuses to start and names the holder."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from runner.cli import app
from runner.ledger.db import close_database
from runner.scheduler.lock import FileLock, SchedulerLocked, acquire_scheduler_lock, lock_file_for
from runner.scheduler.service import NightScheduler
from tests.scheduler.helpers import NATTSKIFT, ROBOT_DIR, FakeEngine
from tests.support.pg import pg_schema_url
from tests.support.conditions import slowdown


def test_second_scheduler_on_sqlite_refuses_and_names_the_holder(build_settings) -> None:
    settings = build_settings()
    first = NightScheduler(settings, run_fn=FakeEngine())
    first.start()
    try:
        second = NightScheduler(settings, run_fn=FakeEngine())
        with pytest.raises(SchedulerLocked) as exc:
            second.start()
        message = str(exc.value)
        assert f"pid {os.getpid()}" in message and socket.gethostname() in message
        assert "nattskift.db.scheduler.lock" in message
    finally:
        first.shutdown()
    third = NightScheduler(settings, run_fn=FakeEngine())  # once the first has stopped, a new one may start
    third.start()
    third.shutdown()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nattskift.db'}"
    path = lock_file_for(url)
    assert path == tmp_path / "nattskift.db.scheduler.lock"
    dead = subprocess.Popen(["true"])
    dead.wait()
    path.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "since": "2026-11-20T01:00:00+00:00"}))
    lock = acquire_scheduler_lock(url)
    try:
        assert json.loads(path.read_text())["pid"] == os.getpid()
    finally:
        lock.release()
    assert path.read_text() == ""  # emptied, not deleted (deleting lock files races)


def test_waiting_for_the_lock_gives_up_after_the_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nattskift.db'}"
    held = FileLock(lock_file_for(url))  # type: ignore[arg-type]
    held.acquire()
    try:
        started = time.monotonic()
        with pytest.raises(SchedulerLocked):
            acquire_scheduler_lock(url, timeout=0.6)
        assert 0.5 <= time.monotonic() - started < 3 * slowdown()
    finally:
        held.release()


def test_second_schedule_command_refuses_with_exit_3(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    config = tmp_path / "nattskift.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{ROBOT_DIR}"]\n'
        '[scheduler]\nrobots = ["tiny"]\n[robots.tiny]\nschedule = "30 1 * * *"\n'
        '[logging]\nconsole = "never"\n',
        encoding="utf-8",
    )
    lock_path = tmp_path / "var" / "nattskift.db.scheduler.lock"
    first = subprocess.Popen([NATTSKIFT, "schedule", "--config", str(config)], env=subprocess_env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if lock_path.exists() and lock_path.read_text().strip():
                break
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.1)
        holder = json.loads(lock_path.read_text())
        assert holder["pid"] == first.pid
        # the second `nattskift schedule` runs in this test's process (another process all the same)
        second = CliRunner().invoke(app, ["schedule", "--config", str(config)])
        assert second.exit_code == 3
        stderr = " ".join(second.stderr.split())  # Rich wraps long lines
        assert "another scheduler is already running" in stderr
        assert f"pid {first.pid}" in stderr and socket.gethostname() in stderr
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=30)
    assert first.returncode == 0, err


@pytest.mark.postgres
def test_second_scheduler_on_postgresql_refuses_and_names_the_holder(build_settings, postgres_url: str) -> None:
    with pg_schema_url(postgres_url) as url:
        settings = build_settings(database={"url": url})
        first = NightScheduler(settings, run_fn=FakeEngine())
        first.start()
        try:
            with pytest.raises(SchedulerLocked) as exc:
                NightScheduler(settings, run_fn=FakeEngine()).start()
            message = str(exc.value)
            assert f"pid={os.getpid()}" in message and socket.gethostname()[:20] in message
            assert "PostgreSQL database" in message
        finally:
            first.shutdown()
        again = NightScheduler(settings, run_fn=FakeEngine())
        again.start()
        again.shutdown()
        close_database(url)


@pytest.mark.postgres
def test_postgresql_lock_is_per_schema_and_survives_a_dropped_connection(postgres_url: str) -> None:
    with pg_schema_url(postgres_url) as a, pg_schema_url(postgres_url) as b:
        lock_a = acquire_scheduler_lock(a)
        lock_b = acquire_scheduler_lock(b)  # another schema (another installation): no conflict
        try:
            admin = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
            with admin.begin() as conn:  # the database drops the lock's connection (a restart, a timeout)
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name "
                                  "LIKE :name AND pid <> pg_backend_pid()"), {"name": f"nattskift-scheduler pid={os.getpid()}%"})
            admin.dispose()
            assert lock_a.check()  # noticed and taken again
            with pytest.raises(SchedulerLocked):
                acquire_scheduler_lock(a)
        finally:
            lock_a.release()
            lock_b.release()


def _holder_while_running(settings) -> tuple[str | None, str | None, str | None]:  # type: ignore[no-untyped-def]
    """Who the Drift page says holds the lock: before, while and after a scheduler runs."""
    from runner.scheduler.lock import scheduler_holder

    url = settings.database_url()
    before = scheduler_holder(url)
    service = NightScheduler(settings, run_fn=FakeEngine())
    service.start()
    try:
        during = scheduler_holder(url)
        # asking never takes the lock: a second scheduler is still refused, naming the first
        with pytest.raises(SchedulerLocked):
            acquire_scheduler_lock(url)
    finally:
        service.shutdown()
    return before, during, scheduler_holder(url)


def test_the_lock_holder_can_be_read_without_taking_it_on_sqlite(build_settings) -> None:
    before, during, after = _holder_while_running(build_settings())
    assert before is None and after is None
    assert during is not None and f"pid {os.getpid()}" in during and socket.gethostname() in during


@pytest.mark.postgres
def test_the_lock_holder_can_be_read_without_taking_it_on_postgresql(build_settings, postgres_url: str) -> None:
    with pg_schema_url(postgres_url) as url:
        before, during, after = _holder_while_running(build_settings(database={"url": url}))
        close_database(url)
    assert before is None and after is None
    assert during is not None and f"pid={os.getpid()}" in during
