"""HaRry – registers every approved schedule in the payroll system overnight, and hands deviations to HR.

fetch   downloads the scheduling system's export of approved schedules (the CSV download, as a person
        would) and yields one item per schedule, keyed "<anställningsnr>:<giltig från>:<version>";
process checks the schedule against the payroll system (employments, registered schedules, absence) and
        the working-time rules, registers it through the payroll system's form, reads it back and compares
        field by field;
report  for the payroll staff: deviations first with their reasons, then late changes, registered, skipped.

Idempotent: before writing, HaRry reads the employee's registered schedules in the payroll system; a
registration of this very schedule (same source id and version) that is already there is never made
again, whether a person made it, an earlier night did, or a crash came between submit and record.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from pydantic import BaseModel, Field

from runner.api import BusinessError, Cell, Context, Finding, Link, Outcome, Report, Robot, RunReport, Section
from runner.api import Severity, Status, WorkItem

from robots.harry.export import Broken, ExportChanged, parse_export
from robots.harry.model import Schedule
from robots.harry.outcomes import (
    REPORT_COLUMNS,
    REPORT_SECTIONS,
    already_there,
    deviation_summary,
    evidence_of,
    headline,
    readback_error,
    registered_outcome,
)
from robots.harry.pages.personal import (
    EmployeePage,
    RegisteredRow,
    RegisteredSchedulePage,
    RegisterForm,
    Submitted,
    employee_path,
    schedule_path,
)
from robots.harry.pages.schema import ScheduleList
from robots.harry.rules.assess import assess
from robots.harry.rules.periods import overlaps
from robots.harry.rules.readback import differences
from robots.harry.settings import HarrySettings

#: Checkpoint: the form was sent (a crash may follow before the outcome is recorded); the next attempt
#: that finds the registration calls it its own ("bekräftat efter omstart").
SUBMITTED = "submitted"

REFUSED = "avvisat"
BROKEN_EXPORT = "felaktig_export"
DUPLICATE_KEY = "dubblett"

Ctx = Context[HarrySettings]


class ExportEntry(BaseModel):
    """HaRry's work item (`WorkItem.data`): one schedule of the export, or why its rows could not be read."""

    schedule: Schedule | None = None
    #: Other schedules of the export with the same key (employee, start, version): a person must choose.
    duplicate_of: list[str] = Field(default_factory=list)
    #: Why the export's rows of this schedule could not be read (then `schedule` is None).
    broken: str | None = None
    schedule_id: str = ""


class Harry(Robot[HarrySettings, ExportEntry]):
    name = "harry"
    title = "HaRry – registrering av scheman i personalsystemet"
    description = (
        "Registrerar godkända scheman från schemasystemet i personal- och lönesystemet och lämnar "
        "avvikelser till löneadministratörerna."
    )
    schedule = "15 1 * * *"
    minutes_saved_per_case = 10
    systems = ("schema", "personal")

    # -- fetch -----------------------------------------------------------------------------------

    async def fetch(self, ctx: Ctx) -> AsyncIterator[WorkItem[ExportEntry]]:
        screen = await ScheduleList.open(ctx)
        with tempfile.TemporaryDirectory(prefix="harry-export-") as tmp:
            content = await screen.download_export(Path(tmp))
        try:
            entries = list(parse_export(content))
        except ExportChanged as exc:
            raise screen.changed(f"export: {exc}") from None
        ctx.log.info("harry.export_read", schedules=len(entries))
        by_key: dict[str, list[Schedule | Broken]] = {}
        for entry in entries:
            by_key.setdefault(entry.key, []).append(entry)
        for key, (entry, *others) in by_key.items():
            if isinstance(entry, Broken):
                title = f"Schema {entry.schedule_id} (kunde inte läsas)"
                yield WorkItem(key=key, title=title, data=ExportEntry(broken=entry.reason, schedule_id=entry.schedule_id))
            else:
                duplicate_of = [getattr(e, "schedule_id", "") for e in others]
                yield WorkItem(key=key, title=_title(entry), data=ExportEntry(schedule=entry, duplicate_of=duplicate_of))

    # -- process ---------------------------------------------------------------------------------

    async def process(self, ctx: Ctx, item: WorkItem[ExportEntry]) -> Outcome:
        entry = item.data
        if entry.schedule is None:
            raise BusinessError(
                BROKEN_EXPORT, f"Schemat {entry.schedule_id} i exporten går inte att läsa: {entry.broken or ''}"
            )
        schedule = entry.schedule
        if entry.duplicate_of:
            raise BusinessError(
                DUPLICATE_KEY,
                f"Exporten har flera godkända scheman med samma anställningsnummer, startdatum och version "
                f"({schedule.schedule_id}, {', '.join(entry.duplicate_of)}); rätta i schemasystemet",
            )

        # 1 and 4: what the payroll system knows of the employee (read before any write).
        employee = await EmployeePage.open(ctx, number=schedule.employee)
        known = await employee.exists()
        employments = await employee.employments() if known else None
        absences = await employee.absences() if known else []
        rows = await employee.registered() if known else []
        own_row, own, others = await self._read_registered(ctx, schedule, rows)

        assessment = assess(schedule, employments, others, ctx.settings.rules(), ctx.now().date(), absences)
        evidence = evidence_of(schedule, assessment, ctx.settings)
        links = [_link(ctx, "Anställd i personalsystemet", employee_path(schedule.employee))]

        # 6: this schedule is already registered (a person, an earlier night, or a crash after submit).
        if own is not None and own_row is not None:
            links.append(_link(ctx, "Registrerat schema", schedule_path(own_row.schedule_id)))
            ours = ctx.checkpoints.done(SUBMITTED)
            diffs = differences(schedule, own)
            if diffs:
                raise readback_error(own_row.schedule_id, diffs, assessment, evidence, links, ours=ours)
            return already_there(own_row.schedule_id, ours, assessment, evidence, links)
        if assessment.identical is not None:
            links.append(_link(ctx, "Registrerat schema", schedule_path(assessment.identical.schedule_id)))
            return already_there(assessment.identical.schedule_id, False, assessment, evidence, links)

        # 1–4: any deviation goes to a person, with every reason at once.
        if assessment.findings:
            raise BusinessError(
                assessment.findings[0].code,
                deviation_summary(assessment.findings),
                findings=assessment.findings + assessment.notes,
                evidence=evidence,
                links=links,
            )

        # 5: register through the form (in a dry run: only check that the form is there).
        form = await RegisterForm.open(ctx, number=schedule.employee, weeks=schedule.cycle_weeks)
        if ctx.dry_run:
            await form.check(schedule.cycle_weeks)
            return Outcome.prepared(
                "Provkörning: schemat skulle registreras" + (" (sen ändring)" if assessment.late else ""),
                findings=assessment.notes, evidence=evidence, links=links, data={"late_change": assessment.late},
            )
        answer = await self._submit(ctx, form, schedule)
        if answer.errors:
            raise BusinessError(
                REFUSED,
                "Personalsystemet avvisade registreringen: " + "; ".join(answer.errors),
                findings=[Finding(code=REFUSED, message=e, severity=Severity.error) for e in answer.errors]
                + assessment.notes,
                evidence=evidence,
                links=links,
            )
        if answer.schedule_id is None:
            raise RuntimeError("the register form gave neither a new schedule nor a message")
        ctx.log.info("harry.registered", registered_id=answer.schedule_id)
        links.append(_link(ctx, "Registrerat schema", schedule_path(answer.schedule_id)))

        # 5: read it back and compare field by field (the form's answer is the stored schedule's page).
        stored_page = RegisteredSchedulePage(ctx, form.page)
        if not form.page.url.split("?")[0].endswith(schedule_path(answer.schedule_id)):
            stored_page = await RegisteredSchedulePage.open(ctx, schedule_id=answer.schedule_id)
        diffs = differences(schedule, await stored_page.read())
        if diffs:
            raise readback_error(answer.schedule_id, diffs, assessment, evidence, links, ours=True)
        return registered_outcome(answer.schedule_id, assessment, evidence, links, confirmed_after_restart=False)

    async def _submit(self, ctx: Ctx, form: RegisterForm, schedule: Schedule) -> Submitted:
        """Fill and send the form. The checkpoint is marked first: after a crash from here on, the next
        attempt reads the payroll system before writing and finds the registration instead of repeating it."""
        await form.fill(schedule)
        ctx.checkpoints.mark(SUBMITTED, ctx.now().isoformat())
        return await form.send()

    async def _read_registered(
        self, ctx: Ctx, schedule: Schedule, rows: list[RegisteredRow]
    ) -> tuple[RegisteredRow | None, Schedule | None, list[Schedule]]:
        """Read back every registered schedule that overlaps this one; pick out this very schedule."""
        own_row, own, others = None, None, []
        for row in rows:
            if not overlaps(row.period, schedule.period):
                continue
            stored = await (await RegisteredSchedulePage.open(ctx, schedule_id=row.schedule_id)).read()
            is_own = schedule.schedule_id and row.source_id == schedule.schedule_id and row.version == schedule.version
            if is_own and own is None:
                own_row, own = row, stored
            else:
                others.append(stored)
        return own_row, own, others

    # -- report ----------------------------------------------------------------------------------

    async def report(self, ctx: Ctx, run: RunReport) -> Report:
        """For the payroll staff: deviations first with their reasons, then late changes, registered, skipped."""
        rows: dict[str, list[tuple[str, list[Cell]]]] = {name: [] for name in REPORT_SECTIONS}
        for item, outcome in run.outcomes():
            reasons = [f.message for f in outcome.findings if f.severity != Severity.info]
            if outcome.status == Status.needs_attention:
                rows["deviations"].append((item.key, [item.title, outcome.summary, reasons]))
            elif outcome.status == Status.failed:
                rows["failed"].append((item.key, [item.title, outcome.summary]))
            elif outcome.status == Status.prepared:
                if outcome.data.get("late_change"):
                    rows["late"].append((item.key, [item.title, outcome.summary, [f.message for f in outcome.findings]]))
                rows["registered"].append((item.key, [item.title, outcome.summary]))
            elif outcome.status == Status.skipped:
                rows["skipped"].append((item.key, [item.title, outcome.summary]))
        n = {name: len(r) for name, r in rows.items()}
        headings = dict(REPORT_SECTIONS)
        if run.dry_run:
            headings["registered"] = "Provkörning – skulle registreras"
        return Report(
            heading=headline(n["registered"], n["skipped"], n["deviations"], n["late"], n["failed"], run.dry_run),
            sections=[
                Section(heading=headings[name], columns=REPORT_COLUMNS[name], rows=[r for _, r in sorted(found)])
                for name, found in rows.items()
            ],
        )


def _title(s: Schedule) -> str:
    return f"Schema {s.schedule_id} v{s.version} – anst.nr {s.employee}, {s.period.label()}"


def _link(ctx: Ctx, label: str, path: str) -> Link:
    """A link into the payroll system, so staff open the employee or the schedule where it lives."""
    return Link(label=label, url=ctx.system("personal").url + path)
