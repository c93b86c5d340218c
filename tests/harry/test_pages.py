"""HaRry's page objects against the golden `schema` and `personal` in real Chromium."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Browser

from robots.harry.export import parse_export
from robots.harry.model import Period, Schedule
from robots.harry.pages.personal import (
    EmployeePage,
    RegisteredSchedulePage,
    RegisterForm,
    employee_path,
    register_path,
    schedule_path,
)
from robots.harry.pages.schema import LIST_PATH, ScheduleList
from robots.harry.rules.readback import differences
from runner.api import PageChangedError
from runner.testing import BrowserLoop
from tests.harry.conftest import harry_context
from tests.harry.helpers import FRI, MON, weekdays
from tests.support.conditions import slowdown

pytestmark = pytest.mark.browser


def test_export_is_downloaded_like_a_person_would(browsers: BrowserLoop, golden, tmp_path: Path) -> None:
    async def go(browser: Browser) -> bytes:
        async with harry_context(browser, golden) as ctx:
            return await (await ScheduleList.open(ctx)).download_export(tmp_path)

    content = browsers.run(go)
    schedules = list(parse_export(content))
    # 23 schedules in the scenario; the preliminary S-2026-0118 is not in the export.
    assert len(schedules) == 22
    assert "S-2026-0118" not in {s.schedule_id for s in schedules}
    two_weeks = next(s for s in schedules if s.schedule_id == "S-2026-0104")
    assert two_weeks.cycle_weeks == 2 and len(two_weeks.shifts) == 10
    assert list(tmp_path.glob("godkanda-scheman-2026-03-02.csv"))


def test_employee_page_reads_employments_and_registered_schedules(browsers: BrowserLoop, golden) -> None:
    async def go(browser: Browser):
        async with harry_context(browser, golden) as ctx:
            known = await EmployeePage.open(ctx, number="40109")
            out = [await known.exists(), await known.employments(), await known.registered()]
            out.append(await (await EmployeePage.open(ctx, number="40199")).exists())
            out.append(await (await RegisteredSchedulePage.open(ctx, schedule_id="P-1009")).read())
            return out

    exists, employments, registered, unknown_exists, stored = browsers.run(go)
    assert exists and not unknown_exists
    [e] = employments
    assert (e.grade_percent, e.category, e.period.start, e.period.end) == (100.0, "elevassistent", date(2019, 1, 1), None)
    [r] = registered
    assert (r.schedule_id, r.source_id, r.version) == ("P-1009", "S-2025-0909", 1)
    assert stored.period == Period(start=date(2026, 1, 5), end=date(2026, 6, 28))
    assert len(stored.shifts) == 5 and stored.shifts[0].break_minutes == 60


def _schedule(employee: str, start: date, end: date | None, source: str = "S-T-1") -> Schedule:
    return Schedule(
        employee=employee, period=Period(start=start, end=end), version=1, cycle_weeks=1,
        shifts=tuple(weekdays(1, range(MON, FRI + 1), "07:00", "16:00", 60)), schedule_id=source,
    )


def test_register_form_registers_and_refuses_with_the_systems_own_messages(browsers: BrowserLoop, golden) -> None:
    cases = {
        "ok": _schedule("40101", date(2026, 4, 6), date(2026, 6, 28)),
        "unknown": _schedule("40199", date(2026, 4, 6), date(2026, 6, 28)),
        "outside": _schedule("40111", date(2026, 4, 6), date(2026, 8, 30)),
        "overlap": _schedule("40109", date(2026, 4, 6), date(2026, 6, 28)),
        "locked": _schedule("40114", date(2026, 2, 23), None),
    }

    async def go(browser: Browser):
        async with harry_context(browser, golden) as ctx:
            answers = {}
            for name, s in cases.items():
                form = await RegisterForm.open(ctx, number=s.employee, weeks=s.cycle_weeks)
                await form.fill(s)
                answers[name] = await form.send()
            stored = await (await RegisteredSchedulePage.open(ctx, schedule_id=answers["ok"].schedule_id)).read()
            return answers, stored

    answers, stored = browsers.run(go)
    assert answers["ok"].schedule_id == "P-2001" and answers["ok"].errors == ()
    assert differences(cases["ok"], stored) == []
    assert answers["unknown"].errors == ("Anställningsnummer 40199 finns inte i personalsystemet.",)
    assert answers["outside"].errors == (
        "Perioden 2026-04-06–2026-08-30 ligger utanför anställningen. Anställningen gäller 2026-01-01–2026-06-30.",
    )
    assert answers["overlap"].errors == (
        "Perioden överlappar schema P-1009 (2026-01-05–2026-06-28) som redan är registrerat för anställningen.",
    )
    assert answers["locked"].errors == (
        "Löneperioden till och med 2026-02-28 är stängd. Ett schema kan inte börja 2026-02-23; kontakta lönekontoret.",
    )
    registered = [s for s in golden.state("personal")["schedules"] if s["id"] not in ("P-1009", "P-1012", "P-1022")]
    assert [(s["id"], s["employee"], s["source_id"]) for s in registered] == [("P-2001", "40101", "S-T-1")]


@pytest.mark.parametrize(
    ("system", "changed", "path"),
    [
        ("schema", "scheman", LIST_PATH),
        ("personal", "registrera", register_path("40101", 1)),
        ("personal", "anstalld", employee_path("40101")),
        ("personal", "schema", schedule_path("P-1009")),
    ],
)
def test_a_changed_page_is_noticed_at_once(
    browsers: BrowserLoop, golden, tmp_path: Path, system: str, changed: str, path: str) -> None:
    golden.set_faults(system, changed_pages=[changed])

    async def go(browser: Browser) -> PageChangedError | None:
        async with harry_context(browser, golden) as ctx:
            page = await ctx.goto(system, path)
            try:
                if changed == "scheman":
                    await ScheduleList(ctx, page).download_export(tmp_path)
                elif changed == "registrera":
                    await RegisterForm(ctx, page).fill(_schedule("40101", date(2026, 4, 6), None))
                elif changed == "anstalld":
                    await EmployeePage(ctx, page).exists()
                else:
                    await RegisteredSchedulePage(ctx, page).read()
            except PageChangedError as exc:
                return exc
            return None

    started = time.monotonic()
    error = browsers.run(go)
    assert isinstance(error, PageChangedError) and error.system == system
    assert time.monotonic() - started < (5.0 + 3) * slowdown()  # the quick check, not the 5 s default timeout per element
