"""The riksnorm: versioned tables per year, and the household norm computed from them.

SoF 2025:468 12 kap. 2 § gives the amounts; 12 kap. 3 § the rule above seven persons and the rule for an
adult who shares a home without being a sambo. The tables are TOML files in `data/`, one per year, each
with its source and whether its cells are official.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from runner.api import Finding, Severity
from runner.swedish import count

from robots.ronney.rules.lines import Line
from robots.ronney.rules.model import Person, UNIT_ROLES
from robots.ronney.rules.units import kr, round_kr

DATA_DIR = Path(__file__).parent / "data"
LUNCH_AGE_LIMIT = 6  # the "utan lunch" amounts exist for ages 0–6 only


class NormMissing(LookupError):
    """No riksnorm table for the year asked for: never calculated with another year's."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no riksnorm table for {year} ({table_file(year)})")
        self.year = year


@dataclass(frozen=True)
class ChildBand:
    min_age: int
    max_age: int
    with_lunch: int
    without_lunch: int | None = None

    def label(self) -> str:
        return f"{self.min_age} år" if self.min_age == self.max_age else f"{self.min_age}–{self.max_age} år"


@dataclass(frozen=True)
class RiksnormTable:
    year: int
    official: bool
    source: str
    source_note: str
    ensamstaende: int
    sambo: int
    children: tuple[ChildBand, ...]
    household: dict[int, int]

    @property
    def source_label(self) -> str:
        """How every norm value is credited in the underlag; an unofficial year says so."""
        if self.official:
            return f"riksnorm {self.year}, {self.source}"
        return f"riksnorm {self.year} – UPPSKATTAD, EJ OFFICIELL ({self.source})"

    def household_common(self, persons: int) -> int:
        """Household-common costs for `persons`; above 7, each extra adds the 6→7 step (12 kap. 3 §)."""
        if persons < 1:
            raise ValueError("a household has at least one person")
        top = max(self.household)
        if persons <= top:
            return self.household[persons]
        step = self.household[top] - self.household[top - 1]
        return self.household[top] + (persons - top) * step

    def child_band(self, age: int) -> ChildBand | None:
        for band in self.children:
            if band.min_age <= age <= band.max_age:
                return band
        return None


def _parse(raw: dict) -> RiksnormTable:
    children = tuple(
        ChildBand(int(c["min_age"]), int(c["max_age"]), int(c["with_lunch"]), c.get("without_lunch"))
        for c in raw["children"]
    )
    household = {int(k): int(v) for k, v in raw["household"].items()}
    if sorted(household) != list(range(1, len(household) + 1)) or len(household) < 2:
        raise ValueError("household must list 1..N persons")
    return RiksnormTable(
        year=int(raw["year"]),
        official=bool(raw["official"]),
        source=str(raw["source"]),
        source_note=str(raw.get("source_note", "")),
        ensamstaende=int(raw["adults"]["ensamstaende"]),
        sambo=int(raw["adults"]["sambo"]),
        children=children,
        household=household,
    )


def table_file(year: int) -> str:
    return f"riksnorm_{year}.toml"


@lru_cache(maxsize=16)
def load_table(year: int, data_dir: Path = DATA_DIR, *, extra_dir: Path | None = None) -> RiksnormTable:
    """The table for `year`: from `extra_dir` (the municipality's own folder, setting `rules_dir`) when it
    has the file, else from the bundled data. Never another year's table: a missing one is NormMissing."""
    path = data_dir / table_file(year)
    if extra_dir is not None and (extra_dir / table_file(year)).exists():
        path = extra_dir / table_file(year)
    if not path.exists():
        raise NormMissing(year)
    table = _parse(tomllib.loads(path.read_text(encoding="utf-8")))
    if table.year != year:
        raise ValueError(f"{path.name} says year {table.year}")
    return table


def available_years(data_dir: Path = DATA_DIR, extra_dir: Path | None = None) -> list[int]:
    dirs = [data_dir] + ([extra_dir] if extra_dir is not None else [])
    return sorted({int(p.stem.split("_")[1]) for d in dirs for p in d.glob("riksnorm_*.toml")})


@dataclass(frozen=True)
class NormResult:
    lines: tuple[Line, ...]
    total: int
    findings: tuple[Finding, ...]


def _share(person: Person, month_days: int) -> Fraction:
    """The part of the month a child is in the household: days ÷ the month's days (SOSFS 2013:1, pro rata)."""
    if person.days is None or person.living == "heltid":
        return Fraction(1)
    return Fraction(min(person.days, month_days), month_days)


def _common(table: RiksnormTable, full: int, part: list[Fraction], others: int) -> tuple[int, str]:
    """Household-common costs for `full` members all month, part-time members present `part` of it, and
    `others` adults outside the household applied for (their share is not the household's: 12 kap. 3 §).

    Part-time children are taken to be there together as far as their days allow (the most days first),
    so the cost is the average over the month of the cost for the household's size on each day:
        Σ_k (f_k − f_{k+1}) × gemensamt(full + k) × andel(full + k)
    with f_0 = 1 ≥ f_1 ≥ … the part-time shares and andel = the applied-for household's share of the home.
    """
    shares = sorted(part, reverse=True)
    levels = [Fraction(1), *shares, Fraction(0)]
    total = Fraction(0)
    terms = []
    for k in range(len(shares) + 1):
        weight = levels[k] - levels[k + 1]
        if weight == 0:
            continue
        size = full + k + others
        whole = table.household_common(size)
        mine = Fraction(full + k, size)
        total += weight * whole * mine
        term = kr(whole)
        if others:
            term += f" × {full + k}/{size}"
        if weight != 1:
            term += f" × {weight.numerator}/{weight.denominator}"
        terms.append(term)
    return round_kr(total), " + ".join(terms)


def household_norm(household: list[Person], table: RiksnormTable, *, month_days: int = 30) -> NormResult:
    """The riksnorm for the household applied for, line by line.

    Adults: one applicant is `ensamstående`; applicant and co-applicant together are `sambo`. Children by
    age (and, for 0–6, lunch at home or not); a child who is here part of the month (växelvis boende,
    umgänge) counts pro rata by days (SOSFS 2013:1, domain brief §1.1 [V]). Household-common costs by the
    number of persons; when adults who are not sambo share the home (role "annan vuxen"), the household
    applied for gets its share of the whole home's household-common cost, per person (12 kap. 3 § second
    paragraph). Ages must already be set (rules/ages.py).
    """
    src = table.source_label
    lines: list[Line] = []
    findings: list[Finding] = []
    unit = [p for p in household if p.role in UNIT_ROLES]
    others = [p for p in household if p.role not in UNIT_ROLES]
    applicants = [p for p in unit if p.role == "sökande"]
    co = [p for p in unit if p.role == "medsökande"]

    if len(applicants) != 1 or len(co) > 1:
        findings.append(Finding(
            code="NORM_HUSHALL",
            message="Hushållet ska ha en sökande och högst en medsökande; normen måste prövas av handläggare.",
            severity=Severity.error,
        ))
    if co:
        lines.append(Line("norm", "Personliga kostnader, sammanboende vuxna (2 personer)", table.sambo, src))
    elif applicants:
        lines.append(Line("norm", "Personliga kostnader, ensamstående vuxen", table.ensamstaende, src))

    part_time: list[Fraction] = []
    for child in sorted((p for p in unit if p.role == "barn"), key=lambda p: p.age or 0):
        age = child.age if child.age is not None else 0
        share = _share(child, month_days)
        if share != 1:
            part_time.append(share)
        band = table.child_band(age)
        if band is None:
            findings.append(Finding(
                code="NORM_BARN_ALDER",
                message=(f"Ett barn i hushållet är {age} år; riksnormen för barn gäller till och med 20 år. "
                         "Handläggaren prövar normen för den personen."),
                severity=Severity.warning,
            ))
            continue
        if age <= LUNCH_AGE_LIMIT and not child.lunch_at_home and band.without_lunch is not None:
            amount, how = band.without_lunch, "utan lunch hemma"
        else:
            amount, how = band.with_lunch, "med lunch"
        band_text = "" if band.min_age == band.max_age else f"{band.label()}, "
        label = f"Personliga kostnader, barn {age} år ({band_text}{how})"
        if share != 1:
            what = "växelvis boende" if child.living == "växelvis" else "umgänge"
            label += f", {child.days} av {month_days} dagar ({what}: {kr(amount)} × {child.days}/{month_days})"
            amount = round_kr(Fraction(amount) * share)
        lines.append(Line("norm", label, amount, src))

    if unit:
        full = len(unit) - len(part_time)
        amount, how = _common(table, full, part_time, len(others))
        if part_time:
            label = (f"Hushållsgemensamma kostnader, {count(full, 'person', 'personer')} hela månaden och "
                     f"{len(part_time)} barn del av månaden ({how})")
        elif others:
            total_persons = len(unit) + len(others)
            label = (f"Hushållsgemensamma kostnader, andel {len(unit)} av {count(total_persons, 'person', 'personer')} "
                     f"({table.household_common(total_persons)} kr × {len(unit)}/{total_persons}, 12 kap. 3 § SoF)")
        else:
            size = len(unit)
            extra = " (över 7 personer, 12 kap. 3 § SoF)" if size > max(table.household) else ""
            label = f"Hushållsgemensamma kostnader, {count(size, 'person', 'personer')}{extra}"
        if part_time and others:
            label += ", 12 kap. 3 § SoF"
        lines.append(Line("norm", label, amount, src))

    return NormResult(tuple(lines), sum(line.amount for line in lines), tuple(findings))
