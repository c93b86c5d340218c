"""`nattskift doctor`: one line per thing a night run needs, each ok or what to do about it.

It does what the night will do, read-only: starts the browser, opens each system, and logs in to each
web system with the robots' account, the way the robot logs in. A line names the step that failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import async_playwright
from sqlalchemy.engine import make_url

from runner.api import LoginFailedError, PageChangedError
from runner.browser import BrowserNotFound, launch, resolve_browser
from runner.engine import run_coroutine
from runner.engine.context import WorkerContext
from runner.failure_text import technical_detail
from runner.ledger.db import open_database
from runner.plugins import discover
from runner.settings import Settings, SettingsError, SystemSettings, validate_robot_settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(settings: Settings) -> Check:
    url = settings.database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        engine, _ = open_database(url)
        with engine.connect():
            pass
    except Exception as exc:
        return Check("database", False, f"{shown}: {type(exc).__name__}; check database.url and that the server runs")
    return Check("database", True, f"{shown} (schema up to date)")


def check_robots(settings: Settings) -> Iterator[Check]:
    robots, broken = discover()
    for name, message in broken.items():
        yield Check(f"robot {name}", False, message)
    for name, cls in robots.items():
        config = settings.robot_config(name)
        try:
            validate_robot_settings(cls.Settings, name, config, settings.config_file)
        except SettingsError as exc:
            yield Check(f"robot {name}", False, str(exc).replace("\n", "; "))
            continue
        missing = [s for s in cls.systems if s not in settings.systems]
        if missing and config.enabled:
            yield Check(f"robot {name}", False, "add [systems." + "], [systems.".join(missing) + "] to the settings")
        else:
            yield Check(f"robot {name}", True, "enabled" if config.enabled else "disabled")


def _api_only(system: SystemSettings) -> bool:
    """A JSON API reached with a key (SSBTEK): there is no login page to try."""
    return system.api_key is not None


def check_api_system(name: str, system: SystemSettings) -> Check:
    """An API system: it must answer at all; its key is tried by the robot's first call of the night."""
    try:
        response = httpx.get(system.url, timeout=10.0, follow_redirects=True)
    except httpx.HTTPError as exc:
        return Check(f"system {name}", False, f"open {system.url}: not reachable ({type(exc).__name__})")
    if response.status_code >= 500:
        return Check(f"system {name}", False, f"open {system.url}: answered {response.status_code}")
    return Check(f"system {name}", True, f"{system.url} answers {response.status_code} (an API: its key is tried by the first call of a run)")


async def _browser_checks(settings: Settings, users: dict[str, Any]) -> list[Check]:
    """Start the browser, then open and log in to each web system, as the night would."""
    checks: list[Check] = []
    async with async_playwright() as pw:
        try:
            resolved = resolve_browser(settings.browser, pw)
            browser = await launch(pw, settings.browser)
        except BrowserNotFound as exc:
            checks.append(Check("browser", False, str(exc)))
            checks += [Check(f"system {n}", False, "not tried: the browser did not start")
                       for n, s in settings.systems.items() if not _api_only(s)]
            return checks
        try:
            where = resolved.path or "Playwright's own Chromium"
            checks.append(Check("browser", True, f"{where} (from {resolved.origin}), Chromium {browser.version} starts"))
            for name, system in settings.systems.items():
                if not _api_only(system):
                    checks.append(await _check_web_system(settings, browser, name, system, users.get(name)))
        finally:
            await browser.close()
    return checks


async def _check_web_system(settings: Settings, browser: Any, name: str, system: SystemSettings, robot_cls: Any) -> Check:
    """Step 1: the system's address answers; step 2: the robot's login with its account (read-only)."""
    label = f"system {name}"
    context = await browser.new_context(locale="sv-SE", timezone_id=settings.timezone)
    context.set_default_timeout(settings.browser.timeout_ms)
    context.set_default_navigation_timeout(settings.browser.navigation_timeout_ms)
    try:
        page = await context.new_page()
        try:
            response = await page.goto(system.url)
        except Exception as exc:
            return Check(label, False, f"open {system.url}: not reachable ({technical_detail(exc)})")
        status = response.status if response is not None else 0
        if status >= 400:
            return Check(label, False, f"open {system.url}: answered {status}; check systems.{name}.url")
        if robot_cls is None:
            return Check(label, True, f"{system.url} answers {status} (no installed robot uses it; login not tried)")
        ctx = _doctor_context(settings, robot_cls, browser)
        try:
            await robot_cls().login(ctx, name, page)
        except LoginFailedError:
            return Check(label, False, f"log in as {system.username!r} at {system.url}: refused; "
                                       f"check systems.{name}.username and password")
        except PageChangedError as exc:
            return Check(label, False, f"log in at {system.url}: the login page is not what robot {robot_cls.name} "
                                       f"expects ({exc.detail or exc.page}); check systems.{name}.url")
        except Exception as exc:
            return Check(label, False, f"log in at {system.url}: {technical_detail(exc)}")
        return Check(label, True, f"{system.url}: logged in as {system.username!r} (robot {robot_cls.name}'s login)")
    finally:
        await context.close()


def _doctor_context(settings: Settings, robot_cls: Any, browser: Any) -> Any:
    """The context a robot's `login` gets: a dry-run worker outside any run (it only reads settings)."""
    return WorkerContext(
        robot=robot_cls(),
        robot_settings=_robot_settings(settings, robot_cls),
        config=settings.robot_config(robot_cls.name),
        settings=settings,
        run_id="doctor",
        dry_run=True,
        browser=browser,
        worker="doctor",
        artifacts_root=Path(settings.data_dir) / "artifacts" / "doctor",
    )


def _robot_settings(settings: Settings, robot_cls: Any) -> Any:
    try:
        return validate_robot_settings(robot_cls.Settings, robot_cls.name, settings.robot_config(robot_cls.name))
    except SettingsError:  # reported by check_robots; a login needs no robot setting
        return robot_cls.Settings.model_construct()


def _robot_per_system(settings: Settings) -> dict[str, Any]:
    """For each system, an enabled installed robot that works in it (its `login` is the one tried)."""
    robots, _ = discover()
    users: dict[str, Any] = {}
    for name, cls in robots.items():
        if settings.robot_config(name).enabled:
            for system in cls.systems:
                users.setdefault(system, cls)
    return users


def run_checks(settings: Settings) -> Iterator[Check]:
    yield Check("settings", True, str(settings.config_file or "defaults and environment only"))
    browser, *web_systems = run_coroutine(lambda: _browser_checks(settings, _robot_per_system(settings)))
    yield browser
    yield check_database(settings)
    yield from check_robots(settings)
    by_name = {c.name: c for c in web_systems}
    for name, system in settings.systems.items():
        yield check_api_system(name, system) if _api_only(system) else by_name[f"system {name}"]
