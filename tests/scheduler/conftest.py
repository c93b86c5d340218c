"""Fixtures for the scheduler's tests: settings for the tiny robot, a fake engine, and a scheduler driven
by a controllable clock (APScheduler's own loop, with `datetime.now` replaced in its modules)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from runner.scheduler.job import NightDebugExecutor
from runner.scheduler.service import NightScheduler
from runner.settings import Settings
from runner.testing import make_settings
from tests.scheduler.helpers import ROBOT_DIR, ROOT, Clock, Driven, FakeEngine, ManualScheduler


@pytest.fixture
def build_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings with only the tiny robot scheduled; call again with other values for a "settings
    change" (same data_dir, so the same ledger and job store)."""

    def build(robot: dict[str, Any] | None = None, *, scheduler: dict[str, Any] | None = None,
              systems: Any = None, **overrides: Any) -> Settings:
        robots = {"tiny": {"schedule": "30 1 * * *", **(robot or {})}}
        overrides.setdefault("retention", {"enabled": False})  # gallring's daily job: test_gallring_job.py
        return make_settings(tmp_path, systems=systems, robot_dirs=[ROBOT_DIR], robots=robots,
                             scheduler={"robots": ["tiny"], **(scheduler or {})}, **overrides)

    return build


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def driven(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """`with driven(settings, at, engine) as d:` starts a scheduler at time `at`. Leaving the block shuts
    it down (the machine goes off); a new block at a later time is the machine coming back."""
    clock = Clock(datetime(2000, 1, 1, tzinfo=UTC))
    fake_datetime = SimpleNamespace(now=lambda tz=None: clock.now.astimezone(tz))
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", fake_datetime)
    monkeypatch.setattr("apscheduler.executors.base.datetime", fake_datetime)

    @contextmanager
    def start(settings: Settings, at: datetime, engine: Callable[..., Any]) -> Iterator[Driven]:
        clock.now = at
        service = NightScheduler(
            settings, run_fn=engine, clock=clock, scheduler_factory=ManualScheduler,
            executor_factory=lambda hooks, n: NightDebugExecutor(hooks), maintenance_interval=3600,
        )
        service.start()
        try:
            yield Driven(service, clock)
        finally:
            service.shutdown()

    return start


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NATTSKIFT_CONFIG", None)
    env["PYTHONPATH"] = str(ROOT)
    return env
