"""The engine's promises, shown with the tiny robot against a tiny target system in real Chromium.

The target counts writes per key on its own side: that is what "exactly once" is measured by.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from runner.api import Status
from runner.testing import make_settings, run_robot
from tests.engine.conftest import ROBOT_DIR


def test_workers_really_overlap(target, tiny_settings):
    server = target(8)
    server.state.latency = 0.3  # each request takes 300 ms, so overlap is visible on the target side
    settings = tiny_settings(server, concurrency=4)

    result = run_robot("tiny", settings)

    assert result.run.status == "completed"
    assert result.run.counts == {"prepared": 8}
    assert server.state.max_in_flight >= 4
    assert all(n == 1 for n in server.state.writes.values()) and len(server.state.writes) == 8


def test_technical_error_is_retried_then_failed_with_screenshot_and_trace(target, tiny_settings):
    server = target(3)
    server.state.fail_keys = {"A001"}
    settings = tiny_settings(server, concurrency=1, max_attempts=3)
    settings.browser.trace_failures = True

    result = run_robot("tiny", settings)

    # three attempts; in each the page answered 500 and was read again twice (browser.read_retries = 2)
    assert server.state.page_views["A001"] == 3 * 3
    failed = result.outcomes["A001"]
    assert failed.status == Status.failed
    # staff read Swedish guidance; the technical detail is the item's `error`, for operations
    assert "systemet target svarade med ett serverfel" in failed.summary and "nästa körning" in failed.summary
    assert "Error" not in failed.summary
    assert result.outcomes["A000"].status == Status.prepared
    from runner.ledger.models import Outcome

    with result.ledger.sessions() as s:
        row = s.query(Outcome).filter_by(key="A001").one()
    files = [settings.data_dir / p for p in row.artifacts]
    assert any(f.suffix == ".png" and f.stat().st_size > 0 for f in files)
    assert any(f.name.endswith("trace.zip") and f.stat().st_size > 0 for f in files)
    assert row.error and row.error.startswith("SystemUnavailableError") and row.attempts == 3


def test_business_error_needs_attention_and_is_not_retried(target, tiny_settings):
    server = target(2)
    server.state.business_keys = {"A000"}
    settings = tiny_settings(server, concurrency=1)

    result = run_robot("tiny", settings)

    assert server.state.page_views["A000"] == 1
    outcome = result.outcomes["A000"]
    assert outcome.status == Status.needs_attention
    assert outcome.summary == "Ärendet är spärrat och måste hanteras av en handläggare"
    assert outcome.findings[0].code == "blocked"
    assert server.state.writes["A000"] == 0


def test_circuit_breaker_stops_the_run_and_leaves_items_new(target, tiny_settings):
    server = target(10)
    server.state.fail_keys = {f"A{i:03d}" for i in range(10)}  # the system answers 500 on every case
    settings = tiny_settings(server, concurrency=1, circuit_breaker=3, max_attempts=3)

    result = run_robot("tiny", settings)

    assert result.run.status == "interrupted"
    assert result.run.reason.startswith("Systemet verkar nere")
    assert "10 ärenden ligger kvar" in result.run.reason
    assert result.ledger.item_states("tiny") == {"new": 10}
    assert result.ledger.get_run(result.run.id).stop_cause == "system_down"  # what monitoring counts as a trip
    assert sum(server.state.page_views.values()) == 3 * 3  # stopped after three failed attempts (3 reads each)

    server.state.fail_keys = set()  # the system is back: the next run completes every item
    again = run_robot("tiny", settings)
    assert again.run.status == "completed"
    assert again.run.counts == {"prepared": 10}
    assert set(server.state.writes.values()) == {1}


def test_deadline_leaves_the_rest_new_and_says_so(target, tiny_settings):
    from runner.engine import Engine, run_coroutine
    from runner.plugins import add_robot_dirs, get_robot

    server = target(30)
    server.state.latency = 0.2
    settings = tiny_settings(server, concurrency=1)
    add_robot_dirs(settings.robot_dirs)
    engine = Engine(settings, get_robot("tiny"))

    def progress(event: str, **data) -> None:
        if event == "fetched" and data.get("done"):  # the deadline falls two seconds into the work
            engine.deadline = datetime.now(UTC) + timedelta(seconds=2)

    engine.progress = progress
    summary = run_coroutine(engine.run)

    assert summary.status == "interrupted"
    assert summary.reason.startswith("Tidsgränsen")
    done = summary.counts.get("prepared", 0)
    assert 0 < done < 30
    assert summary.counts["not_reached"] == 30 - done
    left = f"{30 - done} " + ("ärende" if 30 - done == 1 else "ärenden")  # "1 ärende", "2 ärenden"
    assert f"{left} ligger kvar till nästa körning" in summary.reason
    assert sum(server.state.writes.values()) == done

    rest = run_robot("tiny", settings)
    assert rest.run.counts == {"prepared": 30 - done}
    assert len(server.state.writes) == 30 and set(server.state.writes.values()) == {1}


def test_stop_request_finishes_items_in_flight_and_keeps_the_rest(target, tiny_settings):
    server = target(40)
    server.state.latency = 0.15
    settings = tiny_settings(server, concurrency=2)
    stop = threading.Event()

    def progress(event: str, **data) -> None:
        if event == "fetched" and data.get("done"):  # the operator stops it two seconds into the work
            threading.Timer(2.0, stop.set).start()

    result = run_robot("tiny", settings, stop_event=stop, progress=progress)

    assert result.run.status == "interrupted"
    assert "stoppades av driften" in result.run.reason
    done = result.run.counts.get("prepared", 0)
    assert 0 < done < 40
    assert sum(server.state.writes.values()) == done  # nothing half-done: every write is recorded
    assert result.ledger.item_states("tiny") == {"done": done, "new": 40 - done}


def test_expired_session_logs_in_again(target, tiny_settings):
    server = target(12)
    server.state.latency = 0.1
    settings = tiny_settings(server, concurrency=2)
    threading.Timer(2.5, lambda: setattr(server.state, "session_version", 1)).start()

    result = run_robot("tiny", settings)

    assert result.run.status == "completed"
    assert server.state.writes == {key: 1 for key in server.state.keys}  # every case written, none twice
    # A session that expires between a write and its read-back sends that attempt to the login page; the
    # retry logs in, reads back, and finds the case saved ("Redan sparat"): skipped, not written again.
    assert {o.summary for o in result.outcomes.values() if o.status.value == "skipped"} <= {"Redan sparat"}
    assert set(result.run.counts) <= {"prepared", "skipped"} and sum(result.run.counts.values()) == 12
    assert server.state.logins >= 3  # fetch + two workers, plus the logins after the expiry


def test_dry_run_writes_nothing_and_the_real_run_still_does_everything(target, tiny_settings):
    server = target(5)
    settings = tiny_settings(server, concurrency=2)

    dry = run_robot("tiny", settings, dry_run=True)

    assert dry.run.dry_run and dry.run.status == "completed"
    assert {o.summary for o in dry.outcomes.values()} == {"Skulle sparas (provkörning)"}
    assert sum(server.state.writes.values()) == 0
    assert dry.ledger.item_states("tiny") == {"new": 5}

    real = run_robot("tiny", settings)
    assert real.run.counts == {"prepared": 5}
    assert set(server.state.writes.values()) == {1}


def test_a_key_already_done_is_not_processed_again(target, tiny_settings):
    server = target(4)
    settings = tiny_settings(server, concurrency=2)
    run_robot("tiny", settings)
    views = sum(server.state.page_views.values())

    again = run_robot("tiny", settings)

    assert again.run.fetched == {"already_done": 4}
    assert again.outcomes == {}
    assert sum(server.state.page_views.values()) == views


def test_limit_processes_only_that_many(target, tiny_settings):
    server = target(6)
    settings = tiny_settings(server, concurrency=1)

    result = run_robot("tiny", settings, limit=2)

    assert result.run.counts["prepared"] == 2
    assert result.ledger.item_states("tiny") == {"done": 2, "new": 4}


def test_run_log_is_json_lines_with_run_and_item_bound(target, tiny_settings):
    import json

    server = target(2)
    settings = tiny_settings(server, concurrency=1)
    result = run_robot("tiny", settings)

    lines = [json.loads(x) for x in (Path(settings.data_dir) / "logs" / "runs" / f"{result.run.id}.jsonl").read_text().splitlines()]
    done = [x for x in lines if x["event"] == "item.done"]
    assert {x["item_key"] for x in done} == {"A000", "A001"}
    assert all(x["run_id"] == result.run.id and x["robot"] == "tiny" for x in lines)


def test_the_engine_runs_the_same_on_postgresql(target, tmp_path, postgres_url):
    from runner.ledger.db import close_database
    from runner.testing import make_settings
    from tests.engine.conftest import ROBOT_DIR
    from tests.support.pg import pg_schema_url

    server = target(6)
    server.state.fail_keys = {"A002"}
    with pg_schema_url(postgres_url) as url:
        settings = make_settings(
            tmp_path, systems=server, robot_dirs=[ROBOT_DIR], robots={"tiny": {"concurrency": 3}}, database={"url": url}
        )
        result = run_robot("tiny", settings)
        assert result.run.counts == {"prepared": 5, "failed": 1}
        assert set(server.state.writes.values()) == {1} and len(server.state.writes) == 5
        assert result.ledger.dialect == "postgresql"
        close_database(url)


def test_a_live_run_on_another_machine_is_not_taken_over(target, tiny_settings):
    import pytest
    from sqlalchemy import update

    from runner.engine import AlreadyRunning
    from runner.ledger.models import Run

    server = target(3)
    settings = tiny_settings(server, concurrency=1)
    first = run_robot("tiny", settings, limit=1)
    with first.ledger.sessions.begin() as s:  # make it look like a run still going on another host
        s.execute(update(Run).where(Run.id == first.run.id).values(
            status="running", host="nattskift-2", pid=4242, owner="nattskift-2:4242",
            lease_until=datetime.now(UTC) + timedelta(hours=1),  # renewed a moment ago
        ))

    with pytest.raises(AlreadyRunning, match="already running .*process nattskift-2:4242"):
        run_robot("tiny", settings)
    assert sum(server.state.writes.values()) == 1



def _fresh_after(settings, pages: int, contexts: int = 0):
    browser = settings.browser.model_copy(update={"fresh_page_after_items": pages, "fresh_context_after_items": contexts})
    return settings.model_copy(update={"browser": browser})


def _with_and_without_renewal(target, tiny_settings, tmp_path, *, pages: int, contexts: int):
    """Ten items on one worker twice, on two systems and two ledgers: never renewing, and renewing."""
    kept, fresh = target(10), target(10)
    never = run_robot("tiny", _fresh_after(tiny_settings(kept, concurrency=1), 0, 0))
    (tmp_path / "fresh").mkdir()
    settings = make_settings(tmp_path / "fresh", systems=fresh, robot_dirs=[ROBOT_DIR], robots={"tiny": {"concurrency": 1}})
    renewing = run_robot("tiny", _fresh_after(settings, pages, contexts))
    assert never.run.counts == renewing.run.counts == {"prepared": 10}
    assert sum(fresh.state.writes.values()) == 10  # every write once
    log = settings.data_dir / "logs" / "runs" / f"{renewing.run.id}.jsonl"
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    return fresh.state.logins - kept.state.logins, events


def test_a_worker_gets_fresh_pages_every_n_items_without_logging_in_again(target, tiny_settings, tmp_path):
    """A renderer serving one page all night grows with every item; the worker replaces its pages every
    `browser.fresh_page_after_items` items, in the same context, so memory stays flat and the session
    (cookies) is kept."""
    extra_logins, events = _with_and_without_renewal(target, tiny_settings, tmp_path, pages=4, contexts=0)

    assert extra_logins == 0  # the new pages share the context's session
    assert events.count("browser.pages_renewed") == 2  # after items 4 and 8


def test_a_worker_gets_a_fresh_context_and_logs_in_again_every_m_items(target, tiny_settings, tmp_path):
    """Playwright keeps every request of a context until the context closes; the worker starts a fresh
    one every `browser.fresh_context_after_items` items and logs in again there."""
    extra_logins, events = _with_and_without_renewal(target, tiny_settings, tmp_path, pages=0, contexts=4)

    assert extra_logins == 2  # items 1–4 in the first context, 5–8 in a second, 9–10 in a third
    assert events.count("browser.context_renewed") == 2
