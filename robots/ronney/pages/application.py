"""An application's page ("Ansökan"): household, incomes, costs, attachments, supplements, last month.

Ronney reads what the calculation needs and nothing more: not names, not addresses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from runner.api import BusinessError, PageChangedError
from runner.pages import Screen, parse_amount, parse_date

from robots.ronney.rules.model import (
    Application,
    Attachment,
    Cost,
    Income,
    MonthDecision,
    Person,
    SavedCalculation,
    SupplementRequest,
)
from robots.ronney.settings import RonneySettings

SYSTEM = "ekonomi"
PAGE_NAME = "Ansökan"
ROLES = {"sökande": "sökande", "medsökande": "medsökande", "barn": "barn", "annan vuxen (ej sambo)": "annan vuxen"}
DECISION_STATUS = "Väntar på beslut"


PATH = "/arenden/{case_id}/ansokan/{month}"


def application_path(case_id: str, month: str) -> str:
    return PATH.format(case_id=case_id, month=month)


def _people(rows: list[dict[str, str]]) -> list[Person]:
    out = []
    for r in rows:
        role = ROLES.get(r["Roll"].strip().casefold())
        if role is None:
            raise PageChangedError(SYSTEM, PAGE_NAME, "unknown role in household table")
        out.append(Person(personnummer=r["Personnummer"], role=role,
                          age=_typed(f"Åldern för {ROLE_NAMES[role]} i hushållet", _age, r["Ålder"]),
                          lunch_at_home=r.get("Lunch hemma", "Ja").strip() != "Nej"))
    return out


#: Free text typed into the case system is quoted in findings and in the note; beyond this it is cut, so
#: an absurdly long entry still gives a readable finding and a note the journal accepts.
TEXT_LIMIT = 80
ROLE_NAMES = {"sökande": "den sökande", "medsökande": "medsökande", "barn": "ett barn", "annan vuxen": "en annan vuxen"}
T = TypeVar("T")


def _short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def _typed(label: str, parse: Callable[[str], T], text: str) -> T:
    """A value a person typed into the case system, or a case for a person when it cannot be read.

    The old system kept amounts, dates and ages as free text; an empty or unreadable one must not fail
    the night as a technical error (it would be retried in vain), nor be guessed: the caseworker is told
    which field to correct. The value itself is not quoted: it may be an income.
    """
    try:
        return parse(text)
    except ValueError:
        problem = "saknas" if not text.strip() else "går inte att läsa"
        raise BusinessError(
            "UPPGIFT_OLASLIG",
            f"{label} {problem} i Ekonomi. Rätta uppgiften i ansökan; Ronney förbereder ärendet nästa natt.",
        ) from None


def _age(text: str) -> int:
    age = int(text.strip())
    if not 0 <= age <= 130:
        raise ValueError("not an age")
    return age


def _cost_amount(text: str) -> int:
    amount = parse_amount(text)
    if amount < 0:
        raise ValueError("a cost is not negative")
    return amount


def _incomes(rows: list[dict[str, str]]) -> list[Income]:
    return [Income(personnummer=r["Personnummer"], type=_short(r["Typ"]),
                   amount=_typed(f"Beloppet för inkomsten ”{_short(r['Typ'])}”", parse_amount, r["Belopp"]))
            for r in rows]


def _costs(rows: list[dict[str, str]]) -> list[Cost]:
    return [Cost(type=_short(r["Typ"]),
                 amount=_typed(f"Beloppet för kostnaden ”{_short(r['Typ'])}”", _cost_amount, r["Belopp"]))
            for r in rows]


class ApplicationPage(Screen[RonneySettings]):
    system = SYSTEM
    name = PAGE_NAME
    path = PATH
    requires = ("dl#ansokan", "table#hushall")

    async def status(self) -> str:
        return (await self.fields("dl#ansokan", ("Status",)))["Status"]

    async def read(self) -> Application:
        snap = await self.snapshot()
        fields = snap.fields("ansokan", ("Ärende", "Månad", "Typ", "Status", "Inkommen"))
        household = _people(snap.table("hushall", ("Roll", "Personnummer", "Ålder")))
        incomes = _incomes(snap.table("inkomster", ("Personnummer", "Typ", "Belopp")))
        costs = _costs(snap.table("kostnader", ("Typ", "Belopp")))
        attachments = [Attachment(type=r["Typ"], received=_typed(f"Datumet då bilagan ”{_short(r['Typ'])}” kom in",
                                                                 parse_date, r["Inkommen"]))
                       for r in snap.table("bilagor", ("Typ", "Inkommen"))]
        supplements = [SupplementRequest(type=r["Typ"],
                                         requested=_typed(f"Datumet då kompletteringen ”{_short(r['Typ'])}” begärdes",
                                                          parse_date, r["Begärd"]),
                                         due=_typed(f"Sista dag för kompletteringen ”{_short(r['Typ'])}”",
                                                    parse_date, r["Senast"]))
                       for r in snap.table("kompletteringar", ("Typ", "Begärd", "Senast"))]
        history = [MonthDecision(month=r["Månad"], decision=r["Beslut"])
                   for r in snap.table("historik", ("Månad", "Beslut"))
                   if r["Beslut"] in ("Beviljad", "Avslagen")]
        previous = None
        if snap.has("foregaende-uppgifter"):
            prev = snap.fields("foregaende-uppgifter", ("Månad", "Belopp"))
            previous = SavedCalculation(
                month=prev["Månad"],
                amount=_typed("Beloppet i föregående beräkning", parse_amount, prev["Belopp"]),
                household=_people(snap.table("foregaende-hushall", ("Roll", "Personnummer", "Ålder"))),
                incomes=_incomes(snap.table("foregaende-inkomster", ("Personnummer", "Typ", "Belopp"))),
                costs=_costs(snap.table("foregaende-kostnader", ("Typ", "Belopp"))),
            )
        elif not snap.has("ingen-foregaende"):
            raise PageChangedError(SYSTEM, PAGE_NAME, "previous calculation section missing")
        start = fields.get("Jobbstimulans från", "").strip()
        return Application(
            case_id=fields["Ärende"],
            month=fields["Månad"],
            kind=fields["Typ"],
            status=fields["Status"],
            received=_typed("Datumet då ansökan kom in", parse_date, fields["Inkommen"]),
            household=household,
            incomes=incomes,
            costs=costs,
            attachments=attachments,
            supplements=supplements,
            previous=previous,
            history=history,
            jobbstimulans_start=start if start and start not in ("–", "-") else None,
        )

    async def set_status(self, status: str) -> None:
        """Change the status with the case system's own form; the page must show the new status after."""
        errors = await self.submit("form#statusbyte", select_label={"select#ny-status": status})
        await self.verify("dl#ansokan")
        if await self.status() != status:
            raise BusinessError("STATUSBYTE_NEKAT", "Ekonomi tog inte emot statusbytet: " + "; ".join(errors)[:300])
