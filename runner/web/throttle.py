"""Slowing down password guessing: an exponential lockout per account and per client address.

After a few free mistakes every further failure doubles the wait before the next attempt is even
checked (1 s, 2 s, 4 s, … up to 15 minutes). Refusing during the wait, rather than sleeping in the
request, keeps a guesser from tying up the server's workers. A client behind the municipality's NAT
is shared by many people, so it gets more free mistakes than one account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_PER_USER = 3
FREE_PER_CLIENT = 20
BASE_SECONDS = 1.0
MAX_SECONDS = 15 * 60.0
FORGET_AFTER = timedelta(hours=1)  # failures this old no longer count
MAX_ENTRIES = 10_000  # memory bound against a flood of made-up usernames


def lock_seconds(failures: int, free: int) -> float:
    """How long to refuse attempts after `failures` consecutive failures."""
    if failures <= free:
        return 0.0
    return min(BASE_SECONDS * 2 ** (failures - free - 1), MAX_SECONDS)


@dataclass
class _Entry:
    failures: int
    last: datetime


class LoginThrottle:
    """In-process failure counters keyed by `user:<name>` and `client:<address>`."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _free(key: str) -> int:
        return FREE_PER_CLIENT if key.startswith("client:") else FREE_PER_USER

    def wait_seconds(self, *keys: str) -> float:
        """Seconds left before any of `keys` may try again (0: go ahead)."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                e = self._entries.get(key)
                if e is None or now - e.last > FORGET_AFTER:
                    continue
                until = e.last + timedelta(seconds=lock_seconds(e.failures, self._free(key)))
                wait = max(wait, (until - now).total_seconds())
        return max(wait, 0.0)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries = {k: e for k, e in self._entries.items() if now - e.last <= FORGET_AFTER}
            for key in keys:
                e = self._entries.get(key)
                if e is None or now - e.last > FORGET_AFTER:
                    self._entries[key] = _Entry(1, now)
                else:
                    e.failures += 1
                    e.last = now

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
