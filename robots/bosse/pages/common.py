"""What every bemanning page object shares: the system name, the quick element check, table reading."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from runner.api import PageChangedError

SYSTEM = "bemanning"

# One round trip per table instead of one per cell: header texts and the rows' cell texts.
READ_TABLE_JS = """
(table) => {
  const head = Array.from(table.querySelectorAll('thead th')).map(th => th.innerText.trim());
  const rows = Array.from(table.querySelectorAll('tbody tr'))
    .filter(tr => !tr.querySelector('td[colspan]'))
    .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()));
  return {head, rows};
}
"""


async def require(page: Page, selector: str, page_name: str, system: str = SYSTEM) -> None:
    """Raise PageChangedError unless `selector` is on the page now (no waiting)."""
    if await page.locator(selector).count() == 0:
        raise PageChangedError(system, page_name, f"{selector} saknas")


async def read_table(page: Page, selector: str, page_name: str, columns: list[str]) -> list[dict[str, str]]:
    """Rows of the table `selector` as dicts keyed by header; the headers must include `columns`."""
    await require(page, selector, page_name)
    data: dict[str, Any] = await page.locator(selector).first.evaluate(READ_TABLE_JS)
    head = data["head"]
    missing = [c for c in columns if c not in head]
    if missing:
        raise PageChangedError(SYSTEM, page_name, "kolumner saknas: " + ", ".join(missing))
    return [dict(zip(head, row)) for row in data["rows"]]


async def text(page: Page, selector: str, page_name: str) -> str:
    await require(page, selector, page_name)
    return (await page.locator(selector).first.inner_text()).strip()


async def optional_text(page: Page, selector: str) -> str | None:
    loc = page.locator(selector)
    if await loc.count() == 0:
        return None
    return (await loc.first.inner_text()).strip()


async def next_page_href(page: Page) -> str | None:
    """The pager's 'Nästa' link, or None on the last page."""
    link = page.locator("#pager-next")
    if await link.count() == 0:
        return None
    return await link.first.get_attribute("href")


# Texts of many elements and tables in one round trip: {selector: text or null}, {selector: table or null}.
READ_MANY_JS = """
([texts, tables]) => {
  const out = {texts: {}, tables: {}};
  for (const sel of texts) {
    const el = document.querySelector(sel);
    out.texts[sel] = el ? el.innerText.trim() : null;
  }
  for (const sel of tables) {
    const t = document.querySelector(sel);
    if (!t) { out.tables[sel] = null; continue; }
    const head = Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim());
    const rows = Array.from(t.querySelectorAll('tbody tr'))
      .filter(tr => !tr.querySelector('td[colspan]'))
      .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()));
    out.tables[sel] = {head, rows};
  }
  return out;
}
"""


async def read_many(
    page: Page, page_name: str, texts: list[str], tables: dict[str, list[str]]
) -> tuple[dict[str, str], dict[str, list[dict[str, str]]]]:
    """Read several elements and tables at once; PageChangedError names the first one missing."""
    data: dict[str, Any] = await page.evaluate(READ_MANY_JS, [texts, list(tables)])
    for sel in texts:
        if data["texts"][sel] is None:
            raise PageChangedError(SYSTEM, page_name, f"{sel} saknas")
    out_tables: dict[str, list[dict[str, str]]] = {}
    for sel, columns in tables.items():
        t = data["tables"][sel]
        if t is None:
            raise PageChangedError(SYSTEM, page_name, f"{sel} saknas")
        missing = [c for c in columns if c not in t["head"]]
        if missing:
            raise PageChangedError(SYSTEM, page_name, "kolumner saknas: " + ", ".join(missing))
        out_tables[sel] = [dict(zip(t["head"], row)) for row in t["rows"]]
    return data["texts"], out_tables
