"""Composed scenarios: the demo is its robots' parts, and a clash between parts is refused by name."""

from __future__ import annotations

import json

import pytest

from fixtures.scenario import ScenarioError, load_scenario


def test_the_demo_scenario_holds_every_system_of_its_parts():
    demo = load_scenario("demo")
    assert demo.systems == ["ekonomi", "ssbtek", "schema", "personal", "bemanning", "hemtjanst"]
    assert {a.username for a in demo.accounts.values()} == {"ronney", "harry", "bosse", "lena"}
    assert str(demo.today) == "2026-11-23"


def test_two_parts_giving_the_same_system_are_refused(tmp_path):
    path = tmp_path / "twice.json"
    path.write_text(json.dumps({"name": "x", "today": "2026-11-23", "include": ["demo_harry", "harry_golden"]}))
    with pytest.raises(ScenarioError, match=r"include\[1\]: schema: already given by 'demo_harry.json'"):
        load_scenario(path)


def test_an_including_file_may_override_the_head_and_add_faults(tmp_path):
    path = tmp_path / "slow.json"
    path.write_text(
        json.dumps({"name": "slow", "today": "2026-11-24", "include": ["demo_harry"], "faults": {"schema": {"latency_ms": 50}}})
    )
    slow = load_scenario(path)
    assert slow.name == "slow" and str(slow.today) == "2026-11-24"
    assert slow.faults["schema"].latency_ms == 50
