"""Shared helpers for ekonomi's pages: element checks, table reading, Swedish amounts and dates."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page

from runner.api import PageChangedError, SystemUnavailableError, http_status

SYSTEM = "ekonomi"
#: How long an expected element may take to appear. Pages are server-rendered and complete on load, so a
#: short wait is enough; a changed page must not cost the full default timeout per case.
QUICK_MS = 1500
#: Where ekonomi says why it refused a form: the summary list (#form-errors) of the stand-ins' common layer.
FORM_ERRORS = "#form-errors li, .fel"

_TABLE_JS = """el => ({
  headers: [...el.querySelectorAll('thead th')].map(th => th.innerText.trim()),
  rows: [...el.querySelectorAll('tbody tr')].filter(tr => !tr.classList.contains('tom')).map(tr =>
      [...tr.cells].map(td => td.innerText.trim())),
})"""


async def ensure_page(page: Page, page_name: str, *selectors: str) -> None:
    """Raise PageChangedError when an expected element is missing; SystemUnavailableError on a 5xx page."""
    status = await http_status(page)
    if status >= 500:
        raise SystemUnavailableError(f"{SYSTEM} answered {status} on {page_name}")
    for selector in selectors:
        locator = page.locator(selector).first
        if await locator.count():
            continue
        try:
            await locator.wait_for(state="attached", timeout=QUICK_MS)
        except Exception:
            raise PageChangedError(SYSTEM, page_name, f"{selector} missing") from None


_SNAPSHOT_JS = """() => {
  const tables = {}, fields = {};
  for (const t of document.querySelectorAll('table[id]')) {
    tables[t.id] = {
      headers: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
      rows: [...t.querySelectorAll('tbody tr')].filter(tr => !tr.classList.contains('tom'))
              .map(tr => [...tr.cells].map(td => td.innerText.trim())),
    };
  }
  for (const dl of document.querySelectorAll('dl[id]')) {
    const f = {};
    for (const dt of dl.querySelectorAll('dt')) {
      const dd = dt.nextElementSibling;
      f[dt.innerText.trim()] = (dd && dd.tagName === 'DD') ? dd.innerText.trim() : '';
    }
    fields[dl.id] = f;
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  return {tables, fields, ids};
}"""


class Snapshot:
    """Every table and definition list of a page, read in one round trip (a page has many of them)."""

    def __init__(self, raw: dict, page_name: str) -> None:
        self._raw = raw
        self.page_name = page_name

    @classmethod
    async def take(cls, page: Page, page_name: str) -> Snapshot:
        return cls(await page.evaluate(_SNAPSHOT_JS), page_name)

    def has(self, element_id: str) -> bool:
        return element_id in self._raw["ids"]

    def table(self, table_id: str, expected: tuple[str, ...]) -> list[dict[str, str]]:
        data = self._raw["tables"].get(table_id)
        if data is None:
            raise PageChangedError(SYSTEM, self.page_name, f"table#{table_id} missing")
        headers = data["headers"]
        missing = [h for h in expected if h not in headers]
        if missing:
            raise PageChangedError(SYSTEM, self.page_name, f"column(s) {', '.join(missing)} missing in table#{table_id}")
        return [dict(zip(headers, row, strict=False)) for row in data["rows"] if len(row) == len(headers)]

    def fields(self, dl_id: str, expected: tuple[str, ...]) -> dict[str, str]:
        data = self._raw["fields"].get(dl_id)
        if data is None:
            raise PageChangedError(SYSTEM, self.page_name, f"dl#{dl_id} missing")
        missing = [t for t in expected if t not in data]
        if missing:
            raise PageChangedError(SYSTEM, self.page_name, f"field(s) {', '.join(missing)} missing in dl#{dl_id}")
        return data


async def read_table(page: Page, selector: str, page_name: str, expected: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a table as dicts keyed by header text; the headers must include `expected`."""
    table = page.locator(selector).first
    if not await table.count():
        raise PageChangedError(SYSTEM, page_name, f"{selector} missing")
    data = await table.evaluate(_TABLE_JS)
    headers = data["headers"]
    missing = [h for h in expected if h not in headers]
    if missing:
        raise PageChangedError(SYSTEM, page_name, f"column(s) {', '.join(missing)} missing in {selector}")
    return [dict(zip(headers, row, strict=False)) for row in data["rows"] if len(row) == len(headers)]


async def read_fields(page: Page, selector: str, page_name: str, expected: tuple[str, ...]) -> dict[str, str]:
    """A definition list (dt/dd) as a dict; the terms must include `expected`."""
    dl = page.locator(selector).first
    if not await dl.count():
        raise PageChangedError(SYSTEM, page_name, f"{selector} missing")
    pairs = await dl.evaluate(
        "el => [...el.querySelectorAll('dt')].map(dt => [dt.innerText.trim(), "
        "(dt.nextElementSibling && dt.nextElementSibling.tagName === 'DD') ? dt.nextElementSibling.innerText.trim() : ''])"
    )
    fields = {k: v for k, v in pairs}
    missing = [t for t in expected if t not in fields]
    if missing:
        raise PageChangedError(SYSTEM, page_name, f"field(s) {', '.join(missing)} missing in {selector}")
    return fields


def parse_amount(text: str) -> int:
    """'7 050 kr' → 7050."""
    cleaned = text.replace("kr", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    negative = cleaned.startswith(("−", "-"))
    digits = cleaned.lstrip("−-")
    if not digits.isdigit():
        raise ValueError("not an amount")
    return -int(digits) if negative else int(digits)


def parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())
