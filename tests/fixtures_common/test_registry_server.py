"""The registry reports missing systems clearly; the server writes settings robots can load."""

from __future__ import annotations

import tomllib
from datetime import date

import httpx
import pytest

from fixtures import registry
from fixtures.registry import SystemNotAvailable, load_spec
from fixtures.scenario import Scenario
from fixtures.server import RunningSystems, start_systems
from runner.settings import load_settings


def test_the_systems_have_their_ports_in_order() -> None:
    assert list(registry.SYSTEMS) == ["ekonomi", "ssbtek", "schema", "personal", "bemanning", "hemtjanst"]
    assert [port for _, port in registry.SYSTEMS.values()] == [8101, 8102, 8103, 8104, 8105, 8106]


def test_unknown_and_missing_systems_are_named_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemNotAvailable, match="unknown system 'nope'"):
        load_spec("nope")
    monkeypatch.setitem(registry.SYSTEMS, "framtida", ("fixtures.framtida.system:SPEC", 8110))
    with pytest.raises(SystemNotAvailable, match="module fixtures.framtida.system does not exist yet"):
        load_spec("framtida")
    status = registry.system_status()
    assert "does not exist yet" in (status["framtida"] or "")
    assert "framtida" not in registry.available_systems()
    assert "example" in registry.available_systems()


def test_settings_toml_points_robots_at_the_systems(systems: RunningSystems, tmp_path) -> None:
    text = systems.settings_toml()
    parsed = tomllib.loads(text)
    assert parsed["clock"] == "2026-11-23T01:30:00+01:00"
    assert parsed["systems"]["example"] == {"url": systems.url("example"), "username": "exempel", "password": "hemligt-1"}
    assert parsed["systems"]["exampleapi"]["api_key"] == "nyckel-12345678"
    settings = load_settings(systems.write_config(tmp_path / "nattskift.toml"))
    assert settings.systems["example"].url == systems.url("example")
    assert settings.systems["exampleapi"].api_key.get_secret_value() == "nyckel-12345678"


def test_clock_uses_summer_time_in_summer(scenario: Scenario) -> None:
    summer = Scenario(**{**scenario.__dict__, "today": date(2026, 7, 1)})
    assert RunningSystems(summer, {}).clock() == "2026-07-01T01:30:00+02:00"


def test_start_refuses_a_system_the_scenario_lacks_and_stops_cleanly(scenario: Scenario) -> None:
    with pytest.raises(SystemNotAvailable, match="no 'ekonomi' section"):
        start_systems(scenario, systems=["ekonomi"], ports=0)
    with start_systems(scenario, systems=["example"], ports=0) as only:
        url = only.url("example")
        assert only.names == ["example"]
        assert httpx.get(f"{url}/login").status_code == 200
        with pytest.raises(KeyError, match="not running"):
            only.url("exampleapi")
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/login", timeout=2)
