"""What the pages read from the ledger. Plain functions over a Session, one question each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, select, true
from sqlalchemy.orm import Session, aliased

from runner.api import NOT_REACHED  # noqa: F401  (the pages take it from here)
from runner.ledger.models import AuditEntry, Item, Outcome, Review, Run
from runner.ledger.repo import not_reached_filter, run_counts  # noqa: F401  (run_counts: as above)

#: Statuses in the order a morning reader wants them: what needs a person first.
STATUS_ORDER = ["needs_attention", "failed", "waiting", "prepared", "skipped"]
#: Outcomes that count as staff time saved: only cases the robot prepared all the way. A case that still
#: needs a caseworker, waits, failed or had nothing to do saved nobody a known amount of time.
SAVED_STATUSES = ("prepared",)
#: "Needs a person" (Behöver en handläggare), one definition for every page: a case whose latest outcome
#: (not a dry run's) a business rule stopped, and that nobody has marked handled yet. Failed and waiting
#: cases are the robot's to try again at its next run; they are counted on their own.
NEEDS_PERSON_STATUS = "needs_attention"
PROBLEM_RUN_STATUSES = ("missed", "interrupted", "failed")
LAST_NIGHT = timedelta(hours=24)


@dataclass
class RobotInfo:
    name: str
    title: str
    minutes_saved_per_case: float
    schedule: str | None
    installed: bool


def robot_info(name: str, cls: type | None, schedule: str | None = None) -> RobotInfo:
    """What the pages and the exports show of a robot: its class's, or its name when it is not installed."""
    if cls is None:
        return RobotInfo(name, name.capitalize(), 0, None, installed=False)
    return RobotInfo(
        name=name,
        title=getattr(cls, "title", "") or name.capitalize(),
        minutes_saved_per_case=float(getattr(cls, "minutes_saved_per_case", 0) or 0),
        schedule=schedule or getattr(cls, "schedule", None),
        installed=True,
    )


@dataclass
class RobotNight:
    """One robot's card on Översikt."""

    robot: RobotInfo
    run: Run | None
    ran_last_night: bool
    counts: dict[str, int] = field(default_factory=dict)
    saved_cases: int = 0
    saved_minutes: float = 0
    month_cases: int = 0
    month_minutes: float = 0
    month_runs: int = 0
    needs_person: int = 0  # the robot's cases that still need a person, from any night (needs_person_filter)
    run_needs_person: int = 0  # of them, those from the latest run

    @property
    def failures(self) -> int:
        return self.counts.get("failed", 0)


def saved(counts: dict[str, int], minutes_per_case: float) -> tuple[int, float]:
    cases = sum(counts.get(st, 0) for st in SAVED_STATUSES)
    return cases, cases * minutes_per_case


def overview(s: Session, robots: list[RobotInfo], now: datetime, tz: Any) -> list[RobotNight]:
    """Last night per robot and this month's totals. `now` is aware; the month is local."""
    local = now.astimezone(tz)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    cards = []
    for info in robots:
        run = s.scalar(
            select(Run)
            .where(Run.robot == info.name, Run.dry_run.is_(False))
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(1)
        )
        card = RobotNight(robot=info, run=run, ran_last_night=False)
        if run is not None:
            card.ran_last_night = run.status != "missed" and now - run.started_at <= LAST_NIGHT
            card.counts = run_counts(s, run)
            card.saved_cases, card.saved_minutes = saved(card.counts, info.minutes_saved_per_case)
            card.run_needs_person = needs_person_count(s, run.id)
        card.needs_person = s.scalar(
            select(func.count()).select_from(Outcome).where(Outcome.robot == info.name, *needs_person_filter())
        ) or 0
        month: dict[str, int] = dict(
            s.execute(
                select(Outcome.status, func.count())
                .join(Run, Run.id == Outcome.run_id)
                .where(Outcome.robot == info.name, Run.dry_run.is_(False), Outcome.recorded_at >= month_start)
                .group_by(Outcome.status)
            ).all()
        )
        card.month_cases, card.month_minutes = saved(month, info.minutes_saved_per_case)
        card.month_runs = (
            s.scalar(
                select(func.count())
                .select_from(Run)
                .where(Run.robot == info.name, Run.dry_run.is_(False), Run.started_at >= month_start, Run.status != "missed")
            )
            or 0
        )
        cards.append(card)
    return cards


def robots_in_ledger(s: Session) -> list[str]:
    return list(s.scalars(select(Run.robot).distinct()))


def list_runs(
    s: Session, robots: list[str], *, robot: str | None = None, status: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[Run], int]:
    where = [Run.robot.in_(robots)]
    if robot:
        where.append(Run.robot == robot)
    if status:
        where.append(Run.status == status)
    total = s.scalar(select(func.count()).select_from(Run).where(*where)) or 0
    rows = list(
        s.scalars(
            select(Run)
            .where(*where)
            .order_by(Run.started_at.desc(), Run.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return rows, total


def problem_runs(s: Session, robots: list[str], since: datetime, limit: int = 20) -> list[Run]:
    return list(
        s.scalars(
            select(Run)
            .where(Run.robot.in_(robots), Run.status.in_(PROBLEM_RUN_STATUSES), Run.started_at >= since)
            .order_by(Run.started_at.desc())
            .limit(limit)
        )
    )


@dataclass
class CaseRow:
    outcome: Outcome
    handled: bool


def _handled() -> Any:
    return exists().where(Review.outcome_id == Outcome.id)


def _status_rank() -> Any:
    return case({st: i for i, st in enumerate(STATUS_ORDER)}, value=Outcome.status, else_=len(STATUS_ORDER))


def run_cases(
    s: Session,
    run_id: str,
    *,
    status: str | None = None,
    query: str | None = None,
    include_handled: bool = False,
    page: int = 1,
    per_page: int = 100,
) -> tuple[list[CaseRow], int]:
    """A run's cases, what needs a person first; handled ones only when asked for."""
    where = [Outcome.run_id == run_id]
    if status:
        where.append(Outcome.status == status)
    if query:
        where.append(Outcome.key.contains(query, autoescape=True))
    if not include_handled:
        where.append(~_handled())
    total = s.scalar(select(func.count()).select_from(Outcome).where(*where)) or 0
    rows = s.execute(
        select(Outcome, _handled().label("handled"))
        .where(*where)
        .order_by(_status_rank(), Outcome.key)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [CaseRow(o, bool(h)) for o, h in rows], total


def needs_person_filter() -> list[Any]:
    """Outcomes that still need a person: the one definition behind every count and list of them."""
    later = aliased(Outcome)
    superseded = exists().where(
        later.item_id == Outcome.item_id, later.id > Outcome.id,
        exists().where(Run.id == later.run_id, Run.dry_run.is_(False)),
    )
    not_dry = exists().where(Run.id == Outcome.run_id, Run.dry_run.is_(False))
    return [Outcome.status == NEEDS_PERSON_STATUS, ~_handled(), ~superseded, not_dry]


def needs_person_count(s: Session, run_id: str) -> int:
    """Cases of this run that still need a person (the run page and the overview show this number)."""
    return s.scalar(select(func.count()).select_from(Outcome).where(Outcome.run_id == run_id, *needs_person_filter())) or 0


@dataclass
class StartHere:
    """The "start here" list of Översikt: what needs a person, oldest first, across visible robots."""

    rows: list[Outcome]
    total: int


def start_here(s: Session, robots: list[str], limit: int = 50) -> StartHere:
    if not robots:
        return StartHere([], 0)
    where = [Outcome.robot.in_(robots), *needs_person_filter()]
    total = s.scalar(select(func.count()).select_from(Outcome).where(*where)) or 0
    rows = list(s.scalars(select(Outcome).where(*where).order_by(Outcome.recorded_at, Outcome.id).limit(limit)))
    return StartHere(rows, total)


def handled_count(s: Session, run_id: str) -> int:
    return s.scalar(select(func.count()).select_from(Outcome).where(Outcome.run_id == run_id, _handled())) or 0


def not_reached_items(s: Session, run_id: str, *, query: str | None = None, limit: int = 200) -> tuple[list[Item], int]:
    where = not_reached_filter(run_id)
    if query:
        where.append(Item.key.contains(query, autoescape=True))
    total = s.scalar(select(func.count()).select_from(Item).where(*where)) or 0
    return list(s.scalars(select(Item).where(*where).order_by(Item.key).limit(limit))), total


def run_failures(s: Session, run_id: str, limit: int = 200) -> list[Outcome]:
    return list(
        s.scalars(
            select(Outcome).where(Outcome.run_id == run_id, Outcome.status == "failed").order_by(Outcome.key).limit(limit)
        )
    )


@dataclass
class CaseHistoryRow:
    outcome: Outcome
    run: Run
    reviews: list[Review]


def case_history(s: Session, item_id: int) -> list[CaseHistoryRow]:
    """Every night's outcome for one item (same robot and key), newest first."""
    rows = s.execute(
        select(Outcome, Run).join(Run, Run.id == Outcome.run_id).where(Outcome.item_id == item_id)
        .order_by(Outcome.recorded_at.desc(), Outcome.id.desc())
    ).all()
    reviews: dict[int, list[Review]] = {}
    ids = [o.id for o, _ in rows]
    if ids:
        for r in s.scalars(select(Review).where(Review.outcome_id.in_(ids)).order_by(Review.handled_at)):
            reviews.setdefault(r.outcome_id, []).append(r)
    return [CaseHistoryRow(o, run, reviews.get(o.id, [])) for o, run in rows]


def audit_entries(
    s: Session, *, username: str | None = None, action: str | None = None, target: str | None = None, page: int = 1, per_page: int = 100
) -> tuple[list[AuditEntry], int]:
    where = []
    if username:
        where.append(AuditEntry.username == username)
    if action:
        where.append(AuditEntry.action == action)
    if target:
        where.append(AuditEntry.target.contains(target, autoescape=True))
    cond = and_(*where) if where else true()
    total = s.scalar(select(func.count()).select_from(AuditEntry).where(cond)) or 0
    rows = list(
        s.scalars(
            select(AuditEntry).where(cond).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset((page - 1) * per_page).limit(per_page)
        )
    )
    return rows, total
