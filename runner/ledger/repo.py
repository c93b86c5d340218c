"""The ledger's operations: small functions, each one transaction, so nothing is half-recorded.

"Claim the next item" and "record its outcome" are deliberately tiny and free of engine state: they are the
seam where a distributed queue (procrastinate on PostgreSQL) can take over when one machine is not enough.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from runner.api import Outcome as OutcomeModel
from runner.api import Status, WorkItem
from runner.bidi import neutralise
from runner.ledger.models import Item, Outcome, Run

BATCH = 500


def not_reached_filter(run_id: str) -> list[Any]:
    """Items a run fetched or claimed but did not finish, and has no outcome for (a dry run's items stay
    `new` but have their outcome, so they count as reached)."""
    return [
        Item.run_id == run_id,
        Item.state != "done",
        ~exists().where(Outcome.item_id == Item.id, Outcome.run_id == run_id),
    ]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]


class Ledger:
    """The operations the engine, scheduler and CLI need, over one session factory."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.dialect = sessions.kw["bind"].dialect.name

    # -- runs ------------------------------------------------------------------------------------

    def start_run(
        self,
        robot: str,
        *,
        dry_run: bool = False,
        trigger: str = "manual",
        scheduled_for: datetime | None = None,
        deadline: datetime | None = None,
    ) -> str:
        run_id = new_run_id()
        with self.sessions.begin() as s:
            s.add(
                Run(
                    id=run_id,
                    robot=robot,
                    status="running",
                    trigger=trigger,
                    dry_run=dry_run,
                    started_at=utcnow(),
                    scheduled_for=scheduled_for,
                    deadline=deadline,
                    counts={},
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
            )
        return run_id

    def finish_run(
        self, run_id: str, status: str, reason: str | None = None, report: dict[str, Any] | None = None
    ) -> dict[str, int]:
        counts = self.run_counts(run_id)
        with self.sessions.begin() as s:
            run = s.get_one(Run, run_id)
            run.status = status
            run.reason = neutralise(reason)
            run.ended_at = utcnow()
            run.counts = counts
            if report is not None:
                run.report = neutralise(report)
        return counts

    def record_missed_run(self, robot: str, scheduled_for: datetime, reason: str) -> str:
        """A nightly run that never started (machine down past the grace time)."""
        run_id = new_run_id()
        now = utcnow()
        with self.sessions.begin() as s:
            s.add(
                Run(
                    id=run_id,
                    robot=robot,
                    status="missed",
                    reason=reason,
                    trigger="schedule",
                    dry_run=False,
                    started_at=now,
                    ended_at=now,
                    scheduled_for=scheduled_for,
                    counts={},
                )
            )
        return run_id

    def unfinished_runs(self, robot: str) -> list[Run]:
        """Runs of `robot` still marked running: their process died (or is still alive elsewhere)."""
        with self.sessions() as s:
            return list(s.scalars(select(Run).where(Run.robot == robot, Run.status == "running")))

    def last_activity(self, run_id: str) -> datetime | None:
        """When the run last touched an item (or started): a liveness sign for runs on other hosts."""
        with self.sessions() as s:
            touched = s.scalar(select(func.max(Item.updated_at)).where(Item.run_id == run_id))
            run = s.get(Run, run_id)
        started = run.started_at if run else None
        return max((t for t in (touched, started) if t is not None), default=None)

    def close_dead_run(self, run_id: str, reason: str) -> None:
        with self.sessions.begin() as s:
            run = s.get_one(Run, run_id)
            run.status = "interrupted"
            run.reason = reason
            run.ended_at = utcnow()
            run.counts = dict(self._counts(s, run_id))

    def get_run(self, run_id: str) -> Run | None:
        with self.sessions() as s:
            return s.get(Run, run_id)

    def find_run(self, prefix: str) -> Run | None:
        """A run by its id or an unambiguous prefix of it."""
        with self.sessions() as s:
            runs = list(s.scalars(select(Run).where(Run.id.startswith(prefix)).limit(2)))
        return runs[0] if len(runs) == 1 else None

    def list_runs(self, robot: str | None = None, limit: int = 20) -> list[Run]:
        with self.sessions() as s:
            q = select(Run).order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)
            if robot:
                q = q.where(Run.robot == robot)
            return list(s.scalars(q))

    def run_counts(self, run_id: str) -> dict[str, int]:
        with self.sessions() as s:
            return dict(self._counts(s, run_id))

    def _counts(self, s: Session, run_id: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for status, n in s.execute(
            select(Outcome.status, func.count()).where(Outcome.run_id == run_id).group_by(Outcome.status)
        ):
            counts[status] = n
        left = s.scalar(select(func.count()).select_from(Item).where(*not_reached_filter(run_id)))
        if left:
            counts["not_reached"] = left
        return counts

    # -- items -----------------------------------------------------------------------------------

    def add_items(
        self, robot: str, run_id: str, items: Iterable[WorkItem], reprocess: frozenset[Status]
    ) -> Counter[str]:
        """Store fetched items in batches. New keys become `new`; done keys are re-queued only when
        their last status is in `reprocess` (e.g. waiting); keys already queued are left alone."""
        stats: Counter[str] = Counter()
        batch: list[WorkItem] = []
        for item in items:
            batch.append(item)
            if len(batch) >= BATCH:
                stats.update(self._add_batch(robot, run_id, batch, reprocess))
                batch = []
        if batch:
            stats.update(self._add_batch(robot, run_id, batch, reprocess))
        return stats

    def _add_batch(
        self, robot: str, run_id: str, batch: list[WorkItem], reprocess: frozenset[Status]
    ) -> Counter[str]:
        stats: Counter[str] = Counter()
        now = utcnow()
        by_key: dict[str, WorkItem] = {}
        for wi in batch:
            if neutralise(wi.title) != wi.title:  # the title is shown in every list of cases
                wi = wi.model_copy(update={"title": neutralise(wi.title)})
            if wi.key in by_key:
                stats["duplicate_key"] += 1
            by_key[wi.key] = wi
        requeue = {s.value for s in reprocess}
        with self.sessions.begin() as s:
            existing = {
                it.key: it for it in s.scalars(select(Item).where(Item.robot == robot, Item.key.in_(list(by_key))))
            }
            for key, wi in by_key.items():
                it = existing.get(key)
                if it is None:
                    s.add(
                        Item(
                            robot=robot,
                            key=key,
                            title=wi.title,
                            data=wi.data,
                            state="new",
                            attempts=0,
                            checkpoints={},
                            run_id=run_id,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                    stats["new"] += 1
                elif it.state == "done" and it.status in requeue and it.run_id != run_id:
                    # (an item this very run finished, e.g. while resuming, is not done twice in one run)
                    it.state, it.title, it.data, it.attempts = "new", wi.title, wi.data, 0
                    it.run_id, it.updated_at, it.claimed_by = run_id, now, None
                    stats["requeued"] += 1
                elif it.state == "done":
                    stats["already_done"] += 1
                else:
                    it.run_id, it.title, it.data, it.updated_at = run_id, wi.title, wi.data, now
                    stats["already_queued"] += 1
        return stats

    def requeue_failed(self, robot: str, run_id: str) -> int:
        """Queue again the items whose last attempt failed technically in an earlier run and that this
        run's fetch did not bring back (e.g. the failure came after the robot's own status change, so
        the source no longer lists the case). A technical failure is always tried again: the robot reads
        back what its earlier attempt did before it writes anything."""
        with self.sessions.begin() as s:
            res = s.execute(
                update(Item)
                .where(Item.robot == robot, Item.state == "done", Item.status == Status.failed.value, Item.run_id != run_id)
                .values(state="new", attempts=0, run_id=run_id, claimed_by=None, claimed_at=None, updated_at=utcnow())
            )
            return res.rowcount or 0

    def pending_count(self, robot: str) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(Item).where(Item.robot == robot, Item.state != "done")) or 0

    def release_in_progress(self, robot: str) -> int:
        """After a crash: items a dead worker held go back to `new` (their attempts are kept)."""
        with self.sessions.begin() as s:
            res = s.execute(
                update(Item)
                .where(Item.robot == robot, Item.state == "in_progress")
                .values(state="new", claimed_by=None, claimed_at=None, updated_at=utcnow())
            )
            return res.rowcount or 0

    def claim_next(self, robot: str, run_id: str, worker: str, *, dry_run: bool = False) -> Item | None:
        """Take the oldest `new` item of `robot` for `worker`: one UPDATE … RETURNING, atomic on both
        databases (PostgreSQL skips rows another process has locked, so workers never collide)."""
        dry_mark = f"dry:{run_id}"
        pick = select(Item.id).where(Item.robot == robot, Item.state == "new").order_by(Item.id).limit(1)
        if dry_run:
            pick = pick.where((Item.claimed_by.is_(None)) | (Item.claimed_by != dry_mark))
        if self.dialect == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        now = utcnow()
        stmt = (
            update(Item)
            .where(Item.id == pick.scalar_subquery(), Item.state == "new")
            .values(state="in_progress", claimed_by=worker, claimed_at=now, run_id=run_id, updated_at=now)
            .returning(Item)
        )
        with self.sessions.begin() as s:
            return s.scalars(stmt).one_or_none()

    def release(self, item_id: int) -> None:
        """Give an item back untouched (stop requested, breaker tripped): it stays for the next run."""
        with self.sessions.begin() as s:
            s.execute(
                update(Item)
                .where(Item.id == item_id)
                .values(state="new", claimed_by=None, claimed_at=None, updated_at=utcnow())
            )

    def count_attempt(self, item_id: int) -> int:
        with self.sessions.begin() as s:
            it = s.get_one(Item, item_id)
            it.attempts += 1
            it.updated_at = utcnow()
            return it.attempts

    def set_checkpoint(self, item_id: int, name: str, value: Any) -> None:
        with self.sessions.begin() as s:
            it = s.get_one(Item, item_id)
            it.checkpoints = {**(it.checkpoints or {}), name: value}
            it.updated_at = utcnow()

    def record_outcome(
        self,
        item: Item,
        run_id: str,
        outcome: OutcomeModel,
        *,
        dry_run: bool = False,
        artifacts: list[str] | None = None,
        error: str | None = None,
    ) -> None:
        """Record the result and close the item, in one transaction.

        In a dry run the outcome is kept as history but the item returns to `new`: nothing was written
        into the target systems, so the real run must still do it.
        """
        now = utcnow()
        with self.sessions.begin() as s:
            it = s.get_one(Item, item.id)
            s.add(
                Outcome(
                    run_id=run_id,
                    item_id=it.id,
                    robot=it.robot,
                    key=it.key,
                    title=it.title,
                    status=outcome.status.value,
                    summary=neutralise(outcome.summary),
                    findings=neutralise([f.model_dump(mode="json") for f in outcome.findings]),
                    evidence=neutralise([e.model_dump(mode="json") for e in outcome.evidence]),
                    links=neutralise([link.model_dump(mode="json") for link in outcome.links]),
                    data=outcome.data,
                    artifacts=artifacts or [],
                    attempts=max(it.attempts, 1),
                    error=error,
                    recorded_at=now,
                )
            )
            if dry_run:
                it.state, it.claimed_by = "new", f"dry:{run_id}"
            else:
                it.state, it.status, it.summary = "done", outcome.status.value, neutralise(outcome.summary)
                it.claimed_by = None
            it.updated_at = now

    def iter_run_outcomes(self, run_id: str) -> Iterator[tuple[WorkItem, OutcomeModel]]:
        """Stream a run's outcomes in id order, BATCH rows at a time."""
        last = 0
        while True:
            with self.sessions() as s:
                rows = list(
                    s.scalars(
                        select(Outcome).where(Outcome.run_id == run_id, Outcome.id > last).order_by(Outcome.id).limit(BATCH)
                    )
                )
            if not rows:
                return
            for o in rows:
                yield (
                    WorkItem(key=o.key, title=o.title),
                    OutcomeModel(
                        status=Status(o.status),
                        summary=o.summary,
                        findings=o.findings,
                        evidence=o.evidence,
                        links=o.links,
                        data=o.data,
                    ),
                )
            last = rows[-1].id

    def item_states(self, robot: str) -> Counter[str]:
        with self.sessions() as s:
            return Counter(
                dict(s.execute(select(Item.state, func.count()).where(Item.robot == robot).group_by(Item.state)).all())
            )
