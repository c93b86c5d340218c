"""The command line as an operator and a robot developer use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from runner.cli import app
from tests.engine.conftest import ROBOT_DIR

runner = CliRunner()


def config_for(tmp_path: Path, server=None, extra: str = "") -> Path:
    path = tmp_path / "nattskift.toml"
    text = f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{ROBOT_DIR}"]\n' + extra
    if server is not None:
        text += "[robots.tiny]\nconcurrency = 2\n" + server.settings_toml()
    path.write_text(text, encoding="utf-8")
    return path


def test_run_then_runs_and_show_tell_what_happened(tmp_path, target):
    server = target(3)
    config = config_for(tmp_path, server)

    result = runner.invoke(app, ["run", "tiny", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["status"] == "completed" and summary["counts"] == {"prepared": 3}

    listed = json.loads(runner.invoke(app, ["runs", "--config", str(config), "--json"]).output)
    assert listed[0]["run_id"] == summary["run_id"]

    shown = runner.invoke(app, ["show", summary["run_id"][:16], "--config", str(config), "--json"])
    assert sorted(o["key"] for o in json.loads(shown.output)["outcomes"]) == ["A000", "A001", "A002"]


def test_a_bad_setting_exits_2_with_one_line_naming_it(tmp_path):
    config = config_for(tmp_path, extra="[robots.tiny]\nconcurency = 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "runner.cli", "list", "--config", str(config)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "setting 'robots.tiny.concurency': unknown setting" in result.stderr


def test_unknown_robot_is_named_with_the_installed_ones(tmp_path):
    config = config_for(tmp_path)
    result = runner.invoke(app, ["run", "nobody", "--config", str(config)])
    assert result.exit_code == 2
    assert "no robot named 'nobody'" in result.output and "tiny" in result.output


def test_new_creates_a_robot_that_list_shows_and_whose_test_passes(tmp_path):
    # "greta", not a bundled robot's name: two robots with one name are refused (tests/engine/test_registry.py)
    robots_dir = tmp_path / "robots"
    created = runner.invoke(app, ["new", "greta", "--dir", str(robots_dir)])
    assert created.exit_code == 0, created.output
    config = tmp_path / "nattskift.toml"
    config.write_text(f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{robots_dir}"]\n', encoding="utf-8")

    listed = runner.invoke(app, ["list", "--config", str(config), "--json"])
    assert "greta" in [r["name"] for r in json.loads(listed.stdout)]

    test = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(robots_dir / "greta" / "tests")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert test.returncode == 0, test.stdout[-2000:]
    assert "1 passed" in test.stdout


def test_new_refuses_a_bad_name(tmp_path):
    result = runner.invoke(app, ["new", "Lena-2", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "robot name 'Lena-2'" in result.output


def test_doctor_reports_each_check(tmp_path, target):
    server = target(1)
    config = config_for(tmp_path, server)
    result = runner.invoke(app, ["doctor", "--config", str(config)])
    assert "ok   browser" in result.output
    assert "ok   database" in result.output
    assert "ok   system target" in result.output
