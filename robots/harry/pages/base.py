"""Shared helpers for HaRry's pages: quick element checks and reading tables and lists by their labels."""

from __future__ import annotations

from playwright.async_api import Page

from runner.api import PageChangedError, SystemUnavailableError, http_status

#: How long an expected element may take to appear. The pages are server-rendered and complete on load,
#: so a short wait is enough; a changed page must not cost the full default timeout per schedule.
QUICK_MS = 1500

_TABLE_JS = """el => ({
  headers: [...el.querySelectorAll('thead th')].map(th => th.innerText.trim()),
  rows: [...el.querySelectorAll('tbody tr')].filter(tr => !tr.classList.contains('tom') && !tr.classList.contains('empty'))
      .map(tr => [...tr.cells].map(td => td.innerText.trim())),
})"""

_DL_JS = """el => [...el.querySelectorAll('dt')].map(dt => {
  const dd = dt.nextElementSibling;
  return [dt.innerText.trim(), dd && dd.tagName === 'DD' ? dd.innerText.trim() : ''];
})"""


async def ensure_up(page: Page, system: str, page_name: str) -> int:
    """Raise SystemUnavailableError on a 5xx page; returns the status for the caller's own checks."""
    status = await http_status(page)
    if status >= 500:
        raise SystemUnavailableError(f"{system} answered {status} on {page_name}")
    return status


async def present(page: Page, selector: str) -> bool:
    """True when `selector` is on the page, after at most a short wait (never the default timeout)."""
    locator = page.locator(selector).first
    if await locator.count():
        return True
    try:
        await locator.wait_for(state="attached", timeout=QUICK_MS)
        return True
    except Exception:
        return False


async def ensure(page: Page, system: str, page_name: str, *selectors: str) -> None:
    """Every selector must be on the page, else the page has changed."""
    await ensure_up(page, system, page_name)
    for selector in selectors:
        if not await present(page, selector):
            raise PageChangedError(system, page_name, f"{selector} missing")


async def read_table(
    page: Page, selector: str, system: str, page_name: str, expected: tuple[str, ...]
) -> list[dict[str, str]]:
    """Rows of a table as dicts keyed by header text; the headers must include `expected`."""
    table = page.locator(selector).first
    if not await table.count():
        raise PageChangedError(system, page_name, f"{selector} missing")
    data = await table.evaluate(_TABLE_JS)
    headers: list[str] = data["headers"]
    missing = [h for h in expected if h not in headers]
    if missing:
        raise PageChangedError(system, page_name, "columns missing: " + ", ".join(missing))
    return [dict(zip(headers, row, strict=False)) for row in data["rows"] if len(row) == len(headers)]


async def read_dl(page: Page, selector: str, system: str, page_name: str, expected: tuple[str, ...]) -> dict[str, str]:
    """A definition list (<dl><dt>label<dd>value) as a dict; the labels must include `expected`."""
    dl = page.locator(selector).first
    if not await dl.count():
        raise PageChangedError(system, page_name, f"{selector} missing")
    pairs = dict(await dl.evaluate(_DL_JS))
    missing = [label for label in expected if label not in pairs]
    if missing:
        raise PageChangedError(system, page_name, "fields missing: " + ", ".join(missing))
    return pairs
