"""Ronney: prepares applications for försörjningsstöd overnight. Never decides, never pays.

fetch   applications with status Inkommen or Komplettering begärd, one item per application and month
process supplements → SSBTEK → normberäkning → routing → note "Underlag från Ronney" (+ status
        "Väntar på beslut" when nothing needs a person)
report  counts per status; the cases needing a person first, each with its reasons
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from runner.api import Cell, Context, Link, Outcome, Report, Robot, RunReport, Section, Status, StopRun, WorkItem
from runner.api import count_section, status_sections

from robots.ronney.note import note_title
from robots.ronney.pages.application import DECISION_STATUS, ApplicationPage, application_path
from robots.ronney.pages.application_list import ApplicationRow, rows_with_status
from robots.ronney.pages.notes import add_note, note_titles
from robots.ronney.prepare import Preparation, assess, ssbtek_failure, supplement_stage
from robots.ronney.rules.calculation import comparison_month
from robots.ronney.rules.child_earnings import children_who_may_earn
from robots.ronney.rules.identity import check_id
from robots.ronney.rules.model import MONTHLY_KINDS, Application
from robots.ronney.rules.units import Month, kr
from robots.ronney.settings import RonneySettings
from robots.ronney.ssbtek import SsbtekUnavailable, household_incomes

FETCH_STATUSES = ("Inkommen", "Komplettering begärd")


class MissingApiKey(StopRun):
    def __init__(self) -> None:
        super().__init__("systems.ssbtek.api_key is not set")
        self.message_sv = "Ronney saknar API-nyckel till SSBTEK (systems.ssbtek.api_key); körningen stoppades."


Ctx = Context[RonneySettings]


class Ronney(Robot[RonneySettings, ApplicationRow]):
    name = "ronney"
    title = "Ronney – förberedelse av ansökningar om försörjningsstöd"
    description = (
        "Går igenom nya och kompletterade ansökningar om försörjningsstöd på natten, hämtar inkomster från "
        "SSBTEK, gör en preliminär normberäkning och skriver ett underlag i akten. Handläggaren beslutar."
    )
    schedule = "30 1 * * *"
    minutes_saved_per_case = 12
    systems = ("ekonomi", "ssbtek")

    # -- fetch -----------------------------------------------------------------------------------

    async def fetch(self, ctx: Ctx) -> AsyncIterator[WorkItem[ApplicationRow]]:
        """Inkommen, and Komplettering begärd (something may have arrived, or the due date passed)."""
        seen: set[str] = set()
        for status in FETCH_STATUSES:
            async for row in rows_with_status(ctx, status):
                key = f"{row.case_id}:{row.month}"
                if key in seen:
                    continue
                seen.add(key)
                title = f"Ärende {row.case_id} – {Month.parse(row.month).sv()} ({row.kind.lower()})"
                yield WorkItem(key=key, title=title, data=row)

    # -- process ---------------------------------------------------------------------------------

    async def process(self, ctx: Ctx, item: WorkItem[ApplicationRow]) -> Outcome:
        case_id, month = item.data.case_id, item.data.month
        page = await ApplicationPage.open(ctx, case_id=case_id, month=month)
        app = await page.read()
        link = Link(label="Öppna ansökan i ekonomi", url=ctx.system("ekonomi").url + application_path(case_id, month))
        title = note_title(Month.parse(month))

        if app.kind not in MONTHLY_KINDS:
            return Outcome.skipped(f"{app.kind}: Ronney förbereder bara månadsansökningar (nyansökan och återansökan)",
                                   links=[link], data={"kind": app.kind})
        note_there: bool | None = None
        if app.status not in FETCH_STATUSES:
            # Handled since the fetch, or moved by an earlier attempt of ours that crashed before its
            # outcome was recorded: only in the second case is there work to finish (read back, no rewrite).
            note_there = title in await note_titles(ctx, case_id)
            if not note_there:
                return Outcome.skipped(f"Ansökan har nu status {app.status}; inget att förbereda", links=[link],
                                       data={"status": app.status})

        now = ctx.now()
        prep = supplement_stage(app, now.date())
        if prep is None:
            try:
                incomes = await self._read_ssbtek(ctx, app)
            except SsbtekUnavailable as exc:
                ctx.log.warning("ssbtek.unavailable")
                prep = ssbtek_failure(exc.detail_sv)
            else:
                prep = assess(app, incomes, ctx.settings, key=item.key, now=now)

        written = await self._write(ctx, app, prep, title, note_there)
        ctx.log.info("ronney.prepared", status=prep.status.value, **written)
        return Outcome(status=prep.status, summary=prep.summary, findings=prep.findings, evidence=prep.evidence,
                       links=[link], data={**prep.data(), **written})

    async def _read_ssbtek(self, ctx: Ctx, app: Application) -> list:
        settings = ctx.settings
        system = ctx.system("ssbtek")
        if system.api_key is None:
            raise MissingApiKey()
        today = ctx.now().date()
        asked = [p.personnummer for p in app.adults() if check_id(p.personnummer, today=today).valid]
        earners = children_who_may_earn(app, today)  # their year so far decides how much of their pay counts
        month = str(comparison_month(Month.parse(app.month), settings.comparison_month))
        return await household_incomes(ctx.http("ssbtek"), system.api_key.get_secret_value(),
                                       [*asked, *earners], month,
                                       timeout=settings.ssbtek_timeout_seconds, from_january=frozenset(earners))

    async def _write(
        self, ctx: Ctx, app: Application, prep: Preparation, title: str, note_there: bool | None
    ) -> dict[str, Any]:
        """Note first, then status; each read back first, so a rerun after a crash never writes twice."""
        result: dict[str, Any] = {"note_written": False, "note_already_there": False, "status_changed": False}
        if prep.note is None or ctx.dry_run:
            return result
        if note_there is None:
            note_there = title in await note_titles(ctx, app.case_id)
        if note_there:
            result["note_already_there"] = True
        else:
            await add_note(ctx, app.case_id, app.month, title, prep.note)
            result["note_written"] = True
        if prep.move_to_decision:
            page = await ApplicationPage.open(ctx, case_id=app.case_id, month=app.month)
            if await page.status() != DECISION_STATUS:
                await page.set_status(DECISION_STATUS)
                result["status_changed"] = True
        return result

    # -- report ----------------------------------------------------------------------------------

    async def report(self, ctx: Ctx, run: RunReport) -> Report:
        """The night's summary for caseworkers: who needs a person first, with reasons."""
        cases = status_sections(run, REPORT_COLUMNS, _report_row, statuses=REPORT_STATUSES, headings=REPORT_HEADINGS)
        total = sum(r[2] for s in cases if s.heading == REPORT_HEADINGS[Status.prepared] for r in s.rows)  # type: ignore[misc]
        return Report(
            heading="Ronney – nattens ansökningar om försörjningsstöd" + (" (provkörning)" if run.dry_run else ""),
            sections=[
                count_section(run),
                *cases,
                Section(heading="Att tänka på", text=f"Preliminärt belopp för ansökningarna som är klara för beslut: "
                        f"{kr(total)}. Ronney fattar inga beslut och gör inga utbetalningar; beloppen är preliminära."),
            ],
        )


REPORT_STATUSES = (Status.needs_attention, Status.failed, Status.waiting, Status.prepared)
REPORT_HEADINGS = {Status.needs_attention: "Behöver en handläggare", Status.failed: "Tekniskt fel",
                   Status.waiting: "Väntar på komplettering", Status.prepared: "Klara för beslut"}
REPORT_COLUMNS = {
    Status.needs_attention: ["Ärende", "Skäl"],
    Status.failed: ["Ärende", "Sammanfattning"],
    Status.waiting: ["Ärende", "Sammanfattning"],
    Status.prepared: ["Ärende", "Sammanfattning", "Preliminärt belopp (kr)"],
}


def _report_row(item: WorkItem, outcome: Outcome) -> list[Cell]:
    if outcome.status == Status.needs_attention:
        return [item.title, [f.message for f in outcome.findings if f.severity.value != "info"] or [outcome.summary]]
    if outcome.status == Status.prepared:
        return [item.title, outcome.summary, int(outcome.data.get("amount", 0))]
    return [item.title, outcome.summary]
