"""Keyboard-only use, labels and contrast (WCAG 2.2 AA), checked in real Chromium on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PASSWORD, Live, login

pytestmark = pytest.mark.browser

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden')
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
  .map(e => e.name || e.id || e.tagName)"""

NO_ALT = "() => [...document.querySelectorAll('img')].filter(i => !i.hasAttribute('alt')).map(i => i.src)"

# Every visible text's colour against the background it is drawn on (the nearest opaque ancestor).
# Returns the failing elements' tag and class, never their text (it may be personal data).
LOW_CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor);
    if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    const st = getComputedStyle(el), rect = el.getBoundingClientRect();
    if (st.visibility === 'hidden' || st.display === 'none' || rect.width <= 1 || rect.height <= 1 || rect.bottom < 0) continue;
    const a = lum(parse(st.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), large = size >= 24 || (parseInt(st.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2));
  }
  return bad; }"""

MARK_FOCUSABLES = """() => { const els = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
  .filter(e => e.getClientRects().length > 0);
  els.forEach((e, i) => e.dataset.kbd = String(i)); return els.length; }"""

FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const st = getComputedStyle(e);
  return {idx: e.dataset.kbd ?? null, id: e.id, text: (e.innerText || e.value || '').trim().slice(0, 60),
          outline: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2}; }"""


def _pages(live: Live) -> list[str]:
    d = live.demo
    return [
        "/",
        "/korningar",
        f"/korningar/{d.runs['ronney']}",
        f"/fall/{d.items['r_fail']}",  # a technical failure, with its screenshot
        f"/fall/{d.items['r_history']}",
        "/granskningslogg",
        "/drift",
    ]


def test_every_field_has_a_label_and_text_has_aa_contrast(page: Page, live: Live) -> None:
    page.goto(live.url + "/login")
    pages = {"/login": (page.evaluate(UNLABELLED), page.evaluate(NO_ALT), page.evaluate(LOW_CONTRAST))}
    login(page, live, "admin")
    for path in _pages(live):
        page.goto(live.url + path)
        pages[path] = (page.evaluate(UNLABELLED), page.evaluate(NO_ALT), page.evaluate(LOW_CONTRAST))
    problems = {path: found for path, found in pages.items() if any(found)}
    assert problems == {}
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def _tab_through(page: Page, limit: int = 120) -> list[dict]:
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED)
        if f is None or (seen and f["idx"] == seen[0]["idx"]):
            break
        seen.append(f)
    return seen


def test_keyboard_alone_reaches_every_action(page: Page, live: Live) -> None:
    # log in with the keyboard only: the user name field gets focus when the page opens (autofocus is
    # applied on the first rendering frame after load, so wait for it rather than read it at once)
    page.goto(live.url + "/login")
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type("handlaggare")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Inloggad som")).to_be_visible()

    # the first Tab reaches the skip link, and it moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innehall"

    for path in ("/", f"/korningar/{live.demo.runs['ronney']}", f"/fall/{live.demo.items['r_prep0']}"):
        page.goto(live.url + path)
        total = page.evaluate(MARK_FOCUSABLES)
        order = _tab_through(page)
        reached = {f["idx"] for f in order if f["idx"] is not None}
        assert reached == {str(i) for i in range(total)}, path
        assert all(f["outline"] for f in order), f"focus not visible on some element of {path}"

    # and the main action works from the keyboard: comment, then "Markera som hanterad"
    page.goto(live.url + f"/fall/{live.demo.items['r_prep0']}")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kommentar":
            break
    page.keyboard.type("Kontrollerat, inga avvikelser.")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Markera som hanterad"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Ärendet är markerat som hanterat.")
