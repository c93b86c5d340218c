"""A full disk under a real robot: the ledger stops accepting writes in the middle of Ronney's night.

The engine's own tests cover this with the tiny robot (tests/engine/test_ledger_failures.py); here the
disk fills while Ronney writes journal notes: the run stops with a clear error, what was recorded is
kept, and the next start, with space again, finishes the night without writing any note twice (Ronney
reads the journal back before it writes).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from runner.engine import LedgerUnavailable
from runner.ledger.db import open_database
from runner.testing import run_robot
from tests.chaos.harness import (
    Stopwatch,
    chaos_settings,
    chaos_systems,
    duplicates,
    ledger_items,
    make_scenario,
    pending,
    robot_writes,
)
from tests.chaos.profiles import RONNEY

pytestmark = pytest.mark.chaos


def _cap_ledger(settings, pages: int) -> None:
    """SQLite refuses to grow past `pages` pages (SQLITE_FULL), as on a full disk."""
    engine, _ = open_database(settings.database_url())

    @event.listens_for(engine, "connect")
    def cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()  # the pool's new connections get the cap


def _used_pages(settings) -> int:
    engine, _ = open_database(settings.database_url())
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)


def test_a_full_disk_mid_night_keeps_the_record_and_the_rerun_writes_nothing_twice(tmp_path, figures):
    profile = RONNEY
    clock = Stopwatch()
    scenario = make_scenario(profile, profile.small_size)
    with chaos_systems(scenario) as (systems, _):
        settings = chaos_settings(tmp_path, systems, profile, concurrency=2)
        done = 0

        def fill_disk_after_five(event: str, **info: object) -> None:
            nonlocal done
            if event == "item":
                done += 1
                if done == 5:
                    _cap_ledger(settings, _used_pages(settings))

        with pytest.raises(LedgerUnavailable, match="could not be written") as stopped:
            run_robot(profile.name, settings, progress=fill_disk_after_five)
        recorded = {k: r for k, r in ledger_items(settings, profile.name).items() if r.state == "done"}
        assert "start the robot again to resume" in str(stopped.value)

        _cap_ledger(settings, 1_000_000)  # space freed
        again = run_robot(profile.name, settings)
        items = ledger_items(settings, profile.name)
        writes = robot_writes(systems, scenario, profile)

    assert len(recorded) >= 5
    assert all(items[k].status == r.status and items[k].summary == r.summary for k, r in recorded.items())
    assert again.run.status == "completed", again.run.reason
    assert pending(items) == []
    assert duplicates(writes) == 0
    figures.add("ledger_full", profile.name, items=len(items), runs=2, recorded_before_full=len(recorded),
                lost=0, duplicated=duplicates(writes), seconds=clock.seconds)
