"""Protections for every test of the suite, wherever it lives (tests/, robots/*/tests): loaded as a plugin by
`-p tests.support.protections` in pyproject.toml, so a robot's own tests get them without a conftest.

- each test sees the installed robots plus its own, never another test's (the registry is restored);
- personal data never reaches a log file, a file name or a failed test's output (the run fails, counts only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


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


# -- personal data must never reach a log file, a file name or a failed test's output -------------------
# Personnummer-shaped strings anywhere, and the full names of the people in the scenarios the session used
# (tests/support/pii.py: the bundled scenarios, and generated ones a test registered). Counted, never shown.

LOG_SUFFIXES = (".jsonl", ".log")
_output_leaks: list[tuple[str, int, int]] = []


def _leaks(root: Path) -> list[tuple[Path, int, int, str]]:
    from tests.support.pii import count_personal_data, names_pattern

    names = names_pattern()
    found = []
    for path in root.rglob("*"):
        shown = path
        numbers, people = count_personal_data(path.name, names)  # the listing: screenshots, traces, …
        if numbers or people:
            shown = path.parent / "<name withheld>"
            found.append((shown, numbers, people, "FILE NAME"))
        if path.suffix in LOG_SUFFIXES and path.is_file():
            numbers, people = count_personal_data(path.read_text(encoding="utf-8", errors="replace"), names)
            if numbers or people:
                found.append((shown, numbers, people, "LOGS"))
    return found


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """What pytest shows of a failed test (the failure and its captured output) must not show people."""
    if not report.failed:
        return
    from tests.support.pii import count_personal_data, names_pattern

    text = "\n".join([report.longreprtext, *(content for _, content in report.sections)])
    numbers, people = count_personal_data(text, names_pattern())
    if numbers or people:
        _output_leaks.append((report.nodeid, numbers, people))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a log file or file name written by the suite, or a failed test's output, holds a
    personnummer-shaped value or the name of a scenario's person."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"PERSONAL DATA IN TEST OUTPUT: {n} personnummer-shaped value(s), {p} name(s) in {nodeid} (values not shown)"
        for nodeid, n, p in _output_leaks
    ]
    factory = getattr(session.config, "_tmp_path_factory", None)
    root = None
    if factory is not None:
        try:
            root = factory.getbasetemp()
        except Exception:
            root = None
    if root is not None:
        lines += [
            f"PERSONAL DATA IN {where}: {n} personnummer-shaped value(s), {p} name(s) in {path} (values not shown)"
            for path, n, p, where in _leaks(root)
        ]
    if lines:
        for line in lines:
            if reporter:
                reporter.write_line(line, red=True)
        session.exitstatus = 1
