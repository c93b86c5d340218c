"""Vacant shifts: the list (with paging) and one shift's page with its booking/request form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from runner.api import Context
from runner.pages import Screen

SYSTEM = "bemanning"
LIST_COLUMNS = ("Pass", "Enhet", "Datum", "Tid", "Kompetens", "Krav", "Rast", "Status")
FACTS = ("Enhet", "Datum", "Tid", "Status")


@dataclass(frozen=True)
class ShiftRow:
    """One row of the shift list, as shown (Swedish labels; `unit` is 'Name (CODE)')."""

    id: str
    unit: str
    date: str
    time: str
    competence: str
    skills: str
    status: str
    rast: str = "Ingen rast"  # "Ingen rast", "30 min", "30 min från 11:30"


@dataclass
class ShiftDetail:
    id: str
    status: str
    substitute: str | None = None  # the id of the booked/requested substitute
    kind: str | None = None  # "Bokning" / "Förfrågan"
    by: str | None = None
    rast: str = ""  # "Ingen rast", "30 min", "30 min från 11:30"

    @property
    def vacant(self) -> bool:
        return self.status == "Vakant"


class ShiftList(Screen[Any]):
    """`/pass`: the shift table, filtered on dates and status, walked page by page."""

    system = SYSTEM
    name = "Vakanta pass"
    path = "/pass?fran={first}&till={last}&status=vakant"
    requires = ("table#vakanta-pass",)

    async def rows(self) -> list[ShiftRow]:
        return [ShiftRow(r["Pass"], r["Enhet"], r["Datum"], r["Tid"], r["Kompetens"], r["Krav"], r["Status"], r["Rast"])
                for r in await self.table("table#vakanta-pass", LIST_COLUMNS)]


async def vacant_shifts(ctx: Context[Any], first: date, last: date) -> list[ShiftRow]:
    """Every vacant shift from `first` to `last`, following "Nästa" to the last page."""
    shifts = await ShiftList.open(ctx, first=first.isoformat(), last=last.isoformat())
    return [row async for screen in shifts.pages() for row in await screen.rows()]


class ShiftPage(Screen[Any]):
    """`/pass/<id>`: the shift's facts, who holds it, and the form that books or requests."""

    system = SYSTEM
    name = "Pass"
    path = "/pass/{shift_id}"
    requires = ("dl#pass-fakta", "#pass-status")

    async def detail(self, shift_id: str) -> ShiftDetail:
        """What the page shows now (also where the form's redirect landed)."""
        snap = await self.snapshot()
        facts = snap.fields("pass-fakta", FACTS)
        detail = ShiftDetail(id=shift_id, status=facts["Status"], rast=facts.get("Rast", ""))
        if snap.has("tillsattning"):
            holder = snap.fields("tillsattning", ("Vikarie", "Typ", "Registrerad av"))
            detail.substitute = holder["Vikarie"].split()[0] if holder["Vikarie"] else None
            detail.kind, detail.by = holder["Typ"], holder["Registrerad av"]
        if not detail.vacant and not detail.substitute:
            raise self.changed("the booking of a filled shift is not shown")
        return detail

    async def fill(self, substitute_id: str, kind: str) -> list[str]:
        """Send the form (`kind`: 'bokning' or 'forfragan'); the system's refusals, empty when it took it.

        A login page in answer (the session ended: nothing was saved) is SessionExpiredError, which the
        engine retries with a new login; process() reads the shift again before it writes again."""
        return await self.submit("form#tillsatt-form", fill={"#vikarie": substitute_id}, select={"select#typ": kind})


async def open_shift(ctx: Context[Any], shift_id: str) -> ShiftDetail:
    return await (await ShiftPage.open(ctx, shift_id=shift_id)).detail(shift_id)
