"""The applications list ("Ansökningar"): filtered by status, read page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from runner.api import Context
from runner.pages import Screen

COLUMNS = ("Ärende", "Månad", "Typ", "Status")


class ApplicationRow(BaseModel):
    """One application of the list: Ronney's work item (`WorkItem.data`), one per application and month."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    month: str
    kind: str
    status: str


class ApplicationList(Screen):
    system = "ekonomi"
    name = "Ansökningar"
    path = "/ansokningar?status={status}"
    requires = ("table#ansokningar",)

    async def rows(self) -> list[ApplicationRow]:
        return [ApplicationRow(case_id=r["Ärende"], month=r["Månad"], kind=r["Typ"], status=r["Status"])
                for r in await self.table("table#ansokningar", COLUMNS)]


async def rows_with_status(ctx: Context, status: str) -> AsyncIterator[ApplicationRow]:
    """Every application with `status`, following "Nästa" until the last page."""
    async for screen in (await ApplicationList.open(ctx, status=quote(status))).pages():
        for row in await screen.rows():
            if row.status == status:  # the filter is the system's; trust but verify
                yield row
