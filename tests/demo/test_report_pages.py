"""A real demo night's run page and HTML export as staff read them (issue 14): the robot's report has no raw
key and no English word, and its tables fit at 1 100 px and scroll in their own box on a narrow screen.

Every robot of the demo night: each report is a `runner.api.Report`.
"""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import Browser

from fixtures import demo
from runner.scheduler.plan import PlannedSchedule
from runner.web.app import create_app

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


def _serve(app: object) -> tuple[uvicorn.Server, threading.Thread, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "web app did not start"
        time.sleep(0.05)
    return server, thread, port


def _report_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".robot-report").inner_text()


def test_the_demo_nights_report_shows_no_key_and_no_english_and_its_tables_fit(tmp_path, browser: Browser):
    plan = demo.check(tmp_path / "demo", "demo")
    assert set(plan.robots) == ROBOTS
    night = demo.run_night(tmp_path / "demo", fixed_ports=False, plan=plan)
    server = thread = None
    try:
        demo.create_demo_users(night.settings)
        server, thread, port = _serve(create_app(night.settings, scheduler=PlannedSchedule(night.settings)))
        base = f"http://127.0.0.1:{port}"
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="sv-SE")
        page = context.new_page()
        page.goto(base + "/login")
        page.get_by_label("Användarnamn").fill("admin")
        page.get_by_label("Lösenord").fill("nattskift-demo")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/login" not in url)
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
        context.close()
    finally:
        if server is not None:
            server.should_exit = True
            thread.join(timeout=10)
        night.systems.stop()
