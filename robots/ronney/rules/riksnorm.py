"""The riksnorm: versioned tables per year, and the household norm computed from them.

SoF 2025:468 12 kap. 2 § gives the amounts; 12 kap. 3 § the rule above seven persons and the rule for an
adult who shares a home without being a sambo. The tables are TOML files in `data/`, one per year, each
with its source and whether its cells are official.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from runner.api import Finding, Severity
from runner.swedish import count

from robots.ronney.rules.lines import Line
from robots.ronney.rules.model import Person, UNIT_ROLES
from robots.ronney.rules.units import round_kr

DATA_DIR = Path(__file__).parent / "data"
LUNCH_AGE_LIMIT = 6  # the "utan lunch" amounts exist for ages 0–6 only


class NormMissing(LookupError):
    """No riksnorm table for the year asked for."""


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


@lru_cache(maxsize=16)
def load_table(year: int, data_dir: Path = DATA_DIR) -> RiksnormTable:
    path = data_dir / f"riksnorm_{year}.toml"
    if not path.exists():
        raise NormMissing(f"no riksnorm table for {year}")
    table = _parse(tomllib.loads(path.read_text(encoding="utf-8")))
    if table.year != year:
        raise ValueError(f"{path.name} says year {table.year}")
    return table


def available_years(data_dir: Path = DATA_DIR) -> list[int]:
    return sorted(int(p.stem.split("_")[1]) for p in data_dir.glob("riksnorm_*.toml"))


@dataclass(frozen=True)
class NormResult:
    lines: tuple[Line, ...]
    total: int
    findings: tuple[Finding, ...]


def household_norm(household: list[Person], table: RiksnormTable) -> NormResult:
    """The riksnorm for the household applied for, line by line.

    Adults: one applicant is `ensamstående`; applicant and co-applicant together are `sambo`. Children by
    age (and, for 0–6, lunch at home or not). Household-common costs by the number of persons; when adults
    who are not sambo share the home (role "annan vuxen"), the household applied for gets its share of the
    whole home's household-common cost, per person (12 kap. 3 § second paragraph).
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

    for child in sorted((p for p in unit if p.role == "barn"), key=lambda p: p.age):
        band = table.child_band(child.age)
        if band is None:
            findings.append(Finding(
                code="NORM_BARN_ALDER",
                message=(f"Ett barn i hushållet är {child.age} år; riksnormen för barn gäller till och med 20 år. "
                         "Handläggaren prövar normen för den personen."),
                severity=Severity.warning,
            ))
            continue
        if child.age <= LUNCH_AGE_LIMIT and not child.lunch_at_home and band.without_lunch is not None:
            amount, how = band.without_lunch, "utan lunch hemma"
        else:
            amount, how = band.with_lunch, "med lunch"
        band_text = "" if band.min_age == band.max_age else f"{band.label()}, "
        lines.append(Line("norm", f"Personliga kostnader, barn {child.age} år ({band_text}{how})", amount, src))

    if unit:
        if others:
            total_persons = len(unit) + len(others)
            whole = table.household_common(total_persons)
            share = round_kr(whole * len(unit) / total_persons)
            label = (f"Hushållsgemensamma kostnader, andel {len(unit)} av {count(total_persons, 'person', 'personer')} "
                     f"({whole} kr × {len(unit)}/{total_persons}, 12 kap. 3 § SoF)")
            lines.append(Line("norm", label, share, src))
        else:
            size = len(unit)
            extra = " (över 7 personer, 12 kap. 3 § SoF)" if size > max(table.household) else ""
            lines.append(Line("norm", f"Hushållsgemensamma kostnader, {count(size, 'person', 'personer')}{extra}",
                              table.household_common(size), src))

    return NormResult(tuple(lines), sum(line.amount for line in lines), tuple(findings))
