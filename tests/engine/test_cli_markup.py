"""Printed data is data: square brackets in a title, a key, a reason or a path reach the terminal as
they are, through every command that shows data (Rich would otherwise take `[red]` as markup and eat it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from runner.api import Outcome, WorkItem
from runner.cli import app
from runner.commands import common
from runner.commands.runs import print_summary
from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from runner.settings import load_settings
from runner.web.auth import add_user

runner = CliRunner()

TITLE = "[bold]Hakparentes[/]"
KEY = "[red]"
SUMMARY = "Beslut [bold]x[/] väntar på [link=http://x]handläggare[/link]"
REASON = "stoppad: [red]SSBTEK[/red] svarade inte"

ROBOT = f'''
from runner.api import Outcome, Robot


class Brackets(Robot):
    name = "brackets"
    title = {TITLE!r}
    systems = ("ekonomi",)

    async def fetch(self, ctx):
        return
        yield

    async def process(self, ctx, item):
        return Outcome.prepared("klar")
'''


def _setup(tmp_path: Path) -> tuple[Path, str]:
    robots = tmp_path / "robots"
    (robots / "brackets").mkdir(parents=True)
    (robots / "brackets" / "robot.py").write_text(ROBOT, encoding="utf-8")
    config = tmp_path / "nattskift.toml"
    config.write_text(f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{robots}"]\n', encoding="utf-8")
    settings = load_settings(config)
    sessions = open_database(settings.database_url())[1]
    ledger = Ledger(sessions)
    run_id = ledger.start_run("brackets")
    ledger.add_items("brackets", run_id, [WorkItem(key=KEY, title=TITLE)], frozenset())
    item = ledger.claim_next("brackets", run_id, "test")
    assert item is not None
    ledger.record_outcome(item, run_id, Outcome.needs_attention(SUMMARY))
    ledger.finish_run(run_id, "completed", reason=REASON)
    add_user(sessions, "handlaggare", "ett långt lösenord", ["staff:brackets"], TITLE)
    return config, run_id


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The consoles take their width from the terminal when first imported; a table narrower than its
    values would wrap them across lines, and this file is about markup, not wrapping."""
    for console in (common.console, common.err):
        monkeypatch.setattr(console, "width", 250)


def _shown(*args: str) -> str:
    result = runner.invoke(app, list(args))
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


def test_list_runs_show_and_users_print_bracketed_values_literally(tmp_path):
    config, run_id = _setup(tmp_path)
    c = ("--config", str(config))

    assert TITLE in _shown("list", *c)
    runs = _shown("runs", *c)
    assert REASON in runs and run_id in runs
    shown = _shown("show", run_id, *c)
    assert KEY in shown and SUMMARY in shown and REASON in shown
    assert TITLE in _shown("users", "list", *c)


def test_errors_and_paths_are_printed_literally(tmp_path):
    config, run_id = _setup(tmp_path)
    c = ("--config", str(config))

    assert "no run '[red]x[/red]'" in _shown("show", "[red]x[/red]", *c)
    out = tmp_path / "[red]" / "rapport.json"
    out.parent.mkdir()
    written = _shown("report", run_id, "--format", "json", "--out", str(out), *c)
    assert f"wrote {out}" in written and json.loads(out.read_text(encoding="utf-8"))


def test_doctor_without_systems_names_the_missing_settings_tables(tmp_path):
    """Issue 15: `doctor` printed `add ,  to the settings` (Rich took `[systems.schema]` for markup)."""
    config, _ = _setup(tmp_path)
    shown = _shown("doctor", "--config", str(config))
    assert "robot ronney: add [systems.ekonomi], [systems.ssbtek] to the settings" in shown
    assert "robot harry: add [systems.schema], [systems.personal] to the settings" in shown
    assert "robot brackets: add [systems.ekonomi] to the settings" in shown


def test_a_run_summary_prints_its_reason_and_detail_literally(capsys):
    started = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    summary = SimpleNamespace(robot="brackets", id="[bold]run[/]", dry_run=False, status="interrupted", reason=REASON,
                              detail="[/] stängd", counts={"prepared": 1}, started_at=started, ended_at=started)
    print_summary(summary)
    printed = capsys.readouterr().out
    assert "[bold]run[/]" in printed and REASON in printed and "[/] stängd" in printed


def test_a_run_summary_labels_each_count_as_the_morning_report_does(capsys):
    """One Swedish label per status, `not_reached` included (it was "Inte hunnen" here, "Inte behandlat"
    on the web)."""
    from runner.web.format import status_label

    started = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    counts = {"prepared": 3, "needs_attention": 2, "waiting": 1, "skipped": 4, "failed": 5, "not_reached": 6}
    print_summary(SimpleNamespace(robot="tiny", id="r1", dry_run=False, status="interrupted", reason=None, detail=None,
                                  counts=counts, started_at=started, ended_at=started))
    printed = capsys.readouterr().out
    for status, n in counts.items():
        assert f"{status_label(status)} ({status})" in printed and str(n) in printed
    assert "Inte behandlat (not_reached)" in printed
