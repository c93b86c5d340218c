"""The chaos suite's harness: generated scenarios, instrumented stand-in systems, runs and the ledger.

Robot-agnostic: everything robot-specific is in `profiles.py`. The stand-in systems run in the test
process; robots run through the real engine (in-process, or as `python -m runner.cli run` subprocesses
for the kill checks) against a ledger of their own under the test's tmp_path.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fixtures.generate import write_scenario
from fixtures.registry import load_spec
from fixtures.scenario import Scenario, parse_scenario
from fixtures.server import RunningSystems, start_systems
from runner.ledger.db import open_database
from runner.ledger.models import Item
from runner.settings import Settings
from runner.testing import RunResult, make_settings, run_robot
from tests.chaos.profiles import RobotProfile, States, WriteKey
from tests.support.pii import remember_people

SEED = "nattskift-chaos-2026"
FINAL = frozenset({"prepared", "needs_attention", "waiting", "skipped"})


# -- scenarios ---------------------------------------------------------------------------------------


def scenario_raw(profile: RobotProfile, size: int, seed: str = SEED) -> dict[str, Any]:
    """The decoded scenario `nattskift fixtures generate --size SIZE --seed SEED` would write for the
    robot's systems (the same generators, the same bytes)."""
    buf = io.StringIO()
    write_scenario(buf, size=size, seed=seed, specs=[load_spec(s) for s in profile.systems])
    raw = json.loads(buf.getvalue())
    remember_people(raw)  # the session-end scan looks for these people in logs and output
    return raw


def make_scenario(profile: RobotProfile, size: int, seed: str = SEED, mutate: Callable[[dict[str, Any]], None] | None = None) -> Scenario:
    raw = scenario_raw(profile, size, seed)
    if mutate is not None:
        mutate(raw)
        remember_people(raw)
    return parse_scenario(raw, f"chaos-{profile.name}-{size}")


# -- systems with a tally of the faults they injected ---------------------------------------------------


@dataclass
class FaultTally:
    """Counted in the systems' own fault RNG draws and logins (test-side instrumentation)."""

    errors: Counter[int] = field(default_factory=Counter)  # status -> requests answered with it
    delayed: int = 0
    requests: int = 0
    logins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_dict(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "errors_500": self.errors[500],
            "errors_503": self.errors[503],
            "delayed": self.delayed,
            "logins": self.logins,
        }


def _instrument(systems: RunningSystems, tally: FaultTally) -> None:
    for running in systems.systems.values():
        system = running.server.config.app.state.system
        draw, issue = system.faults.draw, system.sessions.issue

        def counted_draw(draw=draw) -> tuple[float, int | None]:  # type: ignore[no-untyped-def]
            delay, status = draw()
            with tally.lock:
                tally.requests += 1
                tally.delayed += delay > 0
                if status is not None:
                    tally.errors[status] += 1
            return delay, status

        def counted_issue(username: str, issue=issue) -> str:  # type: ignore[no-untyped-def]
            with tally.lock:
                tally.logins += 1
            return issue(username)

        system.faults.draw = counted_draw
        system.sessions.issue = counted_issue


@contextmanager
def chaos_systems(scenario: Scenario) -> Iterator[tuple[RunningSystems, FaultTally]]:
    tally = FaultTally()
    with start_systems(scenario, ports=0) as systems:
        _instrument(systems, tally)
        yield systems, tally


def states(systems: RunningSystems, profile: RobotProfile) -> States:
    return {name: systems.state(name) for name in profile.systems}


def users(scenario: Scenario) -> dict[str, str]:
    return {name: account.username for name, account in scenario.accounts.items()}


def robot_writes(systems: RunningSystems, scenario: Scenario, profile: RobotProfile) -> Counter[WriteKey]:
    return profile.writes(states(systems, profile), users(scenario))


def duplicates(writes: Counter[WriteKey]) -> int:
    return sum(n - 1 for n in writes.values() if n > 1)


# -- runs and the ledger ------------------------------------------------------------------------------


def chaos_settings(data_dir: Path, systems: RunningSystems, profile: RobotProfile, **robot: Any) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    table = {"concurrency": 4, "retry_backoff_seconds": 0.05, **profile.settings, **robot}
    return make_settings(data_dir, systems=systems, robots={profile.name: table})


@dataclass
class ItemRow:
    key: str
    state: str
    status: str | None
    summary: str | None
    attempts: int

    @property
    def final(self) -> bool:
        return self.state == "done" and self.status in FINAL


def ledger_items(settings: Settings, robot: str) -> dict[str, ItemRow]:
    _, sessions = open_database(settings.database_url())
    with sessions() as s:
        rows = s.scalars(select(Item).where(Item.robot == robot)).all()
        return {r.key: ItemRow(r.key, r.state, r.status, r.summary, r.attempts) for r in rows}


def pending(items: dict[str, ItemRow]) -> list[str]:
    """Keys a rerun still has to work: not done, or done with a technical failure."""
    return sorted(k for k, r in items.items() if not r.final)


def settle(settings: Settings, robot: str, max_runs: int) -> list[RunResult]:
    """Run the robot again until nothing is pending, as operations would after a bad night."""
    results: list[RunResult] = []
    for _ in range(max_runs):
        results.append(run_robot(robot, settings))
        if results[-1].run.status == "completed" and not pending(ledger_items(settings, robot)):
            break
    return results


# -- the robot as a separate process (for SIGKILL) ------------------------------------------------------


def write_config(path: Path, systems: RunningSystems, profile: RobotProfile, **robot: Any) -> Path:
    """A settings file for `python -m runner.cli run NAME --config FILE`."""
    table = {"concurrency": 4, "retry_backoff_seconds": 0.05, **profile.settings, **robot}
    lines = [
        f"data_dir = {json.dumps(str(path.parent / 'var'))}",
        systems.settings_toml(),  # the clock (top level) and the [systems.*] tables
        "[logging]",
        'console = "never"',
        "[browser]",
        f"executable_path = {json.dumps(os.environ['NATTSKIFT_CHROMIUM'])}",
        "trace_failures = false",
        "read_retry_backoff_seconds = 0.05",
        f"[robots.{profile.name}]",
        *(f"{k} = {json.dumps(v)}" for k, v in table.items()),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def robot_command(profile: RobotProfile, config: Path) -> list[str]:
    return [sys.executable, "-m", "runner.cli", "run", profile.name, "--config", str(config), "--json"]


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.monotonic()

    @property
    def seconds(self) -> float:
        return round(time.monotonic() - self.started, 1)
