"""The robot toolbox (issue 14): screens, the typed contract, item data checked at `yield`, test doubles.

The robot of docs/writing-a-robot.md, on `runner.api` and `runner.pages` alone, reads a table, fills a form
and reads it back, in real Chromium through the real engine, against a `runner.testing.TinySystem`; its
failures are the framework's.
"""

from __future__ import annotations

import ast
import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest

from runner import plugins
from runner.api import (
    Outcome,
    PageChangedError,
    Report,
    Robot,
    SessionExpiredError,
    Status,
    SystemUnavailableError,
    WorkItem,
)
from runner.ledger.models import Outcome as OutcomeRow
from runner.settings import SettingsError
from runner.pages import Screen
from runner.testing import (
    FakeContext,
    Redirect,
    Refused,
    TinySystem,
    chromium,
    make_settings,
    run_robot,
    system_settings,
)

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


DOCS = Path(__file__).resolve().parents[2] / "docs" / "writing-a-robot.md"


def docs_robot() -> dict[str, object]:
    """The robot of docs/writing-a-robot.md's "A whole robot" section, run here as written there."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## A whole robot"):]
    code = section[section.index("```python") + len("```python"):section.index("```", section.index("```python") + 9)]
    namespace: dict[str, object] = {"__name__": "docs_kassa"}
    exec(compile(code, str(DOCS), "exec", dont_inherit=True), namespace)  # noqa: S102 - the docs' own code, tested
    return namespace


DOC = docs_robot()
Case, KassaSettings, CaseList, CasePage, Kassa = (DOC[n] for n in ("Case", "KassaSettings", "CaseList", "CasePage", "Kassa"))


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


def test_outcome_data_that_is_not_json_fails_the_item_at_once_as_a_robot_bug_naming_robot_and_field(tmp_path):
    """A `date` in Outcome.data: the item fails on its first attempt (another would fail the same way), staff
    read "ett fel i roboten", operations the robot and the field; the ledger is not blamed, and the other
    item and the run go on (a robot's bug is no sign of a system down: circuit_breaker = 1 does not trip)."""
    processed: list[str] = []

    class DatedOutcome(Robot):
        name = "utfall"
        systems = ()

        async def fetch(self, ctx):
            yield WorkItem(key="1", data={"case": "1"})
            yield WorkItem(key="2", data={"case": "2"})

        async def process(self, ctx, item):
            processed.append(item.key)
            when = date(2025, 12, 1)
            return Outcome.prepared("Klar", data={"beslut": {"datum": when if item.key == "1" else when.isoformat()}})

    plugins.register(DatedOutcome)
    settings = make_settings(tmp_path, robots={"utfall": {"max_attempts": 3, "circuit_breaker": 1}})
    result = run_robot("utfall", settings)
    assert result.run.status == "completed"
    assert sorted(processed) == ["1", "2"]  # item 1 once: not retried
    failed = result.outcomes["1"]
    assert failed.status == Status.failed
    assert "fel i roboten" in failed.summary and "nästa körning" in failed.summary
    assert "Error" not in failed.summary and "ledger" not in failed.summary and "liggaren" not in failed.summary.lower()
    assert result.outcomes["2"].status == Status.prepared
    assert result.outcomes["2"].data == {"beslut": {"datum": "2025-12-01"}}
    with result.ledger.sessions() as s:
        row = s.query(OutcomeRow).filter_by(key="1").one()
    assert row.attempts == 1 and row.data == {}
    assert row.error is not None and "robot utfall: field 'Outcome.data.beslut.datum' is a date" in row.error
    assert "2025" not in row.error  # the field, never the value


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


class Entries(Screen):
    system, name, path, requires = "lista", "Poster", "/poster", ("table#poster",)

    async def ids(self) -> list[str]:
        return [r["Post"] for r in await self.table("table#poster", ("Post",))]


class Lister(Robot):
    name = "lista"
    systems = ("lista",)


def test_pages_follows_the_pagers_next_to_the_last_page_and_a_loop_ends_the_walk():
    """Three pages of two rows; page 2's "Nästa" is relative, page 3's leads back to page 2 (a broken
    pager): every row once, in order. A list of one page is that page."""
    system = TinySystem("lista")
    pager = {1: "<a rel='next' href='?page=2'>Nästa</a>", 2: "<a rel='next' href='/poster?page=3'>Nästa</a>",
             3: "<a rel='next' href='/poster?page=2'>Nästa</a>", 9: "<span>Nästa</span>"}

    @system.page("/poster")
    def entries(params, form):
        n = int(params.get("page", "1"))
        rows = "".join(f"<tr><td>P{n}{i}</td></tr>" for i in (1, 2))
        return f"<table id='poster'><thead><tr><th>Post</th></tr></thead><tbody>{rows}</tbody></table>{pager[n]}"

    async def go():
        async with chromium() as browser:
            ctx = FakeContext(Lister(), browser, system_settings(system), now=datetime(2025, 12, 1, 2))
            walked = [i async for screen in (await Entries.open(ctx)).pages() for i in await screen.ids()]
            single = await ctx.goto("lista", "/poster?page=9")
            alone = [i async for screen in Entries(ctx, single).pages() for i in await screen.ids()]
            await ctx.close()
            return walked, alone

    with system, ThreadPoolExecutor(1) as pool:
        assert system_settings(system) == {"lista": system.settings()}
        walked, alone = pool.submit(asyncio.run, go()).result()
    assert walked == ["P11", "P12", "P21", "P22", "P31", "P32"]
    assert alone == ["P91", "P92"]
    # page 2 is not asked for again when page 3 leads back to it
    assert [path for _, path in system.requests if "page=" in path] == ["/poster?page=2", "/poster?page=3", "/poster?page=9"]


def test_every_snippet_in_the_docs_compiles_and_the_first_robot_runs_as_written():
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    for block in blocks:  # top-level `await` as in the docs' step-by-step snippet
        compile(block, str(DOCS), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, object] = {"__name__": "docs_vera"}
    exec(compile(blocks[0], str(DOCS), "exec", dont_inherit=True), namespace)  # noqa: S102 - the docs' own code, tested
    vera_cls = namespace["Vera"]
    bundled, _ = plugins.discover()
    assert "lena" in bundled and vera_cls.name not in bundled  # the example is no bundled robot
    assert vera_cls.Settings is namespace["VeraSettings"] and vera_cls.Item is namespace["Decision"]

    system = TinySystem("hemtjanst")

    @system.page("/beslut")
    def decisions(params, form):
        assert params == {"status": "ny"}
        return ("<table id='beslut'><thead><tr><th>Beslut</th><th>Grupp</th></tr></thead>"
                "<tbody><tr><td>B-1</td><td>Norr</td></tr></tbody></table>")

    async def go():
        async with chromium() as browser:
            ctx = FakeContext(vera_cls(), browser, {"hemtjanst": system.settings()}, now=datetime(2025, 12, 1, 2))
            [item] = await ctx.fetch_items()
            outcome = await ctx.process_item(item)
            await ctx.close()
            return item, outcome

    with system, ThreadPoolExecutor(1) as pool:
        item, outcome = pool.submit(asyncio.run, go()).result()
    assert (item.key, item.data.group) == ("B-1", "Norr")
    assert outcome.status == Status.prepared and outcome.evidence[0].value == "Norr"


class Facts(Screen):
    # one CSS selector, and one in Playwright's own syntax, which the browser cannot parse as CSS
    system, name, path, requires = "lista", "Fakta", "/fakta", ("dl#fakta", "h1:has-text('Fakta')")


def test_a_screen_reads_by_css_and_by_playwrights_own_selectors_and_a_missing_one_is_a_changed_page():
    """`verify`, `table` and `fields` ask the browser once for a CSS selector and fall back to Playwright's
    locator for its own syntax: the same answers either way, and the same PageChangedError when missing."""
    system = TinySystem("lista")

    @system.page("/fakta")
    def facts(params, form):
        return ("<h1>Fakta</h1><dl id='fakta'><dt>Ärende</dt><dd>A1</dd><dt>Belopp</dt><dd>7 050 kr</dd></dl>"
                "<table id='poster'><thead><tr><th>Post</th></tr></thead><tbody><tr><td>P1</td></tr></tbody></table>")

    async def go():
        async with chromium() as browser:
            ctx = FakeContext(Lister(), browser, system_settings(system), now=datetime(2025, 12, 1, 2))
            screen = await Facts.open(ctx)  # both requires found
            by_css = (await screen.fields("dl#fakta", ("Ärende",)), await screen.table("table#poster", ("Post",)))
            by_pw = (await screen.fields("dl:has-text('Ärende')", ("Ärende",)),
                     await screen.table("table:has-text('Post')", ("Post",)))
            missing = []
            for read in (lambda: screen.verify("form#saknas"), lambda: screen.verify("form:has-text('Spara')"),
                         lambda: screen.table("table#saknas"), lambda: screen.fields("dl:has-text('Saknas')")):
                with pytest.raises(PageChangedError) as changed:
                    await read()
                missing.append(changed.value.detail)
            await ctx.close()
            return by_css, by_pw, missing

    with system, ThreadPoolExecutor(1) as pool:
        by_css, by_pw, missing = pool.submit(asyncio.run, go()).result()
    assert by_css == by_pw == ({"Ärende": "A1", "Belopp": "7 050 kr"}, [{"Post": "P1"}])
    assert missing == ["form#saknas missing", "form:has-text('Spara') missing", "table#saknas missing",
                       "dl:has-text('Saknas') missing"]
