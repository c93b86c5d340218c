"""`/healthz` and `/metrics`: what a load balancer and the municipality's Prometheus read.

The ledger is written by hand below (runs and items as a night leaves them), so every number the
scrape shows is worked out here from those rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from fastapi.testclient import TestClient

from runner.api import Outcome, Status, WorkItem
from runner.ledger.db import open_database
from runner.ledger.models import Run
from runner.ledger.repo import Ledger
from runner.testing import make_settings
from runner.web.app import create_app

TOKEN = "skrapnyckel-for-prometheus-0123"
T0 = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)  # 01:30 in Stockholm


def _settings(tmp_path: Path, **metrics: object):  # type: ignore[no-untyped-def]
    tmp_path.mkdir(parents=True, exist_ok=True)
    return make_settings(tmp_path, metrics=metrics)


def _run(ledger: Ledger, robot: str, status: str, start: datetime, minutes: float, *, cause: str | None = None,
         dry_run: bool = False) -> str:
    run_id = ledger.start_run(robot, dry_run=dry_run)
    ledger.finish_run(run_id, status, None, stop_cause=cause)
    with ledger.sessions.begin() as s:
        s.execute(update(Run).where(Run.id == run_id).values(started_at=start, ended_at=start + timedelta(minutes=minutes)))
    return run_id


def _night(settings) -> None:  # type: ignore[no-untyped-def]
    """Ronney: a completed night (10 min), then a night stopped on the breaker (4 min) that left items;
    HaRry: a dry run that completed (it does not count as a success), and one missed night."""
    ledger = Ledger(open_database(settings.database_url())[1])
    _run(ledger, "ronney", "completed", T0, 10)
    stopped = _run(ledger, "ronney", "interrupted", T0 + timedelta(days=1), 4, cause="system_down")
    ledger.add_items("ronney", stopped, [WorkItem(key=f"R{i}", title=f"Ärende {i}") for i in range(5)], frozenset())
    for key, outcome in (("R0", Outcome.prepared("klart")), ("R1", Outcome(status=Status.failed, summary="tekniskt fel"))):
        row = ledger.claim_next("ronney", stopped, "test:1")
        assert row is not None and row.key == key
        ledger.record_outcome(row, stopped, outcome)
    _run(ledger, "harry", "completed", T0, 2, dry_run=True)
    ledger.record_missed_run("harry", T0 + timedelta(days=1), "Missad")


def _scrape(client: TestClient, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_count_the_night_from_the_ledger(tmp_path: Path) -> None:
    _check_the_night(_settings(tmp_path, token=TOKEN))


@pytest.mark.postgres
def test_metrics_count_the_night_from_a_postgresql_ledger(tmp_path: Path, postgres_url: str) -> None:
    from runner.ledger.db import close_database
    from tests.support.pg import pg_schema_url

    with pg_schema_url(postgres_url) as url:
        try:
            _check_the_night(make_settings(tmp_path, metrics={"token": TOKEN}, database={"url": url}))
        finally:
            close_database(url)


def _check_the_night(settings) -> None:  # type: ignore[no-untyped-def]
    _night(settings)
    with TestClient(create_app(settings)) as client:
        m = _scrape(client, authorization=f"Bearer {TOKEN}")

    def v(name: str, **labels: str) -> float:
        return m[(name, tuple(sorted(labels.items())))]

    # items: R0 prepared, R1 failed (done, left to retry), R2–R4 still new: 3 left
    assert v("nattskift_items", robot="ronney", status="prepared") == 1
    assert v("nattskift_items", robot="ronney", status="failed") == 1
    assert v("nattskift_items", robot="ronney", status="new") == 3
    assert v("nattskift_items_left", robot="ronney") == 3
    assert v("nattskift_items_left", robot="harry") == 0
    # runs by how they ended
    assert v("nattskift_runs_total", robot="ronney", status="completed") == 1
    assert v("nattskift_runs_total", robot="ronney", status="interrupted") == 1
    assert v("nattskift_runs_total", robot="harry", status="missed") == 1
    # durations: ronney 10 min and 4 min = 600 s + 240 s; both within the 900 s bucket, neither within 60 s
    assert v("nattskift_run_duration_seconds_count", robot="ronney") == 2
    assert v("nattskift_run_duration_seconds_sum", robot="ronney") == 840
    assert v("nattskift_run_duration_seconds_bucket", robot="ronney", le="900.0") == 2
    assert v("nattskift_run_duration_seconds_bucket", robot="ronney", le="300.0") == 1
    assert v("nattskift_run_duration_seconds_bucket", robot="ronney", le="60.0") == 0
    assert v("nattskift_last_run_duration_seconds", robot="ronney") == 240
    # last success: the completed night ended at T0 + 10 min; HaRry's only completed run was a dry run
    assert v("nattskift_last_success_timestamp_seconds", robot="ronney") == (T0 + timedelta(minutes=10)).timestamp()
    assert v("nattskift_last_success_timestamp_seconds", robot="harry") == 0
    # the breaker stopped ronney's latest run
    assert v("nattskift_breaker_trips_total", robot="ronney") == 1
    assert v("nattskift_breaker_open", robot="ronney") == 1
    assert v("nattskift_breaker_open", robot="harry") == 0
    assert v("nattskift_run_running", robot="ronney") == 0
    assert v("nattskift_robot_paused", robot="ronney") == 0


def test_metrics_need_the_token_or_an_allowed_address(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path / "off"))) as client:
        off = client.get("/metrics")
        assert off.status_code == 404 and "metrics.token" in off.text

    with TestClient(create_app(_settings(tmp_path / "token", token=TOKEN))) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"authorization": "Bearer fel-nyckel"}).status_code == 401
        assert client.get("/metrics", headers={"authorization": f"Basic {TOKEN}"}).status_code == 401
        assert client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200

    app = create_app(_settings(tmp_path / "allow", allow=["10.20.0.0/24"]))
    with TestClient(app, client=("10.20.0.5", 40000)) as client:
        assert client.get("/metrics").status_code == 200
    with TestClient(app, client=("10.21.0.5", 40000)) as client:
        assert client.get("/metrics").status_code == 403


def test_metrics_allow_list_reads_the_client_behind_a_trusted_proxy(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, metrics={"allow": ["10.20.0.5"]}, web={"trusted_proxies": ["127.0.0.1"]})
    with TestClient(create_app(settings), client=("127.0.0.1", 40000)) as client:
        assert client.get("/metrics", headers={"x-forwarded-for": "10.20.0.5"}).status_code == 200
        # the proxy itself is not the scraper: a request it forwards for someone else is refused
        assert client.get("/metrics", headers={"x-forwarded-for": "192.0.2.9"}).status_code == 403


def test_the_token_is_a_secret_in_the_settings(tmp_path: Path) -> None:
    settings = _settings(tmp_path, token=TOKEN)
    assert TOKEN not in repr(settings.metrics) and TOKEN not in str(settings.model_dump())


def test_a_bad_allow_entry_is_named(tmp_path: Path) -> None:
    from runner.settings import SettingsError

    with pytest.raises(SettingsError, match="10.0.0.300"):
        _settings(tmp_path, allow=["10.0.0.300"])


def test_healthz_answers_without_login_and_says_when_the_ledger_is_gone(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json() == {"status": "ok", "database": "ok"}
        # the ledger's file is replaced by something that is not a database (a failed mount): new
        # connections cannot open it
        engine, _ = open_database(settings.database_url())
        db = settings.data_dir / "nattskift.db"
        moved = db.with_name("flyttad.db")
        engine.dispose()
        db.rename(moved)
        db.mkdir()
        try:
            down = client.get("/healthz")
        finally:
            db.rmdir()
            moved.rename(db)
        assert down.status_code == 503 and down.json() == {"status": "unavailable", "database": "unreachable"}
        assert client.get("/healthz").status_code == 200


def test_the_example_alerts_use_metrics_the_app_exports(tmp_path: Path) -> None:
    """docs/monitoring/nattskift-alerts.yml names only metrics (and labels) that a scrape has."""
    import re

    rules = (Path(__file__).resolve().parents[2] / "docs" / "monitoring" / "nattskift-alerts.yml").read_text("utf-8")
    settings = _settings(tmp_path, token=TOKEN)
    _night(settings)
    with TestClient(create_app(settings)) as client:
        scraped = _scrape(client, authorization=f"Bearer {TOKEN}")
    exported = {name for name, _ in scraped}
    used = set(re.findall(r"\bnattskift_[a-z_]+", rules))
    assert used and used <= exported, used - exported
    assert {"NattskiftRobotNotSucceeded", "NattskiftStoppedOnBreaker", "NattskiftFailedItemsLeft"} <= set(
        re.findall(r"alert: (\w+)", rules))
    # the breaker alert fires on the night above: ronney's latest run stopped on the breaker
    assert scraped[("nattskift_breaker_open", (("robot", "ronney"),))] == 1
