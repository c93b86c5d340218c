"""Ronney's own settings in `[robots.ronney]`: local rules, validated at start-up."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from runner.plugins import get_robot

from robots.ronney.rules.costs import housing_cap
from robots.ronney.settings import RonneySettings


def test_the_robot_is_registered_with_its_settings():
    robot = get_robot("ronney")
    assert robot.name == "ronney" and robot.Settings is RonneySettings
    assert set(robot.systems) == {"ekonomi", "ssbtek"}


def test_caps_from_toml_keys_and_the_largest_size_covers_bigger_households():
    settings = RonneySettings.model_validate({"max_housing_cost": {"1": 5000, "2": 6000, "4": 8000}})
    assert settings.max_housing_cost == {1: 5000, 2: 6000, 4: 8000}
    assert housing_cap(settings.max_housing_cost, 3) == 6000  # no 3-person row: the 2-person cap applies
    assert housing_cap(settings.max_housing_cost, 9) == 8000


@pytest.mark.parametrize("bad", [{"max_housing_cost": {"0": 5000}}, {"max_housing_cost": {"1": 0}},
                                 {"comparison_month": "next"}, {"unknown_key": 1}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        RonneySettings.model_validate(bad)
