"""Fixtures for the common layer's tests: the example systems registered and running on free ports."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fixtures.registry import registered
from fixtures.scenario import Scenario, parse_scenario
from fixtures.server import RunningSystems, start_systems
from tests.fixtures_common.example_system import API_SPEC, SPEC
from tests.fixtures_common.helpers import example_scenario_dict

@pytest.fixture(scope="session", autouse=True)
def example_systems_registered() -> Iterator[None]:
    with registered(SPEC), registered(API_SPEC):
        yield


@pytest.fixture
def scenario_dict() -> dict[str, Any]:
    return copy.deepcopy(example_scenario_dict())


@pytest.fixture(scope="session")
def scenario(example_systems_registered: None) -> Scenario:
    return parse_scenario(example_scenario_dict(), "exempel.json", strict=True)


@pytest.fixture(scope="session")
def running(scenario: Scenario) -> Iterator[RunningSystems]:
    with start_systems(scenario, ports=0) as systems:
        yield systems


@pytest.fixture
def systems(running: RunningSystems) -> Iterator[RunningSystems]:
    """The running example systems, reset to the scenario before each test."""
    running.reset()
    yield running
    running.reset()


@pytest.fixture
def web(systems: RunningSystems) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=systems.url("example"), follow_redirects=False, timeout=10) as client:
        yield client
