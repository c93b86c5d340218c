"""Finding and launching Chromium.

Resolution order: the setting `browser.executable_path`; Playwright's own downloaded Chromium; a system
Chromium on PATH (headless: `chromium-headless-shell` first, then `chromium`, `chromium-browser`,
`google-chrome`). Debian's Chromium 156 is what Playwright 1.64 is paired with; a much newer or older
major is logged as a warning.

Why the headless shell first: it is the "old headless" build Playwright itself uses for headless runs.
The full browser in headless mode costs about a third more CPU per page and half again the memory per
worker (bench/README.md); a night robot never shows a window. Debian: `apt-get install chromium-headless-shell`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import structlog
from playwright.async_api import Browser, Playwright

from runner.playwright_leak import bound_unanswered_calls
from runner.settings import BrowserSettings

log = structlog.get_logger(__name__)

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
HEADLESS_SHELLS = ("chromium-headless-shell",)
PAIRED_MAJOR = 156


class BrowserNotFound(RuntimeError):
    """No usable Chromium; the message says what to install."""


@dataclass(frozen=True)
class ResolvedBrowser:
    path: Path | None  # None: Playwright's own download
    origin: str  # "setting" | "playwright" | "PATH"


def playwright_chromium_path(pw: Playwright | None = None) -> Path | None:
    """Playwright's own Chromium, if `playwright install chromium` has downloaded it."""
    try:
        if pw is not None:
            p = Path(pw.chromium.executable_path)
        else:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as spw:
                p = Path(spw.chromium.executable_path)
    except Exception:
        return None
    return p if p.is_file() else None


def resolve_browser(settings: BrowserSettings, pw: Playwright | None = None) -> ResolvedBrowser:
    if settings.executable_path is not None:
        if not Path(settings.executable_path).is_file():
            raise BrowserNotFound(f"setting 'browser.executable_path': {settings.executable_path} does not exist")
        return ResolvedBrowser(Path(settings.executable_path), "setting")
    own = playwright_chromium_path(pw)
    if own is not None:
        return ResolvedBrowser(None, "playwright")
    for name in (HEADLESS_SHELLS if settings.headless else ()) + SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return ResolvedBrowser(Path(found), "PATH")
    raise BrowserNotFound(
        "no Chromium found: run `make setup` (it runs `playwright install chromium`, or on Debian/Ubuntu "
        "`apt-get install -y chromium`), or set browser.executable_path"
    )


async def launch(pw: Playwright, settings: BrowserSettings) -> Browser:
    resolved = resolve_browser(settings, pw)
    try:
        browser = await pw.chromium.launch(
            executable_path=str(resolved.path) if resolved.path else None,
            headless=settings.headless,
            slow_mo=settings.slow_mo_ms or None,
        )
    except Exception as exc:  # a path that is no Chromium, a missing library: name it, not a traceback
        where = resolved.path or "Playwright's own Chromium"
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        hint = " (check setting 'browser.executable_path')" if resolved.origin == "setting" else ""
        raise BrowserNotFound(f"the browser {where} did not start{hint}: {first}") from None
    if not bound_unanswered_calls(browser):
        log.warning("browser.leak_workaround_off", reason="Playwright's connection internals have changed")
    return browser


def major_version(version: str) -> int:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        return 0
