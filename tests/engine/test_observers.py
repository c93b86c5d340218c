"""Observer hooks: a run tells its items, its browser contexts and its requests' timings as they
happen (the bench measures with them instead of patching the engine); a broken observer is no harm."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from runner.api import Status
from runner.engine import Observer
from runner.testing import run_robot


class Recording(Observer):
    def __init__(self) -> None:
        self.events: list[tuple[str, str, Any]] = []
        self.requests: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def context_created(self, worker: str, context: Any) -> None:
        self.events.append(("context", worker, context))

    def item_started(self, worker: str, key: str) -> None:
        self.events.append(("started", worker, key))

    def item_finished(self, worker: str, key: str, status: Status | None) -> None:
        self.events.append(("finished", worker, (key, status)))

    def request_timed(self, worker: str, system: str | None, start: float, end: float) -> None:
        self.requests[worker].append((start, end))


class Broken(Observer):
    def item_started(self, worker: str, key: str) -> None:
        raise RuntimeError("an observer's bug")


def test_a_run_tells_its_observers_each_item_context_and_request(target, tiny_settings):
    server = target(4)
    settings = tiny_settings(server, concurrency=2)
    seen = Recording()

    result = run_robot("tiny", settings, observers=[Broken(), seen])

    assert result.run.status == "completed" and result.run.counts == {"prepared": 4}
    started = sorted(key for kind, _, key in seen.events if kind == "started")
    finished = sorted(value for kind, _, value in seen.events if kind == "finished")
    assert started == ["A000", "A001", "A002", "A003"]
    assert finished == [(k, Status.prepared) for k in started]
    workers = {w for kind, w, _ in seen.events if kind == "started"}
    contexts = {w for kind, w, _ in seen.events if kind == "context"}
    assert workers <= contexts and "fetch" in contexts  # every worker that took an item opened a context first
    for worker in workers:
        # each item opens its page, writes and reads back: at least three browser requests per item
        n_items = sum(1 for kind, w, _ in seen.events if kind == "started" and w == worker)
        timed = seen.requests[worker]
        assert len(timed) >= 3 * n_items and all(start <= end for start, end in timed)
    # per worker, an item's start comes before its end, and the next item starts after it
    for worker in workers:
        order = [kind for kind, w, _ in seen.events if w == worker and kind in ("started", "finished")]
        assert order == ["started", "finished"] * (len(order) // 2)
