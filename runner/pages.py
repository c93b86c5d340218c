"""Screens: the base of a robot's page objects, so no robot re-grows table readers and page checks.

A page object names its system, its screen (as staff call it) and the elements it relies on:

    class NoteList(Screen):
        system = "ekonomi"
        name = "Anteckningar"
        path = "/arenden/{case_id}/anteckningar"
        requires = ("table#anteckningar",)

        async def titles(self) -> list[str]:
            return [r["Rubrik"] for r in await self.table("table#anteckningar", ("Datum", "Rubrik"))]

    notes = await NoteList.open(ctx, case_id="1001")

A list the system pages ("Föregående / Sida 1 av 3 / Nästa") is read page by page with `pages()`:

    ids = [r["Id"] async for screen in (await CaseList.open(ctx)).pages() for r in await screen.table(...)]

`open` (and `verify`, after anything that loads a page) tells three things apart, each raised here so no
robot writes the check: a server error page (5xx: `SystemUnavailableError`, retried), the login form (the
session ended: `SessionExpiredError`, retried after a new login), and a screen that lacks what the robot
relies on (`PageChangedError`: the run stops once instead of timing out on every case). The details of a
PageChangedError are English, for operations; staff see its Swedish message.

Selectors are CSS or Playwright's own syntax (`text=…`, `:has-text(…)`). Plain CSS is cheaper: `verify`
checks all of a screen's CSS selectors, and `table`/`fields` find and read their element, in one round
trip to the browser; each selector in Playwright's syntax costs a round trip of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from typing_extensions import Self, TypeVar

from runner.api import (
    _DOCUMENT_STATUS_JS,
    Context,
    PageChangedError,
    SessionExpiredError,
    SystemUnavailableError,
    http_status,
)

if TYPE_CHECKING:  # pragma: no cover - a type name only: every robot's pages import this module, and
    # `nattskift list` imports the robots; Playwright (0.3 s of CPU) is loaded by the engine when a run starts.
    from playwright.async_api import Page

#: How long an expected element may take to appear. Pages of the legacy systems are server-rendered and
#: complete on load, so a short wait is enough; a changed page must not cost the full timeout per case.
QUICK_MS = 1500
#: Where a system says why it refused a form: the summary list of the stand-ins' common layer (`#form-errors`)
#: and the older `.fel` class. A screen whose system shows errors elsewhere sets `form_errors`.
FORM_ERRORS = "#form-errors li, .fel"
#: The pager's "Nästa": the stand-ins' pager marks it `rel="next"`, as HTML's link types intend. A screen
#: whose system marks it otherwise sets `next_page`.
NEXT_PAGE = "a[rel=next]"

# Rows that are placeholders ("Inga ärenden") are left out: a class `tom`/`empty`, or one cell spanning columns.
_ROWS_JS = """(t) => [...t.querySelectorAll('tbody tr')]
  .filter(tr => !tr.classList.contains('tom') && !tr.classList.contains('empty') && !tr.querySelector('td[colspan]'))
  .map(tr => [...tr.cells].map(td => td.innerText.trim()))"""
_TABLE_JS = f"""(t) => ({{
  headers: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
  rows: ({_ROWS_JS})(t),
}})"""
_DL_JS = """(dl) => [...dl.querySelectorAll('dt')].map(dt => {
  const dd = dt.nextElementSibling;
  return [dt.innerText.trim(), dd && dd.tagName === 'DD' ? dd.innerText.trim() : ''];
})"""


def _on_first_js(element_js: str) -> str:
    """A function of a selector that applies `element_js` to the first element it matches: {css, value},
    value null when nothing matches, css false when the browser cannot parse the selector as CSS."""
    return ("(selector) => { let el; try { el = document.querySelector(selector); } catch (e) { return {css: false}; }"
            f" return {{css: true, value: el ? ({element_js})(el) : null}}; }}")


_TABLE_FIRST_JS = _on_first_js(_TABLE_JS)
_DL_FIRST_JS = _on_first_js(_DL_JS)
_SNAPSHOT_JS = f"""() => {{
  const tables = {{}}, fields = {{}};
  for (const t of document.querySelectorAll('table[id]')) tables[t.id] = ({_TABLE_JS})(t);
  for (const dl of document.querySelectorAll('dl[id]')) fields[dl.id] = Object.fromEntries(({_DL_JS})(dl));
  return {{tables, fields, ids: [...document.querySelectorAll('[id]')].map(e => e.id)}};
}}"""

# The document's status (`runner.api.http_status`'s own expression) and which selectors match: false when a
# CSS selector matches nothing, null when the browser cannot parse it as CSS (Playwright's `text=`, `>>`).
_LOOK_JS = f"""(selectors) => [
  ({_DOCUMENT_STATUS_JS})(),
  selectors.map(s => {{ try {{ return document.querySelector(s) !== null; }} catch (e) {{ return null; }} }}),
]"""

S = TypeVar("S", default=Any)


def _rows(screen: str, system: str, where: str, headers: list[str], rows: list[list[str]],
          columns: tuple[str, ...]) -> list[dict[str, str]]:
    missing = [c for c in columns if c not in headers]
    if missing:
        raise PageChangedError(system, screen, f"column(s) {', '.join(missing)} missing in {where}")
    return [dict(zip(headers, row, strict=True)) for row in rows if len(row) == len(headers)]


def _fields(screen: str, system: str, where: str, fields: Mapping[str, str], labels: tuple[str, ...]) -> dict[str, str]:
    missing = [label for label in labels if label not in fields]
    if missing:
        raise PageChangedError(system, screen, f"field(s) {', '.join(missing)} missing in {where}")
    return dict(fields)


class Snapshot:
    """Every table and definition list with an id on a page, read in one round trip (for a screen with
    many of them); the same checks as `Screen.table` and `Screen.fields`."""

    def __init__(self, raw: dict[str, Any], system: str, screen: str) -> None:
        self._raw = raw
        self.system = system
        self.screen = screen

    def has(self, element_id: str) -> bool:
        return element_id in self._raw["ids"]

    def table(self, table_id: str, columns: tuple[str, ...] = ()) -> list[dict[str, str]]:
        data = self._raw["tables"].get(table_id)
        if data is None:
            raise PageChangedError(self.system, self.screen, f"table#{table_id} missing")
        return _rows(self.screen, self.system, f"table#{table_id}", data["headers"], data["rows"], columns)

    def fields(self, dl_id: str, labels: tuple[str, ...] = ()) -> dict[str, str]:
        data = self._raw["fields"].get(dl_id)
        if data is None:
            raise PageChangedError(self.system, self.screen, f"dl#{dl_id} missing")
        return _fields(self.screen, self.system, f"dl#{dl_id}", data, labels)


class Screen(Generic[S]):
    """A screen of a target system. Subclass it with `system`, `name`, `path` and `requires`.

    `S` is the robot's settings model, so `self.ctx.settings` is typed in the page object too.
    """

    #: The system, as in `[systems.<name>]`.
    system: ClassVar[str] = ""
    #: The screen's name as staff know it ("Ansökan"): shown in "Sidan ”Ansökan” … har ändrats".
    name: ClassVar[str] = ""
    #: The path `open` goes to, formatted with its keyword arguments: "/arenden/{case_id}".
    path: ClassVar[str] = ""
    #: Selectors that must be on the screen once it is open.
    requires: ClassVar[tuple[str, ...]] = ()
    #: Selector of the messages a refused form shows.
    form_errors: ClassVar[str] = FORM_ERRORS
    #: Selector of the pager's link to the next page ("Nästa"); `pages()` follows it.
    next_page: ClassVar[str] = NEXT_PAGE

    def __init__(self, ctx: Context[S], page: Page) -> None:
        self.ctx = ctx
        self.page = page

    @classmethod
    async def open(cls, ctx: Context[S], **params: Any) -> Self:
        """Go to `path` (logged in) and verify the screen."""
        page = await ctx.goto(cls.system, cls.path.format(**params))
        screen = cls(ctx, page)
        await screen.verify()
        return screen

    # -- checks ------------------------------------------------------------------------------------

    def changed(self, detail: str) -> PageChangedError:
        """The error for a screen that lacks what the robot relies on (detail in English, for operations)."""
        return PageChangedError(self.system, self.name, detail)

    async def verify(self, *selectors: str) -> None:
        """The page shows this screen: not an error page, not the login form, every element there.

        Checks `requires` when no selectors are given."""
        wanted = selectors or self.requires
        status, found = await self._look(wanted)
        if status >= 500:
            raise SystemUnavailableError(f"{self.system} answered {status} on {self.name}")
        for selector, there in zip(wanted, found, strict=True):
            if there is True:
                continue
            if not await self.present(selector):  # not plain CSS, or not there yet: Playwright looks, briefly
                if await self.ctx.robot.is_login_page(self.system, self.page):
                    raise SessionExpiredError(f"the session in {self.system} ended on {self.name}")
                raise self.changed(f"{selector} missing")

    async def _look(self, selectors: tuple[str, ...]) -> tuple[int, list[bool | None]]:
        """The document's HTTP status and, per selector, whether it is on the page, in one round trip to
        the browser instead of one per selector (a form of 40 fields was 40). None: not a CSS selector
        (Playwright's own syntax), or the page could not be asked; `verify` then asks Playwright."""
        try:
            status, found = await self.page.evaluate(_LOOK_JS, list(selectors))
        except Exception:  # a closed or navigating page: the slower path says what is wrong
            return await http_status(self.page), [None] * len(selectors)
        return int(status), list(found)

    async def present(self, selector: str) -> bool:
        """True when `selector` is on the page, after at most a short wait (never the full timeout)."""
        locator = self.page.locator(selector).first
        if await locator.count():
            return True
        try:
            await locator.wait_for(state="attached", timeout=QUICK_MS)
        except Exception:
            return False
        return True

    # -- reading -----------------------------------------------------------------------------------

    async def table(self, selector: str, columns: tuple[str, ...] = ()) -> list[dict[str, str]]:
        """The rows of a table as dicts keyed by column label; the labels must include `columns`."""
        data = await self._read_first(selector, _TABLE_FIRST_JS, _TABLE_JS)
        return _rows(self.name, self.system, selector, data["headers"], data["rows"], columns)

    async def fields(self, selector: str, labels: tuple[str, ...] = ()) -> dict[str, str]:
        """A definition list (`<dt>label<dd>value`) as a dict; the labels must include `labels`."""
        pairs = await self._read_first(selector, _DL_FIRST_JS, _DL_JS)
        return _fields(self.name, self.system, selector, dict(pairs), labels)

    async def _read_first(self, selector: str, first_js: str, element_js: str) -> Any:
        """`element_js` applied to the first element `selector` matches: one round trip for a CSS selector
        (a locator's count and evaluate are four), Playwright's locator for its own selector syntax."""
        try:
            answer = await self.page.evaluate(first_js, selector)
        except Exception:  # a closed or navigating page: the locator below says what is wrong
            answer = {"css": False}
        if answer["css"]:
            if answer["value"] is None:
                raise self.changed(f"{selector} missing")
            return answer["value"]
        element = self.page.locator(selector).first
        if not await element.count():
            raise self.changed(f"{selector} missing")
        return await element.evaluate(element_js)

    async def text(self, selector: str) -> str:
        """The text of an element that must be there."""
        found = await self.optional_text(selector)
        if found is None:
            raise self.changed(f"{selector} missing")
        return found

    async def optional_text(self, selector: str) -> str | None:
        """The text of an element, or None when the screen does not show it (no waiting)."""
        locator = self.page.locator(selector)
        if not await locator.count():
            return None
        return (await locator.first.inner_text()).strip()

    async def snapshot(self) -> Snapshot:
        """Every table and `<dl>` with an id, in one round trip."""
        return Snapshot(await self.page.evaluate(_SNAPSHOT_JS), self.system, self.name)

    async def link(self, selector: str) -> str | None:
        """The target of a link (e.g. the pager's "Nästa") as a path in this system, or None when the
        screen has no such link or it leads out of the system. A relative `href` is resolved as the browser
        would."""
        link = self.page.locator(selector).first
        if not await link.count():
            return None
        href = await link.evaluate("(a) => a.href || a.getAttribute('href') || ''")
        return self._path(href) if href else None

    async def pages(self) -> AsyncIterator[Self]:
        """This screen, then each page its pager's "Nästa" (`next_page`) leads to, to the last, each one
        verified like `open`. Read a page before asking for the next: they share the browser tab.

        A pager that leads back to a page already read ends the walk instead of going round for ever."""
        screen = self
        seen = {self._path(self.page.url)}
        while True:
            yield screen
            path = await screen.link(self.next_page)
            if path is None or path in seen:
                return
            seen.add(path)
            screen = type(self)(self.ctx, await self.ctx.goto(self.system, path))
            await screen.verify()

    def _path(self, url: str) -> str | None:
        """`url` as a path in this system ("/pass?page=2"); None when it is on another host."""
        if not url.startswith(("http://", "https://")):
            return url
        base = self.ctx.system(self.system).url.rstrip("/")
        if url != base and not url.startswith(base + "/") and not url.startswith(base + "?"):
            return None
        rest = url[len(base):]
        return rest if rest.startswith("/") else "/" + rest

    # -- writing -----------------------------------------------------------------------------------

    async def submit(
        self,
        form: str,
        *,
        fill: Mapping[str, str] | None = None,
        select: Mapping[str, str] | None = None,
        select_label: Mapping[str, str] | None = None,
        button: str = "button[type=submit]",
    ) -> list[str]:
        """Fill the form `form` (selects by value or by visible label, then text fields), send it and wait
        for the answer. Returns the system's validation messages: empty when it took the form.

        Every field must be there (else the screen has changed); an answer 5xx or the login form is raised
        like in `verify`. Read back what you wrote before you trust it: a form can be taken silently wrong.
        """
        fill, select, select_label = fill or {}, select or {}, select_label or {}
        await self.verify(form, *(f"{form} {s}" for s in (*select, *select_label, *fill)), f"{form} {button}")
        for field, value in select.items():
            await self.page.select_option(f"{form} {field}", value=value)
        for field, label in select_label.items():
            await self.page.select_option(f"{form} {field}", label=label)
        for field, text in fill.items():
            await self.page.fill(f"{form} {field}", text)
        async with self.page.expect_navigation():
            await self.page.click(f"{form} {button}")
        status = await http_status(self.page)
        if status >= 500:
            raise SystemUnavailableError(f"{self.system} answered {status} to the form on {self.name}")
        if await self.ctx.robot.is_login_page(self.system, self.page):
            raise SessionExpiredError(f"the session in {self.system} ended when the form on {self.name} was sent")
        return [t.strip() for t in await self.page.locator(self.form_errors).all_inner_texts() if t.strip()]


# -- values as the legacy systems show them ---------------------------------------------------------

def parse_amount(text: str) -> int:
    """A Swedish amount in whole kronor: '7 050 kr' → 7050, '−1 200' → -1200. ValueError when it is none."""
    cleaned = text.replace("kr", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
    negative = cleaned.startswith(("−", "-"))
    digits = cleaned.lstrip("−-")
    if not digits.isdigit():
        raise ValueError("not an amount")
    return -int(digits) if negative else int(digits)


def parse_date(text: str) -> date:
    """An ISO date as the systems show it ('2025-12-01'). ValueError when it is none."""
    return date.fromisoformat(text.strip())


__all__ = ["FORM_ERRORS", "NEXT_PAGE", "QUICK_MS", "Screen", "Snapshot", "parse_amount", "parse_date"]
