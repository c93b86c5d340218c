"""Gallring on disk: failure screenshots and traces, run logs, and the service log's old lines.

- `artifacts/<run id>/`: a run's screenshots and traces (whole pages of cases) go when the run is older
  than its robot's `artifacts_days`, and a purged case's files go with the case.
- `logs/runs/<run id>.jsonl`: a run's log goes when the run is older than its robot's `logs_days`.
- `reports/<robot>-<run id>.html|json` (`nattskift report`): an exported report repeats its run's cases,
  so it goes when the run has no case left that is not gallrad.
- `logs/nattskift.jsonl` (and uncompressed rotations `nattskift.jsonl.1` …): lines older than the
  `logs_days` of the robot they name (the default for lines that name none) are cut out. The file is
  rewritten beside itself and moved into place; the writers' WatchedFileHandler reopens it.

A folder or file whose run is not in the ledger is judged by its modification time and the defaults.
Nothing outside `data_dir/artifacts`, `data_dir/logs` and `data_dir/reports` is touched, and no symbolic link is followed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from runner.private_files import private_opener
from runner.retention.policy import Policy

SERVICE_LOG = "nattskift.jsonl"
#: run id → (robot, started at)
RunIndex = dict[str, tuple[str, datetime]]
PolicyOf = Callable[[str | None], Policy]  # robot name (None: no robot) → its policy


@dataclass
class FilesPlan:
    artifact_dirs: list[Path] = field(default_factory=list)  # whole run folders under artifacts/
    artifact_files: list[Path] = field(default_factory=list)  # files of purged cases in younger runs
    run_logs: list[Path] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)  # reports/<robot>-<run>.html|json of runs with no case left
    service_lines: dict[Path, int] = field(default_factory=dict)  # file → lines to cut
    runs_without_artifacts: list[str] = field(default_factory=list)  # runs whose folder goes
    bytes: int = 0


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.lstat().st_mtime, UTC)


def _size(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _inside(root: Path, relative: str) -> Path | None:
    """`data_dir`-relative path of an artifact, only when it is a file under `root` (artifacts/)."""
    path = (root.parent / relative).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return None
    return path if path.is_file() and not path.is_symlink() else None


def run_ids_on_disk(data_dir: Path) -> set[str]:
    """Run ids named by folders under artifacts/ and files under logs/runs/ (to look up in the ledger)."""
    ids: set[str] = set()
    artifacts = data_dir / "artifacts"
    if artifacts.is_dir():
        ids |= {p.name for p in artifacts.iterdir() if p.is_dir() and not p.is_symlink()}
    runs = data_dir / "logs" / "runs"
    if runs.is_dir():
        ids |= {p.stem for p in runs.glob("*.jsonl") if not p.is_symlink()}
    reports = data_dir / "reports"
    if reports.is_dir():
        ids |= {p.stem.partition("-")[2] for p in reports.iterdir() if p.is_file()}
    return ids


def plan_files(data_dir: Path, runs: RunIndex, policy_of: PolicyOf, now: datetime,
               case_artifacts: list[str], runs_done: set[str]) -> FilesPlan:
    plan = FilesPlan()
    artifacts = data_dir / "artifacts"
    if artifacts.is_dir():
        for folder in sorted(artifacts.iterdir()):
            if folder.is_symlink() or not folder.is_dir():
                continue
            robot, started = runs.get(folder.name, (None, _mtime(folder)))
            if started < policy_of(robot).artifacts_cutoff(now):
                plan.artifact_dirs.append(folder)
                if folder.name in runs:
                    plan.runs_without_artifacts.append(folder.name)
        going = set(plan.artifact_dirs)
        for relative in case_artifacts:
            path = _inside(artifacts, relative)
            if path is not None and not any(parent in going for parent in path.parents):
                plan.artifact_files.append(path)
    run_logs = data_dir / "logs" / "runs"
    if run_logs.is_dir():
        for path in sorted(run_logs.glob("*.jsonl")):
            if path.is_symlink():
                continue
            robot, started = runs.get(path.stem, (None, _mtime(path)))
            if started < policy_of(robot).logs_cutoff(now):
                plan.run_logs.append(path)
    plan.exports = _exports(data_dir, runs, runs_done, policy_of, now)
    for path in service_logs(data_dir):
        cut = sum(1 for line in _lines(path) if _old(line, policy_of, now))
        if cut:
            plan.service_lines[path] = cut
    plan.bytes = sum(_size(p) for p in [*plan.artifact_dirs, *plan.artifact_files, *plan.run_logs, *plan.exports])
    return plan


def _exports(data_dir: Path, runs: RunIndex, runs_done: set[str], policy_of: PolicyOf, now: datetime) -> list[Path]:
    """Exported reports (`nattskift report`) whose run has no case left; an unknown run's by its time."""
    folder = data_dir / "reports"
    if not folder.is_dir():
        return []
    going = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file():
            continue
        run_id = path.stem.partition("-")[2]
        if run_id in runs_done or (run_id not in runs and _mtime(path) < policy_of(None).case_cutoff(now)):
            going.append(path)
    return going


def service_logs(data_dir: Path) -> list[Path]:
    logs = data_dir / "logs"
    if not logs.is_dir():
        return []
    return sorted(p for p in logs.glob(SERVICE_LOG + "*") if p.is_file() and not p.is_symlink()
                  and not p.name.endswith((".gz", ".xz", ".bz2", ".zst")) and not p.name.endswith(".gallring"))


def _lines(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        yield from fh


def _old(line: bytes, policy_of: PolicyOf, now: datetime) -> bool:
    """True for a JSON log line older than the policy of the robot it names. A line that cannot be read
    as one of ours is kept (it cannot be dated)."""
    try:
        entry = json.loads(line)
        at = datetime.fromisoformat(str(entry["timestamp"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        return False
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    robot = entry.get("robot") if isinstance(entry, dict) else None
    return at < policy_of(robot if isinstance(robot, str) else None).logs_cutoff(now)


def apply_files(plan: FilesPlan, policy_of: PolicyOf, now: datetime) -> None:
    for folder in plan.artifact_dirs:
        shutil.rmtree(folder, ignore_errors=True)
    for path in [*plan.artifact_files, *plan.run_logs, *plan.exports]:
        path.unlink(missing_ok=True)
    for path in plan.service_lines:
        trim(path, lambda line: _old(line, policy_of, now))


def trim(path: Path, old: Callable[[bytes], bool]) -> int:
    """Cut the lines `old` says from a log file that other processes may be appending to: the kept lines
    are written beside it (0600), then what was appended meanwhile, then it is moved into place."""
    tmp = path.with_name(path.name + ".gallring")
    cut = 0
    with open(path, "rb") as src, open(tmp, "wb", opener=private_opener) as dst:
        for line in src:
            if line.endswith(b"\n") and old(line):
                cut += 1
            else:
                dst.write(line)
        dst.write(src.read())  # appended while we read
        dst.flush()
        os.fsync(dst.fileno())
        os.replace(tmp, path)
        rest = src.read()  # appended by a writer that had not yet seen the new file
    if rest:
        with open(path, "ab") as fh:
            fh.write(rest)
    return cut
