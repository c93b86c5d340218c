"""Running `bemanning` systems for Bosse's tests."""

from __future__ import annotations

import pytest

from fixtures.server import start_systems


@pytest.fixture(scope="module")
def golden():
    """The golden scenario's staffing system, reset before each use by the `bemanning` fixture."""
    with start_systems("bosse_golden", systems=["bemanning"], ports=0) as running:
        yield running


@pytest.fixture
def bemanning(golden):
    golden.reset()
    return golden


@pytest.fixture(scope="module")
def chromium_loop():
    from runner.testing import BrowserLoop

    runner = BrowserLoop()
    yield runner
    runner.close()
