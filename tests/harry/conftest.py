"""HaRry's test set-up: the golden scenario's two systems running on free ports, reset around each test,
and the framework's test doubles (runner.testing) to drive HaRry's screens in one Chromium per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from playwright.async_api import Browser

from fixtures.server import RunningSystems, start_systems
from robots.harry.robot import Harry
from runner.testing import BrowserLoop, FakeContext, system_settings
from tests.support.conditions import wait_ms


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
def browsers() -> Iterator[BrowserLoop]:
    """One Chromium and one event loop for a module's page-object tests."""
    loop = BrowserLoop()
    try:
        yield loop
    finally:
        loop.close()


@asynccontextmanager
async def harry_context(browser: Browser, running: RunningSystems) -> AsyncIterator[FakeContext]:
    """HaRry's `ctx` over the running systems, logged in by HaRry's own login on first use."""
    ctx = FakeContext(Harry(), browser, system_settings(running), now=datetime.fromisoformat(running.clock()), timeout_ms=wait_ms(5000))
    try:
        yield ctx
    finally:
        await ctx.close()
