"""`nattskift worker`: take the robots' jobs on this machine (PostgreSQL; see docs/operations.md).

    nattskift worker                        # every enabled robot, each with its own concurrency
    nattskift worker --robot ronney -c 6    # only Ronney's queue, six cases at a time

One browser per robot, `concurrency` contexts each. SIGTERM/SIGINT drains: no new jobs are taken, the
cases in hand finish, then the process exits 0 (the scheduler host's runs carry on with the other
workers). Exit codes: 0 drained, 2 a wrong setting, a SQLite ledger or an unknown robot.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from runner.commands.common import EXIT_USAGE, ConfigOpt, err, fail, settings_or_exit


def worker(
    config: ConfigOpt = None,
    robots: Annotated[list[str] | None, typer.Option("--robot", "-r", help="work only this robot's queue (repeatable)")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", "-n", min=1, max=64,
                                                   help="cases at a time per robot (default: robots.<name>.concurrency)")] = None,
) -> None:
    """Take the robots' work from the job queue on this machine, until SIGTERM (which drains)."""
    from runner.plugins import RobotNotFound, get_robot

    settings = settings_or_exit(config)
    if not settings.database_url().startswith("postgresql"):
        raise fail(
            'nattskift worker needs a PostgreSQL ledger ([database] url = "postgresql://…"): '
            "with SQLite the ledger is one machine's, and `nattskift schedule` or `nattskift run` does all the work",
            EXIT_USAGE,
        )
    names = list(dict.fromkeys(robots or settings.scheduler.robots or _enabled_robots(settings)))
    try:
        classes = {name: get_robot(name) for name in names}
    except RobotNotFound as exc:
        raise fail(exc, EXIT_USAGE) from None
    if not classes:
        raise fail("no robot to work for: name one with --robot", EXIT_USAGE)
    from runner.engine import run_coroutine

    err.print(escape(f"worker for {', '.join(classes)}; SIGTERM drains"), highlight=False)
    run_coroutine(lambda: _work(settings, classes, concurrency))


def _enabled_robots(settings: Any) -> list[str]:
    from runner.plugins import load_robots

    return sorted(n for n in load_robots([]) if settings.robot_config(n).enabled)


async def _work(settings: Any, classes: dict[str, Any], concurrency: int | None) -> None:
    import asyncio  # here, not at the top: `nattskift --help` imports this module and needs none of it

    from playwright.async_api import async_playwright

    from runner.browser import launch
    from runner.engine.core import Engine
    from runner.ledger.db import open_database
    from runner.workers import queue as q
    from runner.workers.worker import RobotWorker

    q.ensure_schema(open_database(settings.database_url())[0])
    app = q.make_app(settings.database_url())
    drain = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, drain.set)
    workers: list[RobotWorker] = []
    async with async_playwright() as pw, app.open_async():
        browsers = []
        try:
            for name, cls in classes.items():
                engine = Engine(settings, cls, trigger="worker")
                engine.owns_run = False
                browser = await launch(pw, settings.browser)
                browsers.append(browser)
                worker = RobotWorker(engine, browser, concurrency or engine.config.concurrency)
                await worker.start(app)
                workers.append(worker)
            done = asyncio.ensure_future(asyncio.gather(*(w.wait() for w in workers)))
            stop = asyncio.ensure_future(drain.wait())
            await asyncio.wait({done, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
        finally:
            err.print("draining: the cases in hand finish…", highlight=False)
            await asyncio.gather(*(w.stop() for w in workers), return_exceptions=True)
            await asyncio.gather(*(b.close() for b in browsers), return_exceptions=True)
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)


def register(app: typer.Typer) -> None:
    """Adds `worker`."""
    app.command("worker")(worker)
