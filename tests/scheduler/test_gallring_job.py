"""Gallring is a daily job of the night scheduler: added from `[retention]`, fired at its time through
APScheduler's real loop, audited as the scheduler's, and never taken for a robot's missed night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from runner.api import Outcome, Status, WorkItem
from runner.ledger.db import open_database
from runner.ledger.models import AuditEntry, Item
from runner.ledger.models import Outcome as OutcomeRow
from runner.ledger.repo import Ledger
from runner.retention.job import JOB_ID
from tests.scheduler.helpers import FakeEngine, local, runs


def _settled_case_of_long_ago(settings) -> None:  # type: ignore[no-untyped-def]
    _, sessions = open_database(settings.database_url())
    ledger = Ledger(sessions)
    run = ledger.start_run("tiny")
    ledger.add_items("tiny", run, [WorkItem(key="K1", title="Ärende K1", data={"namn": "uppgift"})], frozenset())
    ledger.record_outcome(ledger.claim_next("tiny", run, "w:1:0"), run, Outcome(status=Status.prepared, summary="Klar"))
    ledger.finish_run(run, "completed")
    long_ago = datetime.now(UTC) - timedelta(days=40)
    with sessions.begin() as s:
        s.execute(update(Item).values(updated_at=long_ago))
        s.execute(update(OutcomeRow).values(recorded_at=long_ago))


def test_gallring_runs_every_day_at_its_time_in_the_night_scheduler(build_settings, driven,
                                                                     fake_engine: FakeEngine) -> None:
    settings = build_settings(retention={"schedule": "30 18 * * *"})
    _settled_case_of_long_ago(settings)
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine) as d:
        job = d.scheduler.get_job(JOB_ID)
        assert job is not None and job.next_run_time == local(2026, 11, 20, 18, 30)
        d.run_until(local(2026, 11, 20, 19, 0))
        assert d.scheduler.get_job(JOB_ID).next_run_time == local(2026, 11, 21, 18, 30)
    _, sessions = open_database(settings.database_url())
    with sessions() as s:
        passes = s.scalars(select(AuditEntry).where(AuditEntry.action == "gallring")).all()
        item = s.scalars(select(Item)).one()
    assert [(p.detail["trigger"], p.detail["cases"]) for p in passes] == [("schedule", 1)]
    assert item.purged_at is not None and item.data == {}
    assert fake_engine.fired == []  # the robot's night (01:30) was not due, and gallring is not a robot
    assert [r.robot for r in runs(settings)] == ["tiny"]  # no run row, missed or other, for "gallring"


def test_a_gallring_missed_while_the_machine_was_down_runs_once_when_it_is_back(build_settings, driven,
                                                                                 fake_engine: FakeEngine) -> None:
    settings = build_settings(retention={"schedule": "30 18 * * *"})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(settings, local(2026, 11, 21, 2, 0), fake_engine) as d:  # off from noon to 02:00
        d.tick()
        d.tick()
    _, sessions = open_database(settings.database_url())
    with sessions() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.action == "gallring")).all()) == 1
    assert {r.robot for r in runs(settings)} <= {"tiny"}  # its late start is not a robot's missed night


def test_turning_gallring_off_removes_its_job(build_settings, driven, fake_engine: FakeEngine) -> None:
    with driven(build_settings(retention={"enabled": True}), local(2026, 11, 20, 12, 0), fake_engine) as d:
        assert d.scheduler.get_job(JOB_ID) is not None
    with driven(build_settings(retention={"enabled": False}), local(2026, 11, 20, 13, 0), fake_engine) as d:
        assert d.scheduler.get_job(JOB_ID) is None


def test_schedule_list_shows_when_gallring_runs(build_settings) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from runner.cli import app

    settings = build_settings(retention={"schedule": "30 18 * * *"})
    config = settings.config_file
    config.write_text(f'data_dir = "{settings.data_dir}"\n[retention]\nschedule = "30 18 * * *"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["schedule", "--list", "--config", str(config)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("gallring"))
    assert line.startswith("gallring (30 18 * * *): ") and line.count("18:30") == 3
    config.write_text(f'data_dir = "{settings.data_dir}"\n[retention]\nenabled = false\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["schedule", "--list", "--config", str(config)])
    assert "gallring (30 18 * * *): off" in result.stdout
