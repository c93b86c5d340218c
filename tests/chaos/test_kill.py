"""Killed: each robot's run is killed with SIGKILL at seeded random moments, again and again, and each kill
is followed by a plain start, as operations would do after a power cut.

The robot runs as `python -m runner.cli run NAME --config FILE` while its stand-in systems run in the
test process. A kill comes after a seeded number of new writes (0–3, fewer when fewer are left: so also
during start-up, resume and fetch) plus a seeded delay of up to 0.4 s, so the moments fall before,
between and inside the writes. At the end, the systems must hold exactly what a fault-free run writes: every item processed,
none written twice.
"""

from __future__ import annotations

import random
import signal
import subprocess
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
    robot_command,
    robot_writes,
    write_config,
)
from tests.chaos.profiles import PROFILES
from tests.support.pii import count_personal_data, names_pattern

pytestmark = pytest.mark.chaos

KILLS = 10
RUN_TIMEOUT = 120  # seconds a killed run may take to reach its kill moment before the test gives up


@pytest.mark.parametrize("robot", list(PROFILES))
def test_sigkill_at_random_moments_loses_and_doubles_nothing(robot, tmp_path, figures):
    profile = PROFILES[robot]
    clock = Stopwatch()
    rng = random.Random(f"nattskift-kill:{robot}")
    scenario = make_scenario(profile, profile.small_size)
    outputs: list[tuple[bytes, bytes]] = []
    with chaos_systems(scenario) as (systems, _):
        base_settings = chaos_settings(tmp_path / "baseline", systems, profile)
        baseline = run_robot(robot, base_settings)
        assert baseline.run.status == "completed", baseline.run.reason
        base_items = ledger_items(base_settings, robot)
        base_writes = robot_writes(systems, scenario, profile)
        assert sum(base_writes.values()) >= KILLS  # enough writes to kill between
        systems.reset()

        config = write_config(tmp_path / "killed" / "nattskift.toml", systems, profile)
        kills, kill_points = 0, []
        for _ in range(KILLS):
            before = sum(robot_writes(systems, scenario, profile).values())
            wait_writes, delay = rng.randint(0, 3), round(rng.uniform(0, 0.4), 2)
            # near the end of the night fewer writes are left than the draw asks for: the kill then comes
            # after the delay alone (during start-up, resume or fetch), so every run is still killed
            wait_writes = min(wait_writes, max(0, sum(base_writes.values()) - before - 1))
            proc = subprocess.Popen(robot_command(profile, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            deadline = time.monotonic() + RUN_TIMEOUT
            while proc.poll() is None and time.monotonic() < deadline:
                if sum(robot_writes(systems, scenario, profile).values()) >= before + wait_writes:
                    break
                time.sleep(0.05)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
                kill_points.append((wait_writes, delay))
            outputs.append(proc.communicate(timeout=30))

        written_by_killed_runs = sum(robot_writes(systems, scenario, profile).values())
        final = subprocess.run(robot_command(profile, config), capture_output=True, timeout=600)
        outputs.append((final.stdout, final.stderr))
        assert final.returncode == 0, final.stderr.decode(errors="replace")[-2000:]
        items = ledger_items(chaos_settings(tmp_path / "killed", systems, profile), robot)
        writes = robot_writes(systems, scenario, profile)

    assert kills == KILLS  # every run was killed before it could finish
    assert pending(items) == []
    lost = len(set(base_items) - set(items)) + len(set(base_writes) - set(writes))
    assert lost == 0
    assert set(items) == set(base_items)
    assert duplicates(writes) == 0, f"{duplicates(writes)} writes made twice"
    assert set(writes) == set(base_writes)

    # what the killed and the final processes printed holds no personal data either
    names = names_pattern()
    leaks = [count_personal_data(out.decode(errors="replace") + err.decode(errors="replace"), names) for out, err in outputs]
    assert all(leak == (0, 0) for leak in leaks), "personal data in the robot's output (values not shown)"

    figures.add(
        "sigkill",
        robot,
        items=len(items),
        kills=kills,
        runs=len(outputs),
        writes=sum(writes.values()),
        writes_by_killed_runs=written_by_killed_runs,
        lost=lost,
        duplicated=duplicates(writes),
        seconds=clock.seconds,
    )
