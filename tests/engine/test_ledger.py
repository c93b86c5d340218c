"""The ledger on SQLite and on PostgreSQL: the same behaviour, the same tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from runner.api import Outcome, Status, WorkItem
from runner.ledger.db import close_database, open_database
from runner.ledger.repo import Ledger
from tests.support.pg import pg_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path) -> Iterator[Ledger]:
    if request.param == "sqlite":
        _, sessions = open_database(f"sqlite:///{tmp_path / 'ledger.db'}")
        yield Ledger(sessions)
        return
    with pg_schema_url(request.getfixturevalue("postgres_url")) as url:
        _, sessions = open_database(url)
        yield Ledger(sessions)
        close_database(url)


def items(n: int, prefix: str = "K") -> Iterator[WorkItem]:
    """A generator, so the ledger must take items in batches rather than a list in memory."""
    for i in range(n):
        yield WorkItem(key=f"{prefix}{i:05d}", title=f"Ärende {i}", data={"n": i})


def test_fetched_items_are_stored_in_batches_and_deduplicated(ledger):
    run = ledger.start_run("r")
    stats = ledger.add_items("r", run, items(1201), frozenset())
    assert stats == {"new": 1201}  # three batches of at most 500
    again = ledger.add_items("r", run, items(3), frozenset())
    assert again == {"already_queued": 3}
    assert ledger.pending_count("r") == 1201


def test_claim_takes_each_item_once_in_order(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(3), frozenset())
    claimed = [ledger.claim_next("r", run, "w1") for _ in range(4)]
    assert [c.key for c in claimed[:3]] == ["K00000", "K00001", "K00002"]
    assert claimed[3] is None
    assert ledger.item_states("r") == {"in_progress": 3}


def test_outcome_closes_the_item_and_is_kept_as_history(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(1), frozenset())
    row = ledger.claim_next("r", run, "w1")
    ledger.record_outcome(row, run, Outcome.prepared("Klar", findings=[{"code": "x", "message": "Notera"}]))
    counts = ledger.finish_run(run, "completed")
    assert counts == {"prepared": 1}
    [(item, outcome)] = list(ledger.iter_run_outcomes(run))
    assert item.key == "K00000" and outcome.findings[0].message == "Notera"
    assert ledger.item_states("r") == {"done": 1}


def test_waiting_items_are_requeued_by_a_later_fetch_and_done_ones_are_not(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(2), frozenset())
    a, b = ledger.claim_next("r", run, "w"), ledger.claim_next("r", run, "w")
    ledger.record_outcome(a, run, Outcome.waiting("Väntar på komplettering"))
    ledger.record_outcome(b, run, Outcome.prepared("Klar"))
    ledger.finish_run(run, "completed")

    night2 = ledger.start_run("r")
    stats = ledger.add_items("r", night2, items(2), frozenset({Status.waiting}))
    assert stats == {"requeued": 1, "already_done": 1}
    assert ledger.claim_next("r", night2, "w").key == "K00000"


def test_a_crash_leaves_claimed_items_resumable(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(3), frozenset())
    ledger.claim_next("r", run, "w1")
    ledger.claim_next("r", run, "w2")
    # the process dies here; the next start releases what the dead workers held
    assert ledger.unfinished_runs("r")[0].id == run
    assert ledger.release_in_progress("r") == 2
    assert ledger.item_states("r") == {"new": 3}


def test_checkpoints_survive_a_new_session(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(1), frozenset())
    row = ledger.claim_next("r", run, "w")
    ledger.set_checkpoint(row.id, "submitted", {"ref": "A-1"})
    ledger.release_in_progress("r")
    again = ledger.claim_next("r", run, "w")
    assert again.checkpoints == {"submitted": {"ref": "A-1"}}


def test_missed_runs_are_recorded(ledger):
    from datetime import UTC, datetime

    run_id = ledger.record_missed_run("r", datetime(2026, 11, 23, 0, 30, tzinfo=UTC), "Datorn var avstängd")
    run = ledger.get_run(run_id)
    assert run.status == "missed" and run.reason == "Datorn var avstängd"
