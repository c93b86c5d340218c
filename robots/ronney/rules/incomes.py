"""Which incomes count, where each value comes from, and jobbstimulans.

Main rule: every net income of the household reduces försörjningsstöd (domain brief §1.4). Ronney takes
the income SSBTEK reports when it has one (the agency's own figure) and the application's figure
otherwise, and says which in every line. Differences between the two are findings for a person.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from runner.api import Finding

from robots.ronney.rules.model import AgencyIncome, Income, MonthDecision
from robots.ronney.rules.units import Month, kr

DATA_DIR = Path(__file__).parent / "data"
JOBBSTIMULANS_SHARE_PERCENT = 25
JOBBSTIMULANS_QUALIFYING_MONTHS = 6
JOBBSTIMULANS_PERIOD_MONTHS = 24


@dataclass(frozen=True)
class IncomeType:
    name: str
    counted: bool
    jobbstimulans: bool = False
    agency: str = ""
    note: str = ""
    earned: bool = False  # income of one's own work (the children's prisbasbelopp rule)


@lru_cache(maxsize=4)
def income_types(data_dir: Path = DATA_DIR) -> dict[str, IncomeType]:
    raw = tomllib.loads((data_dir / "income_types.toml").read_text(encoding="utf-8"))
    return {
        name.casefold(): IncomeType(name, bool(v["counted"]), bool(v.get("jobbstimulans", False)),
                                    str(v.get("agency", "")), str(v.get("note", "")), bool(v.get("earned", False)))
        for name, v in raw["types"].items()
    }


def lookup_type(name: str) -> IncomeType | None:
    return income_types().get(name.strip().casefold())


@dataclass(frozen=True)
class CountedIncome:
    """One (person, type) income as it enters the calculation."""

    personnummer: str
    role: str
    type: str
    amount: int
    source: str  # "ansökan" or "SSBTEK (FK)"
    counted: bool
    jobbstimulans: bool
    earned: bool  # own work: for a child, not counted up to one prisbasbelopp a year (child_earnings.py)
    gross: int | None  # before tax, from where the amount came, when known
    reported: int | None  # what the application said, if anything
    from_ssbtek: int | None  # what SSBTEK said, if anything


@dataclass(frozen=True)
class IncomeMerge:
    incomes: tuple[CountedIncome, ...]
    findings: tuple[Finding, ...]


def merge_incomes(
    reported: list[Income],
    ssbtek: list[AgencyIncome],
    roles: dict[str, str],
    *,
    tolerance_kr: int = 0,
) -> IncomeMerge:
    """Combine the application's incomes with SSBTEK's, per person and income type."""
    app: dict[tuple[str, str], int] = defaultdict(int)
    app_gross: dict[tuple[str, str], int | None] = {}
    app_names: dict[tuple[str, str], str] = {}
    for inc in reported:
        key = (inc.personnummer, inc.type.strip().casefold())
        app[key] += inc.amount
        app_gross[key] = _add(app_gross.get(key, 0), inc.gross)
        app_names.setdefault(key, inc.type.strip())
    agency: dict[tuple[str, str], int] = defaultdict(int)
    agency_gross: dict[tuple[str, str], int | None] = {}
    agencies: dict[tuple[str, str], list[str]] = defaultdict(list)
    for inc in ssbtek:
        key = (inc.personnummer, inc.type.strip().casefold())
        agency[key] += inc.amount
        agency_gross[key] = _add(agency_gross.get(key, 0), inc.gross)
        if inc.agency not in agencies[key]:
            agencies[key].append(inc.agency)
        app_names.setdefault(key, inc.type.strip())

    out: list[CountedIncome] = []
    findings: list[Finding] = []
    for key in sorted(set(app) | set(agency), key=lambda k: (_role_order(roles.get(k[0], "")), k[1])):
        pnr, _ = key
        name = app_names[key]
        role = roles.get(pnr, "okänd person")
        kind = lookup_type(name)
        a, s = app.get(key), agency.get(key)
        if s is not None:
            source = f"SSBTEK ({', '.join(agencies[key])})"
            amount = s
            if a is None:
                findings.append(Finding(
                    code="SSBTEK_EJ_REDOVISAD",
                    message=f"SSBTEK ({', '.join(agencies[key])}) visar {name} {kr(s)} för {role} som inte finns i ansökan.",
                ))
            elif abs(a - s) > tolerance_kr:
                findings.append(Finding(
                    code="SSBTEK_AVVIKER",
                    message=f"{name} för {role}: ansökan {kr(a)}, SSBTEK ({', '.join(agencies[key])}) {kr(s)}.",
                ))
        else:
            source, amount = "ansökan", a or 0
        if kind is None:
            findings.append(Finding(
                code="INKOMST_OKAND_TYP",
                message=f"Inkomsttypen ”{name}” ({role}) känner Ronney inte till; den är medräknad och prövas av handläggare.",
            ))
        out.append(CountedIncome(
            personnummer=pnr, role=role, type=name, amount=amount, source=source,
            counted=True if kind is None else kind.counted,
            jobbstimulans=kind is not None and kind.jobbstimulans and role != "barn",
            earned=kind is not None and kind.earned,
            gross=agency_gross.get(key) if s is not None else app_gross.get(key),
            reported=a, from_ssbtek=s,
        ))
    return IncomeMerge(tuple(out), tuple(findings))


def _add(total: int | None, part: int | None) -> int | None:
    """A sum of gross amounts, unknown as soon as one part is."""
    return None if total is None or part is None else total + part


def _role_order(role: str) -> int:
    return {"sökande": 0, "medsökande": 1, "barn": 2}.get(role, 3)


@dataclass(frozen=True)
class JobbstimulansRule:
    applies: bool
    reason: str  # Swedish, shown in the underlag


def consecutive_months_on_support(month: Month, history: list[MonthDecision]) -> int:
    """Granted months in a row right before `month`; a month refused or missing breaks the chain."""
    granted = {Month.parse(h.month) for h in history if h.decision == "Beviljad"}
    count, m = 0, month.previous()
    while m in granted:
        count += 1
        m = m.previous()
    return count


def jobbstimulans_rule(month: Month, history: list[MonthDecision], start: str | None) -> JobbstimulansRule:
    """After 6 consecutive months on support, 25 % of net pay is disregarded for 24 months."""
    if start:
        first = Month.parse(start)
        last = first.add(JOBBSTIMULANS_PERIOD_MONTHS - 1)
        if first <= month <= last:
            return JobbstimulansRule(True, f"jobbstimulans gäller {first.sv()}–{last.sv()}")
        if month > last:
            return JobbstimulansRule(False, f"jobbstimulansperioden tog slut {last.sv()}")
    months = consecutive_months_on_support(month, history)
    if months >= JOBBSTIMULANS_QUALIFYING_MONTHS:
        return JobbstimulansRule(True, f"{months} månader i följd med försörjningsstöd")
    return JobbstimulansRule(False, f"{months} av {JOBBSTIMULANS_QUALIFYING_MONTHS} månader i följd med försörjningsstöd")
