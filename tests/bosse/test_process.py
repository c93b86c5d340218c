"""fetch and process step by step against the golden staffing system (a hand-made Context, real Chromium).

The whole run through the real engine is in test_golden.py; here each path of process() is forced:
the planned substitute taken in between, the shift filled by staff, a rerun after a crash, dry run,
and a changed screen.
"""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest

from robots.bosse.robot import Bosse
from runner.api import BusinessError, PageChangedError, SessionExpiredError, Status
from runner.testing import FakeContext, system_settings
from tests.support.conditions import wait_ms, slowdown

pytestmark = pytest.mark.browser


def _ctx(running, browser, **kw):
    return FakeContext(Bosse(), browser, system_settings(running), now=_now(running), timeout_ms=wait_ms(5000), **kw)


def _now(running):
    return datetime.fromisoformat(running.clock())


@pytest.fixture(scope="module")
def items(golden, chromium_loop):
    """The golden night's work items, fetched once (fetch only reads)."""
    golden.reset()
    return {i.key: i for i in chromium_loop.run(lambda b: _fetch(golden, b))}


async def _fetch(running, browser):
    ctx = _ctx(running, browser)
    try:
        return await ctx.fetch_items()  # as process gets them from the ledger: data parsed into ShiftItem
    finally:
        await ctx.close()


def _process(running, chromium_loop, item, **kw):
    async def go(browser):
        ctx = _ctx(running, browser, **kw)
        try:
            for attempt in range(3):  # as the engine does: an ended session is a new login and the step again
                try:
                    return await ctx.process_item(item)
                except SessionExpiredError:
                    if attempt == 2:
                        raise
                    await ctx.reset_browser()
        finally:
            await ctx.close()

    return chromium_loop.run(go)


def _admin(running, action: str, body: dict) -> None:
    r = httpx.post(f"{running.url('bemanning')}/_admin/bemanning/{action}", json=body)
    assert r.status_code == 200


def test_fetch_plans_the_horizon_only(items):
    # 26 shifts: P-2017 is 16 days ahead (> 14), P-2018 booked and P-2019 requested by staff.
    assert sorted(items) == [f"P-20{n:02d}" for n in range(1, 17)] + [f"P-20{n}" for n in range(20, 27)]
    assert items["P-2001"].data.chosen.id == "V04"
    assert items["P-2013"].data.alternates[0].id == "V04"
    assert items["P-2014"].data.mode == "forfragan"
    assert items["P-2008"].data.reasons_text == "17 ej introducerad, 1 saknar rätt kompetens, 1 för kort veckovila"
    # No names or personnummer in titles (titles reach the logs through the engine).
    assert items["P-2001"].title == "Hemtjänst Centrum (HTC) 2026-03-31 07:00–16:00"


def test_planned_substitute_taken_in_between_goes_to_the_alternate(bemanning, chromium_loop, items):
    # Another office books Eva (V05) on Thursday 9 April 08:00–12:00, overlapping P-2013 (07:00–16:00).
    _admin(bemanning, "annan-bokning", {"substitute": "V05", "unit": "HTC", "date": "2026-04-09", "start": "08:00", "end": "12:00"})
    out = _process(bemanning, chromium_loop, items["P-2013"])
    assert out.status == Status.prepared
    assert out.summary == "Bokad: V04 David Ek"
    assert any(f.code == "alternativ" and "redan bokad samtidigt" in f.message for f in out.findings)
    last = bemanning.state("bemanning")["bookings"][-1]
    assert (last["shift"], last["substitute"], last["kind"], last["by"]) == ("P-2013", "V04", "bokning", "bosse")


def test_no_one_left_is_needs_attention_with_each_reason(bemanning, chromium_loop, items):
    # P-2001 has no alternates (Eva is planned for P-2002 the same evening). David is booked elsewhere at 06:00.
    _admin(bemanning, "annan-bokning", {"substitute": "V04", "unit": "HTC", "date": "2026-03-31", "start": "06:00", "end": "10:00"})
    with pytest.raises(BusinessError) as exc:
        _process(bemanning, chromium_loop, items["P-2001"])
    assert exc.value.code == "ingen_kunde_bokas"
    assert exc.value.message == "Ingen av de föreslagna vikarierna kunde ta passet: V04 David Ek: redan bokad samtidigt."
    assert len(bemanning.state("bemanning")["bookings"]) == 2


def test_unfillable_shift_says_why(bemanning, chromium_loop, items):
    with pytest.raises(BusinessError) as exc:
        _process(bemanning, chromium_loop, items["P-2004"])
    assert exc.value.message == "Ingen vikarie kan ta passet: 11 saknar förflyttningsutbildning, 7 saknar USK-bevis, 1 över timtaket."


def test_shift_filled_by_staff_is_skipped(bemanning, chromium_loop, items):
    _admin(bemanning, "tillsatt", {"shift": "P-2003", "substitute": "V02"})
    out = _process(bemanning, chromium_loop, items["P-2003"])
    assert out.status == Status.skipped
    assert out.summary == "Passet är redan tillsatt (bokning, V02) av planerare"
    assert [b["shift"] for b in bemanning.state("bemanning")["bookings"]].count("P-2003") == 1


def test_rerun_after_a_crash_never_books_twice(bemanning, chromium_loop, items):
    first = _process(bemanning, chromium_loop, items["P-2012"])
    again = _process(bemanning, chromium_loop, items["P-2012"])  # as if the ledger never heard of the first
    assert first.summary == "Bokad: V06 Fatima Ali"
    assert again.status == Status.prepared
    assert again.summary == "Bokad: V06 (gjort i ett tidigare försök)"
    assert [b["shift"] for b in bemanning.state("bemanning")["bookings"]].count("P-2012") == 1


def test_request_on_a_public_holiday_with_foretradesratt(bemanning, chromium_loop, items):
    out = _process(bemanning, chromium_loop, items["P-2014"])
    assert out.summary == "Förfrågan skickad till V05 Eva Strand (helgdag (Långfredagen))"
    assert out.data["action"] == "forfragan"
    assert {f.code for f in out.findings} == {"foretradesratt"}
    assert bemanning.state("bemanning")["bookings"][-1]["kind"] == "forfragan"


def test_las_warning_is_flagged_for_hr(bemanning, chromium_loop, items):
    out = _process(bemanning, chromium_loop, items["P-2010"])
    las = [f for f in out.findings if f.code == "las_varning"]
    assert out.summary == "Bokad: V07 Gustav Nyberg" and out.data["las_warning"] is True
    assert "329 LAS-dagar och når 330" in las[0].message


def test_dry_run_writes_nothing(bemanning, chromium_loop, items):
    out = _process(bemanning, chromium_loop, items["P-2001"], dry_run=True)
    assert out.summary == "Torrkörning – skulle ha bokat V04 David Ek"
    assert len(bemanning.state("bemanning")["bookings"]) == 2


def test_changed_screens_stop_the_run_quickly(bemanning, chromium_loop, items):
    bemanning.set_faults("bemanning", changed_pages=["pass_lista"])
    t = time.monotonic()
    with pytest.raises(PageChangedError) as exc:
        chromium_loop.run(lambda b: _fetch(bemanning, b))
    assert exc.value.page == "Vakanta pass"
    # Noticed at once (PageChangedError, not a Playwright TimeoutError after waiting for each element).
    assert time.monotonic() - t < 30 * slowdown()
    bemanning.set_faults("bemanning", changed_pages=["pass"])
    with pytest.raises(PageChangedError) as exc:
        _process(bemanning, chromium_loop, items["P-2003"])
    assert exc.value.page == "Pass"
    bemanning.set_faults("bemanning", changed_pages=["vikarie"])
    with pytest.raises(PageChangedError) as exc:
        _process(bemanning, chromium_loop, items["P-2003"])
    assert exc.value.page == "Vikarie"
    bemanning.set_faults("bemanning", changed_pages=[])
    assert len(bemanning.state("bemanning")["bookings"]) == 2


def test_session_expiring_between_opening_and_saving_books_once(bemanning, chromium_loop, items, monkeypatch):
    # The session ends after the shift page was opened and before its form is sent: the first submit meets
    # the login page. Ended by the work, not by a clock: a 2-second session, outlived by a sleep, also ended
    # the second try on a busy machine.
    from robots.bosse.pages.shifts import ShiftPage

    original = ShiftPage.fill
    calls = []

    async def fill_after_the_session_ended(self, *args):
        calls.append(args)
        if len(calls) == 1:
            await self.ctx._context.clear_cookies()  # the system no longer knows this browser's session
        return await original(self, *args)

    monkeypatch.setattr(ShiftPage, "fill", fill_after_the_session_ended)
    out = _process(bemanning, chromium_loop, items["P-2009"])
    assert len(calls) == 2  # the first submit met the login page, the second went through
    assert out.summary == "Bokad: V11 Karl Björk"
    assert [b["shift"] for b in bemanning.state("bemanning")["bookings"]].count("P-2009") == 1
