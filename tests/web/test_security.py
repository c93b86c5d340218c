"""The morning report's security findings (issue 17), each shown over HTTP as a browser would send it.

No Chromium here: these are questions about status codes, headers, cookies and the audit log, asked with
Starlette's test client against the real app over a real ledger with the demo rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from runner.ledger.db import open_database
from runner.ledger.models import AuditEntry, Outcome, User
from runner.settings import Settings
from runner.testing import make_settings
from runner.web.app import create_app
from runner.web.auth import add_user
from runner.web.sessions import _digest, web_sessions
from tests.web.conftest import NOW, PASSWORD, USERS, Clock
from tests.web.demo_data import Demo, seed

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy",
                    "permissions-policy", "cache-control")
HUGE = "99999999999999999999"
PNG = b"\x89PNG\r\n\x1a\n not really a picture"


@dataclass
class Site:
    settings: Settings
    demo: Demo
    clock: Clock
    app: Any

    @property
    def sessions(self):  # type: ignore[no-untyped-def]
        return open_database(self.settings.database_url())[1]

    def client(self, address: str = "10.1.2.3") -> TestClient:
        return TestClient(self.app, client=(address, 50000), follow_redirects=False, raise_server_exceptions=False)

    def audit_count(self, username: str, action: str) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.username == username, AuditEntry.action == action)) or 0


def _site(root: Path, **web: Any) -> Site:
    settings = make_settings(root, clock=NOW, web={"idle_minutes": 30, "session_minutes": 480, **web})
    _, sessions = open_database(settings.database_url())
    demo = seed(sessions, settings.data_dir, PNG)
    for username, (name, roles) in USERS.items():
        add_user(sessions, username, PASSWORD, roles, name)
    for n in range(3):
        add_user(sessions, f"kollega{n}", PASSWORD, ["staff:bosse"], f"Kollega {n}")
    clock = Clock()
    return Site(settings, demo, clock, create_app(settings, clock=clock))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cheap_hashes: None) -> Site:
    return _site(tmp_path_factory.mktemp("security"))


@pytest.fixture(autouse=True)
def _fresh_throttle(site: Site) -> Iterator[None]:
    site.clock.reset()
    site.clock.frozen = datetime.now(UTC)  # lock times are counted on the app's clock, stopped here
    yield
    site.clock.reset()
    site.app.state.web.throttle.reset()
    with site.sessions.begin() as s:  # the accounts' own failure counters
        s.execute(update(User).values(failed_logins=0, last_failed_at=None))


def login(client: TestClient, username: str, password: str = PASSWORD, **headers: str) -> Any:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, "the login page has no CSRF token"
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token.group(1)},
                       headers=headers)


def logged_in(site: Site, username: str, address: str = "10.1.2.3") -> TestClient:
    client = site.client(address)
    response = login(client, username)
    assert response.status_code == 303, f"{username} could not log in ({response.status_code})"
    return client


def case_url(site: Site, label: str) -> str:
    return f"/fall/{site.demo.items[label]}"


# -- artifact downloads stay inside artifacts/ ------------------------------------------------------------


def test_an_artifact_path_outside_the_artifacts_folder_is_never_served(site: Site) -> None:
    secret = (site.settings.data_dir / "web-secret").read_text(encoding="utf-8").strip()
    outcome_id = site.demo.outcomes["r_fail"]
    with site.sessions.begin() as s:
        row = s.get(Outcome, outcome_id)
        saved = list(row.artifacts)
        row.artifacts = [*saved, "web-secret", "nattskift.db", "logs/nattskift.jsonl", "artifacts/../web-secret"]
    try:
        admin = logged_in(site, "admin")
        base = f"{case_url(site, 'r_fail')}/artefakt/{outcome_id}"
        assert admin.get(f"{base}/0").status_code == 200  # the real screenshot, under artifacts/
        for index in range(len(saved), len(saved) + 4):
            response = admin.get(f"{base}/{index}")
            assert response.status_code == 404
            assert secret not in response.text
    finally:
        with site.sessions.begin() as s:
            s.get(Outcome, outcome_id).artifacts = saved


# -- every page that shows personal data is audited, one entry per view -----------------------------------


def test_every_view_of_a_page_with_personal_data_writes_one_audit_entry(site: Site) -> None:
    run = site.demo.runs["ronney"]
    views = {
        "handlaggare": [f"/korningar/{run}", f"/korningar/{run}?status=prepared", f"/korningar/{run}?sok=EB-2025&hanterade=1",
                        f"/korningar/{run}?status=not_reached"],
        "drift": [f"/korningar/{run}"],  # the technical failures, with their case references
        "admin": [f"/korningar/{run}", "/granskningslogg", "/granskningslogg?handelse=view_case", "/"],
    }
    for username, urls in views.items():
        client = logged_in(site, username)
        before = _audit_rows(site, username)
        for url in urls:
            assert client.get(url).status_code == 200
        new = _audit_rows(site, username)[len(before):]
        assert [(a, t) for a, t, _ in new] == [_expected_entry(url, run) for url in urls], \
            f"the views of {username} were not audited one by one"
    # operations see the overview's numbers only, no case: nothing to audit there
    drift = logged_in(site, "drift")
    before = _audit_rows(site, "drift")
    drift.get("/")
    assert _audit_rows(site, "drift") == before
    # the filter a list was shown with is kept, so the entry says what was on screen
    handlaggare = _audit_rows(site, "handlaggare")
    assert handlaggare[-3][2].get("status") == "prepared"


def _expected_entry(url: str, run: str) -> tuple[str, str]:
    if url.startswith("/granskningslogg"):
        return "view_audit_log", "audit_log"
    if url == "/":  # Översikt's "Börja här": the cases that need a person, with titles and summaries
        return "view_overview", "overview"
    return "view_run", f"run:{run}"


def _audit_rows(site: Site, username: str) -> list[tuple[str, str, dict[str, Any]]]:
    with site.sessions() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.target, AuditEntry.detail)
                         .where(AuditEntry.username == username, AuditEntry.action.in_(["view_run", "view_audit_log", "view_overview"]))
                         .order_by(AuditEntry.id)).all()
    return [(a, t, d or {}) for a, t, d in rows]


# -- logging in: a lock per account, a throttle per address that never refuses another account ------------


def test_failures_from_one_address_never_refuse_another_accounts_right_password(site: Site) -> None:
    client = site.client("10.9.9.9")
    # a guesser at the address (the municipality's NAT or proxy) tries many names, twice each
    for n in range(25):
        login(client, f"gissad{n % 12}", "fel-lösenord-123")
    assert login(client, "gissad3", "fel-lösenord-123").status_code == 429  # the guessed names are throttled
    # a colleague behind the same address, who got nothing wrong, is let in
    assert login(site.client("10.9.9.9"), "kollega0").status_code == 303


def test_a_locked_account_waits_even_with_its_right_password_but_others_do_not(site: Site) -> None:
    client = site.client("10.8.8.8")
    assert [login(client, "kollega1", "fel-lösenord-123").status_code for _ in range(4)] == [401] * 4
    locked = login(client, "kollega1")
    assert locked.status_code == 429
    assert "Vänta 1 sekund och försök igen." in locked.text  # 4 failures: 1 s, singular
    assert login(site.client("10.8.8.8"), "kollega2").status_code == 303
    site.clock.offset = timedelta(seconds=1.5)
    assert login(client, "kollega1").status_code == 303


def test_the_wait_is_written_in_plural_above_one_second(site: Site) -> None:
    client = site.client("10.8.8.9")
    for _ in range(4):
        login(client, "kollega1", "fel-lösenord-123")
    site.clock.offset = timedelta(seconds=1.5)  # past the 1 s lock: the 5th failure locks for 2 s
    assert login(client, "kollega1", "fel-lösenord-123").status_code == 401
    assert "Vänta 2 sekunder och försök igen." in login(client, "kollega1").text


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(tmp_path: Path, cheap_hashes: None) -> None:
    site = _site(tmp_path, trusted_proxies=["127.0.0.1", "10.0.0.0/8"])
    site.clock.frozen = datetime.now(UTC)
    proxy = site.client("127.0.0.1")
    for n in range(25):
        login(proxy, f"gissad{n % 12}", "fel-lösenord-123", **{"X-Forwarded-For": "203.0.113.5, 10.0.0.2"})
    spoofed = {"X-Forwarded-For": "203.0.113.5, 203.0.113.6"}  # the client wrote the first, the proxy added the last
    assert login(proxy, "gissad3", "fel-lösenord-123", **spoofed).status_code == 401  # 203.0.113.6 did nothing
    assert login(proxy, "gissad3", "fel-lösenord-123", **{"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    with site.sessions() as s:
        clients = {d.get("client") for d in s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "login_failed"))}
    assert clients == {"203.0.113.5", "203.0.113.6"}
    # a client that talks to the app directly cannot choose its address with the header
    direct = site.client("192.0.2.44")
    for n in range(25):
        login(direct, f"gissad{n % 12}", "fel-lösenord-123", **{"X-Forwarded-For": f"198.51.100.{n}"})
    assert login(direct, "gissad3", "fel-lösenord-123", **{"X-Forwarded-For": "198.51.100.200"}).status_code == 429


# -- out-of-range numbers, and the same headers on every error --------------------------------------------


def test_huge_numbers_in_addresses_and_forms_are_not_found_with_the_security_headers(site: Site) -> None:
    client = logged_in(site, "admin")
    item, outcome, run = site.demo.items["r_fail"], site.demo.outcomes["r_fail"], site.demo.runs["ronney"]
    case = client.get(f"/fall/{item}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', case.text).group(1)  # type: ignore[union-attr]
    responses = {
        "case": client.get(f"/fall/{HUGE}"),
        "negative case": client.get("/fall/-1"),
        "artifact outcome": client.get(f"/fall/{item}/artefakt/{HUGE}/0"),
        "artifact index": client.get(f"/fall/{item}/artefakt/{outcome}/{HUGE}"),
        "handled form": client.post(f"/fall/{item}/hanterad", data={"utfall": HUGE, "csrf_token": token}),
        "handled case": client.post(f"/fall/{HUGE}/hanterad", data={"utfall": str(outcome), "csrf_token": token}),
    }
    for what, response in responses.items():
        assert response.status_code == 404, what
        assert "Sidan finns inte" in response.text, what
        assert all(h in response.headers for h in SECURITY_HEADERS), what
    # a page number past the end shows the last page; an outcome the case does not have, its latest
    for url in (f"/fall/{item}?utfall={HUGE}", "/korningar?sida=1000000000000000000", f"/korningar/{run}?sida={HUGE}", f"/granskningslogg?sida={HUGE}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert all(h in response.headers for h in SECURITY_HEADERS), url
    for response in (client.get("/fall/abc"), client.get("/finns-inte"), client.post("/"), site.client().get("/")):
        assert all(h in response.headers for h in SECURITY_HEADERS), response.status_code


def test_an_unexpected_error_is_a_swedish_500_page_with_the_security_headers(site: Site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = logged_in(site, "admin")

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("the ledger said no")

    monkeypatch.setattr("runner.web.queries.overview", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Något gick fel" in response.text
    assert "the ledger said no" not in response.text
    assert all(h in response.headers for h in SECURITY_HEADERS)


# -- sessions ----------------------------------------------------------------------------------------------


def test_a_new_login_ends_the_browsers_old_session(site: Site) -> None:
    browser = logged_in(site, "handlaggare")
    old = browser.cookies.get("nattskift_session")
    assert browser.get("/").status_code == 200
    # someone else sits down at the same browser and logs in (the login form of a tab left open)
    fresh = site.client()
    page = fresh.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    fresh.cookies.set("nattskift_session", old, path="/")
    response = fresh.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    # the old session is gone for real: its cookie, copied before, opens nothing
    stale = site.client()
    stale.cookies.set("nattskift_session", old, path="/")
    assert stale.get("/").status_code == 303
    assert browser.get("/").status_code == 303
    with site.sessions() as s:
        assert s.scalar(select(func.count()).select_from(web_sessions).where(web_sessions.c.id == _digest(old))) == 0


# -- other robots' cases do not exist, as far as a caseworker can tell ------------------------------------


def test_other_robots_cases_and_runs_answer_404_like_ids_that_do_not_exist(site: Site) -> None:
    client = logged_in(site, "handlaggare")  # staff:ronney
    missing = client.get("/fall/999999")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(case_url(site, "r_prep0")).text).group(1)  # type: ignore[union-attr]
    harry_case = site.demo.items["h0"]
    others = [
        client.get(f"/fall/{harry_case}"),
        client.get(f"/fall/{harry_case}/artefakt/{site.demo.outcomes['h0']}/0"),
        client.post(f"/fall/{harry_case}/hanterad", data={"utfall": str(site.demo.outcomes["h0"]), "csrf_token": token}),
        client.get(f"/korningar/{site.demo.runs['harry']}"),
        client.get(f"/korningar/{site.demo.runs['harry']}/rapport.json"),
    ]
    for response in others:
        assert response.status_code == 404
        assert _heading(response.text) == _heading(missing.text)
    assert site.audit_count("handlaggare", "forbidden") >= len(others)  # the attempt is still on record
    # operations may see that a case exists (its run lists it) but not read it: a plain 403
    drift = logged_in(site, "drift")
    assert drift.get(case_url(site, "r_fail")).status_code == 403


def _heading(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return found.group(1).strip() if found else ""
