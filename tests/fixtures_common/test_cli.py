"""`nattskift fixtures serve` and `generate`, driven through Typer's test runner."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from fixtures import cli, registry
from fixtures.generate import generator_specs
from fixtures.scenario import load_scenario
from tests.fixtures_common.helpers import example_scenario_dict

runner = CliRunner()


def test_generate_is_valid_and_byte_identical_for_the_same_seed(tmp_path: Path) -> None:
    args = ["generate", "--size", "40", "--seed", "7", "--systems", "example"]
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    result = runner.invoke(cli.fixtures_app, [*args, "--out", str(first)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    runner.invoke(cli.fixtures_app, [*args, "--out", str(second)])
    runner.invoke(cli.fixtures_app, ["generate", "--size", "40", "--seed", "8", "--systems", "example", "--out", str(other)])
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()
    loaded = load_scenario(first, strict=True)
    assert len(loaded.sections["example"].cases) == 40
    assert loaded.today.isoformat() == "2026-11-23" and loaded.accounts["example"].username == "exempel"
    assert not list(tmp_path.glob("*.part"))


def test_generate_to_stdout_with_another_date(tmp_path: Path) -> None:
    result = runner.invoke(cli.fixtures_app, ["generate", "--size", "3", "--systems", "example", "--today", "2026-07-01"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["today"] == "2026-07-01" and {c["month"] for c in doc["example"]["cases"]} == {"2026-07"}


def test_generate_refuses_bad_input(tmp_path: Path) -> None:
    bad_date = runner.invoke(cli.fixtures_app, ["generate", "--size", "3", "--today", "1 juli"])
    assert bad_date.exit_code == 2 and "--today" in bad_date.output
    no_api_generator = runner.invoke(cli.fixtures_app, ["generate", "--size", "3", "--systems", "exampleapi"])
    assert no_api_generator.exit_code == 2 and "has no generator" in no_api_generator.output
    unknown = runner.invoke(cli.fixtures_app, ["generate", "--size", "3", "--systems", "nope"])
    assert unknown.exit_code == 2 and "unknown system 'nope'" in unknown.output


def test_generate_reports_systems_that_cannot_generate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SYSTEMS", {"framtida": ("fixtures.framtida.system:SPEC", 8110)})
    specs, skipped = generator_specs()
    assert [s.name for s in specs] == ["example"]
    assert "does not exist yet" in skipped["framtida"] and "has no generator" in skipped["exampleapi"]


def test_a_generator_bug_is_reported_with_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dataclasses.replace(registry.load_spec("example"), generate=lambda rng, size, today: {"cases": [{"id": "X"}]})
    monkeypatch.setitem(registry._extra, "example", broken)
    result = runner.invoke(cli.fixtures_app, ["generate", "--size", "1", "--systems", "example", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and "example.cases[0]." in result.output and "generator" in result.output
    assert not (tmp_path / "x.json").exists()


def test_serve_prints_urls_and_logins_and_writes_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario_file = tmp_path / "exempel.json"
    scenario_file.write_text(json.dumps(example_scenario_dict(), ensure_ascii=False), encoding="utf-8")
    config = tmp_path / "nattskift.toml"
    seen: dict[str, int] = {}

    def fake_wait() -> None:
        url = tomllib.loads(config.read_text())["systems"]["example"]["url"]
        seen["status"] = httpx.get(f"{url}/login").status_code
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "wait_for_interrupt", fake_wait)
    result = runner.invoke(
        cli.fixtures_app,
        ["serve", "--scenario", str(scenario_file), "--port", "0", "--write-config", str(config), "--systems", "example"],
    )
    assert result.exit_code == 0, result.output
    assert seen["status"] == 200
    assert re.search(r"example\s+http://127\.0\.0\.1:\d+\s+user exempel", result.output)
    assert "Stopping." in result.output


def test_serve_refuses_a_broken_scenario_naming_the_path(tmp_path: Path) -> None:
    data = example_scenario_dict()
    data["example"]["cases"][2]["month"] = "maj"
    path = tmp_path / "trasig.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli.fixtures_app, ["serve", "--scenario", str(path)])
    assert result.exit_code == 2 and "example.cases[2].month" in result.output
    missing = runner.invoke(cli.fixtures_app, ["serve", "--scenario", "finns-inte"])
    assert missing.exit_code == 2 and "not a bundled scenario" in missing.output
