"""Playwright's client keeps the calls the driver never answers; the engine's browser must not grow by them.

See runner/playwright_leak.py. Without the workaround a run leaves about four "no reply" calls per case in
the connection's table (600 after 150 cases); with it the table stays below its limit. The test lowers the
limit from 256 to 32, so 40 cases (about 160 such calls) show the bound as well as 150 did, at a quarter
of the cost. If a Playwright upgrade changes the internals, the first test here fails: look whether the leak is fixed upstream, then drop the workaround.
"""

from __future__ import annotations

import gc
from types import SimpleNamespace

from playwright._impl._connection import Connection

from runner import playwright_leak
from runner.playwright_leak import LIMIT, BoundedCallbacks
from runner.testing import run_robot


def _connections() -> list[Connection]:
    return [o for o in gc.get_objects() if isinstance(o, Connection)]


def test_a_long_run_keeps_playwrights_table_of_unanswered_calls_bounded(target, tiny_settings, monkeypatch):
    limit = 32
    monkeypatch.setattr(playwright_leak, "LIMIT", limit)
    server = target(40)
    seen: list[tuple[str, int]] = []
    # pytest-playwright's own session-wide connection may live in this process: only the run's count
    before = {id(c) for c in _connections()}

    def progress(kind: str, **_: object) -> None:
        if kind == "item":
            tables = [c._callbacks for c in _connections() if id(c) not in before]
            seen.extend((type(t).__name__, len(t)) for t in tables)

    run_robot("tiny", tiny_settings(server, concurrency=2), progress=progress)

    assert seen and {name for name, _ in seen} == {"BoundedCallbacks"}
    # the table filled up to its limit and was pruned there, again and again, instead of growing
    assert limit // 2 < max(size for _, size in seen) <= limit + 1
    assert sum(server.state.writes.values()) == 40


def test_only_no_reply_calls_are_dropped_and_a_late_answer_to_one_is_ignored():
    table = BoundedCallbacks()
    waiting = {f"call@{i}": SimpleNamespace(no_reply=False) for i in range(10)}
    for key, call in waiting.items():
        table[key] = call
    for i in range(LIMIT):
        table[f"info@{i}"] = SimpleNamespace(no_reply=True)

    assert set(waiting) <= set(table)  # calls waiting for an answer are kept
    assert len(table) < LIMIT
    late = table.pop("info@0")  # the driver answers a dropped call after all
    assert late.no_reply and not late.future.cancelled()
    assert table.pop("call@3") is waiting["call@3"]
