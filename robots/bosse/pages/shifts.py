"""Vacant shifts: the list (with paging) and one shift's page with its booking/request form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from robots.bosse.pages.common import SYSTEM, next_page_href, optional_text, read_many, read_table, require
from runner.api import PageChangedError

if TYPE_CHECKING:
    from runner.api import Context

LIST_PAGE = "Vakanta pass"
SHIFT_PAGE = "Pass"
LIST_COLUMNS = ["Pass", "Enhet", "Datum", "Tid", "Kompetens", "Krav", "Status"]
SESSION_EXPIRED = "__session_expired__"  # the form was answered with the login page: nothing was saved


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


@dataclass
class ShiftDetail:
    id: str
    status: str
    substitute: str | None = None  # the id of the booked/requested substitute
    kind: str | None = None  # "Bokning" / "Förfrågan"
    by: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def vacant(self) -> bool:
        return self.status == "Vakant"


@dataclass
class FormResult:
    ok: bool
    errors: list[str]
    flash: str | None = None


class ShiftList:
    """`/pass`: the shift table, filtered on dates and status, walked page by page."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def vacant(self, first: date, last: date) -> list[ShiftRow]:
        query = urlencode({"fran": first.isoformat(), "till": last.isoformat(), "status": "vakant"})
        page = await self.ctx.goto(SYSTEM, f"/pass?{query}")
        out: list[ShiftRow] = []
        while True:
            for r in await read_table(page, "table#vakanta-pass", LIST_PAGE, LIST_COLUMNS):
                out.append(ShiftRow(r["Pass"], r["Enhet"], r["Datum"], r["Tid"], r["Kompetens"], r["Krav"], r["Status"]))
            href = await next_page_href(page)
            if not href:
                return out
            page = await self.ctx.goto(SYSTEM, href)


class ShiftPage:
    """`/pass/<id>`: the shift's facts, who holds it, and the form that books or requests."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def open(self, shift_id: str) -> ShiftDetail:
        await self.ctx.goto(SYSTEM, f"/pass/{shift_id}")
        return await self.current(shift_id)

    async def current(self, shift_id: str) -> ShiftDetail:
        """Read the shift page the browser shows now (e.g. where the form's redirect landed)."""
        page = await self.ctx.page(SYSTEM)
        t, _ = await read_many(page, SHIFT_PAGE, ["dl#pass-fakta", "#pass-status", "#pass-enhet", "#pass-datum", "#pass-tid"], {})
        detail = ShiftDetail(id=shift_id, status=t["#pass-status"])
        detail.fields = {"unit": t["#pass-enhet"], "date": t["#pass-datum"], "time": t["#pass-tid"]}
        holder = await optional_text(page, "#tillsatt-vikarie")
        if holder:
            detail.substitute = holder.split()[0]
            detail.kind = await optional_text(page, "#tillsatt-typ")
            detail.by = await optional_text(page, "#tillsatt-av")
        elif not detail.vacant:
            raise PageChangedError(SYSTEM, SHIFT_PAGE, "tillsättningen visas inte")
        return detail

    async def fill(self, shift_id: str, substitute_id: str, kind: str) -> FormResult:
        """Submit the form (`kind`: 'bokning' or 'forfragan') on the open shift page; report what it said."""
        page = await self.ctx.page(SYSTEM)
        await require(page, "form#tillsatt-form", SHIFT_PAGE)
        await require(page, "#vikarie", SHIFT_PAGE)
        await require(page, "select#typ", SHIFT_PAGE)
        await page.fill("#vikarie", substitute_id)
        await page.select_option("select#typ", kind)
        await page.click("form#tillsatt-form button[type=submit]")
        await page.wait_for_load_state()
        if await self.ctx.robot.is_login_page(SYSTEM, page):
            return FormResult(ok=False, errors=[SESSION_EXPIRED])
        errors_box = page.locator("#form-errors li")
        if await errors_box.count():
            return FormResult(ok=False, errors=[t.strip() for t in await errors_box.all_inner_texts()])
        return FormResult(ok=True, errors=[], flash=await optional_text(page, "#flash"))
