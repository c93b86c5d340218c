"""What HaRry tells the payroll staff: the outcome of one schedule (summary, reasons, evidence) and the
night's report (its headline, sections and Swedish column labels)."""

from __future__ import annotations

from runner.api import BusinessError, Evidence, Finding, Link, Outcome, Severity

from robots.harry.model import Schedule
from robots.harry.rules.assess import Assessment
from robots.harry.rules.fmt import decimal_sv, plain_sv
from robots.harry.settings import HarrySettings

#: The finding code of a registration the payroll system stored differently from what was sent.
READBACK = "aterlasning"

#: The report's sections in the order staff read them, and their Swedish headings and column labels.
REPORT_SECTIONS = {
    "deviations": "Avvikelser – behöver en löneadministratör",
    "failed": "Tekniska fel – körs igen nästa natt",
    "late": "Sena ändringar – registrerade, meddela löneadministratören",
    "registered": "Registrerade",
    "skipped": "Fanns redan – inget att göra",
}
_WITH_REASONS = ["Schema", "Sammanfattning", "Skäl"]
REPORT_COLUMNS = {name: _WITH_REASONS if name in ("deviations", "late") else ["Schema", "Sammanfattning"]
                  for name in REPORT_SECTIONS}


def headline(registered: int, skipped: int, deviations: int, late: int, failed: int, dry_run: bool) -> str:
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






def deviation_summary(findings: list[Finding]) -> str:
    first = findings[0].message
    more = len(findings) - 1
    return first if more == 0 else f"{first} (och {more} avvikelse{'r' if more > 1 else ''} till)"


def evidence_of(s: Schedule, a: Assessment, settings: HarrySettings) -> list[Evidence]:
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


def registered_outcome(
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


def already_there(
    registered_id: str, ours: bool, a: Assessment, evidence: list[Evidence], links: list[Link]
) -> Outcome:
    if ours:
        # The form was sent in an earlier attempt and the crash came before the outcome was recorded.
        return registered_outcome(registered_id, a, evidence, links, confirmed_after_restart=True)
    return Outcome.skipped(
        f"Samma schema är redan registrerat i personalsystemet ({registered_id})",
        findings=[Finding(code=f.code, message=f.message, severity=Severity.info) for f in a.findings],
        evidence=evidence,
        links=links,
        data={"registered_id": registered_id},
    )


def readback_error(
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
