"""Lena comes in through registration alone: `nattskift list`, the scheduler and the web app know her
without a line of her in runner/."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from runner.cli import app as cli
from runner.ledger.db import open_database
from runner.plugins import discover
from runner.scheduler.plan import PlannedSchedule
from runner.testing import make_settings
from runner.web.app import create_app
from runner.web.auth import add_user

TITLE = "Lena – resursfördelning i hemtjänsten"


def test_lena_is_listed_scheduled_and_shown(tmp_path):
    robots, broken = discover()
    assert robots["lena"].__module__ == "robots.lena.robot" and "lena" not in broken

    config = tmp_path / "nattskift.toml"
    config.write_text(f'data_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    listed = CliRunner().invoke(cli, ["list", "--config", str(config), "--json"])
    assert listed.exit_code == 0, listed.output
    lena = next(r for r in json.loads(listed.stdout) if r["name"] == "lena")
    assert lena["title"] == TITLE

    settings = make_settings(tmp_path)
    starts = PlannedSchedule(settings).next_runs("lena", 2)
    assert len(starts) == 2 and all((t.hour, t.minute) == (3, 0) for t in starts)  # the robot's own schedule

    _, sessions = open_database(settings.database_url())
    add_user(sessions, "admin", "lena-test-pass-1", ["admin"], "Ada Admin")
    client = TestClient(create_app(settings, scheduler=PlannedSchedule(settings)))
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "admin", "password": "lena-test-pass-1", "csrf_token": token})
    assert TITLE in client.get("/").text
