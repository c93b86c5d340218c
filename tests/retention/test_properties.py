"""Gallring's promises over generated histories (Hypothesis): whatever nights, statuses and handlings a
ledger saw, and whenever gallring runs, a case that is not settled keeps every byte of its data, every
night's counts stay as they were, and a dry pass reports exactly what the real pass then removes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from runner.api import Status
from runner.ledger.db import open_database
from runner.ledger.models import Item, Review, Run
from runner.ledger.models import Outcome as OutcomeRow
from runner.ledger.repo import Ledger, run_counts
from runner.retention.gallring import gallra
from runner.settings import load_settings
from tests.retention.conftest import Books

KEYS = ["a", "b", "c", "d"]
NIGHT = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(list(Status)), min_size=1, max_size=4)
HISTORY = st.lists(st.tuples(NIGHT, st.sets(st.sampled_from(KEYS)), st.booleans()), min_size=1, max_size=4)
ROBOTS = (f"r{n}" for n in itertools.count())  # each example its own robot, in one ledger (a migration is slow)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gallring-properties")


def _snapshot(b: Books) -> dict[int, str]:
    with b.sessions() as s:
        return {i.id: repr((i.title, i.data, i.summary)) for i in s.scalars(select(Item))}


def _unsettled(b: Books, wait_for_review: set[str]) -> set[int]:
    """Items a person or the robot still has to act on, judged here from the rows, not by the code."""
    with b.sessions() as s:
        open_ids = set()
        for item in s.scalars(select(Item)):
            real = s.scalars(select(OutcomeRow).join(Run, Run.id == OutcomeRow.run_id)
                             .where(OutcomeRow.item_id == item.id, Run.dry_run.is_(False))
                             .order_by(OutcomeRow.id.desc())).first()
            handled = real is not None and s.scalar(select(Review.id).where(Review.outcome_id == real.id).limit(1))
            if item.state != "done" or real is None or (
                not handled and (real.status in ("waiting", "failed") or real.status in wait_for_review)):
                open_ids.add(item.id)
        return open_ids


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(history=HISTORY, days=st.integers(0, 70), case_days=st.integers(0, 40))
def test_an_unsettled_case_keeps_its_data_and_counts_stay_whatever_the_history(data_dir: Path, history, days: int,  # type: ignore[no-untyped-def]
                                                                              case_days: int) -> None:
    settings_ = load_settings(None, data_dir=data_dir, retention={"case_days": case_days})
    _, sessions = open_database(settings_.database_url())
    b = Books(settings_, sessions, Ledger(sessions))
    robot = next(ROBOTS)
    for statuses, handled, dry in history:
        b.night(robot, statuses, dry_run=dry)
        for key in sorted(handled & set(statuses)):
            b.handle(robot, key)
    now = datetime.now(UTC) + timedelta(days=days)
    before = _snapshot(b)
    keep = _unsettled(b, {"needs_attention"})
    with sessions() as s:
        counts = {run.id: run_counts(s, run) for run in s.scalars(select(Run))}

    dry = gallra(settings_, now=now, dry_run=True)
    assert _snapshot(b) == before
    real = gallra(settings_, now=now)
    assert {**dry.figures(), "log_lines": 0, "dry_run": False} == {**real.figures(), "log_lines": 0}
    after = _snapshot(b)
    assert {i: after[i] for i in keep} == {i: before[i] for i in keep}  # never gallrad silently
    assert {k.item_id for k in real.kept} <= keep
    with sessions() as s:
        assert {run.id: run_counts(s, run) for run in s.scalars(select(Run))} == counts
