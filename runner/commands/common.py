"""What every command shares: the --config and --json options, the two consoles, the error exit.

Every printed value goes through `escape` (or `highlight=False` plain text): a case title, a path or a
settings key in square brackets is data, never Rich markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:  # pragma: no cover - type names only; importing them costs start-up time
    from sqlalchemy.orm import sessionmaker

    from runner.ledger.repo import Ledger
    from runner.settings import Settings

# soft_wrap: a message is one line however narrow the terminal or pipe (grep, mail, the journal).
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="settings file (TOML); default $NATTSKIFT_CONFIG or ./nattskift.toml")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print data as JSON")]

EXIT_USAGE = 2


def error(message: str) -> None:
    """One `error:` line per line of the message on stderr, the message printed literally."""
    for line in message.splitlines() or [""]:
        err.print(f"[red]error:[/red] {escape(line)}", highlight=False)


def warning(message: str) -> None:
    """One `warning:` line on stderr, printed literally."""
    err.print(f"[yellow]warning:[/yellow] {escape(message)}", highlight=False)


def fail(problem: BaseException | str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print the problem (naming its cause) and return the exit for it: `raise fail(exc, code) from None`."""
    message = problem if isinstance(problem, str) else (str(problem) or type(problem).__name__)
    error(message)
    return typer.Exit(int(code))


def say(text: str) -> None:
    """Print plain data on stdout, literally (no markup, no highlighting)."""
    console.print(escape(text), highlight=False)


def print_json(data: Any) -> None:
    """Data for scripts: JSON on stdout, non-ASCII kept."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def load_or_fail(config: Path | None, **overrides: Any) -> Settings:
    """Settings with the robots' folders added and checked; a wrong one raises SettingsError."""
    from runner.plugins import add_robot_dirs, check_robot_settings
    from runner.settings import load_settings

    settings = load_settings(config, **overrides)
    add_robot_dirs(settings.robot_dirs)
    check_robot_settings(settings)
    return settings


def settings_or_exit(config: Path | None, **overrides: Any) -> Settings:
    """Load settings; a wrong one prints one line naming the key and exits 2. Configures logging."""
    from runner.logging import configure_logging
    from runner.settings import SettingsError

    try:
        settings = load_or_fail(config, **overrides)
    except SettingsError as exc:
        raise fail(exc, EXIT_USAGE) from None
    configure_logging(settings.logging.level, settings.logging.console, settings.data_dir / "logs")
    return settings


def open_sessions(settings: Settings) -> sessionmaker[Any]:
    """The ledger's session factory (migrated to the newest revision on first use)."""
    from runner.ledger.db import open_database

    return open_database(settings.database_url())[1]


def open_ledger(settings: Settings) -> Ledger:
    """The ledger of these settings."""
    from runner.ledger.repo import Ledger

    return Ledger(open_sessions(settings))
