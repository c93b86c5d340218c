"""Bosse's step-by-step tests on the framework's test doubles (runner.testing); kept as the old names.

The end-to-end tests (test_golden.py) use the real engine through runner.testing instead.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import SecretStr

from runner.settings import SystemSettings
from runner.testing import BrowserLoop, FakeContext as _FakeContext, MemoryCheckpoints, chromium
from tests.support.conditions import wait_ms

DictCheckpoints = MemoryCheckpoints


class FakeContext(_FakeContext):
    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("timeout_ms", wait_ms(5000))  # grown on a busy machine
        super().__init__(*args, **kw)


def system_settings(running, name: str = "bemanning") -> dict[str, SystemSettings]:
    acc = running.scenario.accounts[name]
    return {name: SystemSettings(url=running.url(name), username=acc.username, password=SecretStr(acc.password))}


def run(coro):
    return asyncio.run(coro)


__all__ = ["BrowserLoop", "DictCheckpoints", "FakeContext", "chromium", "run", "system_settings"]
