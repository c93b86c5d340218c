"""Pausing a robot in the ledger (runner.control.pausing): the scheduler skips its nights without
recording them missed, also across a machine that was off; resuming catches up only when asked, and
then only the latest night still within the grace time (3 h by default)."""

from __future__ import annotations

from runner.control.actions import Control, Operator
from runner.ledger.db import open_database
from tests.scheduler.helpers import local, runs
from tests.support.waits import wait_until

OPS = Operator("drift", "web")


def _control(settings, service):  # type: ignore[no-untyped-def]
    return Control(settings, open_database(settings.database_url())[1], robots=lambda: ["tiny"], scheduler=service,
                   clock=service.clock)


def test_resume_with_catch_up_runs_the_latest_night_missed_while_paused(build_settings, fake_engine, driven) -> None:
    settings = build_settings()
    with driven(settings, local(2026, 11, 23, 12, 0), fake_engine) as d:
        control = _control(settings, d.service)
        control.pause(OPS, "tiny")
        d.run_until(local(2026, 11, 24, 2, 0))  # the night of the 24th, 01:30, falls due while paused
        assert fake_engine.calls == [] and runs(settings) == []  # skipped, not recorded missed
        # 02:00: 30 min after the night, within the 3 h grace: asked to, it is run now, for 01:30
        assert control.resume(OPS, "tiny", catch_up=True) == local(2026, 11, 24, 1, 30)
        wait_until(lambda: len(fake_engine.calls) == 1, "the caught-up night ran")
        assert fake_engine.fired == [local(2026, 11, 24, 1, 30)]
        assert fake_engine.calls[0]["trigger"] == "schedule"  # the night itself: a second fire of it is a duplicate


def test_a_night_past_its_grace_is_not_caught_up(build_settings, fake_engine, driven) -> None:
    settings = build_settings()
    with driven(settings, local(2026, 11, 23, 12, 0), fake_engine) as d:
        control = _control(settings, d.service)
        control.pause(OPS, "tiny")
        d.run_until(local(2026, 11, 24, 5, 0))  # 05:00 is 3 h 30 min after 01:30: past the grace
        assert control.resume(OPS, "tiny", catch_up=True) is None
        d.run_until(local(2026, 11, 25, 1, 30))
        assert fake_engine.fired == [local(2026, 11, 25, 1, 30)]  # the next night as usual


def test_a_machine_off_while_paused_records_no_missed_nights(build_settings, fake_engine, driven) -> None:
    settings = build_settings()
    with driven(settings, local(2026, 11, 23, 12, 0), fake_engine) as d:
        _control(settings, d.service).pause(OPS, "tiny")
    # off for three nights; back on the 27th at 12:00: nights past their grace are not "missed" while paused
    with driven(settings, local(2026, 11, 27, 12, 0), fake_engine) as d:
        d.tick()
        assert runs(settings) == [] and fake_engine.calls == []
