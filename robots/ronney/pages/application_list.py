"""The applications list ("Ansökningar"): filtered by status, read page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

from runner.api import Context

from robots.ronney.pages.base import ensure_page, read_table

PAGE_NAME = "Ansökningar"
COLUMNS = ("Ärende", "Månad", "Typ", "Status")


@dataclass(frozen=True)
class ApplicationRow:
    case_id: str
    month: str
    kind: str
    status: str


async def rows_with_status(ctx: Context, status: str) -> AsyncIterator[ApplicationRow]:
    """Every application with `status`, following "Nästa sida" until the last page."""
    path = f"/ansokningar?status={quote(status)}"
    seen: set[str] = set()
    while path and path not in seen:
        seen.add(path)
        page = await ctx.goto("ekonomi", path)
        await ensure_page(page, PAGE_NAME, "table#ansokningar")
        for row in await read_table(page, "table#ansokningar", PAGE_NAME, COLUMNS):
            if row["Status"] == status:  # the filter is the system's; trust but verify
                yield ApplicationRow(row["Ärende"], row["Månad"], row["Typ"], row["Status"])
        nxt = page.locator("a[rel=next]").first
        path = (await nxt.get_attribute("href")) if await nxt.count() else None
        if path and path.startswith("http"):
            base = ctx.system("ekonomi").url
            path = path[len(base):] if path.startswith(base) else None
