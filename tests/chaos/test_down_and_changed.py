"""A system that goes down, and a screen that has changed: both stop the run early, with a clear reason,
and leave the cases for the next run instead of failing them one by one."""

from __future__ import annotations

import re
import time

import pytest

from runner.testing import run_robot
from tests.chaos.harness import (
    Stopwatch,
    chaos_settings,
    chaos_systems,
    duplicates,
    ledger_items,
    make_scenario,
    pending,
    robot_writes,
)
from tests.chaos.profiles import PROFILES
from tests.support.conditions import slowdown

pytestmark = pytest.mark.chaos

CIRCUIT_BREAKER = 5
CONCURRENCY = 4


@pytest.mark.parametrize("robot", list(PROFILES))
def test_a_system_going_down_trips_the_breaker_and_the_next_run_completes(robot, tmp_path, figures):
    profile = PROFILES[robot]
    clock = Stopwatch()
    scenario = make_scenario(profile, profile.small_size)
    with chaos_systems(scenario) as (systems, tally):
        settings = chaos_settings(tmp_path, systems, profile, circuit_breaker=CIRCUIT_BREAKER, concurrency=CONCURRENCY)

        def down_after_fetch(event: str, **info: object) -> None:
            if event == "fetched" and info.get("done"):
                systems.set_faults(profile.main_system, down=True)

        first = run_robot(robot, settings, progress=down_after_fetch)
        after_first = ledger_items(settings, robot)
        refused = tally.errors[503]

        systems.set_faults(profile.main_system, down=False)
        second = run_robot(robot, settings)
        items = ledger_items(settings, robot)
        writes = robot_writes(systems, scenario, profile)

    assert first.run.status == "interrupted"
    assert "Systemet verkar nere" in (first.run.reason or "")
    assert "ligger kvar till nästa körning" in (first.run.reason or "")
    # early: a handful of attempts, not every case tried three times
    assert sum(r.attempts for r in after_first.values()) <= CIRCUIT_BREAKER + CONCURRENCY
    assert {r.state for r in after_first.values()} == {"new"}  # nothing failed, nothing half-done
    assert first.outcomes == {}

    assert second.run.status == "completed", second.run.reason
    assert pending(items) == []
    assert set(items) == set(after_first)
    assert duplicates(writes) == 0
    figures.add(
        "system_down",
        robot,
        items=len(items),
        runs=2,
        faults_injected=refused,
        attempts_while_down=sum(r.attempts for r in after_first.values()),
        lost=len(pending(items)),
        duplicated=duplicates(writes),
        seconds=clock.seconds,
    )


@pytest.mark.parametrize("robot", list(PROFILES))
def test_a_changed_page_stops_the_run_after_a_few_items_with_a_clear_reason(robot, tmp_path, figures):
    profile = PROFILES[robot]
    scenario = make_scenario(profile, profile.small_size)
    with chaos_systems(scenario) as (systems, _):
        systems.set_faults(profile.main_system, changed_pages=[profile.changed_page])
        settings = chaos_settings(tmp_path, systems, profile, concurrency=CONCURRENCY)
        started = time.monotonic()
        result = run_robot(robot, settings)
        elapsed = time.monotonic() - started
        items = ledger_items(settings, robot)
        writes = robot_writes(systems, scenario, profile)

    reason = result.run.reason or ""
    assert result.run.status == "interrupted"
    assert re.search(rf"Sidan ”[^”]+” i systemet {profile.main_system} har ändrats", reason), reason
    assert "ligger kvar till nästa körning" in reason
    # a few items at most were reached; none failed or timed out one by one
    assert len(result.outcomes) <= CONCURRENCY
    assert all(o.status.value != "failed" for o in result.outcomes.values())
    assert sum(r.state == "new" for r in items.values()) >= len(items) - CONCURRENCY
    assert sum(writes.values()) <= CONCURRENCY
    assert elapsed < 90 * slowdown()  # one stop, not a 15-second timeout per case
    figures.add("changed_page", robot, items=len(items), reached=len(result.outcomes), seconds=round(elapsed, 1))
