"""The common web-system behaviour: login, session expiry, paging, form errors, admin state."""

from __future__ import annotations

import re
import time

import httpx

from fixtures.server import RunningSystems
from tests.fixtures_common.helpers import PASSWORD, USERNAME, login


def test_pages_need_login_and_remember_where_you_were_going(web: httpx.Client) -> None:
    response = web.get("/cases", params={"page": 2})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/cases%3Fpage%3D2"
    form = web.get(response.headers["location"])
    assert 'id="username"' in form.text and 'id="password"' in form.text
    assert "Användarnamn" in form.text and "Lösenord" in form.text and "Logga in" in form.text
    assert 'lang="sv"' in form.text


def test_wrong_password_is_refused_in_swedish(web: httpx.Client) -> None:
    response = web.post("/login", data={"username": USERNAME, "password": "fel"})
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.text
    assert "example_session" not in response.cookies
    assert web.get("/cases").status_code == 303


def test_login_leads_to_next_then_home_and_logout_ends_the_session(web: httpx.Client) -> None:
    response = login(web, "/cases?page=2")
    assert (response.status_code, response.headers["location"]) == (303, "/cases?page=2")
    assert "Sida 2 av 3" in web.get("/cases?page=2").text
    web.get("/logout")
    assert web.get("/cases").status_code == 303
    assert login(web).headers["location"] == "/cases"


def test_login_never_redirects_to_another_host(web: httpx.Client) -> None:
    assert login(web, "//evil.example/").headers["location"] == "/cases"
    assert login(web, "https://evil.example/").headers["location"] == "/cases"


def test_a_forged_cookie_is_not_a_session(web: httpx.Client) -> None:
    web.cookies.set("example_session", "eyJ1IjoiZXhlbXBlbCIsInQiOjl9.forged")
    assert web.get("/cases").status_code == 303


def test_session_expires_ttl_seconds_after_login(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    assert web.get("/cases").status_code == 200
    systems.set_faults("example", session_ttl_seconds=1)
    time.sleep(1.1)
    expired = web.get("/cases/C0001")
    assert (expired.status_code, expired.headers["location"]) == (303, "/login?next=/cases/C0001")
    assert "sessionen gått ut" in web.get(expired.headers["location"]).text or "session gått ut" in web.get(expired.headers["location"]).text
    login(web)
    assert web.get("/cases").status_code == 200


def test_paging_25_per_page_with_swedish_pager(web: httpx.Client) -> None:
    login(web)
    first = web.get("/cases").text
    assert "Sida 1 av 3" in first and "Nästa" in first and 'id="pager-prev"' not in first
    assert len(re.findall(r'<a href="/cases/C\d{4}">', first)) == 25
    last = web.get("/cases", params={"page": 3}).text
    assert len(re.findall(r'<a href="/cases/C\d{4}">', last)) == 10
    assert 'id="pager-next"' not in last and 'href="/cases?page=2"' in last
    assert "Sida 3 av 3" in web.get("/cases", params={"page": 99}).text
    assert "Sida 1 av 3" in web.get("/cases", params={"page": "x"}).text


def test_refused_form_is_rerendered_with_field_errors(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    response = web.post("/cases/C0003/notes", data={"text": "  "})
    assert response.status_code == 422
    assert 'id="form-errors"' in response.text
    assert 'id="text-error"' in response.text and "Fältet måste fyllas i." in response.text
    too_long = web.post("/cases/C0003/notes", data={"text": "x" * 101})
    assert "högst 100 tecken" in too_long.text and "x" * 101 in too_long.text  # what the user typed is kept
    assert systems.state("example")["cases"][3]["notes"] == []


def test_accepted_form_is_stored_once_and_shown_with_a_flash(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    response = web.post("/cases/C0003/notes", data={"text": "Begär kontoutdrag"})
    assert (response.status_code, response.headers["location"]) == (303, "/cases/C0003")
    page = web.get("/cases/C0003")
    assert 'id="flash"' in page.text and "Anteckningen sparades." in page.text
    assert "Anteckningen sparades." not in web.get("/cases/C0003").text  # shown once
    assert systems.state("example")["cases"][3]["notes"] == ["Begär kontoutdrag"]


def test_reset_reloads_the_scenario_data(systems: RunningSystems, web: httpx.Client) -> None:
    login(web)
    web.post("/cases/C0000/notes", data={"text": "en"})
    systems.reset("example")
    assert systems.state("example")["cases"][0]["notes"] == []
    assert systems.scenario.sections["example"].cases[0].notes == []  # the scenario itself is never mutated


def test_unknown_page_is_a_swedish_404(web: httpx.Client) -> None:
    login(web)
    response = web.get("/finns-inte")
    assert response.status_code == 404 and "Sidan finns inte" in response.text
    assert web.get("/cases/C9999").status_code == 404
    assert web.get("/cases/C0001/notes").status_code == 405


def test_login_is_not_needed_for_admin(systems: RunningSystems) -> None:
    state = httpx.get(f"{systems.url('example')}/_admin/state").json()
    assert len(state["cases"]) == 60
    assert PASSWORD not in str(state)


def test_a_form_posted_after_expiry_returns_to_the_form_page(systems: RunningSystems, web: httpx.Client) -> None:
    base = systems.url("example")
    response = web.post("/cases/C0002/notes", data={"text": "x"}, headers={"Referer": f"{base}/cases/C0002"})
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/cases/C0002")
    elsewhere = web.post("/cases/C0002/notes", data={"text": "x"}, headers={"Referer": "http://evil.example/x"})
    assert elsewhere.headers["location"] == "/login?next=/cases/C0002/notes"
    assert systems.state("example")["cases"][2]["notes"] == []


def test_a_malformed_request_gets_a_swedish_400_page() -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from fixtures.common import Account, Runtime, make_system_app
    from tests.fixtures_common.example_system import SPEC, ExampleData

    app = make_system_app(SPEC, ExampleData(), Runtime(account=Account(username="u", password="p")))

    @app.get("/number/{n}")
    def number(n: int) -> dict[str, int]:
        return {"n": n}

    async def get(path: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await client.get(path)

    def run(path: str) -> httpx.Response:  # in a thread: a session's sync Playwright owns this thread's loop
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, get(path)).result()

    assert run("/number/5").json() == {"n": 5}
    response = run("/number/fem")
    assert response.status_code == 400 and "Felaktig begäran" in response.text
