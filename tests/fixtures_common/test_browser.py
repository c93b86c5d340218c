"""The common pages in real Chromium, the way a robot meets them: login, paging, a refused form."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from fixtures.server import RunningSystems
from tests.fixtures_common.helpers import PASSWORD, USERNAME

pytestmark = pytest.mark.browser


def log_in(page: Page) -> None:
    page.get_by_label("Användarnamn").fill(USERNAME)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_login_paging_and_form_in_chromium(systems: RunningSystems, page: Page) -> None:
    base = systems.url("example")
    page.goto(f"{base}/cases?page=2")
    expect(page).to_have_url(f"{base}/login?next=/cases%3Fpage%3D2")
    page.get_by_label("Användarnamn").fill(USERNAME)
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("#error")).to_have_text("Fel användarnamn eller lösenord")

    log_in(page)
    expect(page).to_have_url(f"{base}/cases?page=2")
    expect(page.locator("#pager-status")).to_have_text("Sida 2 av 3")
    page.get_by_role("link", name="Nästa").click()
    expect(page.locator("#pager-status")).to_have_text("Sida 3 av 3")
    expect(page.locator("#cases tbody tr")).to_have_count(10)
    page.get_by_role("link", name="Föregående").click()
    expect(page.locator("#pager-status")).to_have_text("Sida 2 av 3")

    page.get_by_role("link", name="C0030").click()
    page.get_by_role("button", name="Spara anteckning").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#text-error")).to_have_text("Fältet måste fyllas i.")
    expect(page.get_by_label("Ny anteckning")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Ny anteckning").fill("Kontrollerad av robot")
    page.get_by_role("button", name="Spara anteckning").click()
    expect(page.locator("#flash")).to_have_text("Anteckningen sparades.")
    expect(page.locator("#notes li")).to_have_text(["Kontrollerad av robot"])
    assert systems.state("example")["cases"][30]["notes"] == ["Kontrollerad av robot"]


def test_expired_session_sends_the_browser_back_to_login_and_then_on(systems: RunningSystems, page: Page) -> None:
    base = systems.url("example")
    page.goto(f"{base}/login")
    log_in(page)
    expect(page.locator("#current-user")).to_have_text(USERNAME)
    systems.set_faults("example", session_ttl_seconds=1)
    time.sleep(1.1)
    page.goto(f"{base}/cases/C0005")
    expect(page.locator("#login-notice")).to_contain_text("Logga in igen")
    systems.set_faults("example", session_ttl_seconds=1800)
    log_in(page)
    expect(page).to_have_url(f"{base}/cases/C0005")
    page.get_by_role("link", name="Logga ut").click()
    expect(page.locator("#flash")).to_have_text("Du är utloggad.")
