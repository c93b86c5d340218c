"""A full disk or a read-only ledger: the run stops with a clear error and nothing recorded is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from runner.engine import LedgerUnavailable
from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from runner.testing import run_robot


def _cap_sqlite_file(settings, pages: int) -> None:
    """Make the ledger's disk 'full': SQLite refuses to grow past `pages` pages (SQLITE_FULL)."""
    engine, _ = open_database(settings.database_url())

    @event.listens_for(engine, "connect")
    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()  # new connections get the cap


def test_a_full_disk_stops_the_run_clearly_and_keeps_what_was_recorded(target, tiny_settings):
    server = target(40)
    settings = tiny_settings(server, concurrency=2)
    first = run_robot("tiny", settings, limit=5)  # five cases done and recorded before the disk fills
    assert first.run.counts == {"prepared": 5, "not_reached": 35}
    engine, _ = open_database(settings.database_url())
    with engine.connect() as conn:
        used = conn.exec_driver_sql("PRAGMA page_count").scalar()
    _cap_sqlite_file(settings, used)  # not one page more: the next new page fails

    with pytest.raises(LedgerUnavailable, match="could not be written: .*full") as info:
        run_robot("tiny", settings)
    assert "start the robot again to resume" in str(info.value)

    _cap_sqlite_file(settings, 1_000_000)  # space freed
    again = run_robot("tiny", settings)
    ledger = Ledger(open_database(settings.database_url())[1])
    assert ledger.item_states("tiny") == {"done": 40}
    assert len(server.state.writes) == 40 and set(server.state.writes.values()) == {1}
    assert again.run.status == "completed"


def test_a_read_only_ledger_stops_the_run_before_any_work(target, tiny_settings):
    server = target(5)
    settings = tiny_settings(server, concurrency=1)
    run_robot("tiny", settings, limit=1)
    engine, _ = open_database(settings.database_url())

    @event.listens_for(engine, "connect")
    def read_only(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA query_only = ON")

    engine.dispose()
    with pytest.raises(LedgerUnavailable, match="readonly"):
        run_robot("tiny", settings)
    assert sum(server.state.writes.values()) == 1  # nothing was done that could not be recorded
