"""The case journal ("Anteckningar"): list the notes, and add one with the system's form."""

from __future__ import annotations

from playwright.async_api import Page

from runner.api import BusinessError, Context

from robots.ronney.pages.base import FORM_ERRORS, ensure_page, read_table

LIST_NAME = "Anteckningar"
FORM_NAME = "Ny anteckning"


def notes_path(case_id: str) -> str:
    return f"/arenden/{case_id}/anteckningar"


async def note_titles(ctx: Context, case_id: str) -> list[str]:
    page = await ctx.goto("ekonomi", notes_path(case_id))
    await ensure_page(page, LIST_NAME, "table#anteckningar")
    rows = await read_table(page, "table#anteckningar", LIST_NAME, ("Datum", "Rubrik"))
    return [r["Rubrik"] for r in rows]


async def add_note(ctx: Context, case_id: str, month: str, title: str, text: str) -> None:
    """Fill and send the form; the system must answer with the note in the list, else it is an error."""
    page: Page = await ctx.goto("ekonomi", notes_path(case_id) + "/ny")
    await ensure_page(page, FORM_NAME, "form#ny-anteckning", "#rubrik", "#text", "#manad")
    await page.select_option("#manad", value=month)
    await page.fill("#rubrik", title)
    await page.fill("#text", text)
    async with page.expect_navigation():
        await page.click("form#ny-anteckning button[type=submit]")
    errors = await page.locator(FORM_ERRORS).all_inner_texts()
    if errors:
        raise BusinessError("ANTECKNING_NEKAD", "Ekonomi tog inte emot Ronneys anteckning: " + "; ".join(errors)[:300])
    await ensure_page(page, LIST_NAME, "table#anteckningar")
    rows = await read_table(page, "table#anteckningar", LIST_NAME, ("Datum", "Rubrik"))
    if title not in [r["Rubrik"] for r in rows]:
        raise RuntimeError("the note is not in the journal after saving")
