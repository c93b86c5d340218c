"""What a new operator hits first with the command line: broken robots, misspelt tables, exit codes,
errors that name their cause (issue 21)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from runner.cli import app
from tests.engine.conftest import ROBOT_DIR

runner = CliRunner()


def write_config(tmp_path: Path, *, robot_dirs: list[Path], server=None, extra: str = "") -> Path:
    path = tmp_path / "nattskift.toml"
    dirs = ", ".join(f'"{d}"' for d in robot_dirs)
    text = f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = [{dirs}]\n' + extra
    if server is not None:
        text += "[robots.tiny]\nconcurrency = 1\nretry_backoff_seconds = 0\n" + server.settings_toml()
    path.write_text(text, encoding="utf-8")
    return path


def broken_robot_dir(tmp_path: Path) -> Path:
    """A robots folder with one robot whose module does not even compile."""
    folder = tmp_path / "more_robots"
    (folder / "trasig").mkdir(parents=True)
    (folder / "trasig" / "robot.py").write_text("def oops(:\n    pass\n", encoding="utf-8")
    return folder


def nattskift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runner.cli", *args], capture_output=True, text=True)


# -- item 3: one robot that fails to import breaks nothing else --------------------------------------


def test_list_shows_a_robot_that_fails_to_import_with_its_error_and_the_others(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR, broken_robot_dir(tmp_path)])
    result = nattskift("list", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "tiny" in result.stdout and "ronney" in result.stdout and "trasig" in result.stdout
    errors = [line for line in result.stderr.splitlines() if "trasig" in line]
    assert len(errors) == 1 and "SyntaxError" in errors[0], result.stderr

    rows = json.loads(nattskift("list", "--config", str(config), "--json").stdout)
    broken = next(r for r in rows if r["name"] == "trasig")
    assert "SyntaxError" in broken["error"] and "\n" not in broken["error"]
    assert {"tiny", "ronney", "harry", "bosse"} <= {r["name"] for r in rows if "error" not in r}


def test_doctor_names_the_broken_robot_in_one_line(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR, broken_robot_dir(tmp_path)])
    result = runner.invoke(app, ["doctor", "--config", str(config)])
    lines = [line for line in result.output.splitlines() if "trasig" in line]
    assert len(lines) == 1 and lines[0].startswith("FAIL robot trasig:") and "SyntaxError" in lines[0]
    assert any(" robot tiny: " in line for line in result.output.splitlines())  # still checked


def test_the_other_robots_still_run_beside_a_broken_one(tmp_path, target):
    server = target(2)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR, broken_robot_dir(tmp_path)], server=server)
    result = runner.invoke(app, ["run", "tiny", "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"prepared": 2}


def test_running_the_broken_robot_names_its_error(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR, broken_robot_dir(tmp_path)])
    result = nattskift("run", "trasig", "--config", str(config))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "robot 'trasig'" in result.stderr and "SyntaxError" in result.stderr


# -- item 6: a misspelt robot table --------------------------------------------------------------------


def test_a_misspelt_robot_table_stops_start_up_and_names_the_installed_robots(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], extra="[robots.ronny]\nconcurrency = 2\n")
    result = nattskift("list", "--config", str(config))
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line
    assert "setting 'robots.ronny'" in line and "did you mean 'robots.ronney'" in line
    assert "bosse, harry, lena, ronney, tiny" in line


# -- item 2: the exit code says how the run ended --------------------------------------------------------


def run_json(config: Path, *extra: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["run", "tiny", "--config", str(config), "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def test_a_refused_login_exits_5_not_0(tmp_path, target):
    server = target(2)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    config.write_text(config.read_text().replace('password = "hemligt"', 'password = "fel"'), encoding="utf-8")
    code, summary = run_json(config)
    assert summary["status"] == "interrupted" and summary["stop_cause"] == "login_refused"
    assert code == 5 == summary["exit_code"]
    assert "Inloggningen i target nekades" in summary["reason"]


def test_cases_that_failed_technically_exit_4(tmp_path, target):
    server = target(3)
    server.state.fail_keys = {"A001"}
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server, extra="")
    config.write_text(config.read_text() + "", encoding="utf-8")
    code, summary = run_json(config)
    assert summary["status"] == "completed" and summary["counts"] == {"prepared": 2, "failed": 1}
    assert code == 4


def test_the_circuit_breaker_exits_6(tmp_path, target):
    server = target(4)
    server.state.fail_keys = {"A000", "A001", "A002", "A003"}
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    config.write_text(config.read_text().replace("concurrency = 1\n", "concurrency = 1\ncircuit_breaker = 2\n"))
    code, summary = run_json(config)
    assert summary["stop_cause"] == "system_down" and code == 6


def test_a_deadline_already_passed_exits_9(tmp_path, target):
    server = target(2)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    code, summary = run_json(config, "--deadline", "2020-01-01T00:00")
    assert summary["stop_cause"] == "deadline" and code == 9


def test_a_run_that_did_its_work_exits_0(tmp_path, target):
    server = target(2)
    code, summary = run_json(write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server))
    assert code == 0 and summary["counts"] == {"prepared": 2}


def test_the_exit_codes_are_documented_in_the_help_and_the_operations_guide():
    from runner.exit_codes import MEANINGS, markdown_table

    guide = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")
    assert markdown_table() in guide
    shown = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output
    for code, meaning in MEANINGS.items():
        assert f"{int(code):>2}  {meaning}" in shown


# -- item 4: errors name the system, the URL and the setting; missing configuration fails at once -------------


def test_a_robot_without_its_systems_configured_stops_at_once_naming_the_setting(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR])
    result = nattskift("run", "tiny", "--config", str(config))
    assert result.returncode == 2
    assert "setting 'systems.target' is missing" in result.stderr and str(config) in result.stderr
    assert "Traceback" not in result.stderr
    # nothing was started: no run in the ledger, so no retries, no browser
    listed = json.loads(nattskift("runs", "--config", str(config), "--json").stdout)
    assert listed == []


def test_a_system_that_does_not_answer_is_named_with_its_url_in_the_reason_and_the_log(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    config = write_config(
        tmp_path,
        robot_dirs=[ROBOT_DIR],
        extra=(
            "[robots.tiny]\nmax_attempts = 2\nretry_backoff_seconds = 0\n"
            f'[systems.target]\nurl = "{url}"\nusername = "robot"\npassword = "hemligt"\n'
        ),
    )
    code, summary = run_json(config)
    assert code == 1 and summary["status"] == "failed"
    assert "target" in summary["reason"] and url in summary["reason"] and "gick inte att nå" in summary["reason"]
    assert "ERR_CONNECTION_REFUSED" in summary["detail"]
    log = tmp_path / "var" / "logs" / "runs" / f"{summary['run_id']}.jsonl"
    failed = [json.loads(line) for line in log.read_text().splitlines() if '"fetch.failed"' in line]
    assert len(failed) == 2
    assert all(e["system"] == "target" and e["url"] == url and "ERR_CONNECTION_REFUSED" in e["error"] for e in failed)


# -- item 9: output that scripts and people can use ----------------------------------------------------------


def test_runs_shows_whole_run_ids_when_piped_so_show_can_take_them(tmp_path, target):
    server = target(1)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    run_id = json.loads(runner.invoke(app, ["run", "tiny", "--config", str(config), "--json"]).stdout)["run_id"]
    piped = nattskift("runs", "--config", str(config))  # stdout is a pipe: 80 columns
    assert run_id in piped.stdout
    shown = nattskift("show", run_id, "--config", str(config))
    assert shown.returncode == 0 and run_id in shown.stdout


def test_a_long_error_stays_on_one_line_when_piped(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR])
    result = nattskift("run", "tiny", "--config", str(config))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and len(result.stderr.strip()) > 80


def test_every_error_in_a_settings_file_is_listed_each_with_the_file_name(tmp_path):
    config = write_config(
        tmp_path, robot_dirs=[ROBOT_DIR], extra="[browser]\ntimeout_ms = -1\nheadles = true\n"
    )
    result = nattskift("list", "--config", str(config))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 2, result.stderr
    assert all(line.startswith(f"error: {config}: setting 'browser.") for line in lines)
    assert "more)" not in result.stderr


def test_a_robot_setting_error_names_the_file(tmp_path):
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], extra="[robots.ronney]\nincome_tolerance_kr = 'mycket'\n")
    result = nattskift("list", "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {config}: setting 'robots.ronney.")


def test_show_with_an_ambiguous_prefix_names_the_runs_it_could_be(tmp_path, target):
    server = target(1)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    ids = [json.loads(runner.invoke(app, ["run", "tiny", "--config", str(config), "--json"]).stdout)["run_id"] for _ in range(2)]
    result = nattskift("show", "20", "--config", str(config))
    assert result.returncode == 2
    assert "several runs" in result.stderr and all(i in result.stderr for i in ids)
    assert "no run" not in result.stderr


# -- item 5: doctor does what the night will do --------------------------------------------------------------


def doctor_lines(config: Path) -> tuple[int, dict[str, str]]:
    result = runner.invoke(app, ["doctor", "--config", str(config)])
    lines = {}
    for line in result.output.splitlines():
        mark, _, rest = line.partition(" ")
        name, _, detail = rest.strip().partition(": ")
        lines[name] = f"{mark} {detail}"
    return result.exit_code, lines


def test_doctor_fails_a_browser_that_does_not_start(tmp_path, target):
    server = target(1)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server, extra='[browser]\nexecutable_path = "/bin/true"\n')
    code, lines = doctor_lines(config)
    assert code == 1
    assert lines["browser"].startswith("FAIL") and "/bin/true did not start" in lines["browser"]


def test_doctor_fails_a_system_answering_404(tmp_path):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    class NotHere(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), NotHere)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        config = write_config(tmp_path, robot_dirs=[ROBOT_DIR],
                              extra=f'[systems.target]\nurl = "{url}"\nusername = "robot"\npassword = "hemligt"\n')
        code, lines = doctor_lines(config)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert code == 1
    assert lines["system target"] == f"FAIL open {url}: answered 404; check systems.target.url"


def test_doctor_logs_in_with_the_robots_account_and_names_a_refused_login(tmp_path, target):
    server = target(1)
    config = write_config(tmp_path, robot_dirs=[ROBOT_DIR], server=server)
    code, lines = doctor_lines(config)
    assert lines["system target"].startswith("ok") and "logged in as 'robot'" in lines["system target"]
    assert server.state.logins == 1 and not server.state.writes  # it logged in, and wrote nothing

    config.write_text(config.read_text().replace('password = "hemligt"', 'password = "fel"'), encoding="utf-8")
    code, lines = doctor_lines(config)
    assert code == 1
    assert lines["system target"].startswith("FAIL log in as 'robot'") and "refused" in lines["system target"]
