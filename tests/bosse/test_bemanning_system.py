"""The staffing system `bemanning` in real Chromium: login, paging, the booking form's success and
every refusal (with its Swedish message), the substitute page, the changed-page fault, scenarios."""

from __future__ import annotations

import json
import random
from datetime import date

import httpx
import pytest

from fixtures.bemanning.system import SPEC
from fixtures.scenario import ScenarioError, load_scenario, parse_scenario
from fixtures.server import start_systems
from tests.support.conditions import wait_ms

pytestmark = pytest.mark.browser


async def _login(browser, running):
    ctx = await browser.new_context(locale="sv-SE")
    ctx.set_default_timeout(wait_ms(5000))  # grown on a busy machine
    page = await ctx.new_page()
    acc = running.scenario.accounts["bemanning"]
    await page.goto(running.url("bemanning") + "/login")
    await page.fill("#username", acc.username)
    await page.fill("#password", acc.password)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    return page


async def _submit(page, base: str, shift: str, sub: str, kind: str, between=None):
    await page.goto(f"{base}/pass/{shift}")
    if between:
        between()
    if not sub:  # the server must refuse an empty field even when the browser's own check is bypassed
        await page.eval_on_selector("#vikarie", "e => e.removeAttribute('required')")
    await page.fill("#vikarie", sub)
    await page.select_option("#typ", kind)
    async with page.expect_response(lambda r: r.request.method == "POST") as info:
        await page.click("#spara")
    await page.wait_for_load_state()
    return (await info.value).status


def test_login_and_vacant_list_is_paged(tmp_path, chromium_loop):
    # 60 generated shifts, ~6 already filled: the vacant ones span three pages of 25.
    section = SPEC.generate(random.Random(7), 60, date(2026, 3, 30))
    raw = {"name": "paging", "today": "2026-03-30", "accounts": {"bemanning": {"username": "bosse", "password": "pw-123456"}},
           "bemanning": section}
    path = tmp_path / "paging.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with start_systems(path, systems=["bemanning"], ports=0) as running:
        vacant = len(section["shifts"]) - len(section["bookings"])

        async def walk(browser):
            page = await _login(browser, running)
            await page.goto(running.url("bemanning") + "/pass?status=vakant&fran=2026-03-30")
            assert await page.locator("#current-user").inner_text() == "bosse"
            seen, pages = 0, 0
            while True:
                pages += 1
                seen += await page.locator("table#vakanta-pass tbody tr").count()
                status = await page.locator("#pager-status").inner_text()
                if await page.locator("#pager-next").count() == 0:
                    return seen, pages, status
                await page.click("#pager-next")

        seen, pages, status = chromium_loop.run(walk)
        assert seen == vacant
        assert pages == 3 and status == "Sida 3 av 3"


def test_booking_and_request_are_kept_once(bemanning, chromium_loop):
    base = bemanning.url("bemanning")

    async def go(browser):
        page = await _login(browser, bemanning)
        # P-2001: home care, vårdbiträde with driving licence; V04 has both and is available.
        assert await _submit(page, base, "P-2001", "V04", "bokning") == 303  # then the shift page
        flash = await page.locator("#flash").inner_text()
        status = await page.locator("#pass-status").inner_text()
        holder = await page.locator("#tillsatt-vikarie").inner_text()
        by = await page.locator("#tillsatt-av").inner_text()
        # A request: P-2015 (Saturday) to V03.
        await _submit(page, base, "P-2015", "V03", "forfragan")
        status2 = await page.locator("#pass-status").inner_text()
        # The substitute's page lists the booking and counts its hours in "this month"? P-2001 is 31 March: yes.
        await page.goto(f"{base}/vikarier/V04")
        booked = await page.locator("table#bokade-pass tbody tr").all_inner_texts()
        hours = await page.locator("#vikarie-timmar").inner_text()
        return flash, status, holder, by, status2, booked, hours

    flash, status, holder, by, status2, booked, hours = chromium_loop.run(go)
    assert flash == "Passet är bokat med V04."
    assert status == "Bokad" and holder.startswith("V04") and by == "bosse"
    assert status2 == "Förfrågan skickad"
    assert any("P-2001" in r and "Bokning" in r for r in booked)
    assert hours == "39"  # 30 worked + 9 h booked on 31 March
    kept = [(b["shift"], b["substitute"], b["kind"], b["by"]) for b in bemanning.state("bemanning")["bookings"]]
    assert kept[2:] == [("P-2001", "V04", "bokning", "bosse"), ("P-2015", "V03", "forfragan", "bosse")]


REFUSALS = [
    # (shift, substitute, kind, message expected in #form-errors)
    # Staff book P-2016 while the form is open in the robot's browser:
    ("P-2016", "V03", "forfragan", "Passet är redan tillsatt. Dubbelbokning är inte tillåten."),
    ("P-2003", "V04", "bokning", "Vikarien är inte introducerad på Solgläntan särskilt boende."),
    ("P-2003", "V03", "bokning", "Vikarien saknar bevis för yrkestiteln undersköterska (eller övergångsrätt)."),
    ("P-2020", "V11", "bokning", "Vikarien saknar kompetens för passet (Specialistundersköterska krävs)."),
    ("P-2004", "V02", "bokning", "Vikarien saknar förflyttningsutbildning."),
    ("P-2007", "V09", "forfragan", "Vikarien är redan bokad 2026-03-30 13:30–21:30 (dubbelbokning)."),
    ("P-2015", "V12", "bokning", "Vikarien har inte anmält tillgänglighet för hela passet. Skicka en förfrågan i stället."),
    ("P-2015", "V99", "bokning", "Det finns ingen vikarie med id V99."),
    ("P-2015", "", "bokning", "Fältet måste fyllas i."),
]


def test_every_refusal_has_its_swedish_message_and_writes_nothing(bemanning, chromium_loop):
    base = bemanning.url("bemanning")

    async def go(browser):
        out = []
        page = await _login(browser, bemanning)
        for shift, sub, kind, _ in REFUSALS:
            between = (lambda: httpx.post(f"{base}/_admin/bemanning/tillsatt", json={"shift": "P-2016", "substitute": "V02"})) if shift == "P-2016" else None
            status = await _submit(page, base, shift, sub, kind, between)
            texts = await page.locator("#form-errors li").all_inner_texts()
            out.append((status, texts))
        return out

    results = chromium_loop.run(go)
    for (shift, sub, kind, expected), (status, texts) in zip(REFUSALS, results):
        assert status == 422, shift
        assert expected in texts, shift
    # Only the scenario's own two and the staff booking made during the test.
    assert [b["by"] for b in bemanning.state("bemanning")["bookings"]] == ["planerare"] * 3


def test_request_is_allowed_without_reported_availability(bemanning, chromium_loop):
    # TCP: availability is for direct booking; a request can go to anyone, who answers JA/NEJ.
    async def go(browser):
        page = await _login(browser, bemanning)
        return await _submit(page, bemanning.url("bemanning"), "P-2015", "V12", "forfragan")

    assert chromium_loop.run(go) == 303
    assert bemanning.state("bemanning")["bookings"][-1]["substitute"] == "V12"


def test_substitute_page_shows_transition_right_las_and_availability(bemanning, chromium_loop):
    async def go(browser):
        page = await _login(browser, bemanning)
        await page.goto(bemanning.url("bemanning") + "/vikarier/V02")
        usk = await page.locator("#vikarie-usk").inner_text()
        las = await page.locator("#vikarie-las").inner_text()
        avail = await page.locator("table#tillganglighet tbody tr").count()
        booked = await page.locator("table#bokade-pass tbody tr").all_inner_texts()
        await page.goto(bemanning.url("bemanning") + "/vikarier")
        listed = await page.locator("table#vikarier tbody tr").count()
        return usk, las, avail, booked, listed

    usk, las, avail, booked, listed = chromium_loop.run(go)
    assert usk == "Övergångsrätt t.o.m. 2033-06-30"
    assert las == "50"
    assert avail == 17
    assert len(booked) == 1 and "P-2018" in booked[0]  # booked by staff in the scenario
    assert listed == 19


def test_changed_page_renames_the_shift_list_and_the_form(bemanning, chromium_loop):
    bemanning.set_faults("bemanning", changed_pages=["pass_lista", "pass"])

    async def go(browser):
        page = await _login(browser, bemanning)
        await page.goto(bemanning.url("bemanning") + "/pass")
        old = await page.locator("table#vakanta-pass").count()
        new = await page.locator("table#passlista").count()
        await page.goto(bemanning.url("bemanning") + "/pass/P-2003")
        form = await page.locator("#vikarie").count()
        return old, new, form

    assert chromium_loop.run(go) == (0, 1, 0)
    bemanning.set_faults("bemanning", changed_pages=[])


def test_pages_need_login():
    with start_systems("bosse_golden", systems=["bemanning"], ports=0) as running:
        r = httpx.get(running.url("bemanning") + "/pass/P-2001", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_a_broken_scenario_names_the_path():
    raw = json.loads(open("fixtures/scenarios/bosse_golden.json", encoding="utf-8").read())
    raw["bemanning"]["shifts"][3]["start"] = "7.00"
    with pytest.raises(ScenarioError, match=r"bemanning\.shifts\[3\]\.start"):
        parse_scenario(raw, "broken")
    raw = json.loads(open("fixtures/scenarios/bosse_golden.json", encoding="utf-8").read())
    raw["bemanning"]["substitutes"][1]["units"] = ["XYZ"]
    with pytest.raises(ScenarioError, match=r"substitutes\[1\]\.units\[0\]: unknown unit"):
        parse_scenario(raw, "broken")
    assert load_scenario("bosse_golden").sections["bemanning"].substitutes[0].id == "V01"


def test_generate_is_valid_and_deterministic():
    # how generation time grows with the size is measured in bench/generate.py, not here
    a = SPEC.generate(random.Random(3), 200, date(2026, 3, 30))
    assert a == SPEC.generate(random.Random(3), 200, date(2026, 3, 30))
    SPEC.data_model.model_validate(a)
    assert len(a["shifts"]) == 200 and len(a["substitutes"]) == 120
