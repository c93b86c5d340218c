"""`nattskift`: the command line. Every command takes --config FILE (or $NATTSKIFT_CONFIG)."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from runner import exit_codes
from runner.api import STATUS_LABELS_SV, Status
from runner.exit_codes import RunExit
from runner.settings import Settings, SettingsError, load_settings

app = typer.Typer(
    name="nattskift",
    help="Nattskift: nightly digital colleagues that prepare cases for staff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message is one line however narrow the terminal or pipe (grep, mail, the journal).
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="settings file (TOML); default $NATTSKIFT_CONFIG or ./nattskift.toml")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print data as JSON")]


def _fail(exc: BaseException, code: int) -> typer.Exit:
    """One line on stderr per problem, naming its cause, and the exit code for it."""
    for line in str(exc).splitlines() or [type(exc).__name__]:
        err.print(f"[red]error:[/red] {escape(line)}", highlight=False)
    return typer.Exit(int(code))


def settings_or_exit(config: Path | None, **overrides: Any) -> Settings:
    """Load settings; a wrong one prints one line naming the key and exits 2."""
    from runner.plugins import add_robot_dirs, check_robot_settings

    try:
        settings = load_settings(config, **overrides)
        add_robot_dirs(settings.robot_dirs)
        check_robot_settings(settings)
    except SettingsError as exc:
        raise _fail(exc, RunExit.USAGE) from None
    from runner.logging import configure_logging

    configure_logging(settings.logging.level, settings.logging.console, settings.data_dir / "logs")
    return settings


@app.command("list")
def list_robots(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """List the installed robots, their schedules and whether they are enabled; a robot that fails to
    load is listed with its error in one line, and the others work as before."""
    from runner.plugins import discover

    settings = settings_or_exit(config)
    robots, broken = discover()
    rows: list[dict[str, Any]] = []
    for name, cls in robots.items():
        rc = settings.robot_config(name)
        rows.append(
            {
                "name": name,
                "title": cls.title,
                "schedule": rc.schedule or cls.schedule,
                "enabled": rc.enabled,
                "concurrency": rc.concurrency,
                "systems": list(cls.systems),
            }
        )
    rows += [{"name": name, "error": message} for name, message in broken.items()]
    rows.sort(key=lambda r: r["name"])
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("robot", "title", "schedule", "enabled", "systems")
    for r in rows:
        if "error" in r:
            table.add_row(escape(r["name"]), "[red]cannot be loaded (below)[/red]", "", "", "")
        else:
            table.add_row(escape(r["name"]), escape(r["title"]), r["schedule"], "yes" if r["enabled"] else "no",
                          ", ".join(r["systems"]))
    console.print(table)
    for message in broken.values():
        err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


def _parse_deadline(value: str | None, settings: Settings) -> datetime | None:
    if not value:
        return None
    try:
        if len(value) <= 5:
            hh, mm = (int(x) for x in value.split(":"))
            now = datetime.now(settings.tz)
            deadline = datetime.combine(now.date(), time(hh, mm), tzinfo=settings.tz)
            return deadline if deadline > now else deadline + timedelta(days=1)  # 23:00 run, 06:30 deadline
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=settings.tz)
    except ValueError:
        err.print(f"[red]error:[/red] --deadline {value!r}: use HH:MM or an ISO date-time")
        raise typer.Exit(2) from None


@app.command(epilog=exit_codes.help_text())
def run(
    name: Annotated[str, typer.Argument(help="the robot to run")],
    config: ConfigOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="read and prepare, write nothing into target systems")] = False,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64, help="workers (default: the robot's setting)")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="process at most N items")] = None,
    deadline: Annotated[str | None, typer.Option(help="stop claiming items at this local time (HH:MM)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one robot now: resume what an earlier run left, fetch, process, report.

    The exit code says how it ended (below, and in docs/operations.md): 0 only when the run did its work.
    """
    from runner.browser import BrowserNotFound
    from runner.engine import AlreadyRunning, LedgerUnavailable, run_robot
    from runner.plugins import RobotNotFound

    settings = settings_or_exit(config)
    with _progress(enabled=sys.stderr.isatty() and not as_json) as progress:
        try:
            summary = run_robot(
                settings,
                name,
                dry_run=dry_run,
                concurrency=concurrency,
                limit=limit,
                deadline=_parse_deadline(deadline, settings),
                progress=progress,
            )
        except AlreadyRunning as exc:
            raise _fail(exc, RunExit.ALREADY_RUNNING) from None
        except (RobotNotFound, BrowserNotFound, SettingsError) as exc:
            raise _fail(exc, RunExit.USAGE) from None
        except LedgerUnavailable as exc:
            raise _fail(exc, RunExit.LEDGER) from None
    code = exit_codes.for_run(summary)
    if as_json:
        print(json.dumps({**_summary_dict(summary), "exit_code": int(code)}, ensure_ascii=False, indent=2))
    else:
        _print_summary(summary)
        if code:
            err.print(f"exit code {int(code)}: {exit_codes.MEANINGS[code]}", highlight=False)
    raise typer.Exit(int(code))




def _summary_dict(summary: Any) -> dict[str, Any]:
    return {
        "run_id": summary.id,
        "robot": summary.robot,
        "status": summary.status,
        "reason": summary.reason,
        "dry_run": summary.dry_run,
        "counts": summary.counts,
        "fetched": summary.fetched,
        "resumed": summary.resumed,
        "stop_cause": summary.stop_cause,
        "detail": summary.detail,
        "started_at": summary.started_at.isoformat(),
        "ended_at": summary.ended_at.isoformat(),
    }


def _print_summary(summary: Any) -> None:
    seconds = (summary.ended_at - summary.started_at).total_seconds()
    dry = " (provkörning)" if summary.dry_run else ""
    console.print(f"[bold]{summary.robot}[/bold] run {summary.id}{dry}: {summary.status} in {seconds:.1f} s")
    if summary.reason:
        console.print(f"  {escape(summary.reason)}", highlight=False)
    if summary.detail:
        console.print(f"  detail: {escape(summary.detail)}", highlight=False)
    table = Table("status", "antal")
    for status in Status:
        n = summary.counts.get(status.value, 0)
        if n:
            table.add_row(f"{STATUS_LABELS_SV[status]} ({status.value})", str(n))
    if summary.counts.get("not_reached"):
        table.add_row("Inte hunnen (not_reached)", str(summary.counts["not_reached"]))
    console.print(table)


class _progress:
    """A Rich progress bar on a terminal; a no-op callback elsewhere."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> _progress:
        if self.enabled:
            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
            )
            self.bar.start()
            self.task = self.bar.add_task("hämtar", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, event: str, **data: Any) -> None:
        if self.bar is None:
            return
        if event == "resume":
            self.bar.update(self.task, description="återupptar", total=data["total"], completed=0)
        elif event == "fetched" and data.get("done"):
            self.bar.update(self.task, description="arbetar", total=data.get("new", 0), completed=0)
        elif event == "fetched":
            self.bar.update(self.task, description=f"hämtar ({data['count']})")
        elif event == "item":
            self.bar.advance(self.task)


@app.command()
def runs(
    config: ConfigOpt = None,
    robot: Annotated[str | None, typer.Option(help="only this robot")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """The latest runs, newest first."""
    ledger = _ledger(settings_or_exit(config))
    rows = ledger.list_runs(robot, limit)
    if as_json:
        print(json.dumps([_run_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    # The id is never cut or wrapped (it is what `show` takes); the other columns wrap around it.
    table = Table(Column("run", no_wrap=True, min_width=max((len(r.id) for r in rows), default=3)), "robot", "status",
                  Column("started (UTC)", no_wrap=True), "counts", "reason")
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted((r.counts or {}).items()))
        table.add_row(r.id, r.robot, r.status + (" (dry)" if r.dry_run else ""), f"{r.started_at:%Y-%m-%d %H:%M}",
                      counts, escape(r.reason or ""))
    console.print(table)


@app.command()
def show(
    run_id: Annotated[str, typer.Argument(help="run id or an unambiguous prefix")],
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One run: its status, counts and the outcome of each item (titles as the robot masked them)."""
    ledger = _ledger(settings_or_exit(config))
    run_row = ledger.get_run(run_id) or ledger.find_run(run_id)
    if run_row is None:
        matching = _run_ids_starting_with(ledger, run_id, 6)
        if len(matching) > 1:
            shown = ", ".join(matching[:5]) + (" …" if len(matching) > 5 else "")
            err.print(f"[red]error:[/red] {escape(repr(run_id))} is the start of several runs ({shown}); give more of the id",
                      highlight=False)
        else:
            err.print(f"[red]error:[/red] no run {escape(repr(run_id))} (see `nattskift runs`)", highlight=False)
        raise typer.Exit(2)
    outcomes = [(i.key, o) for i, o in ledger.iter_run_outcomes(run_row.id)]
    if as_json:
        data = _run_dict(run_row)
        data["outcomes"] = [{"key": k, **o.model_dump(mode="json")} for k, o in outcomes]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{run_row.robot}[/bold] run {run_row.id}: {run_row.status}", highlight=False)
    if run_row.reason:
        console.print(f"  {escape(run_row.reason)}", highlight=False)
    table = Table("key", "status", "summary")
    order = {Status.failed: 0, Status.needs_attention: 1, Status.waiting: 2, Status.prepared: 3, Status.skipped: 4}
    for key, o in sorted(outcomes, key=lambda ko: order[ko[1].status]):
        table.add_row(escape(key), o.status.value, escape(o.summary))
    console.print(table)


def _run_ids_starting_with(ledger: Any, prefix: str, limit: int) -> list[str]:
    from sqlalchemy import select

    from runner.ledger.models import Run

    with ledger.sessions() as s:
        return list(s.scalars(select(Run.id).where(Run.id.startswith(prefix, autoescape=True)).order_by(Run.id).limit(limit)))


def _run_dict(r: Any) -> dict[str, Any]:
    return {
        "run_id": r.id,
        "robot": r.robot,
        "status": r.status,
        "reason": r.reason,
        "trigger": r.trigger,
        "dry_run": r.dry_run,
        "started_at": r.started_at.isoformat() if r.started_at else None,
        "ended_at": r.ended_at.isoformat() if r.ended_at else None,
        "counts": r.counts,
    }


def _ledger(settings: Settings) -> Any:
    from runner.ledger.db import open_database
    from runner.ledger.repo import Ledger

    _, sessions = open_database(settings.database_url())
    return Ledger(sessions)


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="the robot's name: lowercase letters, digits, underscore")],
    directory: Annotated[Path | None, typer.Option("--dir", help="where to create it (default ./robots)")] = None,
) -> None:
    """Scaffold a robot package with a passing end-to-end test (like `scrapy genspider`)."""
    from runner.scaffold import ScaffoldError, scaffold_robot

    target_dir = directory or Path("robots")
    try:
        created = scaffold_robot(name, target_dir)
    except ScaffoldError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    console.print(f"created robot [bold]{name}[/bold] in {created}")
    console.print(f"  test it:  pytest {created / 'tests'}")
    if target_dir.resolve() != (Path(__file__).resolve().parent.parent / "robots"):
        console.print(f'  list it:  add  robot_dirs = ["{target_dir.resolve()}"]  to your settings file')


@app.command()
def doctor(config: ConfigOpt = None) -> None:
    """Check the browser, the database, the settings and the target systems: each line ok or what to do."""
    from runner.doctor import run_checks

    settings = settings_or_exit(config)
    failures = 0
    for check in run_checks(settings):
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {escape(check.name)}: {escape(check.detail)}", highlight=False, soft_wrap=True)
        failures += not check.ok
    raise typer.Exit(1 if failures else 0)


@app.command()
def demo(
    scenario: Annotated[str, typer.Option(help="bundled scenario name or a JSON file")] = "demo",
    data_dir: Annotated[Path, typer.Option(help="where the demo's ledger, logs and settings go")] = Path("var/demo"),
    web: Annotated[bool, typer.Option("--web/--no-web", help="serve the morning report afterwards")] = True,
    host: Annotated[str, typer.Option(help="address the morning report listens on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="port of the morning report (0: any free one)")] = 8000,
    keep: Annotated[bool, typer.Option(help="continue the previous demo night's ledger")] = False,
) -> None:
    """Run one whole night on the stand-in systems, then serve the morning report (what `make demo` does).

    Everything is checked before any file is touched. A fresh night moves the previous demo night's files
    into DATA_DIR/earlier/ (nothing is deleted); a folder that is not a demo's is refused.
    """
    from runner import demo as demo_night

    try:
        plan = demo_night.check(data_dir, scenario, keep=keep, web=(host, port) if web else None)
    except demo_night.DemoError as exc:
        raise _fail(exc, 2) from None
    console.print(f"Starting the stand-in systems with scenario [bold]{escape(plan.scenario.name)}[/bold] …")
    bars: list[_progress] = []

    def progress_for(name: str) -> Any:
        console.print(f"Running [bold]{name}[/bold] …")
        bar = _progress(enabled=sys.stderr.isatty())
        bars.append(bar.__enter__())
        return bar

    try:
        night = demo_night.run_night(data_dir, plan=plan, progress=progress_for)
    except BaseException:
        if plan.web_socket is not None:
            plan.web_socket.close()
        raise
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    try:
        if night.earlier is not None:
            console.print(f"The previous demo night is kept in {night.earlier}", highlight=False)
        for name in night.systems.names:
            console.print(f"  system {name}: {night.systems.url(name)}", highlight=False)
        for summary in night.summaries:
            _print_summary(summary)
        console.print(f"Settings of this demo: {night.config}", highlight=False)
        console.print(f"  its runs:  nattskift runs --config {night.config}", highlight=False)
        if night.web_socket is None:
            return
        from runner.scheduler.plan import PlannedSchedule
        from runner.web.server import make_server

        users = demo_night.create_demo_users(night.settings)
        server = make_server(night.settings, scheduler=PlannedSchedule(night.settings))
        bound_host, bound_port = night.web_socket.getsockname()[:2]
        console.print(f"\nMorgonrapporten: [bold]http://{bound_host}:{bound_port}/[/bold]  (Ctrl-C stops the demo)")
        for username, password, roles, _display in users:
            console.print(f"  login {username} / {password}   ({', '.join(roles)})", highlight=False)
        server.run(sockets=[night.web_socket])
    finally:
        if night.web_socket is not None:
            night.web_socket.close()
        night.systems.stop()


def _mount_optional(module: str, attr: str) -> None:
    """Commands that live next to their feature (scheduler, web, fixtures) register themselves."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return
        raise
    target = getattr(mod, attr)
    if isinstance(target, typer.Typer):
        app.add_typer(target, name="fixtures", help="the stand-in municipal systems: serve, generate")
    else:
        target(app)


_mount_optional("runner.scheduler.commands", "register")
_mount_optional("runner.web.commands", "register")
_mount_optional("runner.workers.command", "register")
_mount_optional("fixtures.cli", "fixtures_app")


if __name__ == "__main__":  # pragma: no cover
    app()
