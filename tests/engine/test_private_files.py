"""Personal data on disk is the service account's alone: files 0600, folders 0700, whatever the umask.

A failed case leaves a screenshot and a Playwright trace (whole pages of the case), the run writes its
log, the ledger holds everything: under the usual umask 0022 each would be readable by every account.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runner.cli import app
from runner.testing import run_robot


@pytest.fixture
def umask_0022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_screenshots_traces_logs_and_the_ledger_are_owner_only(target, tiny_settings, umask_0022) -> None:  # type: ignore[no-untyped-def]
    server = target(2)
    server.state.fail_keys = {"A001"}
    settings = tiny_settings(server, concurrency=1, max_attempts=1)
    settings.browser.trace_failures = True

    result = run_robot("tiny", settings)

    data = settings.data_dir
    with result.ledger.sessions() as s:
        from runner.ledger.models import Outcome

        artifacts = [data / p for p in s.query(Outcome).filter_by(key="A001").one().artifacts]
    assert {p.suffix for p in artifacts} == {".png", ".zip"}
    files = [*artifacts, data / "logs" / "nattskift.jsonl", data / "logs" / "runs" / f"{result.run.id}.jsonl",
             data / "nattskift.db", data / "nattskift.db-wal", data / "nattskift.db-shm"]
    folders = [data, data / "logs", data / "logs" / "runs", data / "artifacts", data / "artifacts" / result.run.id,
               *{p.parent for p in artifacts}]
    assert {str(p.relative_to(data)): oct(_mode(p)) for p in files if _mode(p) != 0o600} == {}
    assert {str(p.relative_to(data)): oct(_mode(p)) for p in folders if _mode(p) != 0o700} == {}


def test_a_written_report_and_the_web_secret_are_owner_only(target, tiny_settings, umask_0022) -> None:  # type: ignore[no-untyped-def]
    server = target(1)
    settings = tiny_settings(server)
    result = run_robot("tiny", settings)
    config = settings.config_file
    env = {"NATTSKIFT_DATA_DIR": str(settings.data_dir)}
    out = CliRunner().invoke(app, ["report", result.run.id[:14], "--config", str(config)], env=env)
    assert out.exit_code == 0, out.output
    reports = list((settings.data_dir / "reports").iterdir())
    assert [oct(_mode(p)) for p in reports] == [oct(0o600)]
    assert _mode(settings.data_dir / "reports") == 0o700

    from runner.web.deps import load_secret

    load_secret(settings)
    assert _mode(settings.data_dir / "web-secret") == 0o600


def test_a_log_folder_removed_under_a_running_service_is_made_again_owner_only(tmp_path: Path, umask_0022) -> None:  # type: ignore[no-untyped-def]
    import logging
    import shutil

    from runner.private_files import PrivateWatchedFileHandler

    logs = tmp_path / "logs"
    logs.mkdir()
    handler = PrivateWatchedFileHandler(logs / "nattskift.jsonl", encoding="utf-8")
    logger = logging.getLogger("test.private_files.removed")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("before")
        shutil.rmtree(logs)
        logger.warning("after")  # raised FileNotFoundError before the folder was made again
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert (logs / "nattskift.jsonl").read_text(encoding="utf-8") == "after\n"
    assert (_mode(logs), _mode(logs / "nattskift.jsonl")) == (0o700, 0o600)
