"""Faults switch on and off at run time, apply to every route but /_admin, and are reproducible."""

from __future__ import annotations

import time

import httpx
import pytest

from fixtures.server import RunningSystems
from tests.fixtures_common.helpers import API_KEY, login
from tests.support.conditions import slowdown


def test_down_answers_503_in_swedish_everywhere_but_admin(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    systems.set_faults("example", down=True)
    for path in ("/cases", "/login", "/cases/C0001"):
        response = web.get(path)
        assert response.status_code == 503
        assert "Systemet är tillfälligt otillgängligt" in response.text
    assert systems.state("example")["cases"]  # admin still answers
    systems.set_faults("example", down=False)
    assert web.get("/cases").status_code == 200


def test_error_rate_one_fails_every_request_with_500_or_503(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    systems.set_faults("example", error_rate=1.0)
    statuses = {web.get("/cases").status_code for _ in range(20)}
    assert statuses == {500, 503}
    systems.set_faults("example", error_rate=0.0)
    assert all(web.get("/cases").status_code == 200 for _ in range(5))


def test_error_rate_with_a_seed_is_reproducible(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)

    def run() -> list[int]:
        systems.set_faults("example", error_rate=0.4, seed=42)
        return [web.get("/cases").status_code for _ in range(30)]

    first, second = run(), run()
    assert first == second
    assert 200 in first and ({500, 503} & set(first))


def test_latency_and_jitter_are_real_delays(systems: RunningSystems, web: httpx.Client) -> None:
    # a second of latency stands well apart from a busy machine's slowest plain answer
    login(web)
    systems.set_faults("example", latency_ms=1000, jitter_ms=100)
    started = time.perf_counter()
    web.get("/cases")
    assert time.perf_counter() - started >= 1.0
    started = time.perf_counter()
    web.get("/_admin/state")
    assert time.perf_counter() - started < 0.9 * slowdown()  # admin is never slowed
    systems.set_faults("example", latency_ms=0, jitter_ms=0)
    started = time.perf_counter()
    web.get("/cases")
    assert time.perf_counter() - started < 0.9


def test_changed_page_renames_ids_and_labels(systems: RunningSystems, web: httpx.Client) -> None:
    systems.set_faults("example", changed_pages=["login", "cases"])
    page = web.get("/login").text
    assert 'id="username"' not in page and 'id="anvandar-id"' in page and "Användar-ID" in page
    login(web)  # the field names are the same, so a person can still log in
    assert 'id="arendetabell"' in web.get("/cases").text
    systems.set_faults("example", changed_pages=[])
    assert 'id="cases"' in web.get("/cases").text
    assert 'id="username"' in web.get("/login").text


def test_faults_api_is_partial_validated_and_reset_restores_the_scenario(systems: RunningSystems) -> None:
    url = f"{systems.url('example')}/_admin/faults"
    assert httpx.get(url).json()["seed"] == 1  # from the scenario
    after = httpx.post(url, json={"latency_ms": 5}).json()
    assert after["latency_ms"] == 5 and after["session_ttl_seconds"] == 1800 and after["seed"] == 1
    bad = httpx.post(url, json={"error_rate": 2})
    assert bad.status_code == 422 and bad.json()["error"].startswith("error_rate:")
    assert httpx.post(url, json={"no_such_fault": 1}).status_code == 422
    assert httpx.post(url, json=[1]).status_code == 422
    systems.reset("example")
    assert httpx.get(url).json()["latency_ms"] == 0


def test_api_system_uses_the_api_key_and_answers_faults_in_json(systems: RunningSystems) -> None:
    base = systems.url("exampleapi")
    missing = httpx.get(f"{base}/api/values/a")
    assert missing.status_code == 401 and "API-nyckel" in missing.json()["error"]
    assert httpx.get(f"{base}/api/values/a", headers={"X-Api-Key": "fel-nyckel-123"}).status_code == 401
    ok = httpx.get(f"{base}/api/values/a", headers={"X-Api-Key": API_KEY})
    assert ok.json() == {"key": "a", "value": 1}
    systems.set_faults("exampleapi", down=True)
    down = httpx.get(f"{base}/api/values/a", headers={"X-Api-Key": API_KEY})
    assert down.status_code == 503 and down.json()["status"] == 503
    assert down.headers["retry-after"] == "60"
    assert httpx.get(f"{base}/login").status_code == 503  # no login pages on an API, and it is down


@pytest.mark.parametrize("fault", [{"latency_ms": -1}, {"jitter_ms": "x"}, {"down": "kanske"}, {"session_ttl_seconds": 0}])
def test_bad_fault_values_are_refused(systems: RunningSystems, fault: dict) -> None:
    assert httpx.post(f"{systems.url('example')}/_admin/faults", json=fault).status_code == 422
