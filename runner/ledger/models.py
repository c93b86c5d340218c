"""The ledger's tables. Changing them needs an Alembic migration in runner/ledger/migrations.

- runs:      one row per run of a robot (also a `missed` row for a nightly run that never started); at
             most one `running` per robot, held under a renewed lease by its owner process
- items:     one row per (robot, key): the work item and its current state; never deleted (gallring empties
             its personal data, runner.retention); worked under
             a lease (claimed_by + lease token) that fences its outcome and checkpoints
- outcomes:  one row per item per run that finished it: the history staff see across nights
- reviews:   "Markera som hanterad" on an outcome: who, when, comment
- audit_log: who opened which case, and other security-relevant actions
- users:     local web accounts (Argon2 hashes) and their roles
- robot_controls: robots paused by operations (the scheduler starts no scheduled run of them)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the ledger; use an aware one")
        from datetime import UTC

        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        from datetime import UTC

        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (
        # One running run per robot, whoever starts it: the database refuses a second (issue 20).
        Index("uq_runs_one_running", "robot", unique=True, sqlite_where=text("status = 'running'"),
              postgresql_where=text("status = 'running'")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    robot: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))  # running | completed | interrupted | failed | missed
    reason: Mapped[str | None] = mapped_column(Text)  # Swedish, for staff: why interrupted/failed/missed
    trigger: Mapped[str] = mapped_column(String(16), default="manual")  # manual | schedule | resume
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    scheduled_for: Mapped[datetime | None]
    deadline: Mapped[datetime | None]
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the robot's own report data
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(255))  # "host:pid" of the process running it
    lease_until: Mapped[datetime | None]  # renewed while it runs; past it, another process may take over
    stop_reason: Mapped[str | None] = mapped_column(Text)  # set: every worker of the run stops (Swedish)
    queued: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # worked by `nattskift worker`
    #: why an interrupted run stopped: system_down (the circuit breaker) | operator | signal | deadline | …
    stop_cause: Mapped[str | None] = mapped_column(String(32))

    outcomes: Mapped[list[Outcome]] = relationship(back_populates="run")


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("robot", "key", name="uq_items_robot_key"),
        Index("ix_items_claim", "robot", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    robot: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="new")  # new | in_progress | done
    status: Mapped[str | None] = mapped_column(String(32))  # last outcome status
    summary: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    checkpoints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_id: Mapped[str | None] = mapped_column(String(32), index=True)  # the run that last fetched or claimed it
    claimed_by: Mapped[str | None] = mapped_column(String(255))  # "host:pid:slot" of the worker
    claimed_at: Mapped[datetime | None]
    lease: Mapped[str | None] = mapped_column(String(32))  # the claim's token: writes are fenced by it
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    purged_at: Mapped[datetime | None]  # gallring emptied its personal data (runner.retention)


class Outcome(Base):
    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_run_status", "run_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    robot: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    links: Mapped[list[Any]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    artifacts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # paths relative to data_dir
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)  # exception type and redacted message, for operations
    worker: Mapped[str | None] = mapped_column(String(255))  # "host:pid:slot" that recorded it, for operations
    recorded_at: Mapped[datetime]
    purged_at: Mapped[datetime | None]  # gallring emptied its contents; status and times stay for statistics

    run: Mapped[Run] = relationship(back_populates="outcomes")
    reviews: Mapped[list[Review]] = relationship(back_populates="outcome")


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"), index=True)
    username: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[datetime]

    outcome: Mapped[Outcome] = relationship(back_populates="reviews")


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))  # view_case | mark_handled | login | login_failed | …
    target: Mapped[str] = mapped_column(String(255), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)  # admin | operations | staff:<robot>
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None]


class RobotControl(Base):
    """A robot paused (or resumed) by operations: kept in the ledger so that every scheduler, also one
    started later or on another machine, honours it."""

    __tablename__ = "robot_controls"

    robot: Mapped[str] = mapped_column(String(64), primary_key=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    changed_by: Mapped[str] = mapped_column(String(128))
    changed_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
