"""The README's "Running it", followed on a fresh checkout (issue 21, item 8): the stand-in systems write
the settings file the robots need, and the documented commands work with it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def nattskift(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runner.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=900)


def test_the_readme_says_what_a_fresh_checkout_needs():
    text = README.read_text(encoding="utf-8")
    running = text.split("## Running it", 1)[1].split("\n## ", 1)[0]
    assert "[systems.<name>]" in running
    assert "nattskift fixtures serve --scenario demo --write-config nattskift.toml" in running
    assert "--config var/demo/nattskift.toml" in running
    assert "serves the report" in text and "opens the report" not in text


def test_the_running_it_commands_work_against_the_stand_ins(tmp_path):
    config = tmp_path / "nattskift.toml"
    # as the README says, but on free ports (tests never take a fixed one)
    serve = subprocess.Popen(
        [sys.executable, "-m", "runner.cli", "fixtures", "serve", "--scenario", "demo", "--port", "0",
         "--write-config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        assert serve.stdout is not None
        for line in serve.stdout:  # the file is written once every system answers
            if line.startswith("Settings written to"):
                break
        assert config.is_file(), serve.stderr.read() if serve.stderr else ""
        listed = nattskift("list", "--config", str(config), "--json", cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert {"ronney", "harry", "bosse"} <= {r["name"] for r in json.loads(listed.stdout)}

        dry = nattskift("run", "ronney", "--dry-run", "--config", str(config), "--json", cwd=tmp_path)
        summary = json.loads(dry.stdout)
        assert summary["status"] == "completed", dry.stderr
        # the demo scenario holds one application the case system cannot show: a technical failure
        assert dry.returncode == 4 == summary["exit_code"] and summary["counts"].get("failed") == 1

        runs = nattskift("runs", "--config", str(config), cwd=tmp_path)
        assert summary["run_id"] in runs.stdout
        shown = nattskift("show", summary["run_id"], "--config", str(config), cwd=tmp_path)
        assert shown.returncode == 0 and re.search(r"prepared|needs_attention", shown.stdout)
        doctor = nattskift("doctor", "--config", str(config), cwd=tmp_path)
        assert doctor.returncode == 0, doctor.stdout
        gallra = nattskift("gallra", "--dry-run", "--config", str(config), cwd=tmp_path)
        assert gallra.returncode == 0 and "nothing was removed" in gallra.stdout, gallra.stderr
    finally:
        serve.terminate()
        serve.wait(timeout=60)
