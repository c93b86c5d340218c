"""The monthly normberäkning: riksnorm + reasonable costs − net incomes = preliminary amount, never < 0.

    behov     = riksnorm(hushåll, år) + Σ skäliga kostnader (hyra högst kommunens tak)
    inkomster = Σ nettoinkomster utbetalda i jämförelsemånaden + normöverskott från tidigare månader
                − jobbstimulans (25 % av lön efter 6 månader i följd)
                − barns arbetsinkomst upp till ett prisbasbelopp per år
    belopp    = max(0, behov − inkomster)

Ages come from birth dates (ages.py), children here part of the month count pro rata (riksnorm.py),
18–20-year-olds who are not in school are adults with an own case (ages.py).

The result is an underlag, not a decision: the caseworker saves the calculation and decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Literal

from runner.api import Evidence, Finding, Severity

from robots.ronney.rules.ages import SCHOOL_FORMS, AgeDay, school_age_rule, with_ages
from robots.ronney.rules.child_earnings import ChildEarnings, earned_earlier_in_year, prisbasbelopp
from robots.ronney.rules.costs import reasonable_costs
from robots.ronney.rules.incomes import (
    JOBBSTIMULANS_SHARE_PERCENT,
    CountedIncome,
    jobbstimulans_rule,
    lookup_type,
    merge_incomes,
)
from robots.ronney.rules.lines import Line
from robots.ronney.rules.model import UNIT_ROLES, AgencyIncome, Application, Person
from robots.ronney.rules.riksnorm import RiksnormTable, household_norm, load_table
from robots.ronney.rules.surplus import carried_surplus
from robots.ronney.rules.units import Month, date_sv, kr, round_kr

ComparisonRule = Literal["previous", "application"]


def comparison_month(month: Month, rule: ComparisonRule) -> Month:
    """Whose incomes count: the calendar month before the application month (the usual local rule) or
    the application month itself. A local rule, so a setting."""
    return month.previous() if rule == "previous" else month


@dataclass(frozen=True)
class Calculation:
    month: Month
    income_month: Month
    table: RiksnormTable
    lines: tuple[Line, ...]
    norm: int
    costs: int
    incomes: int
    findings: tuple[Finding, ...]
    counted_incomes: tuple[CountedIncome, ...]
    household: tuple[Person, ...] = ()  # as applied for, with each person's age for the month

    @property
    def needs(self) -> int:
        return self.norm + self.costs

    @property
    def amount(self) -> int:
        return max(0, self.needs - self.incomes)

    def summary_lines(self) -> list[Line]:
        src = "Ronneys beräkning"
        return [
            Line("summa", "Riksnorm", self.norm, src),
            Line("summa", "Skäliga kostnader", self.costs, src),
            Line("summa", "Behov (riksnorm + kostnader)", self.needs, src),
            Line("summa", f"Inkomster {self.income_month.sv()} som räknas", self.incomes, src),
            Line("summa", "Preliminärt belopp (behov − inkomster, lägst 0 kr)", self.amount, src),
        ]

    def evidence(self) -> list[Evidence]:
        """Every value with its source, for the morning report."""
        rows = [Evidence(label=line.label, value=kr(line.amount), source=line.source) for line in self.lines]
        rows += [Evidence(label=line.label, value=kr(line.amount), source=line.source) for line in self.summary_lines()]
        return rows


@dataclass(frozen=True)
class LocalRules:
    """The municipality's choices the calculation follows (RonneySettings gives them; defaults documented
    in robots/ronney/README.md)."""

    max_housing_cost: Mapping[int, int] = field(default_factory=dict)
    comparison: ComparisonRule = "previous"
    tolerance_kr: int = 0
    age_day: AgeDay = "first"
    school_forms: tuple[str, ...] = SCHOOL_FORMS
    surplus_months: int = 0
    child_earnings_basis: Literal["net", "gross"] = "net"
    rules_dir: Path | None = None


def calculate(
    app: Application,
    ssbtek: list[AgencyIncome],
    *,
    max_housing_cost: Mapping[int, int] | None = None,
    comparison: ComparisonRule = "previous",
    tolerance_kr: int = 0,
    table: RiksnormTable | None = None,
    local: LocalRules | None = None,
    today: date | None = None,
) -> Calculation:
    """The normberäkning for `app`. `local` carries the municipality's choices; the single keywords are
    kept for the callers (and tests) that set only those."""
    local = local or LocalRules(max_housing_cost=max_housing_cost or {}, comparison=comparison,
                                tolerance_kr=tolerance_kr)
    month = Month.parse(app.month)
    table = table or load_table(month.year, extra_dir=local.rules_dir)
    income_month = comparison_month(month, local.comparison)
    findings: list[Finding] = []
    if not table.official:
        findings.append(Finding(
            code="NORM_EJ_OFFICIELL",
            message=(f"Riksnormen för {table.year} i Ronneys tabell är uppskattad, inte officiell; "
                     "kontrollera normbeloppen."),
        ))

    # Who is in the household, how old on the reference day, and for how much of the month.
    aged = with_ages(app.household, month, today or app.received, local.age_day)  # AgeUnknown: to a person
    findings += aged.findings
    youth = school_age_rule(aged.persons, local.school_forms)
    findings += youth.findings
    household = list(youth.persons)
    norm = household_norm(household, table, month_days=month.days())
    findings += norm.findings
    findings += _part_time_findings(household, month)
    unit_size = len([p for p in household if p.role in UNIT_ROLES])
    costs = reasonable_costs(list(app.costs), unit_size, local.max_housing_cost)
    findings += costs.findings

    # Incomes paid in the comparison month (an income paid outside it belongs to another month's calculation).
    roles = {p.personnummer: p.role for p in household}
    in_month = [i for i in app.incomes if i.paid is None or Month.of(i.paid) == income_month]
    income_lines: list[Line] = []
    for inc in app.incomes:
        if inc in in_month:
            continue
        role = roles.get(inc.personnummer, "okänd person")
        income_lines.append(Line("inkomst", (f"{inc.type}, {role} ({kr(inc.amount)}) räknas inte: utbetald "
                                             f"{date_sv(inc.paid)}, utanför {income_month.sv()}"), 0, "ansökan"))
        findings.append(Finding(
            code="INKOMST_ANNAN_MANAD",
            message=(f"{inc.type} för {role} ({kr(inc.amount)}) betalades ut {inc.paid.isoformat()}, utanför "
                     f"jämförelsemånaden {income_month.sv()}; den räknas inte i denna beräkning."),
        ))
    merged = merge_incomes(in_month, [s for s in ssbtek if s.month == str(income_month)], roles,
                           tolerance_kr=local.tolerance_kr)
    findings += merged.findings
    for inc in merged.incomes:
        if inc.personnummer in youth.own_case:
            income_lines.append(Line("inkomst", f"{inc.type}, ung vuxen med eget ärende ({kr(inc.amount)}) räknas inte",
                                     0, inc.source))
        elif _child_earning(inc):
            continue  # one line each below, with only the part the prisbasbelopp rule counts
        elif inc.counted:
            income_lines.append(Line("inkomst", f"{inc.type}, {inc.role}", inc.amount, inc.source))
        else:
            income_lines.append(Line("inkomst", f"{inc.type}, {inc.role} ({kr(inc.amount)}) räknas inte som inkomst",
                                     0, inc.source))
    counted = tuple(i for i in merged.incomes if i.personnummer not in youth.own_case)

    income_lines += _child_earnings_lines(counted, ssbtek, income_month, findings, local.child_earnings_basis,
                                          local.rules_dir)
    income_lines += _surplus_lines(app, month, local.surplus_months, findings)

    job = jobbstimulans_rule(month, list(app.history), app.jobbstimulans_start)
    for inc in counted:
        if not (inc.counted and inc.jobbstimulans and inc.amount > 0):
            continue
        if job.applies:
            disregarded = round_kr(inc.amount * JOBBSTIMULANS_SHARE_PERCENT / 100)
            income_lines.append(Line(
                "avdrag",
                f"Jobbstimulans: {JOBBSTIMULANS_SHARE_PERCENT} % av {inc.type.lower()}, {inc.role} ({kr(inc.amount)})",
                -disregarded,
                f"prop. 2012/13:94; {job.reason}",
            ))
            findings.append(Finding(
                code="JOBBSTIMULANS",
                message=(f"Jobbstimulans: {kr(disregarded)} av lönen för {inc.role} räknas inte som inkomst "
                         f"({job.reason})."),
                severity=Severity.info,
            ))

    lines = [*norm.lines, *costs.lines, *income_lines]
    return Calculation(
        month=month,
        income_month=income_month,
        table=table,
        lines=tuple(lines),
        norm=norm.total,
        costs=costs.total,
        incomes=sum(line.amount for line in income_lines),
        findings=tuple(findings),
        counted_incomes=counted,
        household=aged.persons,
    )


def _part_time_findings(household: list[Person], month: Month) -> list[Finding]:
    """Växelvis boende is arithmetic (pro rata); umgänge also has costs a caseworker assesses."""
    out = []
    for p in household:
        if p.role != "barn" or p.living == "heltid" or p.days is None:
            continue
        where = f"{p.days} av {month.days()} dagar i {month.sv()}"
        if p.living == "umgänge":
            out.append(Finding(
                code="UMGANGE",
                message=(f"Ett barn ({p.age} år) vistas i hushållet vid umgänge {where}; normen räknas för de "
                         "dagarna. Umgängeskostnader (resor m.m.) bedöms av handläggaren."),
                severity=Severity.warning,
            ))
        else:
            out.append(Finding(
                code="VAXELVIS_BOENDE",
                message=f"Ett barn ({p.age} år) bor växelvis, {where}; normen räknas för de dagarna.",
                severity=Severity.info,
            ))
    return out


def _surplus_lines(app: Application, month: Month, carry_months: int, findings: list[Finding]) -> list[Line]:
    """A normöverskott of earlier months counted as income (rules/surplus.py); always for a person to weigh."""
    carried = carried_surplus(list(app.history), month, carry_months)
    lines = []
    for lot in carried.lots:
        lines.append(Line(
            "inkomst",
            f"Normöverskott från {lot.origin.sv()} (inkomster {kr(lot.incomes)} − behov {kr(lot.needs)}, kvar)",
            lot.left,
            f"sparad beräkning {lot.origin.sv()}; förs vidare högst {carry_months} månader (kommunens riktlinje)",
        ))
        findings.append(Finding(
            code="NORMOVERSKOTT",
            message=(f"Normöverskott från {lot.origin.sv()}: {kr(lot.left)} räknas som inkomst (förs vidare högst "
                     f"{carry_months} månader). Handläggaren prövar om pengarna finns kvar (HFD 2017 ref. 51)."),
            severity=Severity.warning,
        ))
    for m, why in carried.uncertain:
        findings.append(Finding(
            code="NORMOVERSKOTT_OKANT",
            message=f"Ett normöverskott kan inte följas: {why}. Handläggaren bedömer om något ska räknas.",
            severity=Severity.warning,
        ))
    return lines


def _is_earned(type_name: str) -> bool:
    kind = lookup_type(type_name)
    return kind is not None and kind.earned


def _child_earning(inc: CountedIncome) -> bool:
    return inc.role == "barn" and inc.counted and inc.earned and inc.amount > 0


def _child_earnings_lines(
    incomes: tuple[CountedIncome, ...], ssbtek: list[AgencyIncome], income_month: Month, findings: list[Finding],
    basis: Literal["net", "gross"] = "net", rules_dir: Path | None = None,
) -> list[Line]:
    """One income line per earned income of a child, with only the part that counts: the pay less what is
    left of the year's prisbasbelopp (child_earnings.py). The line says how much was kept out and why, so
    the note never lists earnings the rule keeps out among the incomes that count.

    The limit is compared with net earnings by default, or with gross (a setting, [U]); with gross, the
    part kept out is the same share of the net pay as of the gross: net × (kept out ÷ gross).
    """
    lines: list[Line] = []
    earned_so_far: dict[str, int] = {}
    for inc in incomes:
        if not _child_earning(inc):
            continue
        limit = prisbasbelopp(income_month.year, extra_dir=rules_dir)  # PrisbasbeloppMissing: never guessed
        gross = basis == "gross" and inc.gross is not None
        measured = inc.gross if gross and inc.gross is not None else inc.amount
        if inc.personnummer not in earned_so_far:
            earned_so_far[inc.personnummer] = earned_earlier_in_year(
                ssbtek, inc.personnummer, income_month, _is_earned, gross=basis == "gross")
        rule = ChildEarnings(measured, earned_so_far[inc.personnummer], limit)
        earned_so_far[inc.personnummer] += measured
        disregarded = rule.disregarded if not gross else round_kr(Fraction(inc.amount * rule.disregarded, measured))
        counted = inc.amount - disregarded
        gross_text = f", {kr(measured)} brutto" if gross else ""
        basis_text = " brutto" if gross else ""
        why = (f"prisbasbelopp {limit.year} {kr(limit.amount)}, intjänat tidigare i år {kr(rule.earned_before)}"
               f"{basis_text}, kvar {kr(rule.left_of_allowance)}")
        source = f"{inc.source}; prop. 2012/13:94; {limit.source}; intjänat tidigare i år enligt SSBTEK"
        if not counted:
            label = (f"{inc.type}, barn ({kr(inc.amount)}{gross_text}) räknas inte: barns arbetsinkomst upp till "
                     f"ett prisbasbelopp per år ({why})")
        elif disregarded:
            label = (f"{inc.type}, barn ({kr(inc.amount)}{gross_text}, varav {kr(disregarded)} räknas inte: barns "
                     f"arbetsinkomst upp till ett prisbasbelopp per år; {why})")
        else:
            label = f"{inc.type}, barn (räknas: årets prisbasbelopp är redan intjänat; {why})"
        lines.append(Line("inkomst", label, counted, source))
        if counted:
            message = (f"Barns arbetsinkomst: {kr(disregarded)} av {kr(inc.amount)} räknas inte; "
                       f"{kr(counted)} räknas eftersom barnet redan har tjänat {kr(rule.earned_before)}{basis_text} i år "
                       f"(prisbasbelopp {limit.year}: {kr(limit.amount)}).")
        else:
            message = (f"Barns arbetsinkomst: {kr(inc.amount)} räknas inte (upp till ett prisbasbelopp per år, "
                       f"{kr(limit.amount)} för {limit.year}; intjänat tidigare i år {kr(rule.earned_before)}{basis_text}).")
        findings.append(Finding(code="BARN_ARBETSINKOMST", message=message, severity=Severity.info))
    return lines
