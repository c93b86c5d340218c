"""`nattskift list` and `nattskift new NAME`: the installed robots, and a new one scaffolded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from runner.commands.common import ConfigOpt, JsonOpt, console, error, fail, print_json, say, settings_or_exit


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
        print_json(rows)
        return
    table = Table("robot", "title", "schedule", "enabled", "systems")
    for r in rows:
        if "error" in r:
            table.add_row(escape(r["name"]), "[red]cannot be loaded (below)[/red]", "", "", "")
        else:
            table.add_row(escape(r["name"]), escape(r["title"]), escape(r["schedule"] or ""),
                          "yes" if r["enabled"] else "no", escape(", ".join(r["systems"])))
    console.print(table)
    for message in broken.values():
        error(message)


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
        raise fail(exc, 2) from None
    console.print(f"created robot [bold]{escape(name)}[/bold] in {escape(str(created))}", highlight=False)
    say(f"  test it:  pytest {created / 'tests'}")
    if target_dir.resolve() != (Path(__file__).resolve().parents[2] / "robots"):
        say(f'  list it:  add  robot_dirs = ["{target_dir.resolve()}"]  to your settings file')


def register(app: typer.Typer) -> None:
    """Adds `list` and `new`."""
    app.command("list")(list_robots)
    app.command()(new)
