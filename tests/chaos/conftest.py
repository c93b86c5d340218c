"""The chaos suite's shared fixtures: the figures collector (written to var/chaos/last-run.json)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chaos.figures import Figures


@pytest.fixture(scope="package")
def figures() -> Iterator[Figures]:
    collected = Figures()
    yield collected
    if collected.checks:
        collected.write()
