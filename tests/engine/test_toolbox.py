"""The robot toolbox (issue 14): screens, the typed contract, item data checked at `yield`, test doubles.

A robot written here on `runner.api`, `runner.pages` and `runner.testing` alone reads a table, fills a
form and reads it back, in real Chromium through the real engine; its failures are the framework's.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
from pydantic import BaseModel

from runner import plugins
from runner.api import (
    Context,
    Outcome,
    PageChangedError,
    Report,
    Robot,
    RunReport,
    SessionExpiredError,
    Status,
    SystemUnavailableError,
    WorkItem,
    count_section,
    status_sections,
)
from runner.pages import Screen
from runner.settings import SettingsError
from runner.testing import FakeContext, Redirect, Refused, TinySystem, chromium, make_settings, run_robot

pytestmark = pytest.mark.browser

CASES = {"A1": "Ny", "A2": "Ny", "A3": "Klar"}
FORM = """<form id='notering' method='post'>
<label for='rubrik'>Rubrik</label><input id='rubrik' name='rubrik'>
<button type='submit'>Spara</button></form>"""


def kassa() -> TinySystem:
    """Cases in a table, each with a journal that takes a note with a form (and refuses an empty one)."""
    system = TinySystem("kassa")
    notes: dict[str, list[str]] = {k: [] for k in CASES}

    @system.page("/arenden")
    def cases(params, form):
        rows = "".join(f"<tr><td>{k}</td><td>{s}</td></tr>" for k, s in CASES.items())
        return f"<table id='arenden'><thead><tr><th>Ärende</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>"

    @system.page("/arenden/{case_id}", methods=("GET", "POST"))
    def case(params, form):
        if form is not None:
            if not form.get("rubrik", "").strip():
                return Refused(["Rubrik saknas"], FORM)
            notes[params["case_id"]].append(form["rubrik"])
            return Redirect(f"/arenden/{params['case_id']}")
        rows = "".join(f"<tr><td>{n}</td></tr>" for n in notes[params["case_id"]]) or "<tr class='tom'><td>Inga</td></tr>"
        return (f"<dl id='akt'><dt>Ärende</dt><dd>{params['case_id']}</dd></dl>"
                f"<table id='anteckningar'><thead><tr><th>Rubrik</th></tr></thead><tbody>{rows}</tbody></table>{FORM}")

    system.notes = notes  # type: ignore[attr-defined]
    return system


class Case(BaseModel):
    case_id: str
    seen: date


class KassaSettings(Robot.Settings):
    note: str = "Granskad av roboten"


class CaseList(Screen[KassaSettings]):
    system, name, path, requires = "kassa", "Ärenden", "/arenden", ("table#arenden",)


class CasePage(Screen[KassaSettings]):
    system, name, path, requires = "kassa", "Ärende", "/arenden/{case_id}", ("dl#akt", "table#anteckningar")

    async def notes(self) -> list[str]:
        return [r["Rubrik"] for r in await self.table("table#anteckningar", ("Rubrik",))]


class Kassa(Robot[KassaSettings, Case]):
    name = "kassa"
    title = "Kassa – testrobot"
    systems = ("kassa",)

    async def fetch(self, ctx: Context[KassaSettings]):
        for row in await (await CaseList.open(ctx)).table("table#arenden", ("Ärende", "Status")):
            if row["Status"] == "Ny":
                yield WorkItem(key=row["Ärende"], title=f"Ärende {row['Ärende']}",
                               data=Case(case_id=row["Ärende"], seen=ctx.now().date()))

    async def process(self, ctx: Context[KassaSettings], item: WorkItem[Case]) -> Outcome:
        page = await CasePage.open(ctx, case_id=item.data.case_id)
        if ctx.settings.note in await page.notes():
            return Outcome.skipped("Redan granskad")
        errors = await page.submit("form#notering", fill={"#rubrik": ctx.settings.note})
        if errors:
            return Outcome.needs_attention("Kassan tog inte emot anteckningen: " + "; ".join(errors))
        if ctx.settings.note not in await CasePage(ctx, page.page).notes():
            raise RuntimeError("the note is not there after saving")
        return Outcome.prepared(f"Granskad {item.data.seen:%Y-%m-%d}")

    async def report(self, ctx: Context[KassaSettings], run: RunReport) -> Report:
        sections = status_sections(run, ["Ärende", "Sammanfattning"], lambda i, o: [i.key, o.summary])
        return Report(heading="Kassa – nattens ärenden", sections=[count_section(run), *sections])


def test_a_robot_on_the_toolbox_reads_a_table_fills_a_form_and_reads_it_back(tmp_path):
    plugins.register(Kassa)
    with kassa() as system:
        settings = make_settings(tmp_path, systems=system, robots={"kassa": {"concurrency": 2}})
        first = run_robot("kassa", settings)
        assert first.run.status == "completed"
        assert {k: o.status for k, o in first.outcomes.items()} == {"A1": Status.prepared, "A2": Status.prepared}
        assert system.notes == {"A1": ["Granskad av roboten"], "A2": ["Granskad av roboten"], "A3": []}
        report = Report.parse(first.report)
        assert report is not None
        assert report.section("Antal ärenden").records() == [{"Status": "Förberett", "Antal": 2}]
        assert [r["Ärende"] for r in report.section("Förberett").records()] == ["A1", "A2"]
        # a lost ledger: the next night reads each note back and writes nothing twice
        (tmp_path / "b").mkdir()
        second = run_robot("kassa", make_settings(tmp_path / "b", systems=system, robots={"kassa": {}}))
        assert {o.status for o in second.outcomes.values()} == {Status.skipped}
        assert system.notes["A1"] == ["Granskad av roboten"]


def test_robot_settings_are_typed_and_a_field_shadowing_a_framework_key_is_refused(tmp_path):
    class Shadowing(Robot):
        name = "skugga"
        systems = ()

        class Settings(Robot.Settings):
            deadline: str = "06:00"  # [robots.skugga] deadline is the framework's: it would never arrive

    plugins.register(Shadowing)
    with pytest.raises(SettingsError, match=r"robot skugga: its Settings field\(s\) deadline have the name of a framework"):
        run_robot("skugga", make_settings(tmp_path, robots={"skugga": {}}))
    assert Kassa.Settings is KassaSettings and Kassa.Item is Case


def test_item_data_that_is_not_json_fails_the_fetch_naming_robot_and_field(tmp_path):
    class Dated(Robot):
        name = "datum"
        systems = ()

        async def fetch(self, ctx):
            yield WorkItem(key="1", data={"case": {"when": date(2025, 12, 1)}})

    plugins.register(Dated)
    result = run_robot("datum", make_settings(tmp_path, robots={"datum": {}}))
    assert result.run.status == "failed"
    assert "fel i roboten" in (result.run.reason or "")
    assert result.run.detail is not None
    assert "robot datum: field 'WorkItem.data.case.when' is a date" in result.run.detail
    assert "ledger" not in (result.run.reason or "") and "Liggaren" not in (result.run.reason or "")


def test_screen_tells_a_server_error_an_ended_session_and_a_changed_screen_apart():
    async def go():
        with kassa() as system:
            async with chromium() as browser:
                ctx = FakeContext(Kassa(), browser, {"kassa": system.settings()}, now=datetime(2025, 12, 1, 2))
                items = await ctx.fetch_items()
                assert [i.data for i in items] == [Case(case_id="A1", seen=date(2025, 12, 1)),
                                                   Case(case_id="A2", seen=date(2025, 12, 1))]
                page = await CaseList.open(ctx)
                system.fail_next(1, 503)
                await page.page.reload()
                with pytest.raises(SystemUnavailableError, match="kassa answered 503 on Ärenden"):
                    await page.verify()
                system.expire_sessions()
                await page.page.reload()
                with pytest.raises(SessionExpiredError):
                    await page.verify()
                await CaseList.open(ctx)  # ctx.goto logs in again
                with pytest.raises(PageChangedError) as changed:
                    await page.table("table#arenden", ("Ärende", "Belopp"))
                assert changed.value.detail == "column(s) Belopp missing in table#arenden"
                assert changed.value.message_sv == "Sidan ”Ärenden” i systemet kassa har ändrats; roboten stoppades."
                # an empty note is refused by the system, and submit returns its message
                case = await CasePage.open(ctx, case_id="A3")
                assert await case.submit("form#notering", fill={"#rubrik": " "}) == ["Rubrik saknas"]
                assert (await ctx.process_item(items[0])).status == Status.prepared
                await ctx.close()

    # in a thread of its own: a browser test before this one may leave its event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result()
