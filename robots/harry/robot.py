"""HaRry – registers every approved schedule in the payroll system overnight, and hands deviations to HR.

fetch   downloads the scheduling system's export of approved schedules (the CSV download, as a person
        would) and yields one item per schedule, keyed "<anställningsnr>:<giltig från>:<version>";
process checks the schedule against the payroll system and the working-time rules, registers it through
        the payroll system's form, reads it back and compares field by field;
report  for the payroll staff: deviations first with their reasons, then late changes, registered, skipped.

Idempotent: before writing, HaRry reads the employee's registered schedules in the payroll system; a
registration of this very schedule (same source id and version) that is already there is never made
again, whether a person made it, an earlier night did, or a crash came between submit and record.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from runner.api import (
    BusinessError,
    Context,
    Evidence,
    Finding,
    Link,
    Outcome,
    PageChangedError,
    Robot,
    RunReport,
    Severity,
    Status,
    WorkItem,
)

from robots.harry.export import Broken, ExportChanged, parse_export
from robots.harry.model import Schedule
from robots.harry.pages.personal import (
    EmployeePage,
    RegisteredRow,
    RegisteredSchedulePage,
    RegisterForm,
    Submitted,
    employee_path,
    register_path,
    schedule_path,
)
from robots.harry.pages.schema import LIST_PATH, PAGE_NAME, ScheduleList
from robots.harry.rules.assess import Assessment, assess
from robots.harry.rules.fmt import decimal_sv, plain_sv
from robots.harry.rules.periods import overlaps
from robots.harry.rules.readback import differences
from robots.harry.settings import HarrySettings

SUBMITTED = "submitted"  # checkpoint: the form was sent (a crash may follow before the outcome is recorded)
REGISTERED_ID = "registered_id"  # checkpoint: the payroll system answered with the new schedule's id

REFUSED = "avvisat"
READBACK = "aterlasning"
BROKEN_EXPORT = "felaktig_export"
DUPLICATE_KEY = "dubblett"


class Harry(Robot):
    name = "harry"
    title = "HaRry – registrering av scheman i personalsystemet"
    description = (
        "Registrerar godkända scheman från schemasystemet i personal- och lönesystemet och lämnar "
        "avvikelser till löneadministratörerna."
    )
    schedule = "15 1 * * *"
    minutes_saved_per_case = 10
    systems = ("schema", "personal")

    Settings = HarrySettings

    # -- fetch -----------------------------------------------------------------------------------

    async def fetch(self, ctx: Context) -> AsyncIterator[WorkItem]:
        page = await ctx.goto("schema", LIST_PATH)
        with tempfile.TemporaryDirectory(prefix="harry-export-") as tmp:
            content = await ScheduleList(page).download_export(Path(tmp))
        try:
            entries = list(parse_export(content))
        except ExportChanged as exc:
            raise PageChangedError("schema", PAGE_NAME, f"export: {exc}") from None
        by_key: dict[str, list[Schedule | Broken]] = {}
        for entry in entries:
            by_key.setdefault(entry.key, []).append(entry)
        seen: set[str] = set()
        ctx.log.info("harry.export_read", schedules=len(entries))
        for entry in entries:
            if entry.key in seen:
                continue
            seen.add(entry.key)
            if isinstance(entry, Broken):
                yield WorkItem(
                    key=entry.key,
                    title=f"Schema {entry.schedule_id} (kunde inte läsas)",
                    data={"broken": entry.reason, "schedule_id": entry.schedule_id},
                )
                continue
            duplicate = [e for e in by_key[entry.key] if e is not entry]
            data: dict[str, Any] = {"schedule": entry.model_dump(mode="json")}
            if duplicate:
                data["duplicate_of"] = [getattr(e, "schedule_id", "") for e in duplicate]
            yield WorkItem(key=entry.key, title=_title(entry), data=data)

    # -- process ---------------------------------------------------------------------------------

    async def process(self, ctx: Context, item: WorkItem) -> Outcome:
        if "broken" in item.data:
            raise BusinessError(
                BROKEN_EXPORT,
                f"Schemat {item.data.get('schedule_id', '')} i exporten går inte att läsa: {item.data['broken']}",
            )
        schedule = Schedule.model_validate(item.data["schedule"])
        if item.data.get("duplicate_of"):
            others = ", ".join(item.data["duplicate_of"])
            raise BusinessError(
                DUPLICATE_KEY,
                f"Exporten har flera godkända scheman med samma anställningsnummer, startdatum och version "
                f"({schedule.schedule_id}, {others}); rätta i schemasystemet",
            )
        settings: HarrySettings = ctx.settings  # type: ignore[assignment]
        rules = settings.rules()
        today = ctx.now().date()

        # 1 and 4: what the payroll system knows of the employee (read before any write).
        page = await ctx.goto("personal", employee_path(schedule.employee))
        employee = EmployeePage(page)
        known = await employee.exists()
        employments = await employee.employments() if known else None
        rows = await employee.registered() if known else []
        own_row, own, others = await self._read_registered(ctx, schedule, rows)

        assessment = assess(schedule, employments, others, rules, today)
        evidence = _evidence(schedule, assessment, settings)
        links = [Link(label="Anställd i personalsystemet", url=_url(ctx, "personal", employee_path(schedule.employee)))]

        # 6: this schedule is already registered (a person, an earlier night, or a crash after submit).
        if own is not None and own_row is not None:
            links.append(Link(label="Registrerat schema", url=_url(ctx, "personal", schedule_path(own_row.schedule_id))))
            ours = ctx.checkpoints.done(SUBMITTED)
            diffs = differences(schedule, own)
            if diffs:
                raise _readback_error(own_row.schedule_id, diffs, assessment, evidence, links, ours=ours)
            return _already_there(own_row.schedule_id, ours, assessment, evidence, links)
        if assessment.identical is not None:
            links.append(Link(label="Registrerat schema", url=_url(ctx, "personal", schedule_path(assessment.identical.schedule_id))))
            return _already_there(assessment.identical.schedule_id, False, assessment, evidence, links)

        # 1–4: any deviation goes to a person, with every reason at once.
        if assessment.findings:
            raise BusinessError(
                assessment.findings[0].code,
                _deviation_summary(assessment.findings),
                findings=assessment.findings + assessment.notes,
                evidence=evidence,
                links=links,
            )

        # 5: register through the form (in a dry run: only check that the form is there).
        page = await ctx.goto("personal", register_path(schedule.employee, schedule.cycle_weeks))
        form = RegisterForm(page)
        if ctx.dry_run:
            await form.check(schedule.cycle_weeks)
            return Outcome.prepared(
                "Provkörning: schemat skulle registreras" + (" (sen ändring)" if assessment.late else ""),
                findings=assessment.notes,
                evidence=evidence,
                links=links,
                data={"late_change": assessment.late, "dry_run": True},
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
        ctx.checkpoints.mark(REGISTERED_ID, answer.schedule_id)
        ctx.log.info("harry.registered", registered_id=answer.schedule_id)
        links.append(Link(label="Registrerat schema", url=_url(ctx, "personal", schedule_path(answer.schedule_id))))

        # 5: read it back and compare field by field (the form's answer is the stored schedule's page).
        if not page.url.split("?")[0].endswith(schedule_path(answer.schedule_id)):
            page = await ctx.goto("personal", schedule_path(answer.schedule_id))
        stored = await RegisteredSchedulePage(page).read()
        diffs = differences(schedule, stored)
        if diffs:
            raise _readback_error(answer.schedule_id, diffs, assessment, evidence, links, ours=True)
        return _registered(answer.schedule_id, assessment, evidence, links, confirmed_after_restart=False)

    async def _submit(self, ctx: Context, form: RegisterForm, schedule: Schedule) -> Submitted:
        """Fill and send the form. The checkpoint is marked first: after a crash from here on, the next
        attempt reads the payroll system before writing and finds the registration instead of repeating it."""
        await form.fill(schedule)
        ctx.checkpoints.mark(SUBMITTED, ctx.now().isoformat())
        return await form.submit()

    async def _read_registered(
        self, ctx: Context, schedule: Schedule, rows: list[RegisteredRow]
    ) -> tuple[RegisteredRow | None, Schedule | None, list[Schedule]]:
        """Read back every registered schedule that overlaps this one; pick out this very schedule."""
        own_row, own, others = None, None, []
        for row in rows:
            if not overlaps(row.period, schedule.period):
                continue
            page = await ctx.goto("personal", schedule_path(row.schedule_id))
            stored = await RegisteredSchedulePage(page).read()
            is_own = schedule.schedule_id and row.source_id == schedule.schedule_id and row.version == schedule.version
            if is_own and own is None:
                own_row, own = row, stored
            else:
                others.append(stored)
        return own_row, own, others

    # -- report ----------------------------------------------------------------------------------

    async def report(self, ctx: Context, run: RunReport) -> dict[str, Any] | None:
        """For the payroll staff: deviations first with their reasons, then late changes, registered, skipped."""
        deviations, late, registered, skipped, failed = [], [], [], [], []
        for item, outcome in run.outcomes():
            entry = {"key": item.key, "title": item.title, "summary": outcome.summary}
            if outcome.status == Status.needs_attention:
                entry["reasons"] = [f.message for f in outcome.findings if f.severity != Severity.info]
                deviations.append(entry)
            elif outcome.status == Status.failed:
                failed.append(entry)
            elif outcome.status == Status.prepared:
                if outcome.data.get("late_change"):
                    entry["reasons"] = [f.message for f in outcome.findings]
                    late.append(entry)
                registered.append(entry)
            elif outcome.status == Status.skipped:
                skipped.append(entry)
        headline = _headline(len(registered), len(skipped), len(deviations), len(late), len(failed), run.dry_run)
        return {
            "headline": headline,
            "sections": [
                {"heading": "Avvikelser – behöver en löneadministratör", "items": deviations},
                {"heading": "Tekniska fel – körs igen nästa natt", "items": failed},
                {"heading": "Sena ändringar – registrerade, meddela löneadministratören", "items": late},
                {"heading": "Provkörning – skulle registreras" if run.dry_run else "Registrerade", "items": registered},
                {"heading": "Fanns redan – inget att göra", "items": skipped},
            ],
        }


# -- outcomes ------------------------------------------------------------------------------------


def _headline(registered: int, skipped: int, deviations: int, late: int, failed: int, dry_run: bool) -> str:
    """'5 scheman registrerade, 1 fanns redan, 11 avvikelser till löneadministratörerna, 1 sen ändring'."""
    if dry_run:
        first = f"{registered} {'schema' if registered == 1 else 'scheman'} skulle registreras"
    else:
        first = f"{registered} {'schema registrerat' if registered == 1 else 'scheman registrerade'}"
    parts = [
        first,
        f"{skipped} fanns redan",
        f"{deviations} {'avvikelse' if deviations == 1 else 'avvikelser'} till löneadministratörerna",
    ]
    if late:
        parts.append(f"{late} {'sen ändring' if late == 1 else 'sena ändringar'}")
    if failed:
        parts.append(f"{failed} {'tekniskt fel' if failed == 1 else 'tekniska fel'}")
    return ", ".join(parts)


def _title(s: Schedule) -> str:
    return f"Schema {s.schedule_id} v{s.version} – anst.nr {s.employee}, {s.period.label()}"


def _url(ctx: Context, system: str, path: str) -> str:
    try:
        return ctx.system(system).url + path
    except KeyError:
        return path


def _deviation_summary(findings: list[Finding]) -> str:
    first = findings[0].message
    more = len(findings) - 1
    return first if more == 0 else f"{first} (och {more} avvikelse{'r' if more > 1 else ''} till)"


def _evidence(s: Schedule, a: Assessment, settings: HarrySettings) -> list[Evidence]:
    ev = [
        Evidence(label="Schema", value=f"{s.schedule_id} version {s.version}", source="schema"),
        Evidence(label="Anställningsnr", value=s.employee, source="schema"),
        Evidence(label="Period", value=s.period.label(), source="schema"),
        Evidence(label="Cykel", value=f"{s.cycle_weeks} {'vecka' if s.cycle_weeks == 1 else 'veckor'}", source="schema"),
    ]
    if a.employment is not None:
        e = a.employment
        ev.append(Evidence(label="Anställning", value=f"{e.period.label()}, {e.unit}", source="personal"))
        ev.append(Evidence(label="Kategori", value=e.category_label or e.category, source="personal"))
        ev.append(Evidence(label="Sysselsättningsgrad", value=f"{plain_sv(e.grade_percent)} %", source="personal"))
    if a.hours is not None:
        h = a.hours
        ev.append(Evidence(label="Heltidsmått", value=f"{plain_sv(h.full_time)} h/vecka", source="inställning"))
        ev.append(Evidence(label="Krävs", value=f"{decimal_sv(h.required)} h/vecka", source="beräknat"))
        ev.append(Evidence(label="Schemalagt (snitt)", value=f"{decimal_sv(h.scheduled)} h/vecka", source="beräknat"))
        ev.append(Evidence(label="Tolerans", value=f"±{decimal_sv(settings.hours_tolerance)} h/vecka", source="inställning"))
    return ev


def _registered(
    registered_id: str, a: Assessment, evidence: list[Evidence], links: list[Link], *, confirmed_after_restart: bool
) -> Outcome:
    summary = f"Registrerat i personalsystemet som {registered_id}"
    if confirmed_after_restart:
        summary += " (bekräftat efter omstart)"
    if a.late:
        summary += " – sen ändring, se notering"
    return Outcome.prepared(
        summary,
        findings=a.notes,
        evidence=evidence,
        links=links,
        data={"registered_id": registered_id, "late_change": a.late},
    )


def _already_there(
    registered_id: str, ours: bool, a: Assessment, evidence: list[Evidence], links: list[Link]
) -> Outcome:
    if ours:
        # The form was sent in an earlier attempt and the crash came before the outcome was recorded.
        return _registered(registered_id, a, evidence, links, confirmed_after_restart=True)
    return Outcome.skipped(
        f"Samma schema är redan registrerat i personalsystemet ({registered_id})",
        findings=[Finding(code=f.code, message=f.message, severity=Severity.info) for f in a.findings],
        evidence=evidence,
        links=links,
        data={"registered_id": registered_id},
    )


def _readback_error(
    registered_id: str, diffs: list[str], a: Assessment, evidence: list[Evidence], links: list[Link], *, ours: bool
) -> BusinessError:
    lead = (
        f"Schemat registrerades som {registered_id}, men personalsystemet sparade något annat: "
        if ours
        else f"Schemat finns redan registrerat som {registered_id}, men med annat innehåll: "
    )
    return BusinessError(
        READBACK,
        lead + "; ".join(diffs),
        findings=[Finding(code=READBACK, message=d, severity=Severity.error) for d in diffs] + a.notes,
        evidence=evidence,
        links=links,
    )
