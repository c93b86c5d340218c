"""What a caseworker meets first in the morning report (issue 21): where to start, numbers that agree and
go down as cases are handled, Swedish guidance instead of developer text, and honest saved time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from runner.ledger.models import Outcome, Review
from tests.web.conftest import Live, login
from tests.web.demo_data import Demo, _Writer, local

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def old_night(live: Live) -> dict[str, int]:
    """A Ronney night of its own, older than every seeded one, with two cases needing a person.

    This file marks cases handled, so it does so on rows no other test counts.
    """
    demo = Demo()
    with live.sessions.begin() as s:
        w = _Writer(s, demo)
        run = w.run("old", "ronney", "completed", local(2025, 11, 3, 1, 30), 10)
        for i in range(2):
            w.outcome(f"old{i}", run, "ronney", f"EB-2025-09{i:02d}:2025-11", f"Ansökan november 2025 – Testperson {i}",
                      "needs_attention", f"Hyran är högre än kommunens riktlinje (ärende {i}).", 2 + i,
                      findings=[{"code": "KOSTNAD_KAPAD", "message": "Hyran är högre än riktlinjen.", "severity": "error"}])
        w.close(run)
    return {"run": run.id, **{f"item{i}": demo.items[f"old{i}"] for i in range(2)},
            **{f"outcome{i}": demo.outcomes[f"old{i}"] for i in range(2)}, "key0": demo.keys["old0"], "key1": demo.keys["old1"]}


def needs_person_in_db(live: Live, robot: str) -> int:
    from runner.web.queries import needs_person_filter

    with live.sessions() as s:
        return s.scalar(select(func.count()).select_from(Outcome).where(Outcome.robot == robot, *needs_person_filter())) or 0


def start_here_rows(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("section[aria-labelledby=start-heading] tbody tr")


def card(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("section.card", has=page.get_by_role("heading", name=title))


RONNEY = "Ronney – förberedelse av ansökningar om försörjningsstöd"


# -- item 10: a "start here" list ------------------------------------------------------------------------


def test_start_here_lists_what_needs_a_person_oldest_first_for_the_robots_the_user_may_read(
    page: Page, live: Live, old_night: dict
) -> None:
    login(page, live, "admin")
    rows = start_here_rows(page)
    expect(rows.first).to_contain_text(old_night["key0"])  # the oldest night first
    expect(rows.nth(1)).to_contain_text(old_night["key1"])
    total = needs_person_in_db(live, "ronney") + needs_person_in_db(live, "bosse") + needs_person_in_db(live, "harry")
    expect(rows).to_have_count(total)
    expect(page.locator("#start-heading")).to_have_text(f"Börja här: {total} ärenden behöver en handläggare")
    times = [t for t in rows.locator("td:first-child time").evaluate_all("els => els.map(e => e.dateTime)")]
    assert times == sorted(times)
    expect(rows.filter(has_text="Bosse")).to_have_count(needs_person_in_db(live, "bosse"))

    page.get_by_role("button", name="Logga ut").click()
    login(page, live, "lon")  # HaRry's staff: nothing of Ronney's or Bosse's, and HaRry has none
    expect(page.locator("section[aria-labelledby=start-heading]")).to_contain_text("Inget ärende väntar på en handläggare")
    page.get_by_role("button", name="Logga ut").click()
    login(page, live, "drift")  # operations read no case: no list, only the cards' numbers
    expect(page.locator("section[aria-labelledby=start-heading]")).to_have_count(0)


# -- item 11: one definition, and it goes down when a case is handled ---------------------------------------


def test_handling_a_case_lowers_every_count_of_cases_needing_a_person_alike(page: Page, live: Live, old_night: dict) -> None:
    login(page, live, "handlaggare")
    before = needs_person_in_db(live, "ronney")
    expect(card(page, RONNEY).locator(".needs-person strong")).to_have_text(f"{before} ärenden")
    expect(start_here_rows(page)).to_have_count(before)
    page.goto(f"{live.url}/korningar/{old_night['run']}")
    expect(page.locator(".count-list")).to_contain_text("2 kvar av 2")

    page.goto(f"{live.url}/fall/{old_night['item0']}")
    page.get_by_role("button", name="Markera som hanterad").click()
    expect(page.get_by_role("status")).to_have_text("Ärendet är markerat som hanterat.")

    assert needs_person_in_db(live, "ronney") == before - 1
    page.goto(live.url + "/")
    expect(card(page, RONNEY).locator(".needs-person strong")).to_have_text(
        f"{before - 1} " + ("ärende" if before - 1 == 1 else "ärenden"))
    expect(start_here_rows(page)).to_have_count(before - 1)
    expect(start_here_rows(page).filter(has_text=old_night["key0"])).to_have_count(0)
    page.goto(f"{live.url}/korningar/{old_night['run']}")
    expect(page.locator(".count-list")).to_contain_text("1 kvar av 2")
    expect(page.locator("table.cases caption")).to_contain_text("1 ärende i körningen behöver en handläggare")


# -- item 12: staff read Swedish guidance; the technical detail is for operations --------------------------------


def test_a_failed_case_tells_staff_what_happened_and_what_they_can_do_without_developer_text(page: Page, live: Live) -> None:
    login(page, live, "handlaggare")
    page.goto(f"{live.url}/fall/{live.demo.items['r_fail']}")
    summary = page.locator("p.summary")
    expect(summary).to_contain_text("försöker igen med ärendet vid nästa körning")
    expect(summary).to_contain_text("handlägga det som vanligt")
    html = page.content()
    for developer_text in ("TimeoutError", "show-trace", "Playwright", "försök (", "Error"):
        assert developer_text not in html, developer_text

    page.goto(f"{live.url}/fall/{live.demo.items['r_attn1']}")
    expect(page.locator(".findings")).to_be_visible()
    assert "(rent_above_local_max)" not in page.content()  # a finding's code is not staff's reading

    page.get_by_role("button", name="Logga ut").click()
    login(page, live, "admin")  # the technical view keeps the detail
    page.goto(f"{live.url}/fall/{live.demo.items['r_fail']}")
    expect(page.get_by_role("heading", name="Tekniskt fel (för driften)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("TimeoutError")


# -- item 13: Swedish numbers and dates ------------------------------------------------------------------------


def test_dates_never_break_inside_even_in_a_narrow_window(page: Page, live: Live) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    login(page, live, "admin")
    for path in ("/", f"/korningar/{live.demo.runs['ronney']}", "/korningar"):
        page.goto(live.url + path)
        heights = page.locator("main time").evaluate_all(
            "els => els.map(e => [e.getClientRects().length, e.textContent])"
        )
        assert heights, path
        broken = [text for rects, text in heights if rects != 1]
        assert broken == [], f"{path}: dates broken over lines: {broken}"


def test_schedules_are_shown_in_words(page: Page, live: Live) -> None:
    login(page, live, "admin")
    page.goto(live.url + "/korningar")
    ronney = page.locator("section[aria-labelledby=schedule-heading] tbody tr", has_text="Ronney")
    expect(ronney).to_contain_text("varje dag kl. 01:30")
    expect(ronney).not_to_contain_text("* * *")


# -- item 14: saved time says what it counts ---------------------------------------------------------------------


def test_saved_time_counts_only_prepared_cases_and_says_so_next_to_the_figure(page: Page, live: Live) -> None:
    login(page, live, "handlaggare")
    with live.sessions() as s:
        prepared = s.scalar(select(func.count()).select_from(Outcome).where(
            Outcome.run_id == live.demo.runs["ronney"], Outcome.status == "prepared")) or 0
    minutes = 12  # Ronney's minutes_saved_per_case
    ronney = card(page, RONNEY)
    tonight = ronney.locator(".saved div", has_text="Sparad tid i natt")
    # 4 prepared cases last night (the two needing a person, the waiting and the failed one are not counted)
    assert prepared == 4
    expect(tonight).to_contain_text(f"{prepared} förberedda ärenden × {minutes} min")
    expect(tonight.locator("dd")).to_contain_text("48 min")  # 4 × 12 min
    expect(page.locator("#saved-explained")).to_contain_text("Ärenden som behöver en handläggare, väntar")
