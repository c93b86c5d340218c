"""Gallring in the ledger: which cases are past their time, and the purge that empties them.

A case (an item and every night's outcome of it) is *settled* when the robot is done with it and no person
still has to act: its latest real (not dry-run) outcome was marked handled, or its status is not one the
robot takes again (waiting, failed) nor one of the policy's `wait_for_review` statuses. Its time starts
when it was settled (the handling, else the outcome). A case past its time that is not settled is never
emptied: it is returned as `Kept`, for operations to see.

Purging keeps every row and what statistics and the audit need: statuses, counts, times, attempts, who
marked it handled and when. It empties titles, data, summaries, findings, evidence, links, errors,
checkpoints, the robots' own run reports and the comments of the handling. Artifact paths of purged
outcomes are handed back for `files` to delete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import AuditEntry, Item, Outcome, Review, Run
from runner.retention.policy import ROBOTS_OWN, Policy
from runner.web.sessions import web_sessions

CHUNK = 500
PURGED_TITLE = "(gallrad)"


def purged_summary(now: datetime) -> str:
    """What a purged case says where its summary was (Swedish: staff read it)."""
    return f"Uppgifterna gallrades {now:%Y-%m-%d}."


@dataclass(frozen=True)
class Kept:
    """A case past its time that is kept because it is not settled: for operations, without contents."""

    robot: str
    item_id: int
    status: str | None  # the latest real outcome's status; None: never processed
    since: datetime  # when it last changed
    reason: str  # why it is kept (English, for operations)


@dataclass
class LedgerPlan:
    """What one robot's purge would do; `apply` does it."""

    robot: str
    items: list[int] = field(default_factory=list)  # settled cases past their time
    dry_outcomes: list[int] = field(default_factory=list)  # dry-run outcomes past their time
    kept: list[Kept] = field(default_factory=list)
    outcomes: int = 0  # outcomes the purge empties (of `items`, and `dry_outcomes`)
    reviews: int = 0  # handlings whose comment it empties
    reports: list[str] = field(default_factory=list)  # runs whose robot report it empties
    runs_done: list[str] = field(default_factory=list)  # runs past their time with no case left: exports go
    artifacts: list[str] = field(default_factory=list)  # paths (relative to data_dir) of purged outcomes


def robots_in_ledger(sessions: sessionmaker[Session]) -> list[str]:
    """Every robot that has rows, installed or not: a removed robot's data is gallrad too."""
    with sessions() as s:
        names = set(s.scalars(select(Item.robot).distinct())) | set(s.scalars(select(Run.robot).distinct()))
    return sorted(names)


def _chunks(ids: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _latest_real_outcomes(robot: str) -> Any:
    """item id → id of its latest outcome from a real (not dry) run."""
    return (
        select(Outcome.item_id, func.max(Outcome.id).label("last_id"))
        .join(Run, Run.id == Outcome.run_id)
        .where(Outcome.robot == robot, Run.dry_run.is_(False))
        .group_by(Outcome.item_id)
        .subquery()
    )


def _classify(state: str, status: str | None, recorded: datetime | None, handled: datetime | None,
              policy: Policy) -> tuple[datetime | None, str]:
    """(settled at, or None; why not settled)."""
    if state != "done":
        return None, "the robot has not finished it"
    if handled is not None:
        return max(handled, recorded) if recorded else handled, ""
    if status is None or recorded is None:
        return None, "no outcome"
    if status in ROBOTS_OWN:
        return None, "the robot takes it again"
    if status in policy.wait_for_review:
        return None, "not marked handled"
    return recorded, ""


def plan_robot(s: Session, policy: Policy, now: datetime) -> LedgerPlan:
    """Find the robot's cases past their time: the settled ones to purge, the others to list."""
    robot = policy.robot
    cutoff = policy.case_cutoff(now)
    plan = LedgerPlan(robot)
    latest = _latest_real_outcomes(robot)
    handled = (
        select(Review.outcome_id, func.max(Review.handled_at).label("handled_at")).group_by(Review.outcome_id).subquery()
    )
    rows = s.execute(
        select(Item.id, Item.state, Item.updated_at, Outcome.status, Outcome.recorded_at, handled.c.handled_at)
        .outerjoin(latest, latest.c.item_id == Item.id)
        .outerjoin(Outcome, Outcome.id == latest.c.last_id)
        .outerjoin(handled, handled.c.outcome_id == Outcome.id)
        .where(Item.robot == robot, Item.purged_at.is_(None), Item.updated_at < cutoff)
        .order_by(Item.id)
    )
    for item_id, state, updated, status, recorded, handled_at in rows:
        settled, why = _classify(state, status, recorded, handled_at, policy)
        if settled is None:
            plan.kept.append(Kept(robot, item_id, status, max(updated, recorded) if recorded else updated, why))
        elif settled < cutoff:
            plan.items.append(item_id)
    settled = set(plan.items)
    plan.dry_outcomes = [
        outcome_id for outcome_id, item_id in s.execute(
            select(Outcome.id, Outcome.item_id).join(Run, Run.id == Outcome.run_id)
            .where(Outcome.robot == robot, Run.dry_run.is_(True), Outcome.purged_at.is_(None),
                   Outcome.recorded_at < cutoff)
            .order_by(Outcome.id)
        )
        if item_id not in settled  # (those go with their case)
    ]
    for ids in _chunks(plan.items):
        where = [Outcome.item_id.in_(ids), Outcome.purged_at.is_(None)]
        plan.outcomes += s.scalar(select(func.count()).select_from(Outcome).where(*where)) or 0
        plan.reviews += s.scalar(
            select(func.count()).select_from(Review).join(Outcome, Outcome.id == Review.outcome_id)
            .where(*where, Review.comment != "")
        ) or 0
        for paths in s.scalars(select(Outcome.artifacts).where(*where)):
            plan.artifacts += [str(p) for p in paths or []]
    plan.outcomes += len(plan.dry_outcomes)
    for ids in _chunks(plan.dry_outcomes):
        for paths in s.scalars(select(Outcome.artifacts).where(Outcome.id.in_(ids))):
            plan.artifacts += [str(p) for p in paths or []]
    plan.runs_done, plan.reports = _runs_done(s, robot, cutoff, settled, set(plan.dry_outcomes))
    return plan


def _runs_done(s: Session, robot: str, cutoff: datetime, items: set[int], dry: set[int]) -> tuple[list[str], list[str]]:
    """(runs past their time whose every outcome is purged or about to be, those of them with a robot
    report still to empty). A robot's report, and a report exported from the run, repeat the run's cases:
    they live as long as the cases do."""
    runs = dict(s.execute(select(Run.id, Run.report).where(Run.robot == robot, Run.started_at < cutoff)).all())
    live: dict[str, bool] = {}
    for run_id, outcome_id, item_id in s.execute(
        select(Outcome.run_id, Outcome.id, Outcome.item_id).join(Run, Run.id == Outcome.run_id)
        .where(Run.robot == robot, Run.started_at < cutoff, Outcome.purged_at.is_(None))
    ):
        if item_id not in items and outcome_id not in dry:
            live[run_id] = True
    done = sorted(run_id for run_id in runs if not live.get(run_id))
    return done, [run_id for run_id in done if runs[run_id]]  # (an emptied report reads back as None)


def _emptied(now: datetime) -> dict[str, Any]:
    return {"title": PURGED_TITLE, "summary": purged_summary(now), "findings": [], "evidence": [], "links": [],
            "data": {}, "artifacts": [], "error": None, "purged_at": now}


def apply(sessions: sessionmaker[Session], plan: LedgerPlan, now: datetime) -> None:
    """Empty what `plan` found, a chunk per transaction. A case that changed since it was planned (fetched
    again, claimed) is left alone: the where-clauses ask again that it is done and not purged."""
    for ids in _chunks(plan.items):
        with sessions.begin() as s:
            live = list(s.scalars(
                select(Item.id).where(Item.id.in_(ids), Item.state == "done", Item.purged_at.is_(None))
                .with_for_update()
            ))
            if not live:
                continue
            s.execute(update(Review).where(Review.outcome_id.in_(
                select(Outcome.id).where(Outcome.item_id.in_(live), Outcome.purged_at.is_(None))
            )).values(comment=""))
            s.execute(update(Outcome).where(Outcome.item_id.in_(live), Outcome.purged_at.is_(None))
                      .values(**_emptied(now)))
            s.execute(update(Item).where(Item.id.in_(live)).values(
                title=PURGED_TITLE, data={}, summary=purged_summary(now), checkpoints={}, purged_at=now))
    for ids in _chunks(plan.dry_outcomes):
        with sessions.begin() as s:
            s.execute(update(Review).where(Review.outcome_id.in_(ids)).values(comment=""))
            s.execute(update(Outcome).where(Outcome.id.in_(ids), Outcome.purged_at.is_(None)).values(**_emptied(now)))
    for ids in _chunks(plan.reports):
        with sessions.begin() as s:
            s.execute(update(Run).where(Run.id.in_(ids)).values(report=None))


def forget_artifacts(sessions: sessionmaker[Session], run_ids: list[str]) -> None:
    """The runs' artifact folders are gone: their outcomes no longer list files."""
    for ids in _chunks(run_ids):
        with sessions.begin() as s:
            s.execute(update(Outcome).where(Outcome.run_id.in_(ids)).values(artifacts=[]))


# -- what is not per robot: the audit log and ended web sessions -----------------------------------


def audit_to_remove(s: Session, now: datetime, days: int) -> int:
    return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.at < now - timedelta(days=days))) or 0


def remove_audit(sessions: sessionmaker[Session], now: datetime, days: int) -> int:
    with sessions.begin() as s:
        return s.execute(delete(AuditEntry).where(AuditEntry.at < now - timedelta(days=days))).rowcount or 0


def _ended_sessions(now: datetime, days: int, idle: timedelta, lifetime: timedelta) -> Any:
    """Sessions that ended (idle or at the end of their lifetime) more than `days` ago."""
    keep = timedelta(days=days)
    c = web_sessions.c
    return (c.last_seen_at < now - idle - keep) | (c.created_at < now - lifetime - keep)


def sessions_to_remove(s: Session, now: datetime, days: int, idle: timedelta, lifetime: timedelta) -> int:
    return s.scalar(
        select(func.count()).select_from(web_sessions).where(_ended_sessions(now, days, idle, lifetime))
    ) or 0


def remove_sessions(sessions: sessionmaker[Session], now: datetime, days: int, idle: timedelta,
                    lifetime: timedelta) -> int:
    with sessions.begin() as s:
        return s.execute(delete(web_sessions).where(_ended_sessions(now, days, idle, lifetime))).rowcount or 0


def runs_started(s: Session, run_ids: Iterable[str]) -> dict[str, tuple[str, datetime]]:
    """run id → (robot, started at), for the files of runs (artifacts/<run>/, logs/runs/<run>.jsonl)."""
    found: dict[str, tuple[str, datetime]] = {}
    for ids in _chunks(list(run_ids)):
        for run_id, robot, started in s.execute(select(Run.id, Run.robot, Run.started_at).where(Run.id.in_(ids))):
            found[run_id] = (robot, started)
    return found

