"""Gallring on disk: a run's screenshots and traces after `artifacts_days`, a purged case's files with
the case, run logs after `logs_days`, and the service log's old lines cut out line by line."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from runner.api import Status
from runner.ledger.models import Outcome, Run
from runner.retention.gallring import gallra
from tests.retention.conftest import SECRET, later


def _line(at: datetime, robot: str | None, event: str) -> str:
    entry = {"event": event, "timestamp": at.isoformat().replace("+00:00", "Z"), "level": "info"}
    if robot:
        entry["robot"] = robot
    return json.dumps(entry) + "\n"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_files_past_their_time_are_removed_and_the_rest_is_left(books) -> None:  # type: ignore[no-untyped-def]
    b = books(retention={"case_days": 3, "artifacts_days": 7, "logs_days": 30},
              robots={"tiny": {"retention": {"logs_days": 40}}})
    shot = ["artifacts/{run}/item-1/failed-ekonomi.png", "artifacts/{run}/item-1/failed-trace.zip"]
    old = b.night("tiny", {"a": Status.failed}, artifacts={"a": shot})
    young = b.night("tiny", {"b": Status.prepared}, artifacts={"b": ["artifacts/{run}/item-2/b.png"]})
    with b.sessions.begin() as s:  # the young run started six days from now: its folder is not old at +8
        s.execute(update(Run).where(Run.id == young).values(started_at=later(6)))
    d = b.data_dir
    stray = d / "artifacts" / "not-a-run"  # a folder the ledger does not know: judged by its time
    stray.mkdir(parents=True)
    (stray / "x.png").write_text(SECRET, encoding="utf-8")
    for run in (old, young):
        (d / "logs" / "runs").mkdir(parents=True, exist_ok=True)
        (d / "logs" / "runs" / f"{run}.jsonl").write_text(_line(datetime.now(UTC), "tiny", SECRET), encoding="utf-8")
    service = d / "logs" / "nattskift.jsonl"
    month_ago = datetime.now(UTC) - timedelta(days=25)  # at +8 days: 33 days old
    service.write_text(
        _line(month_ago, "tiny", "tiny-old")  # Tiny keeps its lines 40 days
        + _line(month_ago, "other", "other-old")  # the default is 30
        + _line(month_ago, None, "service-old")
        + _line(later(7), "other", "fresh")
        + "not json: kept, it cannot be dated\n",
        encoding="utf-8",
    )
    before = _tree(d / "artifacts") | _tree(d / "logs")

    dry = gallra(b.settings, now=later(8), dry_run=True)
    assert (dry.artifact_folders, dry.artifact_files, dry.log_lines) == (2, 1, 2)
    assert {k: v for k, v in (_tree(d / "artifacts") | _tree(d / "logs")).items() if k != "nattskift.jsonl"} == {
        k: v for k, v in before.items() if k != "nattskift.jsonl"}
    assert service.read_text(encoding="utf-8").startswith(_line(month_ago, "tiny", "tiny-old"))

    gallra(b.settings, now=later(8))
    left = sorted(str(p.relative_to(d / "artifacts")) for p in (d / "artifacts").rglob("*"))
    assert left == [young, f"{young}/item-2"]  # b was purged with its case; a's run folder went after 7 days
    events = [json.loads(line)["event"] if line.startswith("{") else line.strip()
              for line in service.read_text(encoding="utf-8").splitlines()]
    assert events[:3] == ["tiny-old", "fresh", "not json: kept, it cannot be dated"]  # then this pass's own lines
    assert stat.S_IMODE(service.stat().st_mode) == 0o600
    with b.sessions() as s:
        assert s.scalar(select(Outcome.artifacts).where(Outcome.key == "a")) == []  # no link to a removed file
    assert sorted(p.name for p in (d / "logs" / "runs").iterdir()) == sorted([f"{old}.jsonl", f"{young}.jsonl"])

    gallra(b.settings, now=later(41))  # Tiny's 40 days of logs: the first run's log goes, the young one's stays
    assert [p.name for p in (d / "logs" / "runs").iterdir()] == [f"{young}.jsonl"]
    assert "tiny-old" not in service.read_text(encoding="utf-8")


def test_no_file_outside_the_artifacts_folder_is_removed_for_a_case(books) -> None:  # type: ignore[no-untyped-def]
    b = books(retention={"case_days": 1})
    keep = b.data_dir / "web-secret"
    keep.parent.mkdir(parents=True, exist_ok=True)
    keep.write_text("key", encoding="utf-8")
    run = b.night("tiny", {"a": Status.prepared})
    with b.sessions.begin() as s:
        s.execute(update(Outcome).values(artifacts=["web-secret", "artifacts/../web-secret", "../outside"]))
    gallra(b.settings, now=later(2))
    assert keep.read_text(encoding="utf-8") == "key" and run
    assert os.path.exists(keep)


def test_an_exported_report_goes_when_its_run_has_no_case_left(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    done = b.night("tiny", {"a": Status.prepared})
    open_night = b.night("tiny", {"b": Status.needs_attention})
    reports = b.data_dir / "reports"
    reports.mkdir(parents=True)
    for run in (done, open_night):
        (reports / f"tiny-{run}.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    first = gallra(b.settings, now=later(31))
    assert (first.exports, first.robots["tiny"].reports) == (1, 1)
    assert [p.name for p in reports.iterdir()] == [f"tiny-{open_night}.html"]  # b is kept, and so is its report
    again = gallra(b.settings, now=later(32))
    assert (again.exports, again.robots["tiny"].reports, again.robots["tiny"].cases) == (0, 0, 0)  # counted once
