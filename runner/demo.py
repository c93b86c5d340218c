"""`nattskift demo` (what `make demo` runs): one whole night on the embedded default.

It starts the stand-in systems with the `demo` scenario, writes a settings file pointing the robots at
them (SQLite ledger under var/demo), runs every robot whose systems the scenario has, prints a summary,
and serves the morning report with demo logins until Ctrl-C.

Nothing is touched before everything is checked (the scenario, the robots, the data folder, the web
port), and nothing is deleted: a fresh night moves the previous demo night's files into
`<data dir>/earlier/<time>/`, and a folder that is not a demo's is refused.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from runner.engine import RunSummary, run_robot
from runner.plugins import discover
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
#: Written into every data folder a demo night uses: what marks a folder as the demo's own.
MARKER = ".nattskift-demo"
#: Where earlier demo nights are kept, inside the data folder.
EARLIER = "earlier"
#: What the first line of a demo's settings file said before the marker existed.
_LEGACY_HEAD = 'data_dir = "."\n# Stand-in systems for scenario '


class DemoError(Exception):
    """The demo cannot start; one line naming the bad input. Nothing has been changed."""


@dataclass
class DemoPlan:
    """Everything checked before the night: nothing on disk or on the network is touched yet."""

    scenario: Any  # fixtures.scenario.Scenario
    robots: list[str]
    data_dir: Path
    keep: bool
    web_socket: socket.socket | None = None  # the morning report's port, held from the check on


@dataclass
class DemoNight:
    settings: Settings
    config: Path
    summaries: list[RunSummary]
    systems: Any  # fixtures.server.RunningSystems, kept running for the web app
    earlier: Path | None = None  # where the previous demo night's files were moved
    web_socket: socket.socket | None = None


def check(
    data_dir: Path,
    scenario: str = "demo",
    *,
    keep: bool = False,
    web: tuple[str, int] | None = None,
) -> DemoPlan:
    """Check the scenario, the robots, the data folder and (with `web`) the report's port; raise DemoError."""
    from fixtures.scenario import ScenarioError, load_scenario

    try:
        loaded = load_scenario(scenario)
    except ScenarioError as exc:
        raise DemoError(str(exc)) from None
    robots, _broken = discover()
    runnable = [n for n, cls in robots.items() if cls.systems and all(s in loaded.sections for s in cls.systems)]
    if not runnable:
        has = ", ".join(loaded.sections) or "none"
        raise DemoError(f"scenario {loaded.name!r} has no robot's systems (it has: {has}); nothing to run")
    _check_data_dir(data_dir, keep=keep)
    plan = DemoPlan(scenario=loaded, robots=runnable, data_dir=data_dir, keep=keep)
    if web is not None:
        plan.web_socket = reserve_port(*web)
    return plan


def _check_data_dir(data_dir: Path, *, keep: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise DemoError(f"--data-dir {data_dir}: is a file, not a folder")
    if data_dir.is_dir() and any(data_dir.iterdir()) and not is_demo_folder(data_dir):
        raise DemoError(
            f"--data-dir {data_dir}: holds files that are not a Nattskift demo's; "
            "give a new or empty folder (the demo never deletes or moves what it did not write)"
        )
    if keep and data_dir.is_dir() and not (data_dir / "nattskift.toml").is_file():
        raise DemoError(f"--keep: {data_dir} holds no earlier demo night to continue")


def is_demo_folder(data_dir: Path) -> bool:
    """A data folder an earlier `nattskift demo` wrote (marked, or its settings file's head says so)."""
    if (data_dir / MARKER).is_file():
        return True
    try:
        return (data_dir / "nattskift.toml").read_text(encoding="utf-8").startswith(_LEGACY_HEAD)
    except OSError:
        return False


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind the morning report's socket now, so a busy port is named before the night, not after it."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is no obstacle
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise DemoError(
            f"the morning report cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "stop what uses it or choose another with --port (--port 0: any free port)"
        ) from None
    sock.set_inheritable(True)
    return sock


def set_aside_earlier_night(data_dir: Path) -> Path | None:
    """Move the previous demo night's files into `earlier/<time>/` (never delete them); returns where."""
    entries = [p for p in data_dir.iterdir() if p.name != EARLIER] if data_dir.is_dir() else []
    if not entries:
        return None
    marker = data_dir / MARKER
    started = marker.read_text(encoding="utf-8").strip() if marker.is_file() else ""
    stamp = (started or datetime.now().isoformat(timespec="seconds")).replace(":", "")
    target = data_dir / EARLIER / stamp
    n = 1
    while target.exists():
        n += 1
        target = data_dir / EARLIER / f"{stamp}-{n}"
    target.mkdir(parents=True)
    for entry in entries:
        entry.rename(target / entry.name)
    return target


def prepare(plan: DemoPlan, *, fixed_ports: bool) -> tuple[Any, Path, Path | None]:
    """Set the earlier night aside, start the stand-in systems and write the demo's settings file."""
    from fixtures.server import start_systems

    from runner.logging import configure_logging

    data_dir = plan.data_dir
    earlier = None if plan.keep else set_aside_earlier_night(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text(datetime.now().isoformat(timespec="seconds") + "\n", encoding="utf-8")
    configure_logging("warning", "never", data_dir / "logs")
    try:
        systems = start_systems(plan.scenario, ports=None if fixed_ports else 0)
    except RuntimeError:
        systems = start_systems(plan.scenario, ports=0)  # a default port is taken: any free ones
    config = data_dir / "nattskift.toml"
    web = ""
    if plan.web_socket is not None:
        host, port = plan.web_socket.getsockname()[:2]
        web = f'[web]\nhost = "{host}"\nport = {port}\n\n'
    robots = "".join(ROBOT_TABLE.format(name=n) for n in plan.robots)
    config.write_text(f'data_dir = "."\n{systems.settings_toml()}\n{web}{robots}', encoding="utf-8")
    return systems, config, earlier


def run_night(
    data_dir: Path,
    scenario: str = "demo",
    *,
    keep: bool = False,
    fixed_ports: bool = True,
    progress: Callable[[str], Callable[..., None] | None] | None = None,
    plan: DemoPlan | None = None,
) -> DemoNight:
    """Check everything (unless `plan` is given, already checked), then run the night."""
    plan = plan or check(data_dir, scenario, keep=keep)
    systems, config, earlier = prepare(plan, fixed_ports=fixed_ports)
    try:
        settings = load_settings(config)
        summaries = []
        for name in plan.robots:
            callback = progress(name) if progress else None
            summaries.append(run_robot(settings, name, progress=callback))
    except BaseException:
        systems.stop()
        raise
    return DemoNight(settings=settings, config=config, summaries=summaries, systems=systems, earlier=earlier,
                     web_socket=plan.web_socket)


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
