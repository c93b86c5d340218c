"""`make demo`'s night: every robot runs on the demo scenario and every outcome shows up."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from fixtures import demo
from runner.scheduler.plan import PlannedSchedule
from runner.web.app import create_app


def test_the_demo_night_runs_every_robot_and_shows_every_kind_of_outcome(tmp_path):
    night = demo.run_night(tmp_path / "demo", fixed_ports=False)
    try:
        runs = {s.robot: s for s in night.summaries}
        assert set(runs) == {"ronney", "harry", "bosse", "lena"}
        assert all(s.status == "completed" for s in runs.values())
        # Ronney's part has all five outcomes (case 2012's record answers 500: a technical failure)
        assert set(runs["ronney"].counts) == {"prepared", "needs_attention", "waiting", "skipped", "failed"}
        assert {"prepared", "needs_attention", "skipped"} <= set(runs["harry"].counts)
        assert {"prepared", "needs_attention"} <= set(runs["bosse"].counts)
        # Lena's unit: proposals, visits no one with the delegation can take, a planner's open proposal
        assert {"prepared", "needs_attention", "skipped"} <= set(runs["lena"].counts)
        users = demo.create_demo_users(night.settings)
        assert {u[0] for u in users} == {"admin", "drift", "handlaggare", "lon", "bemanning", "planerare"}
        _the_report_shows_one_consistent_time(night, runs)
    finally:
        night.systems.stop()


def _the_report_shows_one_consistent_time(night, runs) -> None:
    """Issue 21, item 15: the robots read the scenario's frozen date, but the report says "now" in real
    time, the same time the runs were recorded in and the next start times are counted from."""
    client = TestClient(create_app(night.settings, scheduler=PlannedSchedule(night.settings)))
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/login", data={"username": "admin", "password": "nattskift-demo", "csrf_token": token})
    overview = client.get("/").text
    tz = night.settings.tz
    today = datetime.now(tz).date().isoformat()
    assert night.settings.clock is not None  # the robots' frozen "now" (the scenario's 01:30)
    lead = re.search(r'läget <time datetime="([^"]+)"', overview)
    assert lead is not None and lead.group(1).startswith(today), lead
    assert all(s.started_at.astimezone(tz).date().isoformat() == today for s in runs.values())
    page = client.get("/korningar").text
    schedule = page[page.index('id="schedule-heading"'):].split("</section>", 1)[0]
    next_runs = re.findall(r'<time datetime="([^"]+)"', schedule)
    assert next_runs and all(t[:10] >= today for t in next_runs), next_runs
