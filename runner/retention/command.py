"""`nattskift gallra [--dry-run]`: remove the personal data past its time now, and say what went.

    nattskift gallra --dry-run   # what would go, and the unhandled cases kept; nothing is removed
    nattskift gallra             # remove it (the night scheduler does this every day, [retention] schedule)

The output is counts per robot and the kept cases by their number (`/fall/<id>` in the morning report),
never a case's key, title or contents. Exit code 0, also when cases are kept (they are listed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from runner.commands.common import ConfigOpt, JsonOpt, console, print_json, settings_or_exit

if TYPE_CHECKING:  # pragma: no cover - the ledger is imported when the command runs, not at start-up
    from runner.retention.gallring import Report

KEPT_SHOWN = 50


def gallra(
    config: ConfigOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what would be removed; remove nothing")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Gallring: remove the personal data past its time (the retention settings; docs/operations.md).

    Cases staff have not handled are never removed: they are listed."""
    from runner.retention.gallring import gallra as run_gallring  # the ledger: not at --help's start-up

    settings = settings_or_exit(config)
    report = run_gallring(settings, dry_run=dry_run, trigger="command")
    if as_json:
        kept = [{"robot": k.robot, "item_id": k.item_id, "status": k.status, "since": k.since.isoformat(),
                 "reason": k.reason} for k in report.kept]
        print_json({**report.figures(), "kept": kept})
        return
    print_report(report, settings.tz)


def print_report(report: Report, tz: Any) -> None:
    when = report.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    head = "Gallring (dry run: nothing was removed)" if report.dry_run else "Gallring"
    verb = "would remove" if report.dry_run else "removed"
    console.print(f"[bold]{head}[/bold] at {when}", highlight=False)
    table = Table("robot", "cases", "outcomes", "comments", "robot reports", "kept: not handled",
                  title=f"Ledger: personal data {verb}")
    for robot, r in sorted(report.robots.items()):
        table.add_row(escape(robot), str(r.cases), str(r.outcomes), str(r.comments), str(r.reports),
                      f"[yellow]{r.kept}[/yellow]" if r.kept else "0")
    if report.robots:
        console.print(table)
    else:
        console.print("Ledger: no cases yet.")
    megabytes = report.bytes / 1_000_000
    console.print(
        f"Files ({verb}): {report.artifact_folders} run folders and {report.artifact_files} files of screenshots "
        f"and traces, {report.run_logs} run logs, {report.exports} exported reports ({megabytes:.1f} MB), "
        f"{report.log_lines} service-log lines",
        highlight=False,
    )
    console.print(f"Also ({verb}): {report.audit_entries} audit-log entries, {report.web_sessions} ended web sessions",
                  highlight=False)
    if not report.kept:
        return
    kept = Table("robot", "case", "status", "since", "kept because",
                 title=f"Kept, past their time but not handled: {len(report.kept)} (ask staff to handle them)")
    for k in report.kept[:KEPT_SHOWN]:
        kept.add_row(escape(k.robot), f"/fall/{k.item_id}", escape(k.status or "-"), k.since.astimezone(tz).strftime("%Y-%m-%d"),
                     escape(k.reason))
    console.print(kept)
    if len(report.kept) > KEPT_SHOWN:
        console.print(f"… and {len(report.kept) - KEPT_SHOWN} more (--json lists every one)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("gallra")(gallra)
