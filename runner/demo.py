"""`nattskift demo` (what `make demo` runs): one whole night on the embedded default.

It starts the stand-in systems with the `demo` scenario, writes a settings file pointing the robots at
them (SQLite ledger under var/demo), runs every robot whose systems the scenario has, prints a summary,
and serves the morning report with demo logins until Ctrl-C.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.engine import RunSummary, run_robot
from runner.plugins import load_robots
from runner.settings import Settings, load_settings

# Demo accounts for the morning report: (username, password, roles, display name). Demo only.
DEMO_USERS: list[tuple[str, str, list[str], str]] = [
    ("admin", "nattskift-demo", ["admin"], "Demo Administratör"),
    ("drift", "nattskift-demo", ["operations"], "Demo Drift"),
    ("handlaggare", "nattskift-demo", ["staff:ronney"], "Demo Handläggare"),
    ("lon", "nattskift-demo", ["staff:harry"], "Demo Lönehandläggare"),
    ("bemanning", "nattskift-demo", ["staff:bosse"], "Demo Bemanningsassistent"),
]

ROBOT_TABLE = '[robots.{name}]\nconcurrency = 2\nretry_backoff_seconds = 0.5\n'


@dataclass
class DemoNight:
    settings: Settings
    config: Path
    summaries: list[RunSummary]
    systems: Any  # fixtures.server.RunningSystems, kept running for the web app


def prepare(data_dir: Path, scenario: str, *, keep: bool, fixed_ports: bool) -> tuple[Any, Path]:
    """Start the stand-in systems and write the demo's settings file."""
    from fixtures.server import start_systems

    if not keep and data_dir.exists():
        shutil.rmtree(data_dir)  # a fresh night each time: yesterday's cases are already done
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        systems = start_systems(scenario, ports=None if fixed_ports else 0)
    except RuntimeError:
        systems = start_systems(scenario, ports=0)  # default ports taken: any free ones
    config = data_dir / "nattskift.toml"
    robots = "".join(ROBOT_TABLE.format(name=n) for n in load_robots(errors=[]))
    config.write_text(f'data_dir = "."\n{systems.settings_toml()}\n{robots}', encoding="utf-8")
    return systems, config


def runnable_robots(settings: Settings) -> list[str]:
    """The robots whose every system the scenario provides, in name order."""
    return [name for name, cls in load_robots(errors=[]).items() if all(s in settings.systems for s in cls.systems)]


def run_night(
    data_dir: Path,
    scenario: str = "demo",
    *,
    keep: bool = False,
    fixed_ports: bool = True,
    progress: Callable[[str], Callable[..., None] | None] | None = None,
) -> DemoNight:
    systems, config = prepare(data_dir, scenario, keep=keep, fixed_ports=fixed_ports)
    try:
        settings = load_settings(config)
        summaries = []
        for name in runnable_robots(settings):
            callback = progress(name) if progress else None
            summaries.append(run_robot(settings, name, progress=callback))
    except BaseException:
        systems.stop()
        raise
    return DemoNight(settings=settings, config=config, summaries=summaries, systems=systems)


def create_demo_users(settings: Settings) -> list[tuple[str, str, list[str], str]]:
    """The demo logins (skipped if they already exist)."""
    from runner.ledger.db import open_database
    from runner.web.auth import UserError, add_user

    _, sessions = open_database(settings.database_url())
    for username, password, roles, display in DEMO_USERS:
        try:
            add_user(sessions, username, password, roles, display)
        except UserError:
            pass
    return DEMO_USERS
