"""What Ronney concludes about one application, before anything is written: pure, so it is testable.

Order (issue 4): supplements → SSBTEK → calculation → routing. The robot does the reading and writing;
this module decides the outcome, the note and whether the case may move to "Väntar på beslut".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from runner.api import Evidence, Finding, Severity, Status

from robots.ronney.note import render_note
from robots.ronney.rules.calculation import Calculation, calculate
from robots.ronney.rules.child_earnings import PBB_FILE, PrisbasbeloppMissing
from robots.ronney.rules.model import AgencyIncome, Application
from robots.ronney.rules.ages import AgeUnknown
from robots.ronney.rules.riksnorm import NormMissing, table_file
from robots.ronney.rules.routing import (
    household_findings,
    housing_findings,
    identity_findings,
    income_findings,
    kind_findings,
    routes_to_person,
)
from robots.ronney.rules.supplements import check_supplements
from robots.ronney.rules.units import Month, kr
from robots.ronney.settings import RonneySettings


@dataclass
class Preparation:
    status: Status
    summary: str
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    calculation: Calculation | None = None
    note: str | None = None  # the journal note to write, if any
    move_to_decision: bool = False  # set the status to "Väntar på beslut"

    def data(self) -> dict:
        calc = self.calculation
        out: dict = {"note": self.note is not None, "move_to_decision": self.move_to_decision}
        if calc is not None:
            out.update(amount=calc.amount, needs=calc.needs, incomes=calc.incomes, norm=calc.norm,
                       costs=calc.costs, norm_year=calc.table.year, norm_official=calc.table.official)
        return out


def supplement_stage(app: Application, today: date) -> Preparation | None:
    """Waiting or needs attention because of a komplettering; None when all have arrived."""
    check = check_supplements(list(app.supplements), list(app.attachments), today)
    if check.complete:
        return None
    overdue = check.overdue
    if overdue:
        findings = [Finding(code="KOMPLETTERING_SAKNAS", severity=Severity.error,
                            message=f"Begärd komplettering har inte kommit in i tid: {s.describe(today)}.")
                    for s in overdue]
        text = "; ".join(s.describe(today) for s in overdue)
        return Preparation(Status.needs_attention, f"Komplettering saknas efter sista dag: {text}", findings)
    text = "; ".join(s.describe(today) for s in check.missing)
    findings = [Finding(code="VANTAR_KOMPLETTERING", severity=Severity.info,
                        message=f"Väntar på komplettering: {s.describe(today)}.") for s in check.missing]
    return Preparation(Status.waiting, f"Väntar på komplettering: {text}", findings)


def ssbtek_failure(detail: str) -> Preparation:
    """SSBTEK could not be read: no calculation, and the case status stays as it is."""
    finding = Finding(
        code="SSBTEK_LASFEL",
        severity=Severity.error,
        message=(f"SSBTEK kunde inte läsas ({detail}); ingen beräkning gjordes och ärendets status är "
                 "oförändrad. Inkomsterna behöver hämtas av handläggaren."),
    )
    return Preparation(Status.needs_attention, "SSBTEK kunde inte läsas – ingen beräkning gjord", [finding])


def assess(
    app: Application,
    ssbtek: list[AgencyIncome],
    settings: RonneySettings,
    *,
    key: str,
    now: datetime,
) -> Preparation:
    """Calculate and route an application whose supplements are in and whose SSBTEK data was read."""
    today = now.date()
    month = Month.parse(app.month)
    try:
        calc = calculate(app, ssbtek, local=settings.local_rules(), today=today)
    except NormMissing as exc:
        finding = Finding(code="NORM_SAKNAS", severity=Severity.error,
                          message=(f"Ronney har ingen riksnormtabell för {exc.year} ({table_file(exc.year)}); "
                                   f"ansökan för {month.sv()} räknas aldrig med ett äldre års tabell, så ingen "
                                   "beräkning gjordes. Tabellen läggs till som en datafil (se Ronneys README)."))
        return Preparation(Status.needs_attention, f"Riksnorm för {exc.year} saknas – ingen beräkning gjord", [finding])
    except AgeUnknown as exc:
        finding = Finding(code="ALDER_OKAND", severity=Severity.error,
                          message=(f"Födelsedatumet för {exc.who} går inte att läsa ur personnumret, och Ekonomi har "
                                   "ingen ålder; ingen beräkning gjord. Rätta personnumret i ansökan."))
        return Preparation(Status.needs_attention, f"Åldern för {exc.who} okänd – ingen beräkning gjord", [finding])
    except PrisbasbeloppMissing as exc:
        finding = Finding(code="PRISBASBELOPP_SAKNAS", severity=Severity.error,
                          message=(f"Ett barn i hushållet har arbetsinkomst, men Ronney har inget prisbasbelopp för "
                                   f"{exc.year} ({PBB_FILE}); ingen beräkning gjord."))
        return Preparation(Status.needs_attention, f"Prisbasbelopp för {exc.year} saknas – ingen beräkning gjord",
                           [finding])

    app = app.model_copy(update={"household": list(calc.household)})  # with each person's age for the month
    findings: list[Finding] = [
        *kind_findings(app),
        *identity_findings(list(app.household), today),
        *household_findings(app),
        *housing_findings(app),
        *income_findings(app, calc.counted_incomes),
        *calc.findings,
    ]
    ready = not routes_to_person(findings)
    note = render_note(key=key, case_id=app.case_id, kind=app.kind, calc=calc, findings=findings,
                       ready=ready, written_at=now)
    evidence = [
        Evidence(label="Ansökan", value=f"{Month.parse(app.month).sv()}, {app.kind.lower()}", source="ekonomi"),
        Evidence(label="Personer i hushållet", value=str(len(app.household)), source="ekonomi"),
        *calc.evidence(),
    ]
    if ready:
        return Preparation(Status.prepared, f"Klar för beslut: preliminärt {kr(calc.amount)}", findings, evidence,
                           calc, note, move_to_decision=True)
    routed = [f for f in findings if f.severity != Severity.info]
    more = f" (+{len(routed) - 1} till)" if len(routed) > 1 else ""
    summary = f"Behöver handläggare: {routed[0].message}{more}"
    return Preparation(Status.needs_attention, summary, findings, evidence, calc, note)
