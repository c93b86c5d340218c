"""The monthly normberäkning: riksnorm + reasonable costs − net incomes = preliminary amount, never < 0.

    behov     = riksnorm(hushåll, år) + Σ skäliga kostnader (hyra högst kommunens tak)
    inkomster = Σ nettoinkomster som räknas − jobbstimulans (25 % av lön efter 6 månader i följd)
    belopp    = max(0, behov − inkomster)

The result is an underlag, not a decision: the caseworker saves the calculation and decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from runner.api import Evidence, Finding, Severity

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
from robots.ronney.rules.model import AgencyIncome, Application
from robots.ronney.rules.riksnorm import RiksnormTable, household_norm, load_table
from robots.ronney.rules.units import Month, kr, round_kr

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


def calculate(
    app: Application,
    ssbtek: list[AgencyIncome],
    *,
    max_housing_cost: Mapping[int, int],
    comparison: ComparisonRule = "previous",
    tolerance_kr: int = 0,
    table: RiksnormTable | None = None,
) -> Calculation:
    month = Month.parse(app.month)
    table = table or load_table(month.year)
    income_month = comparison_month(month, comparison)
    findings: list[Finding] = []
    if not table.official:
        findings.append(Finding(
            code="NORM_EJ_OFFICIELL",
            message=(f"Riksnormen för {table.year} i Ronneys tabell är uppskattad, inte officiell; "
                     "kontrollera normbeloppen."),
        ))

    norm = household_norm(app.household, table)
    findings += norm.findings
    unit_size = len(app.unit())
    costs = reasonable_costs(list(app.costs), unit_size, max_housing_cost)
    findings += costs.findings

    roles = {p.personnummer: p.role for p in app.household}
    merged = merge_incomes(
        [i for i in app.incomes], [s for s in ssbtek if s.month == str(income_month)], roles, tolerance_kr=tolerance_kr
    )
    findings += merged.findings
    income_lines: list[Line] = []
    for inc in merged.incomes:
        if inc.counted:
            income_lines.append(Line("inkomst", f"{inc.type}, {inc.role}", inc.amount, inc.source))
        else:
            income_lines.append(Line("inkomst", f"{inc.type}, {inc.role} ({kr(inc.amount)}) räknas inte som inkomst",
                                     0, inc.source))

    income_lines += _child_earnings_lines(merged.incomes, ssbtek, income_month, findings)

    job = jobbstimulans_rule(month, list(app.history), app.jobbstimulans_start)
    for inc in merged.incomes:
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
        counted_incomes=merged.incomes,
    )


def _is_earned(type_name: str) -> bool:
    kind = lookup_type(type_name)
    return kind is not None and kind.earned


def _child_earnings_lines(
    incomes: tuple[CountedIncome, ...], ssbtek: list[AgencyIncome], income_month: Month, findings: list[Finding]
) -> list[Line]:
    """A child's earned income is shown in full and then taken off up to what is left of the year's
    prisbasbelopp (child_earnings.py), so the sum of the income lines is what counts."""
    lines: list[Line] = []
    earned_so_far: dict[str, int] = {}
    for inc in incomes:
        if inc.role != "barn" or not (inc.counted and inc.earned and inc.amount > 0):
            continue
        limit = prisbasbelopp(income_month.year)  # PrisbasbeloppMissing: never guessed
        if inc.personnummer not in earned_so_far:
            earned_so_far[inc.personnummer] = earned_earlier_in_year(ssbtek, inc.personnummer, income_month, _is_earned)
        rule = ChildEarnings(inc.amount, earned_so_far[inc.personnummer], limit)
        earned_so_far[inc.personnummer] += inc.amount
        if rule.disregarded:
            lines.append(Line(
                "avdrag",
                (f"Barns arbetsinkomst räknas inte upp till ett prisbasbelopp per år: {inc.type.lower()}, barn "
                 f"({kr(inc.amount)}; prisbasbelopp {limit.year} {kr(limit.amount)}, intjänat tidigare i år "
                 f"{kr(rule.earned_before)}, kvar {kr(rule.left_of_allowance)})"),
                -rule.disregarded,
                f"prop. 2012/13:94; {limit.source}; intjänat tidigare i år enligt SSBTEK",
            ))
        if rule.counted:
            message = (f"Barns arbetsinkomst: {kr(rule.disregarded)} av {kr(inc.amount)} räknas inte; "
                       f"{kr(rule.counted)} räknas eftersom barnet redan har tjänat {kr(rule.earned_before)} i år "
                       f"(prisbasbelopp {limit.year}: {kr(limit.amount)}).")
        else:
            message = (f"Barns arbetsinkomst: {kr(inc.amount)} räknas inte (upp till ett prisbasbelopp per år, "
                       f"{kr(limit.amount)} för {limit.year}; intjänat tidigare i år {kr(rule.earned_before)}).")
        findings.append(Finding(code="BARN_ARBETSINKOMST", message=message, severity=Severity.info))
    return lines
