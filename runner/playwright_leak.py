"""A workaround for a memory leak in Playwright's Python client (1.64.1, the version pinned here).

The client keeps every call it sends in its connection's table of calls awaiting an answer
(`Connection._callbacks`), also the "no reply" calls the driver never answers (`__waitInfo__` from its
waiters, about four per case): each with a future and a ten-frame stack summary, about 2 KB. The table
lives as long as the connection, so a night's Python process grew by about 8 KB per case (176 → 258 MB
over 10 000 cases in `bench/scale.py`).

`bound_unanswered_calls(browser)` gives the connection a table that drops those no-reply calls once it
holds more than a few hundred entries, and that answers a late reply to a dropped call as the client
itself does for a no-reply call: by ignoring it. Calls that wait for an answer are never touched. If a
Playwright upgrade changes these internals, the workaround switches itself off (the run goes on, and
`tests/engine/test_playwright_leak.py` fails so that someone looks).
"""

from __future__ import annotations

from typing import Any

#: Drop answered no-reply calls once the table holds more than this many entries.
LIMIT = 256


class _Dropped:
    """Stands in for a dropped no-reply call if the driver answers it after all (dispatch then ignores it)."""

    no_reply = True

    class future:  # noqa: N801 - mirrors ProtocolCallback.future, of which dispatch asks only this
        @staticmethod
        def cancelled() -> bool:
            return False


class BoundedCallbacks(dict):  # type: ignore[type-arg]
    """`Connection._callbacks` that does not keep no-reply calls forever."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._prune_at = LIMIT

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if len(self) > self._prune_at:
            for unanswered in [k for k, call in self.items() if getattr(call, "no_reply", False)]:
                super().pop(unanswered, None)
            self._prune_at = max(LIMIT, 2 * len(self))  # many calls really in flight: look again later

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self or default:
            return super().pop(key, *default)
        return _Dropped


def bound_unanswered_calls(browser: Any) -> bool:
    """Install `BoundedCallbacks` on the browser's Playwright connection; False when the internals differ."""
    connection = getattr(getattr(browser, "_impl_obj", None), "_connection", None)
    table = getattr(connection, "_callbacks", None)
    if connection is None or type(table) is not dict:
        return isinstance(table, BoundedCallbacks)
    connection._callbacks = BoundedCallbacks(table)
    return True
