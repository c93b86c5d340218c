"""A stop asked for through the ledger (the Drift page, `nattskift stop`, a queue worker's circuit
breaker) reaches the run wherever it runs, through its lease heartbeat, and keeps its cause: a breaker
tripped in a worker is counted as a breaker trip by the metrics, an operator's stop as the operator's."""

from __future__ import annotations

import threading

import pytest

from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from runner.testing import run_robot
from tests.support.waits import wait_until


@pytest.mark.parametrize(("cause", "reason"), [
    ("operator", "Körningen stoppades av driften (drift)"),
    ("system_down", "Systemet verkar nere: 5 tekniska fel i rad, körningen stoppades"),
])
def test_a_stop_in_the_ledger_stops_the_run_with_its_cause(target, tiny_settings, cause: str, reason: str) -> None:
    server = target(6)
    server.state.hold_keys = {"A002"}  # the stand-in holds this answer: the run is still going when asked
    settings = tiny_settings(server, concurrency=1)
    settings.workers.lease_seconds = 3  # the heartbeat that reads the request: every second
    ledger = Ledger(open_database(settings.database_url())[1])
    box: dict[str, object] = {}
    thread = threading.Thread(target=lambda: box.update(result=run_robot("tiny", settings)))
    thread.start()
    try:
        wait_until(lambda: server.state.held == ["A002"], "the run reached A002")
        run = ledger.running_run("tiny")
        assert run is not None
        ledger.request_run_stop(run.id, reason, cause)
        log = settings.data_dir / "logs" / "runs" / f"{run.id}.jsonl"
        wait_until(lambda: "run.stop_requested" in log.read_text(encoding="utf-8"), "the engine read the request")
    finally:
        server.state.release.set()
        thread.join(timeout=300)
    result = box["result"]
    assert result.run.status == "interrupted" and result.run.stop_cause == cause  # type: ignore[attr-defined]
    assert result.run.reason.startswith(reason)  # type: ignore[attr-defined]
    stored = ledger.get_run(result.run.id)  # type: ignore[attr-defined]
    assert stored is not None and stored.stop_cause == cause
    assert ledger.item_states("tiny") == {"done": 3, "new": 3}  # A002 in flight finished; the rest wait
