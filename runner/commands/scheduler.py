"""`nattskift schedule [--list]` and `nattskift serve`: the scheduler in the foreground, for systemd.

Signals: SIGTERM/SIGINT stop gracefully (items in flight finish, the rest stay for resume; exit 0),
SIGHUP re-reads the settings file and updates the jobs. Exit codes: 0 stopped, 2 bad settings or missing
web app, 3 another scheduler already runs against the database (or it did not answer) and this one is
not a standby. A scheduler that loses its lock stops firing and waits to lead again; it does not exit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from runner.commands.common import EXIT_USAGE, ConfigOpt, console, err, error, fail, load_or_fail, print_json, say, settings_or_exit

EXIT_LOCKED = 3

WEEKDAYS_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def _reloader(config: Path | None) -> Callable[[], Any]:
    """What SIGHUP calls: the settings file read again (a wrong one keeps the old settings running)."""
    return lambda: load_or_fail(config)


# -- schedule --list ------------------------------------------------------------------------------------


def schedule_rows(settings: Any) -> list[dict[str, Any]]:
    """One row per robot that is scheduled or disabled: cron, calendar, next three runs (local)."""
    from runner.scheduler.plan import next_runs, plan_robots

    plans = plan_robots(settings)
    rows: list[dict[str, Any]] = []
    for name, plan in plans.plans.items():
        rows.append(
            {
                "robot": name,
                "enabled": True,
                "cron": plan.cron,
                "calendar": plan.calendar,
                "closed_dates": sorted(d.isoformat() for d in plan.closed_dates),
                "timezone": plan.timezone,
                "grace_hours": plan.grace.total_seconds() / 3600,
                "deadline": plan.deadline.strftime("%H:%M") if plan.deadline else None,
                "next_runs": [t.isoformat() for t in next_runs(settings, name, 3)],
            }
        )
    for name in sorted(plans.disabled - set(plans.plans)):
        rc = settings.robot_config(name)
        rows.append({"robot": name, "enabled": False, "cron": rc.schedule, "calendar": rc.calendar,
                     "closed_dates": list(rc.closed_dates), "timezone": settings.scheduler.timezone,
                     "grace_hours": rc.grace_hours, "deadline": rc.deadline.strftime("%H:%M") if rc.deadline else None,
                     "next_runs": []})
    for message in plans.errors:
        error(message)
    return sorted(rows, key=lambda r: r["robot"])


def _print_rows(rows: list[dict[str, Any]], tz: str) -> None:
    from datetime import datetime

    table = Table("robot", "cron", "calendar", "deadline", f"next runs ({tz})")
    for r in rows:
        calendar = r["calendar"] + (f" (+{len(r['closed_dates'])} closed dates)" if r["closed_dates"] else "")
        if not r["enabled"]:
            runs = "disabled"
        else:
            runs = ", ".join(
                f"{WEEKDAYS_SV[d.weekday()]} {d:%Y-%m-%d %H:%M}" for d in (datetime.fromisoformat(t) for t in r["next_runs"])
            )
        table.add_row(escape(r["robot"]), escape(r["cron"] or ""), escape(calendar), r["deadline"] or "", runs)
    console.print(table)


def _print_gallring(settings: Any) -> None:
    """The daily gallring job's time beside the robots' (docs/operations.md, "Gallring")."""
    from datetime import UTC, datetime

    from runner.retention.job import next_times

    times = next_times(settings, 3, datetime.now(UTC))
    when = ", ".join(f"{WEEKDAYS_SV[t.weekday()]} {t:%Y-%m-%d %H:%M}" for t in times) or "off (retention.enabled)"
    say(f"gallring ({settings.retention.schedule}): {when}")


# -- running in the foreground --------------------------------------------------------------------------


def run_foreground(
    settings: Any,
    config: Path | None,
    *,
    scheduler: bool = True,
    web: bool = False,
    host: str | None = None,
    port: int | None = None,
) -> int:
    """Run the scheduler and/or the web app until SIGTERM/SIGINT; returns the exit code."""
    from runner.scheduler.plan import PlannedSchedule
    from runner.web.server import make_server

    service: Any = None
    # Handlers first: a SIGTERM while the scheduler is still starting stops it gracefully too.
    terminate = threading.Event()

    def on_stop(signum: int, frame: Any) -> None:
        terminate.set()

    def on_hup(signum: int, frame: Any) -> None:
        if service is not None:
            service.request_reload()

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_hup)
    if scheduler:
        from runner.scheduler.lock import DatabaseUnreachable, SchedulerLocked
        from runner.scheduler.service import NightScheduler

        service = NightScheduler(settings)
        try:
            result = service.start(reload=_reloader(config))
        except (SchedulerLocked, DatabaseUnreachable) as exc:
            error(str(exc))
            return EXIT_LOCKED
        if result is None:
            err.print("scheduler on standby: another scheduler leads; this one takes over when it stops",
                      highlight=False)
        else:
            jobs = ", ".join(sorted(result.added + result.kept + list(result.updated))) or "none"
            err.print(escape(f"scheduler started ({settings.scheduler.timezone}); robots: {jobs}"), highlight=False)

    code = 0
    try:
        if web:
            server = make_server(settings, host, port, scheduler=service or PlannedSchedule(settings))
            err.print(escape(f"morning report at http://{server.config.host}:{server.config.port}/"), highlight=False)
            server.run()  # uvicorn handles SIGTERM/SIGINT itself, then hands them on to on_stop
        else:
            while not terminate.wait(0.5):
                pass
    finally:
        if service is not None:
            err.print("stopping: runs in progress finish their current items…", highlight=False)
            service.shutdown()
    return code


# -- the commands -----------------------------------------------------------------------------------------


def schedule(
    config: ConfigOpt = None,
    list_: Annotated[bool, typer.Option("--list", help="show each robot's cron, calendar and next three runs, then exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="with --list: print JSON")] = False,
) -> None:
    """Run the night scheduler in the foreground (for systemd); SIGTERM stops it gracefully."""
    from runner.plugins import RobotNotFound
    from runner.settings import SettingsError

    settings = settings_or_exit(config)
    if list_:
        try:
            rows = schedule_rows(settings)
        except (SettingsError, RobotNotFound) as exc:
            raise fail(exc, EXIT_USAGE) from None
        if as_json:
            print_json(rows)
        else:
            _print_rows(rows, settings.scheduler.timezone)
            _print_gallring(settings)
        return
    raise typer.Exit(_run_or_exit(settings, config, scheduler=True, web=False))


def serve(
    config: ConfigOpt = None,
    web_only: Annotated[bool, typer.Option("--web-only", help="run only the morning report web app")] = False,
    scheduler_only: Annotated[bool, typer.Option("--scheduler-only", help="run only the scheduler")] = False,
    host: Annotated[str | None, typer.Option(help="web app address (default: web.host)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="web app port (default: web.port)")] = None,
) -> None:
    """Run the scheduler and the morning report web app in one process (small installations)."""
    if web_only and scheduler_only:
        raise fail("--web-only and --scheduler-only exclude each other", EXIT_USAGE)
    settings = settings_or_exit(config)
    raise typer.Exit(_run_or_exit(settings, config, scheduler=not web_only, web=not scheduler_only, host=host, port=port))


def _run_or_exit(settings: Any, config: Path | None, **kwargs: Any) -> int:
    from runner.plugins import RobotNotFound
    from runner.settings import SettingsError

    try:
        return run_foreground(settings, config, **kwargs)
    except (SettingsError, RobotNotFound) as exc:
        error(str(exc))
        return EXIT_USAGE


def register(app: typer.Typer) -> None:
    """Adds `schedule` and `serve`."""
    app.command("schedule")(schedule)
    app.command("serve")(serve)
