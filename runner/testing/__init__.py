"""Test doubles and helpers for robot authors: the real engine end to end, or a robot's steps one by one.

- `make_settings` + `run_robot`: a whole night through the real engine, ledger and Chromium;
- `FakeContext` (with `MemoryCheckpoints`, `chromium`, `BrowserLoop`): one step at a time, no engine;
  `system_settings(stand_ins)` gives it the systems of running stand-ins;
- `TinySystem`: a small web system with a login, pages and forms that refuse, for a robot's first test.

    from runner.testing import make_settings, run_robot

    def test_ronney_prepares(tmp_path, golden_systems):
        settings = make_settings(tmp_path, systems=golden_systems, robots={"ronney": {"concurrency": 2}})
        result = run_robot("ronney", settings)
        assert result.run.status == "completed"
        assert result.outcomes["4711:2025-11"].status == Status.prepared
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from runner import engine
from runner.api import Outcome
from runner.ledger.db import open_database
from runner.ledger.repo import Ledger
from runner.logging import configure_logging
from runner.settings import Settings, SystemSettings, load_settings
from runner.testing.context import BrowserLoop, FakeContext, MemoryCheckpoints, chromium, chromium_path
from runner.testing.tiny import Redirect, Refused, TinySystem, form_errors


class _HasSettingsToml(Protocol):
    """Running stand-ins: `fixtures.server.start_systems(...)` or a `TinySystem`."""

    def settings_toml(self) -> str: ...


@dataclass
class RunResult:
    run: engine.RunSummary
    outcomes: dict[str, Outcome]
    report: dict[str, Any] | None
    ledger: Ledger


def make_settings(
    tmp_path: Path,
    *,
    systems: _HasSettingsToml | None = None,
    robots: dict[str, dict[str, Any]] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings for a test: ledger and logs under `tmp_path`, systems from running stand-ins."""
    raw: dict[str, Any] = {}
    if systems is not None:
        raw = tomllib.loads(systems.settings_toml())
    config = tmp_path / "nattskift.toml"
    config.write_text("", encoding="utf-8")
    chromium = os.environ.get("NATTSKIFT_CHROMIUM")
    values: dict[str, Any] = {"data_dir": tmp_path / "var", **raw}
    # Tests run without failure traces (recording every action costs CPU); the engine's own tests turn
    # them on where they check them.
    values["browser"] = {"trace_failures": False, "read_retry_backoff_seconds": 0.05}
    if chromium:
        values["browser"]["executable_path"] = chromium
    for name, table in (robots or {}).items():
        values.setdefault("robots", {}).setdefault(name, {}).update({"retry_backoff_seconds": 0.05, **table})
    values.update(overrides)
    configure_logging(level="info", console="never", log_dir=Path(values["data_dir"]) / "logs")
    return load_settings(config, **values)


def system_settings(systems: _HasSettingsToml) -> dict[str, SystemSettings]:
    """Each running stand-in's address and the robot's account there, as `FakeContext` takes them: the
    same `[systems.*]` tables `make_settings` gives the engine."""
    tables = tomllib.loads(systems.settings_toml()).get("systems", {})
    return {name: SystemSettings.model_validate(table) for name, table in tables.items()}


def run_robot(name: str, settings: Settings, **kwargs: Any) -> RunResult:
    """Run `name` through the real engine and return what a test needs to assert on."""
    summary = engine.run_robot(settings, name, **kwargs)
    _, sessions = open_database(settings.database_url())
    ledger = Ledger(sessions)
    outcomes = {item.key: outcome for item, outcome in ledger.iter_run_outcomes(summary.id)}
    return RunResult(run=summary, outcomes=outcomes, report=summary.report, ledger=ledger)


__all__ = [
    "BrowserLoop",
    "FakeContext",
    "MemoryCheckpoints",
    "Redirect",
    "Refused",
    "RunResult",
    "TinySystem",
    "chromium",
    "chromium_path",
    "form_errors",
    "make_settings",
    "run_robot",
    "system_settings",
]
