"""The chaos suite's shared fixtures: the figures collector (written to var/chaos/last-run.json)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.chaos.figures import Figures


@pytest.fixture(scope="package")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    # pytest-xdist's workers share one test-run id: their checks go into the same file
    worker = getattr(request.config, "workerinput", None)
    collected = Figures(worker["testrunuid"] if worker else uuid.uuid4().hex)
    yield collected
    if collected.checks:
        collected.write()
