"""CLI commands of the morning report: `nattskift web`, `nattskift users …`, `nattskift report RUN_ID`."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from runner.commands.common import ConfigOpt, JsonOpt, console, err, fail, open_sessions, print_json, say, settings_or_exit, warning

users_app = typer.Typer(help="Local accounts of the web app (roles: admin, operations, staff:<robot>).", no_args_is_help=True)


def web(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="address to listen on (default: web.host)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="port (default: web.port)")] = None,
) -> None:
    """Start the morning report web app (without the scheduler)."""
    from runner.scheduler.plan import PlannedSchedule
    from runner.web.server import make_server

    settings = settings_or_exit(config)
    server = make_server(settings, host, port, scheduler=PlannedSchedule(settings))
    where = f"http://{server.config.host}:{server.config.port}/"
    err.print(escape(f"Morning report at {where} (Ctrl+C stops it)"), highlight=False)
    server.run()


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[list[str], typer.Option("--role", "-r", help="admin, operations or staff:<robot>; repeat for more")],
    name: Annotated[str, typer.Option("--name", help="display name shown in the app")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from standard input")] = False,
    config: ConfigOpt = None,
) -> None:
    """Add a user. The password is asked for (twice) unless given on standard input."""
    from runner.web.auth import UserError, add_user, validate_roles

    settings = settings_or_exit(config)
    try:
        roles = validate_roles(role)
    except UserError as exc:
        raise fail(exc, 2) from None
    _warn_unknown_robots(roles)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise fail("the passwords differ", 2)
    try:
        add_user(open_sessions(settings), username, password, roles, name)
    except UserError as exc:
        raise fail(exc, 2) from None
    say(f"added {username} ({', '.join(roles)})")


def _warn_unknown_robots(roles: list[str]) -> None:
    from runner.plugins import load_robots

    known = set(load_robots(errors=[]))
    for role in roles:
        if role.startswith("staff:") and role[6:] not in known:
            warning(f"no robot named {role[6:]!r} is installed (role kept)")


@users_app.command("list")
def users_list(config: ConfigOpt = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the users, their roles and recent failed logins."""
    from runner.web.auth import list_users

    settings = settings_or_exit(config)
    users = list_users(open_sessions(settings))
    rows = [
        {
            "username": u.username,
            "name": u.display_name,
            "roles": list(u.roles or []),
            "active": u.active,
            "failed_logins": u.failed_logins,
            "created_at": u.created_at.isoformat(),
        }
        for u in users
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("username", "name", "roles", "active", "failed logins")
    for r in rows:
        table.add_row(escape(r["username"]), escape(r["name"]), escape(", ".join(r["roles"])), "yes" if r["active"] else "no",
                      str(r["failed_logins"]))
    console.print(table)


@users_app.command("remove")
def users_remove(username: Annotated[str, typer.Argument()], config: ConfigOpt = None) -> None:
    """Remove a user and end their sessions at once. Their audit entries and reviews are kept."""
    from runner.web.auth import remove_user

    settings = settings_or_exit(config)
    if not remove_user(open_sessions(settings), username):
        raise fail(f"no user named {username!r}", 1)
    say(f"removed {username}")


def report(
    run_id: Annotated[str, typer.Argument(help="the run's id (or an unambiguous beginning of it)")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="html (one self-contained file) or json")] = "html",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="file to write; '-' for standard output; default <data_dir>/reports/")] = None,
    unmasked: Annotated[bool, typer.Option("--unmasked", help="keep personnummer in full (recorded in the audit log)")] = False,
    config: ConfigOpt = None,
) -> None:
    """Write one run's morning report as a self-contained HTML file or as JSON."""
    from runner.ledger.models import AuditEntry
    from runner.ledger.repo import Ledger, utcnow
    from runner.plugins import load_robots
    from runner.private_files import private_dir, write_private_text
    from runner.web.queries import RobotInfo
    from runner.web.report import build_run_export, render_run_html

    if fmt not in ("html", "json"):
        raise fail("--format must be html or json", 2)
    settings = settings_or_exit(config)
    sessions = open_sessions(settings)
    run = Ledger(sessions).find_run(run_id)
    if run is None:
        raise fail(f"no run {run_id!r} (or the beginning matches several)", 1)
    cls = load_robots(errors=[]).get(run.robot)
    robot = RobotInfo(run.robot, getattr(cls, "title", "") or run.robot, float(getattr(cls, "minutes_saved_per_case", 0) or 0), None, cls is not None)
    data = build_run_export(sessions, settings, run.id, robot=robot, unmasked=unmasked)
    text = render_run_html(data, settings) if fmt == "html" else json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    with sessions.begin() as s:
        s.add(AuditEntry(at=utcnow(), username=f"cli:{getpass.getuser()}", action="export_report", target=f"run:{run.id}",
                         detail={"format": fmt, "unmasked": unmasked, "via": "cli"}))
    if out is not None and str(out) == "-":
        sys.stdout.write(text)
        return
    path = out or private_dir(Path(settings.data_dir) / "reports", ours=True) / f"{run.robot}-{run.id}.{fmt}"
    write_private_text(path, text)  # a report names people: owner-only, as the ledger
    say(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Adds `web`, `users` and `report`."""
    app.command("web")(web)
    app.command("report")(report)
    app.add_typer(users_app, name="users")
