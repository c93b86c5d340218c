"""Item spans and request waits per worker, from the engine's observer hooks: items/s over the
processing window and the share of a worker's item time spent waiting on a server."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from runner.engine.observers import Observer


@dataclass
class Recorder(Observer):
    """Per worker: how long its items took, and how much of that it spent waiting for a server.

    It is an engine observer (runner.engine.observers): the engine tells it when a worker takes and
    finishes an item and when each of the worker's requests ended, with Playwright's request timing for
    the browser and the request → response-headers time for API calls (SSBTEK).

    Memory stays flat however many items run: a worker's request intervals are folded into totals when
    its item ends. A request counts only while its worker has an item open (fetch and report are not
    worker time).
    """

    waits: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    items: int = 0
    busy: float = 0.0
    waited: float = 0.0
    first: float = math.inf
    last: float = 0.0
    _open: dict[str, float] = field(default_factory=dict)

    def clear(self) -> None:
        self.waits.clear()
        self._open.clear()
        self.requests = self.items = 0
        self.busy = self.waited = self.last = 0.0
        self.first = math.inf

    def wait(self, worker: str, start: float, end: float) -> None:
        if worker in self._open:
            self.waits[worker].append((start, end))
            self.requests += 1

    def begin(self, worker: str) -> None:
        self._open[worker] = time.time()

    def end(self, worker: str) -> None:
        start = self._open.pop(worker, None)
        if start is None:
            return
        end = time.time()
        self.items += 1
        self.busy += end - start
        self.waited += union_within(self.waits.pop(worker, []), start, end)
        self.first, self.last = min(self.first, start), max(self.last, end)

    # -- the engine's hooks --------------------------------------------------------------------------

    def item_started(self, worker: str, key: str) -> None:
        self.begin(worker)

    def item_finished(self, worker: str, key: str, status: Any) -> None:
        self.end(worker)

    def request_timed(self, worker: str, system: str | None, start: float, end: float) -> None:
        self.wait(worker, start, end)

    def summary(self) -> dict[str, Any]:
        """Processing window (first item started → last item ended) and the share of item time waited."""
        if not self.items:
            return {"items": 0, "window_s": 0.0, "wait_share": None, "requests": self.requests}
        return {
            "items": self.items,
            "window_s": self.last - self.first,
            "wait_share": self.waited / self.busy if self.busy else None,
            "item_mean_s": self.busy / self.items,
            "requests": self.requests,
        }


def union_within(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    total, cur_s, cur_e = 0.0, None, None
    for s, e in sorted((max(s, lo), min(e, hi)) for s, e in intervals):
        if e <= s:
            continue
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s  # type: ignore[operator]
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s  # type: ignore[operator]
    return total
