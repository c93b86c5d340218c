"""ekonomi's pages in real Chromium: login, paging and filter, application page, both forms, faults."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fixtures.scenario import load_scenario

pytestmark = pytest.mark.browser
PASSWORD = "ekonomi-golden-1"


def login(page: Page, url: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", "ronney")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#current-user")).to_have_text("ronney")


def test_login_refuses_a_wrong_password(page: Page, golden):
    page.goto(golden.url("ekonomi") + "/login")
    page.fill("#username", "ronney")
    page.fill("#password", "fel")
    page.click("button[type=submit]")
    expect(page.locator("#error")).to_have_text("Fel användarnamn eller lösenord")


def test_list_filters_by_status_and_pages(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    page.goto(url + "/ansokningar")
    page.select_option("#status", "Inkommen")
    page.click("#filter button[type=submit]")
    incoming = sum(a.status == "Inkommen" for c in load_scenario("ronney_golden").sections["ekonomi"].cases
                   for a in c.applications)
    expect(page.locator("#pager-status")).to_have_text(f"Sida 1 av {-(-incoming // 5)}")  # 5 per page
    seen = []
    while True:
        seen += page.locator("table#ansokningar tbody tr td:nth-child(1)").all_inner_texts()
        statuses = set(page.locator("table#ansokningar tbody tr td:nth-child(5)").all_inner_texts())
        assert statuses == {"Inkommen"}
        if not page.locator("#pager-next").count():
            break
        page.click("#pager-next")
    assert len(seen) == len(set(seen)) == incoming
    assert "1019" not in seen and "1006" not in seen


def test_application_page_shows_household_supplements_and_previous_month(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    page.goto(url + "/arenden/1011/ansokan/2025-12")
    expect(page.locator("dl#ansokan")).to_contain_text("Återansökan")
    expect(page.locator("table#hushall tbody tr")).to_have_count(3)
    expect(page.locator("table#foregaende-hushall tbody tr")).to_have_count(2)
    expect(page.locator("table#inkomster")).to_contain_text("1\u00a0673\u00a0kr")
    page.goto(url + "/arenden/1006/ansokan/2025-12")
    expect(page.locator("table#kompletteringar tbody")).to_contain_text("2025-12-24")
    page.goto(url + "/arenden/1010/ansokan/2025-12")
    expect(page.locator("#ingen-foregaende")).to_be_visible()


def test_status_form_refuses_a_decision_and_accepts_waiting(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    page.goto(url + "/arenden/1001/ansokan/2025-12")
    page.select_option("#ny-status", "Beviljad")
    page.click("form#statusbyte button[type=submit]")
    expect(page.locator("#form-errors")).to_contain_text("Du saknar delegation att fatta beslut")
    page.select_option("#ny-status", "Inkommen")
    page.click("form#statusbyte button[type=submit]")
    expect(page.locator("#ny-status-error")).to_have_text("Ansökan har redan status Inkommen.")
    page.select_option("#ny-status", "Väntar på beslut")
    page.click("form#statusbyte button[type=submit]")
    expect(page.locator("#flash")).to_have_text("Status ändrad till Väntar på beslut.")
    expect(page.locator("#status-varde")).to_have_text("Väntar på beslut")
    app = golden.state("ekonomi")["cases"][0]["applications"][0]
    assert app["status"] == "Väntar på beslut"
    assert [(c["old"], c["new"], c["by"]) for c in app["status_changes"]] == [("Inkommen", "Väntar på beslut", "ronney")]


def test_note_form_validates_on_the_server_and_saves(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    page.goto(url + "/arenden/1002/anteckningar/ny?manad=2025-12")
    page.fill("#rubrik", "x" * 150)  # the field allows 200 characters; the system at most 120
    page.fill("#text", "Hej")
    page.click("form#ny-anteckning button[type=submit]")
    expect(page.locator("#rubrik-error")).to_have_text("Rubriken får vara högst 120 tecken.")
    expect(page.locator("#text")).to_have_value("Hej")  # what the user typed is kept
    page.fill("#rubrik", "Telefonsamtal")
    page.click("form#ny-anteckning button[type=submit]")
    expect(page.locator("#flash")).to_have_text("Anteckningen sparades.")
    expect(page.locator("table#anteckningar tbody tr")).to_have_count(1)
    page.click("text=Telefonsamtal")
    expect(page.locator("#text")).to_have_text("Hej")
    notes = golden.state("ekonomi")["cases"][1]["notes"]
    assert [(n["title"], n["author"], n["month"]) for n in notes] == [("Telefonsamtal", "ronney", "2025-12")]


def test_note_form_refuses_missing_fields_and_unknown_month(golden):
    import httpx

    with httpx.Client(base_url=golden.url("ekonomi")) as client:
        client.post("/login", data={"username": "ronney", "password": PASSWORD})
        r = client.post("/arenden/1002/anteckningar/ny", data={"manad": "2024-01", "rubrik": "", "text": ""})
        assert r.status_code == 422
        assert "Välj en månad som ärendet har en ansökan för." in r.text and "Fältet måste fyllas i." in r.text
    assert golden.state("ekonomi")["cases"][1]["notes"] == []


def test_changed_variant_renames_ids_and_labels(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    golden.set_faults("ekonomi", changed_pages=["ansokan"])
    page.goto(url + "/arenden/1001/ansokan/2025-12")
    expect(page.locator("table#hushallsmedlemmar")).to_be_visible()
    assert page.locator("table#hushall, dl#ansokan").count() == 0
    golden.set_faults("ekonomi", changed_pages=[])
    page.goto(url + "/arenden/1001/ansokan/2025-12")
    expect(page.locator("table#hushall")).to_be_visible()


def test_session_expiry_sends_back_to_login(page: Page, golden):
    url = golden.url("ekonomi")
    login(page, url)
    golden.set_faults("ekonomi", session_ttl_seconds=1)
    page.wait_for_timeout(1200)
    page.goto(url + "/arenden/1001/ansokan/2025-12")
    assert re.search(r"/login\?next=", page.url)
    expect(page.locator("#login-notice")).to_be_visible()


def test_a_broken_record_answers_500():
    import httpx

    from fixtures.server import start_systems

    with start_systems("demo_ronney", systems=["ekonomi"], ports=0) as systems, \
            httpx.Client(base_url=systems.url("ekonomi")) as client:
        client.post("/login", data={"username": "ronney", "password": "ekonomi-demo-1"})
        broken = client.get("/arenden/2012/ansokan/2026-12")
        assert broken.status_code == 500 and "Tekniskt fel" in broken.text
        assert client.get("/arenden/2001/ansokan/2026-12").status_code == 200
