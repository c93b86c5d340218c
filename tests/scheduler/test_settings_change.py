"""Changed settings update the stored jobs (only what changed) without losing a run that is due."""

from __future__ import annotations

from tests.scheduler.helpers import FakeEngine, local, runs


def test_a_new_schedule_and_grace_take_effect_at_restart(build_settings, driven, fake_engine: FakeEngine) -> None:
    with driven(build_settings({"grace_hours": 3}), local(2026, 11, 20, 12, 0), fake_engine) as d:
        assert d.job().next_run_time == local(2026, 11, 21, 1, 30)
        assert d.job().misfire_grace_time == 3 * 3600
    changed = build_settings({"schedule": "0 3 * * *", "grace_hours": 1})
    with driven(changed, local(2026, 11, 20, 13, 0), fake_engine) as d:
        job = d.job()
        assert job.trigger.cron == "0 3 * * *"
        assert job.misfire_grace_time == 3600  # 1 h, in seconds
        assert job.next_run_time == local(2026, 11, 21, 3, 0)
        assert (job.coalesce, job.max_instances) == (True, 1)
        d.run_until(local(2026, 11, 21, 12, 0))
    assert fake_engine.fired == [local(2026, 11, 21, 3, 0)]


def test_unchanged_settings_leave_the_job_alone(build_settings, driven, fake_engine) -> None:
    settings = build_settings()
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(settings, local(2026, 11, 20, 13, 0), fake_engine) as d:
        result = d.service.sync()
        assert result.kept == ["tiny"] and result.updated == {} and result.added == []


def test_a_schedule_change_while_a_run_is_due_keeps_the_due_run(build_settings, driven, fake_engine) -> None:
    with driven(build_settings(), local(2026, 11, 20, 12, 0), fake_engine):
        pass
    # down at 01:30; back at 02:00 with a new cron: the 01:30 night is still caught up, once
    changed = build_settings({"schedule": "45 4 * * *"})
    with driven(changed, local(2026, 11, 21, 2, 0), fake_engine) as d:
        assert d.job().next_run_time == local(2026, 11, 21, 1, 30)
        d.tick()
        assert fake_engine.fired == [local(2026, 11, 21, 1, 30)]
        assert d.job().next_run_time == local(2026, 11, 21, 4, 45)  # then the new schedule


def test_closed_dates_added_later_skip_that_night(build_settings, driven, fake_engine) -> None:
    with driven(build_settings(), local(2026, 11, 20, 12, 0), fake_engine):
        pass
    closed = build_settings({"closed_dates": ["2026-11-21"]})
    with driven(closed, local(2026, 11, 20, 13, 0), fake_engine) as d:
        assert d.job().next_run_time == local(2026, 11, 22, 1, 30)
        d.run_until(local(2026, 11, 22, 12, 0))
    assert fake_engine.fired == [local(2026, 11, 22, 1, 30)]


def test_disabling_a_robot_removes_its_job(build_settings, driven, fake_engine) -> None:
    with driven(build_settings(), local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(build_settings({"enabled": False}), local(2026, 11, 20, 13, 0), fake_engine) as d:
        assert d.job() is None
        d.run_until(local(2026, 11, 22, 12, 0))
    assert fake_engine.calls == [] and runs(build_settings()) == []


def test_reload_while_running_updates_the_job(build_settings, driven, fake_engine) -> None:
    """What SIGHUP does: new settings are read and the jobs follow, without a restart."""
    with driven(build_settings(), local(2026, 11, 20, 12, 0), fake_engine) as d:
        result = d.service.reload(build_settings({"schedule": "15 2 * * *", "calendar": "working_days"}))
        assert result.updated["tiny"] == ["next_run_time", "trigger"]
        assert d.job().next_run_time == local(2026, 11, 23, 2, 15)  # Sat 21 and Sun 22 are closed
        d.run_until(local(2026, 11, 23, 12, 0))
    assert fake_engine.fired == [local(2026, 11, 23, 2, 15)]
