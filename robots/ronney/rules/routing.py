"""When a person must look: the checks that route a case to a caseworker instead of "prepared".

Always to a person (domain brief §1.9): nyansökan; a changed household; a new or dropped income; a
changed housing cost; a cost above the local cap; an invalid personnummer; any difference against
SSBTEK. The cap and SSBTEK findings come from costs.py and incomes.py; this module compares the
application with last month's saved calculation and checks identities.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from runner.api import Finding, Severity

from robots.ronney.rules.costs import housing_cost
from robots.ronney.rules.identity import check_id
from robots.ronney.rules.incomes import CountedIncome
from robots.ronney.rules.model import Application, Person
from robots.ronney.rules.units import Month, kr


def routes_to_person(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """Info findings are notes for the reader; anything stronger needs a person."""
    return any(f.severity != Severity.info for f in findings)


def kind_findings(app: Application) -> list[Finding]:
    if app.kind == "Nyansökan":
        return [Finding(code="NYANSOKAN", message="Nyansökan: den första bedömningen görs alltid av en handläggare.")]
    if app.previous is None:
        return [Finding(code="TIDIGARE_BERAKNING_SAKNAS",
                        message="Återansökan utan sparad beräkning för en tidigare månad; jämförelsen kunde inte göras.")]
    return []


def identity_findings(household: list[Person], today: date) -> list[Finding]:
    out = []
    for person in household:
        result = check_id(person.personnummer, today=today)
        if not result.valid:
            out.append(Finding(
                code="OGILTIGT_PERSONNUMMER",
                message=f"Personnumret för {_who(person)} är ogiltigt: {result.reason}.",
                severity=Severity.error,
            ))
    return out


def _who(person: Person) -> str:
    if person.role != "barn":
        return person.role
    return "barn" if person.age is None else f"barn ({person.age} år)"


def household_findings(app: Application) -> list[Finding]:
    if app.previous is None:
        return []
    before = {(p.personnummer, p.role) for p in app.previous.household}
    now = {(p.personnummer, p.role) for p in app.household}
    if before == now:
        return []
    came = [p for p in app.household if (p.personnummer, p.role) not in before]
    left = [p for p in app.previous.household if (p.personnummer, p.role) not in now]
    parts = []
    if came:
        parts.append("tillkommit: " + ", ".join(_who(p) for p in came))
    if left:
        parts.append("inte längre med: " + ", ".join(_who(p) for p in left))
    month = Month.parse(app.previous.month).sv()
    return [Finding(code="HUSHALL_ANDRAT", message=f"Hushållet har ändrats sedan {month} ({'; '.join(parts)}).")]


def income_findings(app: Application, incomes: tuple[CountedIncome, ...]) -> list[Finding]:
    """New and dropped incomes against last month's saved calculation, per person and type."""
    if app.previous is None:
        return []
    roles = {p.personnummer: p.role for p in [*app.household, *app.previous.household]}
    before = Counter({(i.personnummer, i.type.strip().casefold()): i.amount for i in app.previous.incomes if i.amount})
    names = {(i.personnummer, i.type.strip().casefold()): i.type for i in app.previous.incomes}
    now = {(i.personnummer, i.type.strip().casefold()): i for i in incomes if i.amount}
    month = Month.parse(app.previous.month).sv()
    out = []
    for key, inc in now.items():
        if key not in before:
            out.append(Finding(code="NY_INKOMST",
                               message=f"Ny inkomst jämfört med {month}: {inc.type} för {inc.role} ({kr(inc.amount)}, {inc.source})."))
    for key, amount in before.items():
        if key not in now:
            out.append(Finding(code="INKOMST_BORTFALLEN",
                               message=(f"Inkomsten {names[key]} för {roles.get(key[0], 'okänd person')} "
                                        f"({kr(amount)} i {month}) finns inte denna månad.")))
    return out


def housing_findings(app: Application) -> list[Finding]:
    if app.previous is None:
        return []
    now, before = housing_cost(list(app.costs)), housing_cost(list(app.previous.costs))
    if now == before:
        return []
    month = Month.parse(app.previous.month).sv()
    text_now = kr(now) if now is not None else "ingen"
    text_before = kr(before) if before is not None else "ingen"
    return [Finding(code="BOENDEKOSTNAD_ANDRAD",
                    message=f"Boendekostnaden har ändrats: {text_now} (i {month}: {text_before}).")]
