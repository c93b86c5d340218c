"""Who may see what: logging in and out, roles, the audit log, CSRF, session expiry, slowed guessing."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from runner.ledger.models import AuditEntry, Review
from runner.plugins import load_robots
from tests.web.conftest import PASSWORD, Clock, Live, login

pytestmark = __import__("pytest").mark.browser


def _case_url(live: Live, label: str) -> str:
    return f"{live.url}/fall/{live.demo.items[label]}"


def test_login_and_logout_end_the_session_for_real(page: Page, live: Live) -> None:
    page.goto(live.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))

    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill("fel-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_have_text("Fel användarnamn eller lösenord.")

    login(page, live, "handlaggare")
    expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
    expect(page.get_by_text("Hanna Handläggare")).to_be_visible()
    cookies = page.context.cookies()

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("status")).to_have_text("Du är utloggad.")
    # the old cookie, copied before logging out, no longer opens anything
    page.context.add_cookies(cookies)
    page.goto(live.url + "/korningar")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_caseworker_sees_ronneys_cases_and_harrys_do_not_exist_for_her(page: Page, live: Live) -> None:
    login(page, live, "handlaggare")
    cards = page.locator("section.card h2")
    expect(cards).to_have_count(1)
    expect(cards).to_have_text("Ronney – förberedelse av ansökningar om försörjningsstöd")

    page.get_by_role("link", name=re.compile("Visa körningen")).click()
    rows = page.locator("table.cases tbody tr")
    # 4 prepared + 2 needs attention + 1 waiting + 1 failed, needs attention and failures first
    expect(rows).to_have_count(8)
    expect(rows.nth(0)).to_contain_text("Behöver en handläggare")
    expect(rows.nth(1)).to_contain_text("Behöver en handläggare")
    expect(rows.nth(2)).to_contain_text("Tekniskt fel")

    # personnummer masked in the list, in full only on the case page
    _, pnr = live.demo.people["r_attn0"]
    listing = page.content()
    assert (pnr in listing) is False, "a full personnummer is shown in the list of cases"
    assert (pnr[:8] + "-****" in listing) is True, "the masked personnummer is missing from the list"
    page.get_by_role("link", name=re.compile(re.escape(live.demo.keys["r_attn0"]))).click()
    expect(page.get_by_role("heading", name="Underlag")).to_be_visible()
    assert (pnr in page.content()) is True, "the case page does not show the full personnummer"

    for url in (_case_url(live, "h0"), f"{live.url}/korningar/{live.demo.runs['harry']}"):
        response = page.goto(url)  # 404, as for an id that does not exist: a 403 would tell which do
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()


def test_operations_sees_runs_and_failures_but_no_case_contents(page: Page, live: Live) -> None:
    login(page, live, "drift")
    # one card per installed robot, whatever robots the installation has
    titles = sorted(robot.title for robot in load_robots().values())
    expect(page.locator("section.card h2")).to_have_count(len(titles))
    assert sorted(page.locator("section.card h2").all_inner_texts()) == titles

    page.goto(f"{live.url}/korningar/{live.demo.runs['ronney']}")
    expect(page.get_by_role("heading", name="Tekniska fel")).to_be_visible()
    failure = page.locator("tbody tr", has_text=live.demo.keys["r_fail"])
    expect(failure).to_contain_text("TimeoutError")
    html = page.content()
    leaked = [label for label, (name, pnr) in live.demo.people.items() if name in html or pnr in html]
    assert leaked == [], "a person's name or personnummer is shown to operations"
    assert ("Klar för beslut" in html) is False
    expect(page.locator("table.cases")).to_have_count(0)

    failed_case = _case_url(live, "r_fail")
    for url in (failed_case, f"{failed_case}/artefakt/{live.demo.outcomes['r_fail']}/0",
                f"{live.url}/korningar/{live.demo.runs['ronney']}/rapport.html"):
        response = page.goto(url)
        assert response is not None and response.status == 403

    page.goto(live.url + "/korningar")
    # the scheduler's next start times (its default cron for Ronney is 01:30 every night)
    schedule = page.locator("section[aria-labelledby=schedule-heading] tbody tr", has_text="Ronney")
    expect(schedule).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} 01:30, \d{4}-\d{2}-\d{2} 01:30"))
    expect(page.get_by_role("heading", name="Missade och avbrutna körningar (30 dagar)")).to_be_visible()
    problems = page.locator("section[aria-labelledby=problems-heading] tbody tr")
    expect(problems.filter(has_text="Missad")).to_contain_text("datorn var avstängd")
    expect(problems.filter(has_text="Avbruten")).to_contain_text("Registrera schema")


def _audit_count(live: Live, username: str, action: str, target: str | None = None) -> int:
    with live.sessions() as s:
        q = select(func.count()).select_from(AuditEntry).where(AuditEntry.username == username, AuditEntry.action == action)
        if target:
            q = q.where(AuditEntry.target == target)
        return s.scalar(q) or 0


def test_every_case_view_is_written_to_the_audit_log(page: Page, live: Live) -> None:
    target = f"ronney:{live.demo.keys['r_prep1']}"
    before = _audit_count(live, "handlaggare", "view_case", target)
    login(page, live, "handlaggare")
    page.goto(_case_url(live, "r_prep1"))
    page.reload()
    assert _audit_count(live, "handlaggare", "view_case", target) == before + 2
    response = page.goto(live.url + "/granskningslogg")
    assert response is not None and response.status == 403  # only admins read the log

    page.get_by_role("button", name="Logga ut").click()
    login(page, live, "admin")
    page.get_by_role("link", name="Granskningslogg").click()
    page.get_by_label("Användare").fill("handlaggare")
    page.get_by_label("Händelse").select_option(label="Öppnade ärende")
    page.get_by_label("Ärende").fill(live.demo.keys["r_prep1"])
    page.get_by_role("button", name="Visa").click()
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(before + 2)
    expect(rows.first).to_contain_text("Öppnade ärende")
    expect(rows.first).to_contain_text("handlaggare")


def test_mark_handled_with_a_comment_moves_the_case_out_of_the_default_view(page: Page, live: Live) -> None:
    key = live.demo.keys["r_attn1"]
    login(page, live, "handlaggare")
    page.goto(f"{live.url}/korningar/{live.demo.runs['ronney']}")
    page.get_by_role("link", name=re.compile(re.escape(key))).click()
    page.get_by_label("Kommentar (valfri)").fill("Hyran godtas, beslut enligt riktlinjen om skäliga kostnader.")
    page.get_by_role("button", name="Markera som hanterad").click()
    expect(page.get_by_role("status")).to_have_text("Ärendet är markerat som hanterat.")
    expect(page.locator(".reviews")).to_contain_text("Hanterad av handlaggare")
    expect(page.locator(".reviews")).to_contain_text("Hyran godtas")
    with live.sessions() as s:
        review = s.scalar(select(Review).where(Review.outcome_id == live.demo.outcomes["r_attn1"]))
    assert review is not None and review.username == "handlaggare" and review.comment.startswith("Hyran godtas")

    page.get_by_role("link", name=re.compile("Ronney – förberedelse av ansökningar om försörjningsstöd, 2025-11-24")).click()
    expect(page.locator("table.cases")).not_to_contain_text(key)
    page.get_by_label("Visa även hanterade").check()
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("table.cases tbody tr", has_text=key)).to_contain_text("Ja")


def test_forms_without_the_sessions_csrf_token_are_rejected(page: Page, live: Live) -> None:
    login(page, live, "handlaggare")
    url = _case_url(live, "r_prep2")
    page.goto(url)
    token = page.locator("input[name=csrf_token]").first.input_value()
    form = {"utfall": str(live.demo.outcomes["r_prep2"]), "kommentar": "x"}
    bad = [
        page.request.post(url + "/hanterad", form=form),  # no token
        page.request.post(url + "/hanterad", form={**form, "csrf_token": "forged"}),
        page.request.post(url + "/hanterad", form={**form, "csrf_token": token}, headers={"Origin": "https://evil.example"}),
        page.request.post(live.url + "/logout", form={}),
    ]
    assert [r.status for r in bad] == [403, 403, 403, 403]
    assert "Formuläret kunde inte skickas" in bad[0].text()
    with live.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Review).where(Review.outcome_id == live.demo.outcomes["r_prep2"])) == 0
    # a login form posted from elsewhere (no login CSRF cookie) is refused too
    other = page.context.browser.new_context()  # type: ignore[union-attr]
    r = other.request.post(live.url + "/login", form={"username": "admin", "password": PASSWORD, "csrf_token": "x"})
    assert r.status == 403
    other.close()
    page.reload()
    expect(page.get_by_text("Inloggad som")).to_be_visible()  # the refusals did not end the session


def test_sessions_expire_when_idle(page: Page, live: Live, clock: Clock) -> None:
    login(page, live, "handlaggare")
    clock.offset = timedelta(minutes=29)  # idle_minutes is 30 in the test settings
    page.goto(f"{live.url}/korningar/{live.demo.runs['ronney']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("körning")
    clock.offset = timedelta(minutes=29 + 31)  # 31 minutes after the last request
    page.goto(f"{live.url}/korningar/{live.demo.runs['ronney']}?status=failed")
    expect(page).to_have_url(re.compile(r"/login\?next=.*status%3Dfailed.*&utgangen=1"))
    expect(page.get_by_role("status")).to_contain_text("sessionen gick ut")
    # a comment posted after the session ended is not lost silently: login, then back to the case
    page.goto(f"{live.url}/fall/{live.demo.items['r_wait']}")
    expect(page).to_have_url(re.compile(r"/login\?"))
    login(page, live, "handlaggare")
    page.goto(f"{live.url}/fall/{live.demo.items['r_wait']}")
    clock.offset += timedelta(minutes=31)
    page.get_by_role("button", name="Markera som hanterad").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Ffall%2F\d+&utgangen=1"))
    with live.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Review).where(Review.outcome_id == live.demo.outcomes["r_wait"])) == 0
    page.goto(f"{live.url}/korningar/{live.demo.runs['ronney']}?status=failed")
    # logging in again leads back to where the user was
    page.get_by_label("Användarnamn").fill("handlaggare")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/korningar/.+\?status=failed$"))


def test_repeated_failed_logins_are_slowed(page: Page, live: Live, clock: Clock) -> None:
    clock.frozen = clock()  # the lock's seconds are counted on the app's clock, stopped here

    def attempt(password: str) -> int:
        with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as info:
            page.get_by_label("Användarnamn").fill("lasbar")
            page.get_by_label("Lösenord").fill(password)
            page.get_by_role("button", name="Logga in").click()
        return info.value.status

    page.goto(live.url + "/login")
    # three free mistakes, the fourth locks the account for 1 s (then 2 s, 4 s, …)
    assert [attempt("gissning-nummer-1") for _ in range(4)] == [401, 401, 401, 401]
    assert attempt(PASSWORD) == 429  # even the right password waits
    expect(page.get_by_role("alert")).to_contain_text("För många misslyckade inloggningar")
    clock.offset = timedelta(seconds=1.5)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som")).to_be_visible()
    assert _audit_count(live, "lasbar", "login_failed") == 4
    assert _audit_count(live, "lasbar", "login_locked") == 1
