"""Fixtures for the engine's tests: a tiny target system and the tiny robot that works it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runner.settings import Settings
from runner.testing import make_settings
from tests.support.target import TargetServer

ROBOT_DIR = Path(__file__).resolve().parent.parent / "support" / "robots"


@pytest.fixture
def target() -> Iterator[Callable[[int], TargetServer]]:
    servers: list[TargetServer] = []

    def start(n: int) -> TargetServer:
        server = TargetServer([f"A{i:03d}" for i in range(n)]).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


@pytest.fixture
def tiny_settings(tmp_path: Path) -> Callable[..., Settings]:
    def build(server: TargetServer, **robot: Any) -> Settings:
        return make_settings(tmp_path, systems=server, robot_dirs=[ROBOT_DIR], robots={"tiny": robot})

    return build
