"""The exit codes of `nattskift run`: what systemd, cron and the alert mail read.

A run that did not do its work exits non-zero, and each cause has its own code so a wrapper can tell
"fix the password" from "the system is down, it will pass tomorrow". Documented in docs/operations.md and
in `nattskift run --help` (both from this table).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class RunExit(IntEnum):
    COMPLETED = 0
    FAILED = 1
    USAGE = 2
    LEDGER = 3
    CASES_FAILED = 4
    LOGIN_REFUSED = 5
    SYSTEM_DOWN = 6
    PAGE_CHANGED = 7
    ROBOT_STOPPED = 8
    DEADLINE = 9
    STOPPED = 10
    ALREADY_RUNNING = 11


MEANINGS: dict[RunExit, str] = {
    RunExit.COMPLETED: "completed: every case it took has an outcome (cases needing a person are normal work)",
    RunExit.FAILED: "the run failed: fetching new cases failed after its retries, or an unexpected error",
    RunExit.USAGE: "a wrong option or setting, an unknown or broken robot, no browser (the message names it)",
    RunExit.LEDGER: "the ledger (database) could not be written; everything recorded before is kept",
    RunExit.CASES_FAILED: "completed, but some cases failed technically after their retries (tried again next run)",
    RunExit.LOGIN_REFUSED: "a target system refused the robot's login: check its account and password",
    RunExit.SYSTEM_DOWN: "stopped by the circuit breaker: a target system seems down; the rest waits for the next run",
    RunExit.PAGE_CHANGED: "stopped: a screen in a target system has changed and the robot needs updating",
    RunExit.ROBOT_STOPPED: "stopped by the robot for another reason (the run's reason says which)",
    RunExit.DEADLINE: "stopped at its deadline with cases left for the next run",
    RunExit.STOPPED: "stopped by a signal or by operations (SIGTERM, Ctrl-C); cases left for the next run",
    RunExit.ALREADY_RUNNING: "refused: the robot is already running against this ledger",
}

_STOPS = {
    "login_refused": RunExit.LOGIN_REFUSED,
    "system_down": RunExit.SYSTEM_DOWN,
    "page_changed": RunExit.PAGE_CHANGED,
    "robot": RunExit.ROBOT_STOPPED,
    "deadline": RunExit.DEADLINE,
    "signal": RunExit.STOPPED,
    "operator": RunExit.STOPPED,
}


def for_run(summary: Any) -> RunExit:
    """The exit code of a finished run (a `runner.engine.RunSummary`)."""
    if summary.status == "completed":
        return RunExit.CASES_FAILED if summary.counts.get("failed") else RunExit.COMPLETED
    if summary.status == "interrupted":
        return _STOPS.get(summary.stop_cause or "", RunExit.ROBOT_STOPPED)
    return RunExit.FAILED


def help_text() -> str:
    """The table for `nattskift run --help`: one line per code (Click's `\\b` keeps the lines unwrapped)."""
    lines = "\n".join(f"{int(code):>2}  {MEANINGS[code]}" for code in RunExit)
    return f"Exit codes:\n\n\b\n{lines}"


def markdown_table() -> str:
    """The same table as docs/operations.md has it (a test keeps the two equal)."""
    rows = "\n".join(f"| {int(code)} | {MEANINGS[code]} |" for code in RunExit)
    return f"| code | meaning |\n|---|---|\n{rows}"
