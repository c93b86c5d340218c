"""Gallring's tests: a ledger on SQLite and on PostgreSQL, filled night by night through the ledger's own
operations (what the engine calls), and `gallra` run at a later `now`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from runner.api import Outcome, Status, WorkItem
from runner.ledger.db import close_database, open_database
from runner.ledger.models import Item, Review, Run
from runner.ledger.models import Outcome as OutcomeRow
from runner.ledger.repo import Ledger
from runner.settings import Settings
from runner.testing import make_settings
from tests.support.pg import pg_schema_url

ROBOT_DIR = Path(__file__).resolve().parent.parent / "support" / "robots"
#: What a case's personal data looks like in these tests: a marker that is searched for in every row and
#: file (not a real personnummer or name, so the suite's leak scan stays quiet about planted data).
SECRET = "HEMLIG-UPPGIFT"


def case_outcome(status: Status, key: str) -> Outcome:
    """An outcome whose every field carries the case's personal data."""
    return Outcome(
        status=status,
        summary=f"{SECRET} {key}: 4 400 kr",
        findings=[{"code": "inkomst", "message": f"Lön {SECRET} {key}"}],
        evidence=[{"label": "Inkomst", "value": f"{SECRET} {key}"}],
        links=[{"label": "Ärendet", "url": f"http://ekonomi.invalid/{SECRET}/{key}"}],
        data={"namn": f"{SECRET} {key}"},
    )


@dataclass
class Books:
    """A ledger with its settings, and the nights written into it."""

    settings: Settings
    sessions: sessionmaker[Session]
    ledger: Ledger
    runs: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def night(self, robot: str, statuses: dict[str, Status], *, dry_run: bool = False,
              artifacts: dict[str, list[str]] | None = None) -> str:
        """One run of `robot` that gives each key its status (keys fetched again are requeued if waiting).
        `artifacts`: key → paths under data_dir ("{run}" stands for the run id), written as files."""
        run = self.ledger.start_run(robot, dry_run=dry_run)
        items = [WorkItem(key=k, title=f"Ärende {k} {SECRET}", data={"personnummer": SECRET}) for k in statuses]
        self.ledger.add_items(robot, run, items, frozenset({Status.waiting, Status.failed}))
        while (row := self.ledger.claim_next(robot, run, "test:1:0", dry_run=dry_run)) is not None:
            paths = [p.format(run=run) for p in (artifacts or {}).get(row.key, [])]
            for p in paths:
                path = self.data_dir / p
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"screenshot of {SECRET}", encoding="utf-8")
            status = statuses.get(row.key, Status.prepared)  # a case an earlier night left is done now
            self.ledger.record_outcome(row, run, case_outcome(status, row.key), dry_run=dry_run,
                                       artifacts=paths)
        self.ledger.finish_run(run, "completed", report={"rows": [{"title": f"{SECRET}"}]})
        self.runs.append(run)
        return run

    def handle(self, robot: str, key: str, at: datetime | None = None, comment: str = f"Beslut {SECRET}") -> None:
        """Mark the case's latest outcome handled, as "Markera som hanterad" does."""
        with self.sessions.begin() as s:
            outcome = s.scalars(select(OutcomeRow).where(OutcomeRow.robot == robot, OutcomeRow.key == key)
                                .order_by(OutcomeRow.id.desc())).first()
            assert outcome is not None
            s.add(Review(outcome_id=outcome.id, username="hanna", comment=comment, handled_at=at or datetime.now(UTC)))

    def item_id(self, robot: str, key: str) -> int:
        with self.sessions() as s:
            return s.scalar(select(Item.id).where(Item.robot == robot, Item.key == key))  # type: ignore[return-value]

    def secrets_in_ledger(self, robot: str | None = None) -> set[str]:
        """Keys whose personal data is still somewhere in the ledger (items, outcomes, reviews, reports)."""
        found: set[str] = set()
        with self.sessions() as s:
            for table in (Item, OutcomeRow):
                q = select(table)
                if robot:
                    q = q.where(table.robot == robot)
                for row in s.scalars(q):
                    text = json.dumps({c.name: str(getattr(row, c.key)) for c in table.__table__.columns})
                    if SECRET in text:
                        found.add(row.key)
            for review, key in s.execute(select(Review, OutcomeRow.key).join(OutcomeRow)):
                if SECRET in review.comment:
                    found.add(key)
        return found

    def reports_with_secrets(self) -> list[str]:
        """Runs whose robot report (which repeats its cases) is still kept."""
        with self.sessions() as s:
            return [run.id for run in s.scalars(select(Run).order_by(Run.started_at))
                    if SECRET in json.dumps(run.report or {})]


def later(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


@pytest.fixture(params=["sqlite", "postgresql"])
def books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Books]]:
    """`books(**settings)`: a fresh ledger on the parameter's database with those settings."""
    opened: list[str] = []

    def build(**overrides: Any) -> Books:
        database = {}
        if request.param == "postgresql":
            database = {"url": stack.enter_context(pg_schema_url(request.getfixturevalue("postgres_url")))}
        settings = make_settings(tmp_path, robot_dirs=[ROBOT_DIR], database=database, **overrides)
        engine, sessions = open_database(settings.database_url())
        opened.append(settings.database_url())
        return Books(settings, sessions, Ledger(sessions))

    from contextlib import ExitStack

    with ExitStack() as stack:
        yield build
        for url in opened:
            close_database(url)
