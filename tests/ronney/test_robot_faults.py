"""Ronney when a system misbehaves: SSBTEK down, a wrong API key, a changed page in ekonomi."""

from __future__ import annotations

import time

from pydantic import SecretStr

from runner.api import Status

from tests.ronney.conftest import ronney_notes, run_ronney, statuses
from tests.ronney.test_golden import EXPECTED
from tests.support.conditions import slowdown


def test_ssbtek_down_means_no_calculation_no_note_and_no_status_change(tmp_path, golden):
    before = statuses(golden)
    golden.set_faults("ssbtek", down=True)
    result = run_ronney(tmp_path, golden)
    assert result.run.status == "completed"
    by_status = {}
    for key, outcome in result.outcomes.items():
        by_status.setdefault(outcome.status, set()).add(key.split(":")[0])
        assert "amount" not in outcome.data  # nothing was calculated
    # supplements are checked before SSBTEK: 1006 is past due, 1007 still within time, 1018 not Ronney's
    assert by_status[Status.waiting] == {"1007"}
    assert by_status[Status.skipped] == {"1018"}
    assert Status.prepared not in by_status
    read_failures = {k.split(":")[0] for k, o in result.outcomes.items() if [f.code for f in o.findings] == ["SSBTEK_LASFEL"]}
    assert read_failures == by_status[Status.needs_attention] - {"1006"}
    assert read_failures == set(EXPECTED) - {"1006", "1007", "1018"}  # every other case of the golden night
    assert "tjänsten svarade 503" in result.outcomes["1001:2025-12"].findings[0].message
    assert all(notes == [] for notes in ronney_notes(golden).values())
    assert statuses(golden) == before


def test_a_wrong_ssbtek_key_stops_the_run(tmp_path, golden):
    from runner.testing import make_settings, run_robot

    settings = make_settings(tmp_path, systems=golden, robots={"ronney": {"concurrency": 1}})
    settings.systems["ssbtek"].api_key = SecretStr("fel-nyckel-123")
    result = run_robot("ronney", settings)
    assert "ssbtek" in (result.run.reason or "")
    assert not any(o.status == Status.prepared for o in result.outcomes.values())
    assert all(notes == [] for notes in ronney_notes(golden).values())


def test_a_changed_application_page_stops_the_run_at_once(tmp_path, golden):
    golden.set_faults("ekonomi", changed_pages=["ansokan"])
    started = time.monotonic()
    result = run_ronney(tmp_path, golden, concurrency=1)
    elapsed = time.monotonic() - started
    assert "Sidan ”Ansökan” i systemet ekonomi har ändrats" in (result.run.reason or "")
    assert result.outcomes == {}  # no case was half-done or failed; all wait for the next run
    assert result.run.counts.get("not_reached") == len(EXPECTED)  # every case Ronney fetches
    assert all(notes == [] for notes in ronney_notes(golden).values())
    assert elapsed < 60 * slowdown()  # one quick stop, not a timeout per case


def test_a_crash_between_note_and_status_is_finished_without_a_second_note(tmp_path, golden):
    """As if the last run wrote 1004's note and died before the status change: the rerun only moves it."""
    import httpx

    from runner.testing import make_settings, run_robot

    with httpx.Client(base_url=golden.url("ekonomi")) as client:
        client.post("/login", data={"username": "ronney", "password": "ekonomi-golden-1"})
        saved = client.post("/arenden/1004/anteckningar/ny",
                            data={"manad": "2025-12", "rubrik": "Underlag från Ronney – december 2025", "text": "…"})
        assert saved.status_code == 303  # saved, redirected to the journal
    settings = make_settings(tmp_path, systems=golden, robots={"ronney": {"concurrency": 1}})
    result = run_robot("ronney", settings, limit=1)  # 1004 arrived first of the Inkommen ones
    outcome = result.outcomes["1004:2025-12"]
    assert outcome.status == Status.prepared
    assert (outcome.data["note_already_there"], outcome.data["note_written"], outcome.data["status_changed"]) == (True, False, True)
    assert len(ronney_notes(golden)["1004"]) == 1
    assert statuses(golden)["1004"] == "Väntar på beslut"
