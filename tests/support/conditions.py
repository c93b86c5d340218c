"""The conditions every test runs under (a pytest plugin, loaded by `-p` in pyproject.toml).

- **A busy machine.** CI may share its cores. The hang detectors (pytest-timeout's limits, Playwright's
  `expect` waits and the tests' own page waits through `wait_ms`) grow with the machine's load, so a
  test fails on behaviour, never because the machine was slow. Nothing asserts a duration. The factor
  is `NATTSKIFT_TEST_SLOWDOWN` if set, else the load average per core at start-up (at least 1);
  `scripts/test-beside-cpu-hogs` sets it while it runs the suite beside busy processes.
- **A clean tree.** With `NATTSKIFT_CHECK_TREE=1` (set by `make test`) the run fails if a test changed a
  tracked file: tests write only under temporary folders (`make screenshots` writes docs/screenshots/).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

SLOWDOWN_ENV = "NATTSKIFT_TEST_SLOWDOWN"
CHECK_TREE_ENV = "NATTSKIFT_CHECK_TREE"
#: Playwright's own default for `expect(...)`.
EXPECT_MS = 5_000


def slowdown() -> float:
    """How much slower than a quiet machine waits may be (>= 1): NATTSKIFT_TEST_SLOWDOWN when set, else
    the load average per core."""
    try:
        explicit = float(os.environ.get(SLOWDOWN_ENV) or 0)
    except ValueError:
        explicit = 0.0
    if explicit:
        return max(1.0, explicit)
    try:
        per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        per_core = 0.0
    return max(1.0, per_core)


def wait_ms(quiet_ms: float) -> int:
    """A wait that holds on a quiet machine, grown for this one: for page waits in test helpers."""
    return int(quiet_ms * slowdown())


def pytest_configure(config: pytest.Config) -> None:
    # Decided once, in the process that starts the run; pytest-xdist's workers inherit it.
    os.environ[SLOWDOWN_ENV] = f"{slowdown():.2f}"
    try:
        from playwright.sync_api import expect
    except ImportError:  # pragma: no cover
        return
    expect.set_options(timeout=wait_ms(EXPECT_MS))
    if os.environ.get(CHECK_TREE_ENV) == "1" and not hasattr(config, "workerinput"):
        config.stash[_TREE] = _tracked_changes(config.rootpath)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    factor = slowdown()
    if factor <= 1:
        return
    default = float(config.getini("timeout") or 0)
    for item in items:
        marker = item.get_closest_marker("timeout")
        limit = float(marker.args[0]) if marker and marker.args else default
        if limit:
            item.add_marker(pytest.mark.timeout(limit * factor), append=False)


_TREE = pytest.StashKey[dict[str, str] | None]()


def _tracked_changes(root: Path) -> dict[str, str] | None:
    """Tracked files that differ from the last commit, with a hash of their content (None: no git)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "-z"],
            capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    changed: dict[str, str] = {}
    for entry in filter(None, out.stdout.split("\0")):
        path = root / entry[3:]
        changed[entry[3:]] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "deleted"
    return changed


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _TREE not in session.config.stash:
        return
    before, after = session.config.stash[_TREE], _tracked_changes(session.config.rootpath)
    if before is None or after is None:
        return
    touched = sorted(path for path, digest in after.items() if before.get(path) != digest)
    if touched:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "tests changed tracked files (tests write only under temporary folders): " + ", ".join(touched)
        if reporter is not None:
            reporter.write_line(f"ERROR: {message}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
