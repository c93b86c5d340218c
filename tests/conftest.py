"""Shared test set-up: the browser, PostgreSQL when available, and the personal-data scan of all logs.

Shared by everyone: add fixtures in your own folder's conftest.py instead of here where you can.
"""

from __future__ import annotations

import os
import shutil

import pytest


# The headless shell first, as the runner picks it (runner/browser.py): a third less CPU per page.
CHROMIUM = (os.environ.get("NATTSKIFT_CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
            or "/usr/bin/chromium")
os.environ.setdefault("NATTSKIFT_CHROMIUM", CHROMIUM)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long CPU-bound checks (marker `heavy`) first: under `make test` (`-n 2 --dist loadfile
    --no-loadscope-reorder`) one worker starts on them at once while the other works through the rest, so
    neither waits for the other at the end."""
    heavy = [item for item in items if item.get_closest_marker("heavy") is not None]
    if heavy:
        chosen = set(map(id, heavy))
        items[:] = heavy + [item for item in items if id(item) not in chosen]


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL URL for ledger tests: set by .ci/run; tests skip with a reason elsewhere."""
    url = os.environ.get("NATTSKIFT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL not configured (NATTSKIFT_TEST_POSTGRES_URL unset); .ci/run sets it")
    return url


# The registry isolation and the personal-data scan are in tests/support/protections.py, loaded for every
# test wherever it lives (tests/ and robots/*/tests) by `-p tests.support.protections` in pyproject.toml.
