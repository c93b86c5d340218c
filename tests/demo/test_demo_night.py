"""`make demo`'s night, run once for this module: every robot runs on the demo scenario and every kind of
outcome shows up; the report says one consistent time; the run pages and HTML exports read as staff read
them (issue 14: no raw key, no English word, tables that fit at 1 100 px and scroll in their own box on a
narrow screen); and the README's screenshots are shot from it.

A demo night is the slow part (four robots in Chromium), so the tests share one and only read it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from fixtures import demo
from runner.scheduler.plan import PlannedSchedule
from runner.web.app import create_app
from tests.web.conftest import SCREENSHOTS_ENV, serve_app

pytestmark = pytest.mark.browser

ROBOTS = {"ronney", "harry", "bosse", "lena"}
#: Words that are English and not Swedish: a status value, a report's own key, a sentence leaking through.
ENGLISH = {
    "the", "of", "with", "for", "and", "failed", "prepared", "needs", "attention", "waiting", "skipped",
    "completed", "interrupted", "true", "false", "none", "null", "report", "heading", "headline", "sections",
    "rows", "columns", "items", "error", "summary", "key", "title", "dry", "run", "amount", "reasons",
}
UNDERSCORE_KEY = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b")


def _english(text: str) -> list[str]:
    return sorted({w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in ENGLISH})  # whole words, å/ä/ö too


def _report_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".robot-report").inner_text()


@dataclass
class Morning:
    """A real demo night, its morning report served on a free port, and a browser logged in as admin."""

    night: demo.DemoNight
    users: list[tuple[str, str, list[str], str]]
    base: str
    page: Page


@pytest.fixture(scope="module")
def morning(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Morning]:
    """One demo night for the module: the night is the slow part, the tests only read its pages."""
    folder = tmp_path_factory.mktemp("demo")
    plan = demo.check(folder, "demo")
    assert set(plan.robots) == ROBOTS
    night = demo.run_night(folder, fixed_ports=False, plan=plan)
    server = thread = None
    try:
        users = demo.create_demo_users(night.settings)
        server, thread, port = serve_app(create_app(night.settings, scheduler=PlannedSchedule(night.settings)))
        base = f"http://127.0.0.1:{port}"
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="sv-SE")
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("Användarnamn").fill("admin")
        page.get_by_label("Lösenord").fill("nattskift-demo")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        yield Morning(night, users, base, page)
        context.close()
    finally:
        if server is not None:
            server.should_exit = True
            thread.join(timeout=10)
        night.systems.stop()


def test_the_demo_night_runs_every_robot_and_shows_every_kind_of_outcome(morning: Morning) -> None:
    night = morning.night
    runs = {s.robot: s for s in night.summaries}
    assert set(runs) == ROBOTS
    assert all(s.status == "completed" for s in runs.values())
    # Ronney's part has all five outcomes (case 2012's record answers 500: a technical failure)
    assert set(runs["ronney"].counts) == {"prepared", "needs_attention", "waiting", "skipped", "failed"}
    assert {"prepared", "needs_attention", "skipped"} <= set(runs["harry"].counts)
    assert {"prepared", "needs_attention"} <= set(runs["bosse"].counts)
    # Lena's unit: proposals, visits no one with the delegation can take, a planner's open proposal
    assert {"prepared", "needs_attention", "skipped"} <= set(runs["lena"].counts)
    assert {u[0] for u in morning.users} == {"admin", "drift", "handlaggare", "lon", "bemanning", "planerare"}


def test_the_report_shows_one_consistent_time(morning: Morning) -> None:
    """Issue 21, item 15: the robots read the scenario's frozen date, but the report says "now" in real
    time, the same time the runs were recorded in and the next start times are counted from."""
    night = morning.night
    client = TestClient(create_app(night.settings, scheduler=PlannedSchedule(night.settings)))
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/login", data={"username": "admin", "password": "nattskift-demo", "csrf_token": token})
    overview = client.get("/").text
    tz = night.settings.tz
    today = datetime.now(tz).date().isoformat()
    assert night.settings.clock is not None  # the robots' frozen "now" (the scenario's 01:30)
    lead = re.search(r'läget <time datetime="([^"]+)"', overview)
    assert lead is not None and lead.group(1).startswith(today), lead
    assert all(s.started_at.astimezone(tz).date().isoformat() == today for s in night.summaries)
    page = client.get("/korningar").text
    schedule = page[page.index('id="schedule-heading"'):].split("</section>", 1)[0]
    next_runs = re.findall(r'<time datetime="([^"]+)"', schedule)
    assert next_runs and all(t[:10] >= today for t in next_runs), next_runs


def test_the_demo_nights_report_shows_no_key_and_no_english_and_its_tables_fit(morning: Morning) -> None:
    night, base, page = morning.night, morning.base, morning.page
    for run in night.summaries:
        for path in (f"/korningar/{run.id}", f"/korningar/{run.id}/rapport.html"):
            page.set_viewport_size({"width": 1100, "height": 900})
            if path.endswith(".html"):  # a download: opened as the file it is, off line
                answer = page.request.get(base + path)
                assert answer.ok, path
                page.set_content(answer.text())
            else:
                page.goto(base + path)
            text = _report_text(page)
            assert text.strip(), (run.robot, path)
            if run.robot == "ronney":
                assert "Ronney – nattens ansökningar" in text and "Behöver en handläggare" in text, path
            assert UNDERSCORE_KEY.findall(text) == [], (run.robot, path)
            assert _english(text) == [], (run.robot, path)
            # at 1 100 px every report table fits beside the others, inside the page
            boxes = page.locator(".robot-report .table-scroll").evaluate_all(
                "els => els.map(e => { const r = e.getBoundingClientRect(); "
                "return [r.left, r.right, r.top, r.bottom, e.scrollWidth, e.clientWidth]; })")
            for left, right, _, _, scroll_width, client_width in boxes:
                assert 0 <= left and right <= 1100 and scroll_width <= client_width, (path, left, right)
            tops = sorted((top, bottom) for _, _, top, bottom, _, _ in boxes)
            assert all(a[1] <= b[0] for a, b in zip(tops, tops[1:], strict=False)), path  # no overlap
            # on a phone the report stays within the screen: a wide table scrolls in its own box
            page.set_viewport_size({"width": 360, "height": 800})
            rights = page.locator(".robot-report .table-scroll").evaluate_all(
                "els => els.map(e => [e.getBoundingClientRect().right, e.scrollWidth, e.clientWidth])")  # wider: scrolls
            assert all(right <= 360 for right, _, _ in rights), (path, rights)


def test_screenshots_for_the_readme(morning: Morning, tmp_path: Path) -> None:
    """Översikt, Ronney's run and a case he prepared, as the demo night left them: into docs/screenshots/
    with `make screenshots`, else into a temporary folder (the pages must still render)."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page, base = morning.page, morning.base
    ronney = next(run for run in morning.night.summaries if run.robot == "ronney")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.screenshot(path=str(folder / "oversikt.png"), full_page=True)
    page.goto(f"{base}/korningar/{ronney.id}")
    expect(page.locator(".robot-report")).to_contain_text("Behöver en handläggare")
    page.screenshot(path=str(folder / "korning.png"), full_page=True)
    # the first case in the run's list, as a caseworker opens it from there
    page.locator("main a[href^='/fall/']").first.click()
    page.wait_for_url(lambda url: "/fall/" in url)
    page.screenshot(path=str(folder / "arende.png"), full_page=True)
    assert all((folder / n).stat().st_size > 10_000 for n in ("oversikt.png", "korning.png", "arende.png"))
