"""One gallring pass: plan everything first, then (unless a dry run) remove it, then log and audit it.

Planning reads only, so `--dry-run` reports exactly what a real pass would remove and removes nothing.
Files go before the ledger rows that name them: a pass stopped half-way leaves files the next pass finds,
never a case that points at a removed file. The pass is logged (structlog, `gallring.done`) and written to
the audit log (action `gallring`) with its figures only: no key, title or name of a case.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog

from runner.ledger.db import open_database
from runner.ledger.models import AuditEntry
from runner.retention import files as files_mod
from runner.retention import ledger as ledger_mod
from runner.retention.policy import Policy, policy_for
from runner.settings import Settings

log = structlog.get_logger("runner.retention")


@dataclass
class RobotFigures:
    cases: int = 0
    outcomes: int = 0
    comments: int = 0
    reports: int = 0
    kept: int = 0


@dataclass
class Report:
    """What a pass removed (or, dry, would remove): counts only, and the kept cases by id."""

    at: datetime
    dry_run: bool
    robots: dict[str, RobotFigures] = field(default_factory=dict)
    kept: list[ledger_mod.Kept] = field(default_factory=list)
    artifact_folders: int = 0
    artifact_files: int = 0
    run_logs: int = 0
    exports: int = 0
    log_lines: int = 0
    bytes: int = 0
    audit_entries: int = 0
    web_sessions: int = 0

    def figures(self) -> dict[str, Any]:
        """The pass's numbers, for the log, the audit entry and `--json` (no personal data)."""
        return {
            "dry_run": self.dry_run,
            "cases": sum(r.cases for r in self.robots.values()),
            "outcomes": sum(r.outcomes for r in self.robots.values()),
            "comments": sum(r.comments for r in self.robots.values()),
            "robot_reports": sum(r.reports for r in self.robots.values()),
            "kept_unhandled": len(self.kept),
            "artifact_folders": self.artifact_folders,
            "artifact_files": self.artifact_files,
            "run_logs": self.run_logs,
            "exported_reports": self.exports,
            "log_lines": self.log_lines,
            "bytes": self.bytes,
            "audit_entries": self.audit_entries,
            "web_sessions": self.web_sessions,
            "robots": {name: vars(r) for name, r in self.robots.items()},
        }


def gallra(settings: Settings, *, dry_run: bool = False, now: datetime | None = None, trigger: str = "command") -> Report:
    """Remove what is past its time (see runner.retention). `now` defaults to the settings' clock."""
    at = (now or settings.now()).astimezone(UTC)
    _, sessions = open_database(settings.database_url())
    data_dir = settings.data_dir
    policies: dict[str | None, Policy] = {}

    def policy_of(robot: str | None) -> Policy:
        if robot not in policies:
            policies[robot] = policy_for(settings, robot or "")
        return policies[robot]

    retention, web = settings.retention, settings.web
    idle, lifetime = timedelta(minutes=web.idle_minutes), timedelta(minutes=web.session_minutes)
    report = Report(at=at, dry_run=dry_run)
    with sessions() as s:
        plans = [ledger_mod.plan_robot(s, policy_of(robot), at) for robot in ledger_mod.robots_in_ledger(sessions)]
        runs = ledger_mod.runs_started(s, files_mod.run_ids_on_disk(data_dir))
        report.audit_entries = ledger_mod.audit_to_remove(s, at, retention.audit_days)
        report.web_sessions = ledger_mod.sessions_to_remove(s, at, retention.web_sessions_days, idle, lifetime)
    case_artifacts = [path for plan in plans for path in plan.artifacts]
    runs_done = {run_id for plan in plans for run_id in plan.runs_done}
    disk = files_mod.plan_files(data_dir, runs, policy_of, at, case_artifacts, runs_done)
    for plan in plans:
        report.robots[plan.robot] = RobotFigures(len(plan.items), plan.outcomes, plan.reviews, len(plan.reports),
                                                 len(plan.kept))
        report.kept += plan.kept
    report.artifact_folders, report.artifact_files = len(disk.artifact_dirs), len(disk.artifact_files)
    report.run_logs, report.log_lines, report.bytes = len(disk.run_logs), sum(disk.service_lines.values()), disk.bytes
    report.exports = len(disk.exports)
    if not dry_run:
        files_mod.apply_files(disk, policy_of, at)
        ledger_mod.forget_artifacts(sessions, disk.runs_without_artifacts)
        for plan in plans:
            ledger_mod.apply(sessions, plan, at)
        ledger_mod.remove_audit(sessions, at, retention.audit_days)
        ledger_mod.remove_sessions(sessions, at, retention.web_sessions_days, idle, lifetime)
    figures = report.figures()
    with sessions.begin() as s:
        s.add(AuditEntry(at=at, username=f"cli:{_os_user()}" if trigger == "command" else "scheduler",
                         action="gallring", target="ledger",
                         detail={**{k: v for k, v in figures.items() if k != "robots"}, "trigger": trigger,
                                 "os_user": _os_user()}))
    log.info("gallring.done", trigger=trigger, **{k: v for k, v in figures.items() if k != "robots"})
    for robot, n in sorted(_kept_per_robot(report).items()):
        log.warning("gallring.kept_unhandled", robot=robot, cases=n)
    return report


def _kept_per_robot(report: Report) -> dict[str, int]:
    return {robot: r.kept for robot, r in report.robots.items() if r.kept}


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
