"""Every bundled scenario loads strictly: all sections valid, every system available."""

from __future__ import annotations

import pytest

from fixtures.scenario import bundled_scenarios, load_scenario


@pytest.mark.parametrize("name", bundled_scenarios())
def test_bundled_scenario_loads(name: str) -> None:
    scenario = load_scenario(name, strict=True)
    assert scenario.systems, f"{name} has no system section"
    assert scenario.description, f"{name} should say what it is for"
