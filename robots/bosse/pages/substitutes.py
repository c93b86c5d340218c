"""The substitute pool: the list (ids, with paging) and one substitute's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runner.api import Context
from runner.pages import Screen

from robots.bosse.pages.shifts import SYSTEM

#: The facts of `dl#vikarie-fakta` by label; the hours' label names the month ("Timmar denna månad (2026-03)").
FACTS = {
    "id": "Id",
    "name": "Namn",
    "competence": "Kompetens",
    "usk": "Yrkestitel undersköterska",
    "skills": "Särskilda kunskaper",
    "employment": "Anställningsform",
    "las_days": "LAS-dagar (SÄVA, 5 år)",
    "las_days_3y": "LAS-dagar (SÄVA, 3 år)",
    "foretradesratt": "Företrädesrätt",
    "born": "Födelsedatum",
    "claimed": "Anspråk på företrädesrätt anmält",
    "declined": "Tackat nej till erbjudande",
}
HOURS = "Timmar denna månad"
TABLES = {
    "introducerad": ("Enhet",),
    "tillganglighet": ("Datum", "Från", "Till"),
    "bokade-pass": ("Pass", "Enhet", "Datum", "Tid", "Typ"),
    "anstallningshistorik": ("Från", "Till", "Anställningsform"),
}


@dataclass
class SubstituteDetail:
    """What one substitute's page shows, as text; robots.bosse.reading turns it into rules input."""

    id: str
    name: str
    competence: str
    usk: str
    skills: str
    employment: str
    hours_this_month: str
    las_days: str
    las_days_3y: str
    foretradesratt: str
    born: str = "–"
    claimed: str = "–"
    declined: str = "–"
    units: list[str] = field(default_factory=list)
    availability: list[dict[str, str]] = field(default_factory=list)
    booked: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)


class SubstituteList(Screen[Any]):
    system = SYSTEM
    name = "Vikariepool"
    path = "/vikarier"
    requires = ("table#vikarier",)

    async def ids(self) -> list[str]:
        return [r["Id"] for r in await self.table("table#vikarier", ("Id", "Namn"))]


async def substitute_ids(ctx: Context[Any]) -> list[str]:
    """Every substitute's id, following "Nästa" to the last page."""
    return [sub_id async for screen in (await SubstituteList.open(ctx)).pages() for sub_id in await screen.ids()]


class SubstitutePage(Screen[Any]):
    system = SYSTEM
    name = "Vikarie"
    path = "/vikarier/{sub_id}"
    requires = ("dl#vikarie-fakta", *(f"table#{t}" for t in TABLES))

    async def read(self) -> SubstituteDetail:
        snap = await self.snapshot()  # one round trip for the facts and the three tables
        facts = snap.fields("vikarie-fakta", tuple(FACTS.values()))
        hours = next((v for k, v in facts.items() if k.startswith(HOURS)), None)
        if hours is None:
            raise self.changed(f"field {HOURS!r} missing in dl#vikarie-fakta")
        tables = {t: snap.table(t, cols) for t, cols in TABLES.items()}
        return SubstituteDetail(
            **{name: facts[label] for name, label in FACTS.items()},
            hours_this_month=hours,
            units=[r["Enhet"] for r in tables["introducerad"]],
            availability=tables["tillganglighet"],
            booked=tables["bokade-pass"],
            history=tables["anstallningshistorik"],
        )


async def read_substitute(ctx: Context[Any], sub_id: str) -> SubstituteDetail:
    return await (await SubstitutePage.open(ctx, sub_id=sub_id)).read()
