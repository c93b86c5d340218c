"""The planning-proposal form of a recipient and period: one row per besöksbehov, or the open proposal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from runner.pages import Screen

from robots.lena.pages import SYSTEM
from robots.lena.pages.recipient import VISIT_COLUMNS, DraftPage

FORM = "form#forslag-form"


@dataclass(frozen=True)
class Row:
    """One visit as Lena fills it in: planned (date, "HH:MM", staff) or left empty with a reason."""

    need: str
    weekly: bool
    date: str = ""
    start: str = ""
    staff: tuple[str, ...] = ()
    reason: str = ""


class ProposalForm(Screen):
    system = SYSTEM
    name = "Planeringsförslag"
    path = "/brukare/{rid}/forslag?fran={start}&till={end}"
    requires = ("h1",)

    async def open_draft(self) -> tuple[dict[str, str], list[dict[str, str]]] | None:
        """The open proposal the system shows instead of the form (facts, visits), or None."""
        if await self.optional_text("#finns-forslag") is None:  # the page is complete on load: no waiting
            return None
        snap = await self.snapshot()
        return (snap.fields("forslag-fakta", ("Förslag", "Period", "Skapat av")),
                snap.table("forslag-besok", VISIT_COLUMNS))

    async def needs(self) -> list[str]:
        """The besöksbehov the form has a row for, in its order."""
        await self.verify(FORM, f"{FORM} table#forslag-rader")
        rows = await self.table(f"{FORM} table#forslag-rader", ("Besök", "Starttid", "Personal"))
        return [r["Besök"] for r in rows]

    async def save(self, rows: Sequence[Row]) -> tuple[list[str], DraftPage | None]:
        """Fill every row and send the form. Returns the system's refusals, or the saved proposal's page."""
        fill: dict[str, str] = {}
        select: dict[str, str] = {}
        for r in rows:
            if r.staff:
                fill[f"#tid-{r.need}"] = r.start
                select[f"#personal-{r.need}"] = r.staff[0]
                if len(r.staff) > 1:
                    select[f"#personal2-{r.need}"] = r.staff[1]
                if r.weekly:
                    select[f"#datum-{r.need}"] = r.date
            else:
                fill[f"#orsak-{r.need}"] = r.reason[:200]
        errors = await self.submit(FORM, fill=fill, select=select, button="button#spara")
        if errors:
            return errors, None
        saved = DraftPage(self.ctx, self.page)
        await saved.verify()  # the system answers a saved proposal with its page
        return [], saved
