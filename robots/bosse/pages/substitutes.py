"""The substitute pool: the list (ids, with paging) and one substitute's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from robots.bosse.pages.common import SYSTEM, next_page_href, read_many, read_table

if TYPE_CHECKING:
    from runner.api import Context

LIST_PAGE = "Vikariepool"
DETAIL_PAGE = "Vikarie"


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
    units: list[str] = field(default_factory=list)
    availability: list[dict[str, str]] = field(default_factory=list)
    booked: list[dict[str, str]] = field(default_factory=list)


class SubstituteList:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def ids(self) -> list[str]:
        page = await self.ctx.goto(SYSTEM, "/vikarier")
        out: list[str] = []
        while True:
            out += [r["Id"] for r in await read_table(page, "table#vikarier", LIST_PAGE, ["Id", "Namn"])]
            href = await next_page_href(page)
            if not href:
                return out
            page = await self.ctx.goto(SYSTEM, href)


class SubstitutePage:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def read(self, sub_id: str) -> SubstituteDetail:
        page = await self.ctx.goto(SYSTEM, f"/vikarier/{sub_id}")
        t, tables = await read_many(page, DETAIL_PAGE, list(FACTS.values()), TABLES)
        detail = SubstituteDetail(**{name: t[sel] for name, sel in FACTS.items()})
        detail.units = [r["Enhet"] for r in tables["table#introducerad"]]
        detail.availability = tables["table#tillganglighet"]
        detail.booked = tables["table#bokade-pass"]
        return detail


FACTS = {
    "id": "#vikarie-id",
    "name": "#vikarie-namn",
    "competence": "#vikarie-kompetens",
    "usk": "#vikarie-usk",
    "skills": "#vikarie-kunskaper",
    "employment": "#vikarie-anstallning",
    "hours_this_month": "#vikarie-timmar",
    "las_days": "#vikarie-las",
    "las_days_3y": "#vikarie-las-3ar",
    "foretradesratt": "#vikarie-foretradesratt",
}
TABLES = {
    "table#introducerad": ["Enhet"],
    "table#tillganglighet": ["Datum", "Från", "Till"],
    "table#bokade-pass": ["Pass", "Enhet", "Datum", "Tid", "Typ"],
}
