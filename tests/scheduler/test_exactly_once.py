"""One night, exactly once (issue 20, points 2, 4 and 6): the database lets one start of a scheduled time
through whatever the schedulers believe; a leader that loses its lock stops firing at once and waits to
lead again instead of exiting; a standby survives a database restart; a start that meets another host's
run waits for that run's lease, takes a crashed run over, and records a live one as a skip with a mail.

PostgreSQL restarts are a cut proxy (tests/support/tcpproxy.py): the machine's PostgreSQL serves others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from runner.ledger.db import close_database, open_database
from runner.ledger.models import Run
from runner.ledger.repo import Ledger
from runner.scheduler.job import NightDebugExecutor
from runner.scheduler.service import NightScheduler
from runner.settings import Settings
from tests.scheduler.helpers import Clock, FakeEngine, ManualScheduler, local, utc
from tests.support.pg import pg_schema_url
from tests.support.target import TargetServer
from tests.support.tcpproxy import pg_proxy
from tests.support.waits import wait_until

pytestmark = pytest.mark.postgres
NIGHT = local(2026, 11, 21, 1, 30)


def scheduled_runs(url: str) -> list[Run]:
    _, sessions = open_database(url)
    with sessions() as s:
        return list(s.scalars(select(Run).where(Run.robot == "tiny").order_by(Run.started_at)))


@pytest.fixture
def pg(postgres_url: str) -> Iterator[str]:
    with pg_schema_url(postgres_url) as url:
        yield url
        close_database(url)


def manual(settings: Settings, clock: Clock, engine: Callable[..., Any]) -> NightScheduler:
    """A scheduler whose APScheduler processes jobs only when the test ticks it (its lock is real)."""
    return NightScheduler(settings, run_fn=engine, clock=clock, scheduler_factory=ManualScheduler,
                          executor_factory=lambda hooks, n: NightDebugExecutor(hooks), maintenance_interval=3600)


@contextmanager
def fake_time(monkeypatch: pytest.MonkeyPatch, at: datetime) -> Iterator[Clock]:
    from types import SimpleNamespace

    clock = Clock(at)
    fake = SimpleNamespace(now=lambda tz=None: clock.now.astimezone(tz))
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", fake)
    monkeypatch.setattr("apscheduler.executors.base.datetime", fake)
    yield clock


def arm(service: NightScheduler, due: datetime) -> None:
    service.scheduler.modify_job("robot:tiny", next_run_time=due)


# -- point 2: the database lets one start through ------------------------------------------------------


def test_two_schedulers_starting_one_night_at_once_make_one_run(build_settings, pg, tmp_path) -> None:
    """Two schedulers that both believe they lead fire the same night at the same moment (real engine,
    real browser): one run row, every item written once; a third start after it ended is refused."""
    with TargetServer([f"A{i:03d}" for i in range(6)]) as target:
        settings = build_settings({"concurrency": 2}, systems=target, database={"url": pg})
        first, second = NightScheduler(settings), NightScheduler(settings)
        night = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
        barrier = threading.Barrier(2)
        results: dict[str, Any] = {}

        def fire(name: str, service: NightScheduler) -> None:
            barrier.wait()
            results[name] = service.run_scheduled("tiny", night)

        threads = [threading.Thread(target=fire, args=(n, s)) for n, s in (("a", first), ("b", second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)
        [run] = scheduled_runs(pg)
        assert run.status == "completed" and run.scheduled_for == night
        # the one that did not start it names the run that did (or, had it come after the end, nothing)
        assert run.id in results.values() and set(results.values()) <= {run.id, None}
        assert target.state.writes == {key: 1 for key in target.state.keys}

        assert NightScheduler(settings).run_scheduled("tiny", night) is None  # already run: not again
        assert len(scheduled_runs(pg)) == 1


# -- points 2 and 6: losing the lock, a restarted database ---------------------------------------------


def test_a_leader_that_loses_its_lock_stops_firing_and_the_new_leader_fires_once(
    build_settings, pg, monkeypatch
) -> None:
    with pg_proxy(pg) as proxy, fake_time(monkeypatch, NIGHT - timedelta(hours=12)) as clock:
        engine = FakeEngine()
        old = manual(build_settings(database={"url": proxy.url}), clock, engine)
        new = manual(build_settings(database={"url": pg}, scheduler={"standby": True}), clock, engine)
        assert old.start() is not None and old.leading.is_set()
        assert new.start() is None  # the standby waits
        try:
            clock.now = NIGHT + timedelta(minutes=1)
            proxy.cut()  # PostgreSQL restarts just after the leader's last lock check
            wait_until(new.leading.is_set, "the standby has taken the lock")
            arm(new, NIGHT)
            old.scheduler.tick()  # the old leader's loop wakes up for the night: it must not fire
            assert not old.leading.is_set() and engine.calls == []
            new.scheduler.tick()
            assert [utc(t) for t in engine.fired] == [utc(NIGHT)]
            proxy.restore()
            tried = old.lock_attempts
            wait_until(lambda: old.lock_attempts >= tried + 2, "the old leader has asked the restored database twice")
            assert not old.leading.is_set()  # the lock is the new leader's: it stays a standby…
            assert old._maint is not None and old._maint.is_alive()  # …and is still there, not exited
            old.scheduler.tick()
            assert len(engine.calls) == 1
            new.shutdown()
            wait_until(old.leading.is_set, "the old leader took over again once the other stopped")
        finally:
            new.shutdown()
            old.shutdown()
    runs = scheduled_runs(pg)
    assert [(r.status, r.scheduled_for) for r in runs] == [("completed", utc(NIGHT))]


def test_a_leader_with_no_rival_survives_a_database_restart_and_goes_on_firing(build_settings, pg, monkeypatch) -> None:
    with pg_proxy(pg) as proxy, fake_time(monkeypatch, NIGHT - timedelta(hours=12)) as clock:
        engine = FakeEngine()
        service = manual(build_settings(database={"url": proxy.url}), clock, engine)
        service.start()
        try:
            proxy.cut()
            clock.now = NIGHT + timedelta(minutes=1)
            service.scheduler.tick()  # the database is away: no fire, no crash
            assert engine.calls == [] and not service.leading.is_set()
            proxy.restore()
            wait_until(service.leading.is_set, "the leader took its lock again")
            service.scheduler.tick()
            assert [utc(t) for t in engine.fired] == [utc(NIGHT)]  # the night was kept, not skipped
        finally:
            service.shutdown()


def test_a_standby_waits_through_a_database_restart(build_settings, pg, monkeypatch) -> None:
    with pg_proxy(pg) as proxy, fake_time(monkeypatch, NIGHT - timedelta(hours=12)) as clock:
        leader = manual(build_settings(database={"url": pg}), clock, FakeEngine())
        standby = manual(build_settings(database={"url": proxy.url}, scheduler={"standby": True}), clock, FakeEngine())
        leader.start()
        proxy.cut()  # the standby's database restarts while it waits (it cannot even connect)
        try:
            assert standby.start() is None
            wait_until(lambda: standby.lock_attempts >= 2, "the standby has tried a database that refuses twice")
            assert standby._maint is not None and standby._maint.is_alive() and not standby.leading.is_set()
            proxy.restore()
            leader.shutdown()
            wait_until(standby.leading.is_set, "the standby took over")
        finally:
            leader.shutdown()
            standby.shutdown()


# -- point 4: another host's run that looks alive ------------------------------------------------------


def other_hosts_run(url: str, lease_seconds: float) -> str:
    """A run of tiny that another machine started and is (or was) holding under a lease."""
    ledger = Ledger(open_database(url)[1])
    return ledger.start_run("tiny", owner="other-host:4242", lease_seconds=lease_seconds)


def test_a_start_takes_over_another_hosts_crashed_run_when_its_lease_runs_out(build_settings, pg) -> None:
    with TargetServer([f"A{i:03d}" for i in range(4)]) as target:
        settings = build_settings(systems=target, database={"url": pg}, workers={"lease_seconds": 3})
        crashed = other_hosts_run(pg, 3)  # never renewed again: that machine lost power
        night = datetime.now(UTC).replace(microsecond=0)
        run_id = NightScheduler(settings).run_scheduled("tiny", night)
    runs = {r.id: r for r in scheduled_runs(pg)}
    assert runs[crashed].status == "interrupted" and "på other-host" in (runs[crashed].reason or "")
    assert runs[run_id].status == "completed" and runs[run_id].scheduled_for == night
    assert target.state.writes == {key: 1 for key in target.state.keys}


def test_a_start_that_meets_a_live_run_is_a_recorded_skip_with_a_mail(build_settings, pg, monkeypatch) -> None:
    sent: list[Any] = []
    monkeypatch.setattr("runner.scheduler.service.smtp_configured", lambda settings: True)
    monkeypatch.setattr("runner.scheduler.service.send", lambda settings, notices, tz: sent.extend(notices))
    with TargetServer([]) as target:  # the robot's system must be configured; it is never reached
        settings = build_settings(systems=target, database={"url": pg}, workers={"lease_seconds": 1.5})
    live = other_hosts_run(pg, 1.5)
    ledger = Ledger(open_database(pg)[1])
    stop = threading.Event()

    def keep_renewing() -> None:  # that machine is alive and working
        while not stop.wait(0.3):
            ledger.renew_run(live, "other-host:4242", 1.5)

    renewer = threading.Thread(target=keep_renewing)
    renewer.start()
    try:
        night = datetime.now(UTC).replace(microsecond=0)
        assert NightScheduler(settings).run_scheduled("tiny", night) is None
    finally:
        stop.set()
        renewer.join()
    [missed] = [r for r in scheduled_runs(pg) if r.status == "missed"]
    assert missed.scheduled_for == night
    assert "kördes redan av en annan process (other-host:4242)" in (missed.reason or "")
    assert [n.status for n in sent] == ["missed"] and sent[0].robot == "tiny"
