"""`nattskift schedule --list`, `next_runs()` for the web app, and `nattskift serve`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.scheduler.plan import next_runs
from runner.scheduler.calendars import is_swedish_working_day
from tests.scheduler.helpers import NATTSKIFT, ROBOT_DIR, SE, free_port, local


def write_config(tmp_path: Path, robot: str = "", port: int = 8000) -> Path:
    config = tmp_path / "nattskift.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{ROBOT_DIR}"]\n'
        f'[logging]\nconsole = "never"\n[web]\nport = {port}\n'
        '[scheduler]\nrobots = ["tiny"]\n'
        '[robots.tiny]\nschedule = "30 1 * * *"\ncalendar = "working_days"\ndeadline = "06:30"\n' + robot,
        encoding="utf-8",
    )
    return config


def test_next_runs_honours_the_calendar(build_settings) -> None:
    settings = build_settings({"calendar": "working_days", "closed_dates": ["2026-12-23"]})
    # from Mon 21 Dec 2026 noon: Tue 22 runs; Wed 23 closed (setting); Thu 24 julafton, Fri 25 juldagen,
    # Sat 26, Sun 27 closed; Mon 28 and Tue 29 run
    assert next_runs(settings, "tiny", 3, now=local(2026, 12, 21, 12, 0)) == [
        local(2026, 12, 22, 1, 30), local(2026, 12, 28, 1, 30), local(2026, 12, 29, 1, 30)
    ]
    assert next_runs(build_settings({"enabled": False}), "tiny") == []


def test_schedule_list_json(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'closed_dates = ["2026-12-23"]\n')
    result = CliRunner().invoke(app, ["schedule", "--list", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["robot"] == "tiny" and row["cron"] == "30 1 * * *" and row["calendar"] == "working_days"
    assert row["closed_dates"] == ["2026-12-23"] and row["deadline"] == "06:30"
    times = [datetime.fromisoformat(t) for t in row["next_runs"]]
    assert len(times) == 3 and times == sorted(times) and times[0] > datetime.now(SE)
    for t in times:  # whatever today is: local 01:30 on working days that are not closed
        assert (t.hour, t.minute) == (1, 30) and t.utcoffset() == t.astimezone(SE).utcoffset()
        assert is_swedish_working_day(t.date()) and t.date() != date(2026, 12, 23)


def test_schedule_list_table_and_a_disabled_robot(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = CliRunner().invoke(app, ["schedule", "--list", "--config", str(config)])
    assert result.exit_code == 0
    assert "tiny" in result.stdout and "working_days" in result.stdout and "01:30" in result.stdout
    off = tmp_path / "off"
    off.mkdir()
    result = CliRunner().invoke(app, ["schedule", "--list", "--config", str(write_config(off, "enabled = false\n"))])
    assert result.exit_code == 0 and "disabled" in result.stdout


def test_a_bad_closed_date_names_the_key(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'closed_dates = ["23 dec"]\n')
    result = CliRunner().invoke(app, ["schedule", "--list", "--config", str(config)])
    assert result.exit_code == 2
    assert "robots.tiny.closed_dates" in result.stderr


def test_serve_runs_web_app_and_scheduler_and_stops_on_sigterm(tmp_path: Path, subprocess_env) -> None:
    port = free_port()
    config = write_config(tmp_path, port=port)
    proc = subprocess.Popen([NATTSKIFT, "serve", "--config", str(config)], env=subprocess_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = tmp_path / "var" / "nattskift.db.scheduler.lock"
    try:
        end = time.monotonic() + 60
        status = None
        while time.monotonic() < end and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert status is not None and status < 500  # the morning report answers (a login page or redirect)
        assert json.loads(lock.read_text())["pid"] == proc.pid  # and the scheduler holds the database
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert lock.read_text() == ""  # released
