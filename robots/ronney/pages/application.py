"""An application's page ("Ansökan"): household, incomes, costs, attachments, supplements, last month.

Ronney reads what the calculation needs and nothing more: not names, not addresses.
"""

from __future__ import annotations

from playwright.async_api import Page

from runner.api import BusinessError, Context, PageChangedError

from robots.ronney.pages.base import SYSTEM, Snapshot, ensure_page, parse_amount, parse_date, read_fields
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

PAGE_NAME = "Ansökan"
ROLES = {"sökande": "sökande", "medsökande": "medsökande", "barn": "barn", "annan vuxen (ej sambo)": "annan vuxen"}
DECISION_STATUS = "Väntar på beslut"


def application_path(case_id: str, month: str) -> str:
    return f"/arenden/{case_id}/ansokan/{month}"


def _people(rows: list[dict[str, str]]) -> list[Person]:
    out = []
    for r in rows:
        role = ROLES.get(r["Roll"].strip().casefold())
        if role is None:
            raise PageChangedError(SYSTEM, PAGE_NAME, "unknown role in household table")
        out.append(Person(personnummer=r["Personnummer"], role=role, age=int(r["Ålder"]),
                          lunch_at_home=r.get("Lunch hemma", "Ja").strip() != "Nej"))
    return out


def _incomes(rows: list[dict[str, str]]) -> list[Income]:
    return [Income(personnummer=r["Personnummer"], type=r["Typ"], amount=parse_amount(r["Belopp"])) for r in rows]


def _costs(rows: list[dict[str, str]]) -> list[Cost]:
    return [Cost(type=r["Typ"], amount=parse_amount(r["Belopp"])) for r in rows]


class ApplicationPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    async def open(cls, ctx: Context, case_id: str, month: str) -> ApplicationPage:
        page = await ctx.goto("ekonomi", application_path(case_id, month))
        await ensure_page(page, PAGE_NAME, "dl#ansokan", "table#hushall")
        return cls(page)

    async def status(self) -> str:
        fields = await read_fields(self.page, "dl#ansokan", PAGE_NAME, ("Status",))
        return fields["Status"]

    async def read(self) -> Application:
        snap = await Snapshot.take(self.page, PAGE_NAME)
        fields = snap.fields("ansokan", ("Ärende", "Månad", "Typ", "Status", "Inkommen"))
        household = _people(snap.table("hushall", ("Roll", "Personnummer", "Ålder")))
        incomes = _incomes(snap.table("inkomster", ("Personnummer", "Typ", "Belopp")))
        costs = _costs(snap.table("kostnader", ("Typ", "Belopp")))
        attachments = [Attachment(type=r["Typ"], received=parse_date(r["Inkommen"]))
                       for r in snap.table("bilagor", ("Typ", "Inkommen"))]
        supplements = [SupplementRequest(type=r["Typ"], requested=parse_date(r["Begärd"]), due=parse_date(r["Senast"]))
                       for r in snap.table("kompletteringar", ("Typ", "Begärd", "Senast"))]
        history = [MonthDecision(month=r["Månad"], decision=r["Beslut"])
                   for r in snap.table("historik", ("Månad", "Beslut"))
                   if r["Beslut"] in ("Beviljad", "Avslagen")]
        previous = None
        if snap.has("foregaende-uppgifter"):
            prev = snap.fields("foregaende-uppgifter", ("Månad", "Belopp"))
            previous = SavedCalculation(
                month=prev["Månad"],
                amount=parse_amount(prev["Belopp"]),
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
            received=parse_date(fields["Inkommen"]),
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
        p = self.page
        await ensure_page(p, PAGE_NAME, "form#statusbyte select#ny-status")
        await p.select_option("form#statusbyte select#ny-status", label=status)
        async with p.expect_navigation():
            await p.click("form#statusbyte button[type=submit]")
        await ensure_page(p, PAGE_NAME, "dl#ansokan")
        if await self.status() != status:
            errors = await p.locator(".fel").all_inner_texts()
            raise BusinessError("STATUSBYTE_NEKAT", "Ekonomi tog inte emot statusbytet: " + "; ".join(errors)[:300])
