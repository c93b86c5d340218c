"""`nattskift doctor`: the browser, the database, the settings and the target systems, one line each."""

from __future__ import annotations

import typer
from rich.markup import escape

from runner.commands.common import ConfigOpt, console, settings_or_exit


def doctor(config: ConfigOpt = None) -> None:
    """Check the browser, the database, the settings and the target systems: each line ok or what to do."""
    from runner.doctor import run_checks

    settings = settings_or_exit(config)
    failures = 0
    for check in run_checks(settings):
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {escape(check.name)}: {escape(check.detail)}", highlight=False)
        failures += not check.ok
    raise typer.Exit(1 if failures else 0)


def register(app: typer.Typer) -> None:
    """Adds `doctor`."""
    app.command()(doctor)
