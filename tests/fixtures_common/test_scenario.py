"""Scenario files load by name or path, and a bad one is refused with the JSON path of the problem."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fixtures import registry
from fixtures import scenario as scenario_module
from fixtures.scenario import ScenarioError, json_path, load_scenario, parse_scenario


def write(tmp_path: Path, data: Any, name: str = "x.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def refusal(tmp_path: Path, data: Any) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, data), strict=True)
    return str(caught.value)


def test_a_valid_scenario_loads_with_typed_sections(tmp_path: Path, scenario_dict: dict) -> None:
    loaded = load_scenario(write(tmp_path, scenario_dict))
    assert loaded.name == "exempel" and loaded.today == date(2026, 11, 23)
    assert loaded.systems == ["example", "exampleapi"]
    assert len(loaded.sections["example"].cases) == 60
    runtime = loaded.runtime("example")
    assert runtime.account.username == "exempel" and runtime.faults.seed == 1
    assert loaded.runtime("exampleapi").faults.error_rate == 0


def test_section_error_names_file_and_json_path(tmp_path: Path, scenario_dict: dict) -> None:
    scenario_dict["example"]["cases"][3]["month"] = "2026-13"
    message = refusal(tmp_path, scenario_dict)
    assert message.startswith(f"scenario '{tmp_path / 'x.json'}': example.cases[3].month: ")
    assert "2026-13" not in message  # values are left out: they may be personal data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("today"), "today: Field required"),
        (lambda d: d.update(today="23/11/2026"), "today: "),
        (lambda d: d["accounts"]["example"].pop("password"), "accounts.example.password: Field required"),
        (lambda d: d["accounts"].pop("example"), "accounts.example: missing"),
        (lambda d: d["accounts"]["exampleapi"].pop("api_key"), "accounts.exampleapi.api_key: missing"),
        (lambda d: d["faults"].update(example={"error_rate": 3}), "faults.example.error_rate: "),
        (lambda d: d["faults"].update(nosuch={}), "faults.nosuch: unknown system"),
        (lambda d: d.update(ekonomy={}), "ekonomy: unknown key"),
        (lambda d: d["example"]["cases"].append({"id": "C9999"}), "example.cases[60].title: Field required"),
        (lambda d: d["example"].update(extra=1), "example.extra: Extra inputs are not permitted"),
    ],
)
def test_each_kind_of_problem_is_refused_with_its_path(tmp_path: Path, scenario_dict: dict, change: Any, expected: str) -> None:
    change(scenario_dict)
    assert f"': {expected}" in refusal(tmp_path, scenario_dict)


def test_broken_json_and_wrong_shapes_are_refused(tmp_path: Path) -> None:
    assert "not valid JSON" in refusal(tmp_path, '{"name": "x",')
    assert "line 1" in refusal(tmp_path, '{"name": "x",')
    assert "(top level): must be a JSON object" in refusal(tmp_path, [1, 2])


def test_bundled_scenarios_load_by_name(tmp_path: Path, scenario_dict: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scenario_module, "SCENARIO_DIR", tmp_path)
    write(tmp_path, scenario_dict, "liten.json")
    assert scenario_module.bundled_scenarios() == ["liten"]
    assert load_scenario("liten").source == "liten.json"
    with pytest.raises(ScenarioError, match=r"not a bundled scenario \(bundled: liten\)"):
        load_scenario("saknas")


def test_a_section_of_a_system_not_built_yet_is_kept_unchecked_or_refused_when_strict(
    scenario_dict: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.SYSTEMS, "framtida", ("fixtures.framtida.system:SPEC", 8110))
    scenario_dict["accounts"]["framtida"] = {"username": "lena", "password": "x"}
    scenario_dict["framtida"] = {"whatever": True}
    loose = parse_scenario(scenario_dict, "y.json")
    assert "does not exist yet" in loose.unchecked["framtida"]
    assert "framtida" not in loose.systems and loose.raw_sections["framtida"] == {"whatever": True}
    with pytest.raises(ScenarioError, match=r"'y.json': framtida: system 'framtida' is not available"):
        parse_scenario(scenario_dict, "y.json", strict=True)


def test_json_path_reads_like_the_file() -> None:
    assert json_path(("ekonomi", "applications", 3, "month")) == "ekonomi.applications[3].month"
    assert json_path(()) == "(top level)"


def test_a_check_over_several_fields_points_at_the_value_itself() -> None:
    """A model validator names the field relative to its model; the path then reaches the value."""
    from pydantic import BaseModel, ValidationError, model_validator

    from fixtures.scenario import first_error

    class Child(BaseModel):
        days: int

    class Household(BaseModel):
        members: list[Child]

        @model_validator(mode="after")
        def _days(self) -> "Household":
            for i, m in enumerate(self.members):
                if m.days > 31:
                    raise ValueError(f"members[{i}].days: more days than the month has")
            return self

    with pytest.raises(ValidationError) as caught:
        Household.model_validate({"members": [{"days": 3}, {"days": 40}]})
    assert first_error(caught.value, ("ekonomi", "cases", 2)) == (
        "ekonomi.cases[2].members[1].days", "more days than the month has")
