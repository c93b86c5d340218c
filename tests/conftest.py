"""Shared test set-up: the browser, PostgreSQL when available, and the personal-data scan of all logs.

Shared by everyone: add fixtures in your own folder's conftest.py instead of here where you can.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.redact import PERSONNUMMER

CHROMIUM = os.environ.get("NATTSKIFT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
os.environ.setdefault("NATTSKIFT_CHROMIUM", CHROMIUM)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL URL for ledger tests: set by .ci/run; tests skip with a reason elsewhere."""
    url = os.environ.get("NATTSKIFT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL not configured (NATTSKIFT_TEST_POSTGRES_URL unset); .ci/run sets it")
    return url


@pytest.fixture(autouse=True)
def _isolated_robot_registry() -> Iterator[None]:
    """Robots a test registers or finds in extra folders are forgotten after it, so each test sees
    the installed robots plus its own, never another test's."""
    from runner import plugins

    dirs, extra = list(plugins._robot_dirs), dict(plugins._extra)
    yield
    plugins._robot_dirs[:] = dirs
    plugins._extra.clear()
    plugins._extra.update(extra)


# -- personal data must never reach a log file ---------------------------------------------------------

LOG_SUFFIXES = (".jsonl", ".log")


def _leaks(root: Path) -> list[tuple[Path, int]]:
    found = []
    for path in root.rglob("*"):
        if path.suffix in LOG_SUFFIXES and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            n = len(PERSONNUMMER.findall(text))
            if n:
                found.append((path, n))
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any log file written by the suite holds something shaped like a personnummer."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    try:
        root = factory.getbasetemp()
    except Exception:
        return
    leaks = _leaks(root)
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for path, n in leaks:
            line = f"PERSONAL DATA IN LOGS: {n} personnummer-shaped value(s) in {path} (values not shown)"
            if reporter:
                reporter.write_line(line, red=True)
        session.exitstatus = 1
