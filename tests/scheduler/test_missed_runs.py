"""Missed runs: a night missed while the machine was down runs late within the grace time (once), and is
recorded as missed past it. Driven through APScheduler's real loop on a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from runner.scheduler.catchup import catch_up, deadline_for
from runner.scheduler.trigger import NightlyTrigger
from tests.scheduler.helpers import SE, FakeEngine, local, runs, utc

# -- the arithmetic, with given times ------------------------------------------------------------------


def test_catch_up_within_grace_runs_the_latest_once() -> None:
    trigger = NightlyTrigger("30 1 * * *")
    # stored next run 21 Nov 01:30; back at 03:00: 1 h 30 min late, grace 3 h -> run it
    plan = catch_up(trigger, local(2026, 11, 21, 1, 30), local(2026, 11, 21, 3, 0), timedelta(hours=3))
    assert plan.run == local(2026, 11, 21, 1, 30)
    assert plan.missed == []


def test_catch_up_past_grace_is_missed() -> None:
    trigger = NightlyTrigger("30 1 * * *")
    # back at 05:00: 3 h 30 min late > 3 h grace -> missed, nothing to run
    plan = catch_up(trigger, local(2026, 11, 21, 1, 30), local(2026, 11, 21, 5, 0), timedelta(hours=3))
    assert plan.run is None
    assert plan.missed == [local(2026, 11, 21, 1, 30)]


def test_catch_up_three_nights_down() -> None:
    trigger = NightlyTrigger("30 1 * * *")
    # down from the 20th; back on the 23rd at 02:00: the 21st and 22nd are days late (missed),
    # the 23rd is 30 min late (runs, once)
    plan = catch_up(trigger, local(2026, 11, 21, 1, 30), local(2026, 11, 23, 2, 0), timedelta(hours=3))
    assert plan.missed == [local(2026, 11, 21, 1, 30), local(2026, 11, 22, 1, 30)]
    assert plan.run == local(2026, 11, 23, 1, 30)


def test_catch_up_coalesces_fire_times_within_grace() -> None:
    trigger = NightlyTrigger("0 * * * *")
    # hourly; down 00:30-03:10, grace 3 h: 01:00, 02:00, 03:00 all within grace -> one run (03:00), none missed
    plan = catch_up(trigger, local(2026, 11, 21, 1, 0), local(2026, 11, 21, 3, 10), timedelta(hours=3))
    assert plan.run == local(2026, 11, 21, 3, 0)
    assert plan.missed == []


def test_deadline_is_the_next_such_local_time_after_the_fire() -> None:
    # 01:30 run, deadline 06:30 -> 06:30 the same morning
    assert deadline_for(local(2026, 11, 23, 1, 30), time(6, 30), SE) == local(2026, 11, 23, 6, 30)
    # 23:00 run, deadline 06:30 -> 06:30 the next morning
    assert deadline_for(local(2026, 11, 22, 23, 0), time(6, 30), SE) == local(2026, 11, 23, 6, 30)
    # autumn switch day: a 02:30 CEST (00:30Z) run with deadline 06:30 gets 06:30 CET = 05:30Z,
    # 4 h of wall clock but 5 real hours (the clock went back one hour at 03:00)
    dl = deadline_for(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), time(6, 30), SE)
    assert dl is not None and dl.astimezone(UTC) == datetime(2026, 10, 25, 5, 30, tzinfo=UTC)
    assert deadline_for(local(2026, 11, 23, 1, 30), None, SE) is None


# -- through the scheduler ---------------------------------------------------------------------------------


def test_missed_within_grace_runs_once_after_restart(build_settings, driven, fake_engine: FakeEngine) -> None:
    settings = build_settings({"grace_hours": 3, "deadline": "06:30"})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine) as d:  # Friday noon
        assert d.job().next_run_time == local(2026, 11, 21, 1, 30)
    # the machine is off at 01:30 and back at 03:00
    with driven(settings, local(2026, 11, 21, 3, 0), fake_engine) as d:
        assert d.job().next_run_time == local(2026, 11, 21, 1, 30)  # start-up kept the stored time
        d.tick()
        d.tick()  # a second pass finds nothing more to do
        assert fake_engine.fired == [local(2026, 11, 21, 1, 30)]
        assert fake_engine.calls[0]["trigger"] == "schedule"
        assert fake_engine.calls[0]["deadline"] == local(2026, 11, 21, 6, 30)
        assert d.job().next_run_time == local(2026, 11, 22, 1, 30)
    assert runs(settings, "missed") == []


def test_missed_past_grace_is_recorded_not_run(build_settings, driven, fake_engine: FakeEngine) -> None:
    settings = build_settings({"grace_hours": 3})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(settings, local(2026, 11, 21, 5, 0), fake_engine) as d:  # 3 h 30 min late
        d.tick()
        assert d.job().next_run_time == local(2026, 11, 22, 1, 30)
    assert fake_engine.calls == []
    missed = runs(settings, "missed")
    assert len(missed) == 1
    assert missed[0].scheduled_for == utc(local(2026, 11, 21, 1, 30))
    assert missed[0].trigger == "schedule"
    assert missed[0].reason is not None
    assert "2026-11-21 01:30" in missed[0].reason and "startade aldrig" in missed[0].reason
    assert "3 timmar" in missed[0].reason


def test_several_nights_down_records_each_and_runs_the_last_once(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"grace_hours": 3})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(settings, local(2026, 11, 23, 2, 0), fake_engine) as d:
        d.tick()
    assert fake_engine.fired == [local(2026, 11, 23, 1, 30)]
    assert [r.scheduled_for for r in runs(settings, "missed")] == [utc(local(2026, 11, 21, 1, 30)),
                                                                     utc(local(2026, 11, 22, 1, 30))]


def test_closed_days_while_down_are_not_missed(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"calendar": "working_days", "grace_hours": 3})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine) as d:  # Friday
        assert d.job().next_run_time == local(2026, 11, 23, 1, 30)  # Saturday and Sunday are closed
    with driven(settings, local(2026, 11, 23, 5, 0), fake_engine) as d:  # Monday, past grace
        d.tick()
    assert [r.scheduled_for for r in runs(settings, "missed")] == [utc(local(2026, 11, 23, 1, 30))]
    assert fake_engine.calls == []


def test_restart_after_the_deadline_is_missed_not_run(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"grace_hours": 6, "deadline": "03:00"})
    with driven(settings, local(2026, 11, 20, 12, 0), fake_engine):
        pass
    with driven(settings, local(2026, 11, 21, 4, 0), fake_engine) as d:  # within 6 h grace, after 03:00
        d.tick()
    assert fake_engine.calls == []
    missed = runs(settings, "missed")
    assert len(missed) == 1 and "tidsgränsen 03:00" in (missed[0].reason or "")


def test_a_month_of_nights_through_the_scheduler(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"calendar": "working_days"})
    with driven(settings, local(2025, 11, 30, 12, 0), fake_engine) as d:
        d.run_until(local(2026, 1, 1, 0, 0))
    # the same 19 working days as the computed list in test_calendar_trigger
    assert [t.astimezone(SE).day for t in fake_engine.fired] == [
        1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 29, 30
    ]
    assert runs(settings, "missed") == []


def test_autumn_switch_night_runs_once_through_the_scheduler(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"schedule": "30 2 * * *"})
    with driven(settings, local(2026, 10, 24, 12, 0), fake_engine) as d:
        d.run_until(local(2026, 10, 26, 12, 0))
    assert [utc(t) for t in fake_engine.fired] == [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 CEST; the repeated 02:30 CET is not run
        datetime(2026, 10, 26, 1, 30, tzinfo=UTC),  # the next night, 02:30 CET
    ]


def test_hourly_schedule_runs_the_repeated_hour_through_the_scheduler(build_settings, driven, fake_engine) -> None:
    """Issue 20, point 7: the 01:00Z slot of the autumn night (02:00 CET, the second 02:00) was lost."""
    settings = build_settings({"schedule": "0 * * * *"})
    with driven(settings, local(2026, 10, 24, 23, 30), fake_engine) as d:
        d.run_until(local(2026, 10, 25, 4, 30))
    assert [utc(t).hour for t in fake_engine.fired] == [22, 23, 0, 1, 2, 3]  # six hours of work, six runs
    assert runs(settings, "missed") == []


def test_spring_switch_night_runs_once_through_the_scheduler(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"schedule": "30 2 * * *"})
    with driven(settings, local(2026, 3, 28, 12, 0), fake_engine) as d:
        d.run_until(local(2026, 3, 30, 12, 0))
    assert [utc(t) for t in fake_engine.fired] == [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 03:00 CEST: 02:30 did not exist
        datetime(2026, 3, 30, 0, 30, tzinfo=UTC),  # the next night, 02:30 CEST
    ]


def test_a_repeated_local_time_is_refused_by_the_job_too(build_settings, driven, fake_engine) -> None:
    """Belt and braces: even if something fired the repeated 02:30 CET, the job refuses the wall time it
    already ran."""
    settings = build_settings({"schedule": "30 2 * * *"})
    with driven(settings, local(2026, 10, 24, 12, 0), fake_engine) as d:
        first = d.service.run_scheduled("tiny", datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 02:30 CEST
        again = d.service.run_scheduled("tiny", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 CET
    assert first is not None and again is None
    assert len(fake_engine.calls) == 1


def test_a_fire_on_a_closed_day_does_nothing(build_settings, driven, fake_engine) -> None:
    settings = build_settings({"calendar": "working_days"})
    with driven(settings, local(2026, 12, 23, 12, 0), fake_engine) as d:
        assert d.service.run_scheduled("tiny", local(2026, 12, 24, 1, 30)) is None  # julafton
    assert fake_engine.calls == []
    assert runs(settings) == []  # not run, and not "missed" either


def test_a_run_that_cannot_start_is_recorded_as_failed(build_settings, driven) -> None:
    engine = FakeEngine(raises=RuntimeError("no browser here"))
    settings = build_settings()
    with driven(settings, local(2026, 11, 20, 12, 0), engine) as d:
        d.run_until(local(2026, 11, 21, 2, 0))
        assert d.job().next_run_time == local(2026, 11, 22, 1, 30)  # the scheduler goes on
    [run] = runs(settings)
    assert run.status == "failed" and run.scheduled_for == utc(local(2026, 11, 21, 1, 30))
    assert run.reason == "Körningen kunde inte startas: RuntimeError: no browser here"


def test_a_start_time_while_the_last_run_still_runs_is_recorded(build_settings, driven, fake_engine) -> None:
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent

    settings = build_settings()
    with driven(settings, local(2026, 11, 21, 1, 30), fake_engine) as d:
        # what APScheduler reports when max_instances=1 stops a second start of the same robot
        d.service._on_event(JobSubmissionEvent(EVENT_JOB_MAX_INSTANCES, "robot:tiny", "default",
                                               [local(2026, 11, 21, 1, 30)]))
    [run] = runs(settings, "missed")
    assert "föregående körning av roboten pågick fortfarande" in (run.reason or "")
