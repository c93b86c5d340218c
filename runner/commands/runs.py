"""`nattskift run NAME`, `nattskift runs` and `nattskift show RUN`: a run now, and what the runs did."""

from __future__ import annotations

import sys
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from runner import exit_codes
from runner.commands.common import ConfigOpt, JsonOpt, console, err, fail, open_ledger, print_json, settings_or_exit
from runner.exit_codes import RunExit

if TYPE_CHECKING:  # pragma: no cover
    from runner.settings import Settings


def parse_deadline(value: str | None, settings: Settings) -> datetime | None:
    """`--deadline`: HH:MM is the next such local time (a 23:00 run, 06:30 deadline), or an ISO date-time."""
    if not value:
        return None
    try:
        if len(value) <= 5:
            hh, mm = (int(x) for x in value.split(":"))
            now = datetime.now(settings.tz)
            deadline = datetime.combine(now.date(), time(hh, mm), tzinfo=settings.tz)
            return deadline if deadline > now else deadline + timedelta(days=1)
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=settings.tz)
    except ValueError:
        raise fail(f"--deadline {value!r}: use HH:MM or an ISO date-time", RunExit.USAGE) from None


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
    from runner.settings import SettingsError

    settings = settings_or_exit(config)
    with ProgressBar(enabled=sys.stderr.isatty() and not as_json) as progress:
        try:
            summary = run_robot(
                settings,
                name,
                dry_run=dry_run,
                concurrency=concurrency,
                limit=limit,
                deadline=parse_deadline(deadline, settings),
                progress=progress,
            )
        except AlreadyRunning as exc:
            raise fail(exc, RunExit.ALREADY_RUNNING) from None
        except (RobotNotFound, BrowserNotFound, SettingsError) as exc:
            raise fail(exc, RunExit.USAGE) from None
        except LedgerUnavailable as exc:
            raise fail(exc, RunExit.LEDGER) from None
    code = exit_codes.for_run(summary)
    if as_json:
        print_json({**summary_dict(summary), "exit_code": int(code)})
    else:
        print_summary(summary)
        if code:
            err.print(f"exit code {int(code)}: {exit_codes.MEANINGS[code]}", highlight=False)
    raise typer.Exit(int(code))


def summary_dict(summary: Any) -> dict[str, Any]:
    """A finished run (`runner.engine.RunSummary`) as `--json` prints it."""
    return {**_run_fields(summary), "fetched": summary.fetched, "resumed": summary.resumed,
            "stop_cause": summary.stop_cause, "detail": summary.detail}


def print_summary(summary: Any) -> None:
    """A finished run for a person: how it ended and how many cases had each outcome."""
    from runner.api import COUNT_LABELS_SV

    seconds = (summary.ended_at - summary.started_at).total_seconds()
    dry = " (provkörning)" if summary.dry_run else ""
    console.print(f"[bold]{escape(summary.robot)}[/bold] run {escape(summary.id)}{dry}: {escape(summary.status)} "
                  f"in {seconds:.1f} s")
    if summary.reason:
        console.print(f"  {escape(summary.reason)}", highlight=False)
    if summary.detail:
        console.print(f"  detail: {escape(summary.detail)}", highlight=False)
    table = Table("status", "antal")
    for status, label in COUNT_LABELS_SV.items():
        if summary.counts.get(status):
            table.add_row(f"{label} ({status})", str(summary.counts[status]))
    console.print(table)


class ProgressBar:
    """A Rich progress bar on a terminal; a no-op callback elsewhere (the engine's `progress`)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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


def runs(
    config: ConfigOpt = None,
    robot: Annotated[str | None, typer.Option(help="only this robot")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """The latest runs, newest first."""
    ledger = open_ledger(settings_or_exit(config))
    rows = ledger.list_runs(robot, limit)
    if as_json:
        print_json([run_dict(r) for r in rows])
        return
    # The id is never cut or wrapped (it is what `show` takes); the other columns wrap around it.
    table = Table(Column("run", no_wrap=True, min_width=max((len(r.id) for r in rows), default=3)), "robot", "status",
                  Column("started (UTC)", no_wrap=True), "counts", "reason")
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in sorted((r.counts or {}).items()))
        table.add_row(escape(r.id), escape(r.robot), escape(r.status) + (" (dry)" if r.dry_run else ""),
                      f"{r.started_at:%Y-%m-%d %H:%M}", escape(counts), escape(r.reason or ""))
    console.print(table)


def show(
    run_id: Annotated[str, typer.Argument(help="run id or an unambiguous prefix")],
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One run: its status, counts and the outcome of each item (titles as the robot masked them)."""
    from runner.api import Status

    ledger = open_ledger(settings_or_exit(config))
    run_row = ledger.get_run(run_id) or ledger.find_run(run_id)
    if run_row is None:
        matching = _run_ids_starting_with(ledger, run_id, 6)
        if len(matching) > 1:
            shown = ", ".join(matching[:5]) + (" …" if len(matching) > 5 else "")
            raise fail(f"{run_id!r} is the start of several runs ({shown}); give more of the id", 2)
        raise fail(f"no run {run_id!r} (see `nattskift runs`)", 2)
    outcomes = [(i.key, o) for i, o in ledger.iter_run_outcomes(run_row.id)]
    if as_json:
        data = run_dict(run_row)
        data["outcomes"] = [{"key": k, **o.model_dump(mode="json")} for k, o in outcomes]
        print_json(data)
        return
    console.print(f"[bold]{escape(run_row.robot)}[/bold] run {escape(run_row.id)}: {escape(run_row.status)}",
                  highlight=False)
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


def run_dict(r: Any) -> dict[str, Any]:
    """A ledger `Run` row as `--json` prints it."""
    return {**_run_fields(r), "trigger": r.trigger}


def _run_fields(r: Any) -> dict[str, Any]:
    """What a ledger row and a finished run's summary both tell."""
    return {
        "run_id": r.id,
        "robot": r.robot,
        "status": r.status,
        "reason": r.reason,
        "dry_run": r.dry_run,
        "counts": r.counts,
        "started_at": r.started_at.isoformat() if r.started_at else None,
        "ended_at": r.ended_at.isoformat() if r.ended_at else None,
    }


def register(app: typer.Typer) -> None:
    """Adds `run`, `runs` and `show`."""
    app.command(epilog=exit_codes.help_text())(run)
    app.command()(runs)
    app.command()(show)
