"""The ledger on SQLite and on PostgreSQL: the same behaviour, the same tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from runner.api import Outcome, Status, WorkItem
from runner.ledger.db import close_database, open_database
from runner.ledger.repo import LeaseLost, Ledger
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


def dead_worker() -> str:
    """The name of a process on this machine that has exited."""
    import socket
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}:w1"


def test_a_crash_leaves_claimed_items_resumable(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(3), frozenset())
    ledger.claim_next("r", run, dead_worker())
    ledger.claim_next("r", run, dead_worker())
    # the process dies here; the next start releases what the dead workers held
    assert ledger.unfinished_runs("r")[0].id == run
    assert ledger.release_abandoned("r") == 2
    assert ledger.item_states("r") == {"new": 3}


def test_checkpoints_survive_a_new_session(ledger):
    run = ledger.start_run("r")
    ledger.add_items("r", run, items(1), frozenset())
    row = ledger.claim_next("r", run, dead_worker())
    ledger.set_checkpoint(row, "submitted", {"ref": "A-1"})
    ledger.release_abandoned("r")
    again = ledger.claim_next("r", run, "w")
    assert again.checkpoints == {"submitted": {"ref": "A-1"}}


def test_one_running_run_per_robot_is_enforced_by_the_database(ledger):
    from runner.ledger.repo import RunBusy

    first = ledger.start_run("r")
    with pytest.raises(RunBusy) as busy:
        ledger.start_run("r")
    assert busy.value.run.id == first
    ledger.start_run("other")  # another robot is another run
    ledger.finish_run(first, "completed")
    ledger.start_run("r")  # once it ended, the next may start


def test_a_scheduled_start_that_ran_to_the_end_cannot_start_again(ledger):
    from datetime import UTC, datetime

    from runner.ledger.repo import NightAlreadyRun

    night = datetime(2026, 11, 21, 0, 30, tzinfo=UTC)
    run = ledger.start_run("r", trigger="schedule", scheduled_for=night)
    ledger.finish_run(run, "completed")
    with pytest.raises(NightAlreadyRun):
        ledger.start_run("r", trigger="schedule", scheduled_for=night)
    assert ledger.running_run("r") is None  # the refused start left no row behind


def test_outcomes_and_checkpoints_are_fenced_by_the_lease(ledger):
    """Issue 20: a worker whose item was taken over records nothing more (`WHERE claimed_by = me AND
    lease = mine`)."""
    from runner.ledger.repo import LeaseLost

    run = ledger.start_run("r")
    ledger.add_items("r", run, items(1), frozenset())
    mine = ledger.claim_next("r", run, "a:1:w1")
    assert ledger.renew(mine)
    ledger.release(mine)  # stands for a takeover: the item goes back and is claimed anew
    theirs = ledger.claim_next("r", run, "b:2:w1")
    assert theirs.id == mine.id and theirs.lease != mine.lease
    assert not ledger.renew(mine)
    with pytest.raises(LeaseLost):
        ledger.set_checkpoint(mine, "note", True)
    with pytest.raises(LeaseLost):
        ledger.record_outcome(mine, run, Outcome.prepared("Klar"))
    with pytest.raises(LeaseLost):
        ledger.count_attempt(mine)
    ledger.release(mine)  # a stale release leaves the new holder alone
    ledger.set_checkpoint(theirs, "note", True)
    ledger.record_outcome(theirs, run, Outcome.prepared("Klar"))
    assert ledger.finish_run(run, "completed") == {"prepared": 1}


def test_missed_runs_are_recorded(ledger):
    from datetime import UTC, datetime

    run_id = ledger.record_missed_run("r", datetime(2026, 11, 23, 0, 30, tzinfo=UTC), "Datorn var avstängd")
    run = ledger.get_run(run_id)
    assert run.status == "missed" and run.reason == "Datorn var avstängd"


def test_a_silent_workers_item_is_taken_over_when_its_lease_runs_out(request, tmp_path):
    """Issue 20, point 5 (PostgreSQL): a worker on another machine that dies holding an item leaves it
    `in_progress`; the others wait for its lease instead of ending the run with the item stranded, then
    take it over. Claims name the worker's host and pid."""
    import time

    with pg_schema_url(request.getfixturevalue("postgres_url")) as url:
        ledger = Ledger(open_database(url)[1])
        run = ledger.start_run("r")
        ledger.add_items("r", run, items(2), frozenset())
        dead = ledger.claim_next("r", run, "host-b:4242:w1", lease_seconds=1)
        mine = ledger.claim_next("r", run, "host-a:17:w1")
        assert (dead.claimed_by, mine.claimed_by) == ("host-b:4242:w1", "host-a:17:w1")
        ledger.record_outcome(mine, run, Outcome.prepared("Klar"))
        assert ledger.claim_next("r", run, "host-a:17:w1") is None  # host-b's lease still holds…
        assert ledger.held_elsewhere("r", "host-a:17") is not None  # …so the run is not over
        while ledger.held_elsewhere("r", "host-a:17") is not None and (taken := ledger.claim_next("r", run, "host-a:17:w1")) is None:
            time.sleep(0.2)  # until host-b's lease runs out (a second)
        assert taken.id == dead.id and taken.attempts == dead.attempts
        ledger.record_outcome(taken, run, Outcome.prepared("Klar"))
        with pytest.raises(LeaseLost):
            ledger.record_outcome(dead, run, Outcome.prepared("Klar"))  # host-b, were it to come back
        assert ledger.finish_run(run, "completed") == {"prepared": 2}
        close_database(url)
