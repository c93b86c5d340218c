"""axe-core (shipped inside axe-playwright-python) against a page in real Chromium: WCAG 2.1 A and AA.

Injected through Playwright's evaluate, which the page's Content-Security-Policy (no scripts) does not
block: the app itself still runs no JavaScript. A violation is reported by rule and CSS selector, never
with the element's text (it may be personal data).
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now ([] when none)."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in results.response["violations"]
    ]
