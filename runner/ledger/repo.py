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
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Interval, exists, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from runner.api import Outcome as OutcomeModel
from runner.api import NOT_REACHED, Status, WorkItem
from runner.bidi import neutralise
from runner.ledger.models import Item, Outcome, Run, UTCDateTime
from runner.proc import known_dead, process_name, same_process, split_name

BATCH = 500
#: How long a claim or a run holds without being renewed, unless the caller says otherwise.
DEFAULT_LEASE_SECONDS = 30.0


class LeaseLost(RuntimeError):
    """This worker no longer holds the item (or run): its lease ran out and another worker took it over.
    Nothing more may be written for it, in the ledger or in a target system."""


class RunBusy(RuntimeError):
    """Another run of the robot is `running` (the database allows one)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        super().__init__(f"run {run.id} of {run.robot} is running ({run.owner or run.host})")


class NightAlreadyRun(RuntimeError):
    """The scheduled start was already run to the end (or recorded missed) by another process."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"this scheduled start already ran (run {run_id})")


def not_reached_filter(run_id: str) -> list[Any]:
    """Items a run fetched or claimed but did not finish, and has no outcome for (a dry run's items stay
    `new` but have their outcome, so they count as reached)."""
    return [
        Item.run_id == run_id,
        Item.state != "done",
        ~exists().where(Outcome.item_id == Item.id, Outcome.run_id == run_id),
    ]


def run_counts(s: Session, run: Run | str) -> dict[str, int]:
    """Cases per status of a run, plus the items it left unprocessed (`not_reached`): the one count.

    A later run takes over the items this one did not reach, so for a finished run (given as its row)
    the number it left is the one recorded when it ended; a running run, or a run given by id, is
    counted live (what `finish_run` records).
    """
    run_id = run if isinstance(run, str) else run.id
    counts: Counter[str] = Counter()
    for status, n in s.execute(
        select(Outcome.status, func.count()).where(Outcome.run_id == run_id).group_by(Outcome.status)
    ):
        counts[status] = n
    recorded = None if isinstance(run, str) or run.status == "running" else (run.counts or {}).get(NOT_REACHED)
    left = recorded if recorded is not None else s.scalar(
        select(func.count()).select_from(Item).where(*not_reached_filter(run_id))
    )
    if left:
        counts[NOT_REACHED] = left
    return dict(counts)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]


class Ledger:
    """The operations the engine, scheduler and CLI need, over one session factory."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.dialect = sessions.kw["bind"].dialect.name

    # -- time: leases are judged by the database's clock where several machines share it ------------

    @property
    def shared(self) -> bool:
        """True when other machines may share this ledger (PostgreSQL): leases are judged by its clock,
        and a silent holder is taken over when its lease runs out. SQLite is one machine: a holder is
        alive while its process is."""
        return self.dialect == "postgresql"

    def _now(self) -> Any:
        return func.clock_timestamp(type_=UTCDateTime()) if self.shared else utcnow()

    def _until(self, seconds: float) -> Any:
        if self.shared:
            return func.clock_timestamp(type_=DateTime(timezone=True)) + literal(timedelta(seconds=seconds), Interval())
        return utcnow() + timedelta(seconds=seconds)

    # -- runs ------------------------------------------------------------------------------------

    def start_run(
        self,
        robot: str,
        *,
        dry_run: bool = False,
        trigger: str = "manual",
        scheduled_for: datetime | None = None,
        deadline: datetime | None = None,
        owner: str | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        queued: bool = False,
    ) -> str:
        """Insert the robot's one `running` run, held by `owner` under a lease.

        The database allows one running run per robot: RunBusy names the one that is. A scheduled start
        whose time already ran to the end (or was recorded missed) raises NightAlreadyRun. Both checks
        are made in the inserting transaction, after the insert, so two processes can never both pass.
        """
        run_id = new_run_id()
        for _ in range(3):
            try:
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
                            owner=owner or process_name(),
                            lease_until=self._until(lease_seconds),
                            queued=queued,
                        )
                    )
                    s.flush()
                    if scheduled_for is not None and trigger == "schedule":
                        done = s.scalar(
                            select(Run.id).where(Run.robot == robot, Run.scheduled_for == scheduled_for,
                                                 Run.status.in_(("completed", "missed")), Run.id != run_id).limit(1)
                        )
                        if done is not None:
                            raise NightAlreadyRun(done)
                return run_id
            except IntegrityError:
                running = self.running_run(robot)
                if running is not None:
                    raise RunBusy(running) from None
        raise RuntimeError(f"could not start a run of {robot}: the ledger kept refusing the insert")

    def running_run(self, robot: str) -> Run | None:
        with self.sessions() as s:
            return s.scalar(select(Run).where(Run.robot == robot, Run.status == "running"))

    def run_is_stale(self, run: Run) -> bool:
        """True when `run`'s owner is gone: a dead process on this machine, or (PostgreSQL) a lease that
        ran out. On SQLite a live process on this machine is alive however long it is silent."""
        owner = run.owner or (f"{run.host}:{run.pid}" if run.host and run.pid else None)
        if known_dead(owner):
            return True
        host_pid = split_name(owner)
        if not self.shared and host_pid is not None and host_pid[0] == socket.gethostname():
            return False
        return self._expired(Run, run.id)

    def _expired(self, table: type[Run] | type[Item], row_id: Any) -> bool:
        with self.sessions() as s:
            until = s.scalar(select(table.lease_until).where(table.id == row_id))
            if until is None:
                return True
            return bool(s.scalar(select(table.lease_until < self._now()).where(table.id == row_id)))

    def take_over_run(self, run: Run, reason: str) -> bool:
        """Close a stale run as interrupted, unless its owner renewed it since `run` was read."""
        with self.sessions.begin() as s:
            res = s.execute(
                update(Run)
                .where(Run.id == run.id, Run.status == "running", Run.owner.is_not_distinct_from(run.owner),
                       Run.lease_until.is_not_distinct_from(run.lease_until))
                .values(status="interrupted", reason=reason, ended_at=utcnow(), counts=run_counts(s, run.id))
            )
            return (res.rowcount or 0) == 1

    def renew_run(self, run_id: str, owner: str, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> bool:
        """Extend the run's lease; False when the run is no longer this owner's (taken over, closed)."""
        with self.sessions.begin() as s:
            res = s.execute(
                update(Run).where(Run.id == run_id, Run.owner == owner, Run.status == "running")
                .values(lease_until=self._until(lease_seconds))
            )
            return (res.rowcount or 0) == 1

    def request_run_stop(self, run_id: str, reason: str, cause: str = "operator") -> None:
        """Ask every worker of the run, on every machine, to stop taking its items (the first reason wins,
        with its cause: "system_down" for a worker's circuit breaker, "operator", "deadline", …)."""
        with self.sessions.begin() as s:
            s.execute(update(Run).where(Run.id == run_id, Run.stop_reason.is_(None))
                      .values(stop_reason=reason, stop_cause=cause))

    def stop_request(self, run_id: str) -> tuple[str, str] | None:
        """(reason, cause) when the run was asked to stop (request_run_stop), else None."""
        with self.sessions() as s:
            row = s.execute(select(Run.stop_reason, Run.stop_cause).where(Run.id == run_id)).first()
        return (row[0], row[1] or "operator") if row is not None and row[0] else None

    def finish_run(
        self, run_id: str, status: str, reason: str | None = None, report: dict[str, Any] | None = None,
        *, owner: str | None = None, stop_cause: str | None = None,
    ) -> dict[str, int]:
        """Close the run with its counts (and, for a stopped run, why: `stop_cause`). With `owner`, only
        while the run is still that owner's running run (LeaseLost otherwise: another process took it
        over and closed it)."""
        counts = self.run_counts(run_id)
        values: dict[str, Any] = {"status": status, "reason": neutralise(reason), "ended_at": utcnow(),
                                  "counts": counts, "lease_until": None, "stop_cause": stop_cause}
        if report is not None:
            values["report"] = neutralise(report)
        with self.sessions.begin() as s:
            q = update(Run).where(Run.id == run_id)
            if owner is not None:
                q = q.where(Run.owner == owner, Run.status == "running")
            if (s.execute(q.values(**values)).rowcount or 0) != 1:
                raise LeaseLost(f"run {run_id} is no longer held by {owner}")
        return counts

    def record_missed_run(self, robot: str, scheduled_for: datetime, reason: str) -> str:
        """A nightly run that never started (machine down past the grace time, robot busy elsewhere)."""
        return self.record_closed_run(robot, scheduled_for, "missed", reason)

    def record_closed_run(
        self, robot: str, scheduled_for: datetime, status: str, reason: str, *, deadline: datetime | None = None
    ) -> str:
        """A scheduled start that did not get to run, as a closed row with its reason (never `running`)."""
        run_id = new_run_id()
        now = utcnow()
        with self.sessions.begin() as s:
            s.add(
                Run(
                    id=run_id,
                    robot=robot,
                    status=status,
                    reason=reason,
                    trigger="schedule",
                    dry_run=False,
                    started_at=now,
                    ended_at=now,
                    scheduled_for=scheduled_for,
                    deadline=deadline,
                    counts={},
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
            )
        return run_id

    def unfinished_runs(self, robot: str) -> list[Run]:
        """Runs of `robot` still marked running: their process died (or is still alive elsewhere)."""
        with self.sessions() as s:
            return list(s.scalars(select(Run).where(Run.robot == robot, Run.status == "running")))

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
        """The run's counts as they are now (see `run_counts`)."""
        with self.sessions() as s:
            return run_counts(s, run_id)

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
                    it.run_id, it.updated_at, it.claimed_by, it.lease = run_id, now, None, None
                    it.purged_at = None  # fetched again after gallring: its new data is live
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

    def release_abandoned(self, robot: str) -> int:
        """Items whose holder is gone go back to `new` (their attempts and checkpoints are kept); called by
        a run that has just become the robot's running run. Gone: on SQLite every holder; on PostgreSQL a
        dead process on this machine, this very process (an earlier run of it), or a lease that ran out.
        Items a live worker elsewhere still holds stay with it."""
        released = 0
        with self.sessions() as s:
            held = s.execute(
                select(Item.id, Item.claimed_by, Item.lease, Item.lease_until).where(
                    Item.robot == robot, Item.state == "in_progress"
                )
            ).all()
            expired = set(
                s.scalars(
                    select(Item.id).where(Item.robot == robot, Item.state == "in_progress",
                                          or_(Item.lease_until.is_(None), Item.lease_until < self._now()))
                )
            )
        for item_id, holder, lease, _ in held:
            # SQLite is one machine and the caller holds the robot's one running run: whoever held these
            # items is gone. On PostgreSQL a worker elsewhere may still hold its item under a live lease.
            gone = not self.shared or known_dead(holder) or same_process(holder) or item_id in expired
            if not gone:
                continue
            with self.sessions.begin() as s:
                res = s.execute(
                    update(Item)
                    .where(Item.id == item_id, Item.state == "in_progress", Item.lease.is_not_distinct_from(lease))
                    .values(state="new", claimed_by=None, claimed_at=None, lease=None, lease_until=None,
                            updated_at=utcnow())
                )
                released += res.rowcount or 0
        return released

    def _claimable(self) -> ColumnElement[bool]:
        """`new`, or (PostgreSQL) held under a lease that ran out: its holder went silent, so the item is
        taken over and the holder's later writes are refused by the fence."""
        if not self.shared:
            return Item.state == "new"
        return or_(Item.state == "new", (Item.state == "in_progress") & (Item.lease_until < self._now()))

    def _claim_values(self, run_id: str, worker: str, lease_seconds: float) -> dict[str, Any]:
        now = utcnow()
        return {"state": "in_progress", "claimed_by": worker, "claimed_at": now, "run_id": run_id, "updated_at": now,
                "lease": uuid.uuid4().hex, "lease_until": self._until(lease_seconds)}

    def claim_next(
        self, robot: str, run_id: str, worker: str, *, dry_run: bool = False, lease_seconds: float = DEFAULT_LEASE_SECONDS
    ) -> Item | None:
        """Take the oldest claimable item of `robot` for `worker` under a new lease: one UPDATE … RETURNING,
        atomic on both databases (PostgreSQL skips rows another process has locked, so workers never collide)."""
        dry_mark = f"dry:{run_id}"
        pick = select(Item.id).where(Item.robot == robot, self._claimable()).order_by(Item.id).limit(1)
        if dry_run:
            pick = pick.where((Item.claimed_by.is_(None)) | (Item.claimed_by != dry_mark))
        if self.shared:
            pick = pick.with_for_update(skip_locked=True)
        stmt = (
            update(Item)
            .where(Item.id == pick.scalar_subquery(), self._claimable())
            .values(**self._claim_values(run_id, worker, lease_seconds))
            .returning(Item)
        )
        with self.sessions.begin() as s:
            return s.scalars(stmt).one_or_none()

    def claim_item(self, item_id: int, run_id: str, worker: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> Item | None:
        """Claim one given item (a queued job names it) if it is claimable; None otherwise."""
        stmt = (
            update(Item).where(Item.id == item_id, self._claimable())
            .values(**self._claim_values(run_id, worker, lease_seconds)).returning(Item)
        )
        with self.sessions.begin() as s:
            return s.scalars(stmt).one_or_none()

    def get_item(self, item_id: int) -> Item | None:
        with self.sessions() as s:
            return s.get(Item, item_id)

    def unfinished_ids(self, robot: str, limit: int | None = None) -> list[int]:
        """Ids of the robot's items not done yet (new or in progress), oldest first."""
        q = select(Item.id).where(Item.robot == robot, Item.state != "done").order_by(Item.id)
        if limit is not None:
            q = q.limit(limit)
        with self.sessions() as s:
            return list(s.scalars(q))

    def in_flight(self, robot: str) -> int:
        """Items of the robot held under a lease that still holds (a worker is on them)."""
        with self.sessions() as s:
            return s.scalar(
                select(func.count()).select_from(Item).where(
                    Item.robot == robot, Item.state == "in_progress", Item.lease_until >= self._now()
                )
            ) or 0

    def held_elsewhere(self, robot: str, process: str) -> datetime | None:
        """When the first lease of an item that another process holds runs out (None: no such item)."""
        with self.sessions() as s:
            return s.scalar(
                select(func.min(Item.lease_until)).where(
                    Item.robot == robot, Item.state == "in_progress", ~Item.claimed_by.startswith(process + ":")
                )
            )

    @staticmethod
    def _mine(row: Item) -> list[ColumnElement[bool]]:
        """The fence: the row is still held by this claim."""
        return [Item.id == row.id, Item.state == "in_progress", Item.claimed_by == row.claimed_by, Item.lease == row.lease]

    def renew(self, row: Item, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> bool:
        """Extend this claim's lease; False when it is no longer ours (taken over after it ran out)."""
        with self.sessions.begin() as s:
            res = s.execute(update(Item).where(*self._mine(row)).values(lease_until=self._until(lease_seconds)))
            return (res.rowcount or 0) == 1

    def release(self, row: Item) -> None:
        """Give an item back untouched (stop requested, breaker tripped): it stays for the next run. An item
        that is no longer ours is left to its new holder."""
        with self.sessions.begin() as s:
            s.execute(
                update(Item).where(*self._mine(row))
                .values(state="new", claimed_by=None, claimed_at=None, lease=None, lease_until=None, updated_at=utcnow())
            )

    def count_attempt(self, row: Item) -> int:
        with self.sessions.begin() as s:
            attempts = s.scalar(
                update(Item).where(*self._mine(row)).values(attempts=Item.attempts + 1, updated_at=utcnow())
                .returning(Item.attempts)
            )
        if attempts is None:
            raise LeaseLost(f"item {row.id} is no longer held by {row.claimed_by}")
        return attempts

    def set_checkpoint(self, row: Item, name: str, value: Any) -> None:
        """Store a checkpoint of the item, only while this claim holds it (LeaseLost otherwise)."""
        with self.sessions.begin() as s:
            it = s.scalar(select(Item).where(*self._mine(row)).with_for_update())
            if it is None:
                raise LeaseLost(f"item {row.id} is no longer held by {row.claimed_by}")
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
        """Record the result and close the item, in one transaction, only while this claim holds it
        (`… WHERE claimed_by = me AND lease = mine`; LeaseLost otherwise, and nothing is recorded).

        In a dry run the outcome is kept as history but the item returns to `new`: nothing was written
        into the target systems, so the real run must still do it.
        """
        now = utcnow()
        with self.sessions.begin() as s:
            it = s.scalar(select(Item).where(*self._mine(item)).with_for_update())
            if it is None:
                raise LeaseLost(f"item {item.id} is no longer held by {item.claimed_by}")
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
                    worker=it.claimed_by,
                    recorded_at=now,
                )
            )
            if dry_run:
                it.state, it.claimed_by = "new", f"dry:{run_id}"
            else:
                it.state, it.status, it.summary = "done", outcome.status.value, neutralise(outcome.summary)
                it.claimed_by = None
            it.lease = it.lease_until = None
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
