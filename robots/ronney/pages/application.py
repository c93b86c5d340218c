"""An application's page ("Ansökan"): household, incomes, costs, attachments, supplements, last month.

Ronney reads what the calculation needs and nothing more: not names, not addresses.
"""

from __future__ import annotations

from runner.api import BusinessError, PageChangedError
from runner.pages import Screen, parse_amount

from robots.ronney.pages.rows import (
    HISTORY_COLUMNS,
    INCOME_COLUMNS,
    PAGE_NAME,
    PEOPLE_COLUMNS,
    SYSTEM,
    costs,
    day,
    history,
    incomes,
    people,
    short,
    typed,
)
from robots.ronney.rules.model import Application, Attachment, SavedCalculation, SupplementRequest
from robots.ronney.settings import RonneySettings

DECISION_STATUS = "Väntar på beslut"
PATH = "/arenden/{case_id}/ansokan/{month}"


def application_path(case_id: str, month: str) -> str:
    return PATH.format(case_id=case_id, month=month)


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
        attachments = [Attachment(type=r["Typ"], received=day(f"Datumet då bilagan ”{short(r['Typ'])}” kom in",
                                                              r["Inkommen"]))
                       for r in snap.table("bilagor", ("Typ", "Inkommen"))]
        supplements = [SupplementRequest(type=r["Typ"],
                                         requested=day(f"Datumet då kompletteringen ”{short(r['Typ'])}” begärdes",
                                                       r["Begärd"]),
                                         due=day(f"Sista dag för kompletteringen ”{short(r['Typ'])}”", r["Senast"]))
                       for r in snap.table("kompletteringar", ("Typ", "Begärd", "Senast"))]
        previous = None
        if snap.has("foregaende-uppgifter"):
            prev = snap.fields("foregaende-uppgifter", ("Månad", "Belopp"))
            previous = SavedCalculation(
                month=prev["Månad"],
                amount=typed("Beloppet i föregående beräkning", parse_amount, prev["Belopp"]),
                household=people(snap.table("foregaende-hushall", PEOPLE_COLUMNS)),
                incomes=incomes(snap.table("foregaende-inkomster", INCOME_COLUMNS)),
                costs=costs(snap.table("foregaende-kostnader", ("Typ", "Belopp"))),
            )
        elif not snap.has("ingen-foregaende"):
            raise PageChangedError(SYSTEM, PAGE_NAME, "previous calculation section missing")
        start = fields.get("Jobbstimulans från", "").strip()
        return Application(
            case_id=fields["Ärende"],
            month=fields["Månad"],
            kind=fields["Typ"],
            status=fields["Status"],
            received=day("Datumet då ansökan kom in", fields["Inkommen"]),
            household=people(snap.table("hushall", PEOPLE_COLUMNS)),
            incomes=incomes(snap.table("inkomster", INCOME_COLUMNS)),
            costs=costs(snap.table("kostnader", ("Typ", "Belopp"))),
            attachments=attachments,
            supplements=supplements,
            previous=previous,
            history=history(snap.table("historik", HISTORY_COLUMNS)),
            jobbstimulans_start=start if start and start not in ("–", "-") else None,
        )

    async def set_status(self, status: str) -> None:
        """Change the status with the case system's own form; the page must show the new status after."""
        errors = await self.submit("form#statusbyte", select_label={"select#ny-status": status})
        await self.verify("dl#ansokan")
        if await self.status() != status:
            raise BusinessError("STATUSBYTE_NEKAT", "Ekonomi tog inte emot statusbytet: " + "; ".join(errors)[:300])
