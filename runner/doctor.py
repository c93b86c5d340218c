"""`nattskift doctor`: one line per thing a night run needs, each ok or what to do about it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from runner.settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_browser(settings: Settings) -> Check:
    from runner.browser import BrowserNotFound, resolve_browser

    try:
        resolved = resolve_browser(settings.browser)
    except BrowserNotFound as exc:
        return Check("browser", False, str(exc))
    where = resolved.path or "Playwright's own Chromium"
    return Check("browser", True, f"{where} (from {resolved.origin})")


def check_database(settings: Settings) -> Check:
    from sqlalchemy.engine import make_url

    from runner.ledger.db import open_database

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
    from runner.plugins import load_robots
    from runner.settings import SettingsError, validate_robot_settings

    errors: list[str] = []
    robots = load_robots(errors)
    for message in errors:
        yield Check("robots", False, message)
    for name, cls in robots.items():
        config = settings.robot_config(name)
        try:
            validate_robot_settings(cls.Settings, name, config)
        except SettingsError as exc:
            yield Check(f"robot {name}", False, str(exc))
            continue
        missing = [s for s in cls.systems if s not in settings.systems]
        if missing and config.enabled:
            yield Check(f"robot {name}", False, "add [systems." + "], [systems.".join(missing) + "] to the settings")
        else:
            yield Check(f"robot {name}", True, "enabled" if config.enabled else "disabled")


def check_systems(settings: Settings) -> Iterator[Check]:
    for name, system in settings.systems.items():
        try:
            response = httpx.get(system.url, timeout=5.0, follow_redirects=False)
        except httpx.HTTPError as exc:
            yield Check(f"system {name}", False, f"{system.url} unreachable ({type(exc).__name__})")
            continue
        ok = response.status_code < 500
        yield Check(f"system {name}", ok, f"{system.url} answered {response.status_code}")


def run_checks(settings: Settings) -> Iterator[Check]:
    yield Check("settings", True, str(settings.config_file or "defaults and environment only"))
    yield check_browser(settings)
    yield check_database(settings)
    yield from check_robots(settings)
    yield from check_systems(settings)
