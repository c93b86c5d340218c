"""`nattskift`: the command line. Every command takes --config FILE (or $NATTSKIFT_CONFIG).

The commands live in `runner/commands/`, one module per area, each with `register(app)`; a new command
module is one more line in COMMANDS. Optional command groups of other packages (the stand-in systems'
`fixtures` and `demo`) come through the entry-point group `nattskift.commands` and are imported only when
one of them is invoked: `nattskift --help` lists them without importing them, and the product runs
without them installed.
"""

from __future__ import annotations

import importlib
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import click
import typer
from typer.core import TyperGroup

#: The command modules, in the order `--help` lists them.
COMMANDS = (
    "runner.commands.robots",
    "runner.commands.runs",
    "runner.commands.doctor",
    "runner.commands.scheduler",
    "runner.commands.web",
    "runner.commands.worker",
    "runner.commands.control",
    "runner.retention.command",
)

#: Entry points of optional commands: name = the command, value = a Typer app (a group) or a function.
GROUP = "nattskift.commands"


class _Deferred(click.Command):
    """How `--help` lists an optional command without importing it."""

    def __init__(self, entry: EntryPoint) -> None:
        package = entry.value.split(":")[0].split(".")[0]
        super().__init__(entry.name, help=f"optional commands of `{package}` (see `nattskift {entry.name} --help`)")
        self.entry = entry


class CommandGroup(TyperGroup):
    """The root group: optional commands are loaded when invoked, listed without loading."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for entry in entry_points(group=GROUP):
            self.commands.setdefault(entry.name, _Deferred(entry))

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        deferred = self.commands.get(args[0]) if args else None
        if isinstance(deferred, _Deferred):
            self.commands[deferred.name] = load_optional(deferred.entry)  # type: ignore[index]
        return super().resolve_command(ctx, args)


def load_optional(entry: EntryPoint) -> click.Command:
    """The click command of an optional entry point (a Typer app becomes a group of that name)."""
    target = entry.load()
    holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=entry.name)
        holder.callback()(lambda: None)  # keeps `entry.name` a sub-group rather than the root
        return typer.main.get_command(holder).commands[entry.name]  # type: ignore[attr-defined,no-any-return]
    holder.command(entry.name)(target)
    return typer.main.get_command(holder)


def build_app() -> typer.Typer:
    """The `nattskift` app with every command module registered."""
    app = typer.Typer(
        name="nattskift",
        help="Nattskift: nightly digital colleagues that prepare cases for staff.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=CommandGroup,
        # Click's plain help, not Typer's Rich panels: rendering those imports rich.markdown, rich.syntax
        # and rich.traceback, which doubles the CPU time of `nattskift --help` (bench/startup.py).
        rich_markup_mode=None,
        context_settings={"max_content_width": 120},
    )
    for module in COMMANDS:
        importlib.import_module(module).register(app)
    return app


app = build_app()

if __name__ == "__main__":  # pragma: no cover
    app()
