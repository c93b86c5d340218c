"""Ages from birth dates: the riksnorm's age bands follow the person's age in the application month.

The birth date is in the personnummer (a samordningsnummer has the day + 60), so a typed age is never
needed; where the case system keeps a typed "Ålder" field it is checked against the birth date, because
a stale or mistyped age is a sign that the record needs a look. The age counts on a reference day of
the application month — the first day by default; which day is a local guideline, so a setting [U].

    ålder = år mellan födelsedatum och referensdagen (den 1:a i ansökningsmånaden, eller den sista)

A typed age agrees when it is the person's age on some day of the month (a birthday in the month makes
two ages right). A number with a wrong check digit still holds a birth date; a number whose date cannot
be read has none, and then the typed age is used with a finding, or, without one, the case goes to a
person before any calculation.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Literal

from runner.api import Finding, Severity

from robots.ronney.rules.identity import age_on
from robots.ronney.rules.model import Person
from robots.ronney.rules.units import Month, date_sv

AgeDay = Literal["first", "last"]
ROLE_NAMES = {"sökande": "den sökande", "medsökande": "medsökande", "barn": "ett barn", "annan vuxen": "en annan vuxen"}
_DIGITS = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?\d{4}$")


class AgeUnknown(LookupError):
    """Neither the personnummer nor the record gives the person's age."""

    def __init__(self, who: str) -> None:
        super().__init__(who)
        self.who = who


def birth_date_in(number: str, today: date) -> date | None:
    """The birth date the number's date part holds, whatever its check digit; None if it is no date."""
    m = _DIGITS.match(number.strip().replace(" ", ""))
    if not m:
        return None
    century, yy, mm, dd = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if dd > 60:
        dd -= 60
    if century is not None:
        year = int(century) * 100 + yy
    else:
        base = today.year - (100 if "+" in number else 0)
        year = base - ((base - yy) % 100)
    try:
        born = date(year, mm, dd)
    except ValueError:
        return None
    return born if born <= today else None


def reference_day(month: Month, which: AgeDay) -> date:
    if which == "last":
        return date(month.year, month.month, monthrange(month.year, month.month)[1])
    return month.first_day()


def _typed(person: Person) -> int | str | None:
    """The typed age as the record shows it (a number, text that is no number, or nothing)."""
    if person.typed_age is not None:
        return person.typed_age
    return person.age


@dataclass(frozen=True)
class AgedHousehold:
    persons: tuple[Person, ...]
    findings: tuple[Finding, ...]


def with_ages(household: list[Person] | tuple[Person, ...], month: Month, today: date, which: AgeDay = "first") -> AgedHousehold:
    """The household with each person's age on the reference day, and findings about the typed ages."""
    on = reference_day(month, which)
    first, last = reference_day(month, "first"), reference_day(month, "last")
    out: list[Person] = []
    findings: list[Finding] = []
    for p in household:
        who = ROLE_NAMES[p.role]
        typed = _typed(p)
        typed_number = typed if isinstance(typed, int) else None
        if isinstance(typed, str) and typed.strip().isdigit():
            typed_number = int(typed.strip())
        born = p.born or birth_date_in(p.personnummer, today)
        if born is None:
            if typed_number is None:
                raise AgeUnknown(who)
            findings.append(Finding(
                code="ALDER_UTAN_FODELSEDATUM",
                message=(f"Födelsedatumet för {who} går inte att läsa ur personnumret; Ronney räknar med åldern "
                         f"{typed_number} år som står i Ekonomi."),
                severity=Severity.warning,
            ))
            out.append(p.model_copy(update={"age": typed_number}))
            continue
        age = age_on(born, on)
        possible = {age_on(born, first), age_on(born, last)}
        if typed is not None and typed_number is None:
            problem = "saknas" if not str(typed).strip() else "går inte att läsa"
            findings.append(Finding(
                code="ALDER_OLASLIG",
                message=(f"Åldern för {who} {problem} i Ekonomi; enligt personnumret är personen {age} år "
                         f"({date_sv(on, today=today)}), och Ronney räknar med det. Rätta uppgiften i ansökan."),
                severity=Severity.warning,
            ))
        elif typed_number is not None and typed_number not in possible:
            findings.append(Finding(
                code="ALDER_AVVIKER",
                message=(f"Åldern för {who} är {typed_number} år i Ekonomi men {age} år enligt personnumret "
                         f"({date_sv(on, today=today)}); Ronney räknar med {age} år."),
                severity=Severity.warning,
            ))
        out.append(p.model_copy(update={"age": age}))
    return AgedHousehold(tuple(out), tuple(findings))


#: Schools that keep an 18–20-year-old a skolungdom in the parents' household (FB 7 kap. 1 §: the parents'
#: duty of support lasts while the child goes to grundskola, gymnasieskola or comparable basic schooling,
#: at most until 21; SOSFS 2013:1 counts such children in the household). Which others are comparable
#: is a caseworker's assessment: a setting lists the ones taken as such without asking.
SCHOOL_FORMS: tuple[str, ...] = ("grundskola", "gymnasieskola", "anpassad gymnasieskola")
STUDIES_SV = {"grundskola": "grundskolan", "gymnasieskola": "gymnasieskolan",
              "anpassad gymnasieskola": "anpassad gymnasieskola", "folkhögskola": "folkhögskola",
              "komvux": "komvux", "annan": "en annan utbildning"}
ADULT_AGE = 18
YOUTH_LAST_AGE = 20


@dataclass(frozen=True)
class YouthRule:
    persons: tuple[Person, ...]  # the household with non-studying 18–20-year-olds as adults of their own
    own_case: frozenset[str]  # their personnummer: their incomes are not this household's
    findings: tuple[Finding, ...]


def school_age_rule(household: tuple[Person, ...], school_forms: tuple[str, ...] | list[str] = SCHOOL_FORMS) -> YouthRule:
    """An 18–20-year-old child counts in the household (the 19–20 or 15–18 cell) while in gymnasium or
    equivalent; otherwise they are an adult with an own case, and the household's common costs are shared
    with them as with any adult who is not a sambo (12 kap. 3 § SoF)."""
    out: list[Person] = []
    own: set[str] = set()
    findings: list[Finding] = []
    for p in household:
        age = p.age
        if p.role != "barn" or age is None or not ADULT_AGE <= age <= YOUTH_LAST_AGE:
            out.append(p)
            continue
        if p.studies is None:
            findings.append(Finding(
                code="UNG_STUDIER_OKANT",
                message=(f"Ett barn i hushållet är {age} år, och Ekonomi visar inte om personen går i "
                         "gymnasieskolan; Ronney räknar personen som skolungdom, och handläggaren kontrollerar."),
                severity=Severity.warning,
            ))
            out.append(p)
            continue
        studies = p.studies.strip()
        if studies in school_forms:
            out.append(p)
            continue
        if studies:
            findings.append(Finding(
                code="UNG_STUDIER_PROVAS",
                message=(f"Ett barn i hushållet är {age} år och studerar vid {STUDIES_SV.get(studies, studies)}; "
                         "Ronney räknar personen som skolungdom, men handläggaren prövar om utbildningen motsvarar "
                         "gymnasieskolan."),
                severity=Severity.warning,
            ))
            out.append(p)
            continue
        findings.append(Finding(
            code="UNG_VUXEN",
            message=(f"Ett barn i hushållet är {age} år och går inte i gymnasieskolan eller motsvarande; personen "
                     "räknas som vuxen med eget ärende, inte i hushållets norm, och de hushållsgemensamma "
                     "kostnaderna delas med personen (12 kap. 3 § SoF)."),
            severity=Severity.warning,
        ))
        own.add(p.personnummer)
        out.append(p.model_copy(update={"role": "annan vuxen"}))
    return YouthRule(tuple(out), frozenset(own), tuple(findings))
