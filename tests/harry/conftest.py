"""HaRry's test set-up: the golden scenario's two systems running on free ports, reset around each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fixtures.server import RunningSystems, start_systems
from tests.harry.browser import AsyncChromium, async_chromium


@pytest.fixture(scope="module")
def golden_running() -> Iterator[RunningSystems]:
    with start_systems("harry_golden", systems=["schema", "personal"], ports=0) as systems:
        yield systems


@pytest.fixture
def golden(golden_running: RunningSystems) -> Iterator[RunningSystems]:
    """The golden systems, back at the scenario's data and without faults before and after each test."""
    golden_running.reset()
    yield golden_running
    golden_running.reset()


@pytest.fixture(scope="module")
def chromium() -> Iterator[AsyncChromium]:
    """One Chromium for a module's async page-object tests."""
    with async_chromium() as browser:
        yield browser
