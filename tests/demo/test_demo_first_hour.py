"""`nattskift demo` as a new operator meets it: a bad scenario, a busy port, the previous night (issue 21).

Nothing is touched before everything is checked, and nothing the command did not write in this call is
deleted. These tests stop before the night itself (tests/demo/test_demo_night.py runs a whole one).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures import demo


def previous_demo_night(folder: Path) -> dict[str, bytes]:
    """A data folder as an earlier demo left it: its ledger, settings, logs and marker."""
    files = {
        ".nattskift-demo": b"2026-11-22T09:00:00\n",
        "nattskift.toml": b'data_dir = "."\n# Stand-in systems for scenario "demo"; written by ...\n',
        "nattskift.db": b"SQLite format 3\x00 yesterday's cases",
        "logs/nattskift.jsonl": b'{"event": "run.finished"}\n',
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def nattskift_demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runner.cli", "demo", *args], capture_output=True, text=True, timeout=120)


# -- item 1 ----------------------------------------------------------------------------------------------


def test_an_unknown_scenario_leaves_the_previous_night_untouched_and_says_so_in_one_line(tmp_path):
    data = tmp_path / "demo"
    before = previous_demo_night(data)
    result = nattskift_demo("--scenario", "nosuch", "--data-dir", str(data), "--no-web")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "scenario 'nosuch'" in result.stderr and "bundled:" in result.stderr
    assert snapshot(data) == before


def test_a_corrupt_scenario_file_leaves_the_previous_night_untouched(tmp_path):
    data = tmp_path / "demo"
    before = previous_demo_night(data)
    broken = tmp_path / "trasig.json"
    broken.write_text('{"name": "trasig", "today": "2026-11-23", "accounts": {', encoding="utf-8")
    result = nattskift_demo("--scenario", str(broken), "--data-dir", str(data), "--no-web")
    assert result.returncode == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(data) == before

    invalid = tmp_path / "ogiltig.json"
    invalid.write_text(json.dumps({"name": "ogiltig", "today": "inte ett datum", "accounts": {}}), encoding="utf-8")
    result = nattskift_demo("--scenario", str(invalid), "--data-dir", str(data), "--no-web")
    assert result.returncode == 2 and "today" in result.stderr
    assert snapshot(data) == before


def test_a_folder_that_is_not_a_demos_is_refused_untouched(tmp_path):
    home = tmp_path / "hem"
    (home / "dokument").mkdir(parents=True)
    (home / "dokument" / "brev.txt").write_text("viktigt", encoding="utf-8")
    before = snapshot(home)
    with pytest.raises(demo.DemoError, match="not a Nattskift demo's"):
        demo.check(home, "demo")
    result = nattskift_demo("--data-dir", str(home), "--no-web")
    assert result.returncode == 2 and "not a Nattskift demo's" in result.stderr
    assert snapshot(home) == before


def test_a_fresh_night_moves_the_previous_one_aside_instead_of_deleting_it(tmp_path):
    data = tmp_path / "demo"
    before = previous_demo_night(data)
    plan = demo.check(data, "demo")
    systems, config, earlier = demo.prepare(plan, fixed_ports=False)
    try:
        assert earlier is not None and earlier.parent == data / demo.EARLIER
        assert snapshot(earlier) == before  # every byte of the previous night, moved
        assert config == data / "nattskift.toml" and (data / demo.MARKER).is_file()
        assert "nattskift.db" not in snapshot(data).keys() - {f"{demo.EARLIER}/{earlier.name}/nattskift.db"}
    finally:
        systems.stop()
    # and the night before that stays too
    systems, _, second = demo.prepare(demo.check(data, "demo"), fixed_ports=False)
    systems.stop()
    assert second is not None and second != earlier and snapshot(earlier) == before


# -- item 7: ports --------------------------------------------------------------------------------------


@pytest.fixture
def busy_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock.getsockname()[1]
    sock.close()


def test_a_busy_report_port_is_named_before_the_night_and_nothing_is_touched(tmp_path, busy_port):
    data = tmp_path / "demo"
    before = previous_demo_night(data)
    result = nattskift_demo("--data-dir", str(data), "--port", str(busy_port))
    assert result.returncode == 2
    assert f"127.0.0.1:{busy_port}" in result.stderr and "--port" in result.stderr
    assert "Running" not in result.stdout  # the night did not start
    assert snapshot(data) == before


def test_the_report_port_is_held_from_the_check_and_written_to_the_demo_settings(tmp_path):
    plan = demo.check(tmp_path / "demo", "demo", web=("127.0.0.1", 0))
    systems, config, _ = demo.prepare(plan, fixed_ports=False)
    try:
        port = plan.web_socket.getsockname()[1]
        assert f"port = {port}" in config.read_text(encoding="utf-8")
        from runner.settings import load_settings

        assert load_settings(config).web.port == port
    finally:
        systems.stop()
        plan.web_socket.close()


def test_a_taken_stand_in_port_is_refused_quietly_and_the_demo_takes_free_ones(tmp_path, busy_port, monkeypatch, capfd):
    from fixtures import server
    from fixtures.scenario import load_scenario

    with pytest.raises(RuntimeError, match=f"cannot listen on 127.0.0.1:{busy_port}: the port is in use"):
        server.start_systems(load_scenario("demo"), ["ekonomi"], ports={"ekonomi": busy_port})
    monkeypatch.setattr(server, "default_port", lambda name: busy_port)
    systems, _, _ = demo.prepare(demo.check(tmp_path / "demo", "demo"), fixed_ports=True)
    try:
        assert all(not systems.url(n).endswith(f":{busy_port}") for n in systems.names)
    finally:
        systems.stop()
    captured = capfd.readouterr()
    assert "Errno 98" not in captured.err and "address already in use" not in captured.err.lower()
