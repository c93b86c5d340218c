"""`nattskift pause|resume|stop|retry`: the Drift page's actions from a shell (run now is `nattskift run`).

Each goes through runner.control.actions, as the page does: audited as `cli:<user>`, refused with the
same Swedish reason (exit 1). A run started from the page is an ordinary run: `nattskift runs` lists it,
`nattskift stop` stops it, `nattskift run` resumes what it left.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer

from rich.markup import escape

from runner.commands.common import ConfigOpt, err, fail, open_sessions, say, settings_or_exit

EXIT_REFUSED = 1


def _control(config: Path | None) -> Any:
    from runner.control.actions import Control
    from runner.plugins import load_robots

    settings = settings_or_exit(config)
    names = lambda: set(load_robots(errors=[])) | set(settings.robots)  # noqa: E731
    return Control(settings, open_sessions(settings), robots=names)


def _operator() -> Any:
    from runner.control.actions import Operator

    return Operator(f"cli:{getpass.getuser()}", "cli")


def _refused(exc: Exception) -> typer.Exit:
    err.print(f"[red]refused:[/red] {escape(str(exc))}", highlight=False)
    return typer.Exit(EXIT_REFUSED)


def _run_id(control: Any, given: str) -> str:
    """A run id, an unambiguous beginning of one, or a robot's name (its running run)."""
    run = control.ledger.get_run(given) or control.ledger.find_run(given)
    if run is None:
        running = control.ledger.running_run(given)
        if running is None:
            raise fail(f"no run {given!r} and no running run of a robot of that name (see `nattskift runs`)")
        return running.id
    return run.id


def pause(robot: Annotated[str, typer.Argument(help="the robot to pause")], config: ConfigOpt = None) -> None:
    """Pause a robot: the scheduler starts none of its nights (at once, and after a restart) until resumed."""
    from runner.control.actions import Refused

    try:
        _control(config).pause(_operator(), robot)
    except Refused as exc:
        raise _refused(exc) from None
    say(f"paused {robot}: its scheduled runs do not start until `nattskift resume {robot}`")


def resume(robot: Annotated[str, typer.Argument(help="the robot to resume")], config: ConfigOpt = None) -> None:
    """Resume a paused robot: its next night runs as scheduled; the nights missed while paused are not
    caught up (start one now with `nattskift run ROBOT`)."""
    from runner.control.actions import Refused

    try:
        _control(config).resume(_operator(), robot)
    except Refused as exc:
        raise _refused(exc) from None
    say(f"resumed {robot}")


def stop(run: Annotated[str, typer.Argument(help="run id (or its beginning), or a robot's name")],
         config: ConfigOpt = None) -> None:
    """Ask a running run to stop gracefully, wherever it runs: items in flight finish, the rest stay for the
    next run. Returns at once; the run stops within a third of `workers.lease_seconds`."""
    from runner.control.actions import Refused

    control = _control(config)
    run_id = _run_id(control, run)
    try:
        control.stop(_operator(), run_id)
    except Refused as exc:
        raise _refused(exc) from None
    say(f"asked run {run_id} to stop")


def retry(run: Annotated[str, typer.Argument(help="run id (or its beginning)")], config: ConfigOpt = None) -> None:
    """Queue the failed items of a run again: they go first in the robot's next run (`nattskift run ROBOT`
    starts one now; a running run takes them itself)."""
    from runner.control.actions import Refused

    control = _control(config)
    run_id = _run_id(control, run)
    try:
        retried = control.retry_failed(_operator(), run_id)
    except Refused as exc:
        raise _refused(exc) from None
    where = f"run {retried.running} takes them" if retried.running else "they go first in the next run"
    say(f"queued {retried.items} failed item(s) of run {run_id} again; {where}")


def register(app: typer.Typer) -> None:
    """Adds `pause`, `resume`, `stop` and `retry` (runner/cli.py COMMANDS)."""
    for command in (pause, resume, stop, retry):
        app.command(command.__name__)(command)
