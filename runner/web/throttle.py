"""Slowing down password guessing: a lock per account, a throttle per client address.

- **Per account.** After a few free mistakes every further failure doubles the wait before the next
  attempt at that account is even checked (1 s, 2 s, 4 s, … up to 15 minutes), wherever it comes from;
  during the wait even the right password waits. Unknown names are counted the same way, so the lock
  does not tell a guesser which names exist.
- **Per address.** Many people share one address (the municipality's NAT, a TLS proxy), so an address
  gets more free mistakes. Above them the address is throttled, but only for the names that already
  failed from it: a guesser there gets one try per name per wait, while a colleague behind the same
  address who got nothing wrong is never refused.

Refusing during the wait, rather than sleeping in the request, keeps a guesser from tying up the server's
workers. The counters live in the process; the account's counter is also kept in the ledger (users), so
it holds across processes and restarts.
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
    """In-process failure counters per account name, per address, and per (address, name)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._accounts: dict[str, _Entry] = {}
        self._addresses: dict[str, _Entry] = {}
        self._tried: dict[tuple[str, str], datetime] = {}  # names that failed from an address, and when
        self._lock = threading.Lock()

    def wait_seconds(self, name: str, address: str) -> float:
        """Seconds before `name` may be tried from `address` (0: check the password)."""
        name = name.lower()
        now = self._clock()
        with self._lock:
            wait = self._wait(self._accounts.get(name), FREE_PER_USER, now)
            tried = self._tried.get((address, name))
            if tried is not None and now - tried <= FORGET_AFTER:
                wait = max(wait, self._wait(self._addresses.get(address), FREE_PER_CLIENT, now))
        return wait

    @staticmethod
    def _wait(entry: _Entry | None, free: int, now: datetime) -> float:
        if entry is None or now - entry.last > FORGET_AFTER:
            return 0.0
        until = entry.last + timedelta(seconds=lock_seconds(entry.failures, free))
        return max((until - now).total_seconds(), 0.0)

    def failed(self, name: str, address: str) -> None:
        name = name.lower()
        now = self._clock()
        with self._lock:
            if len(self._accounts) + len(self._addresses) + len(self._tried) >= MAX_ENTRIES:
                self._forget_old(now)
            for table, key in ((self._accounts, name), (self._addresses, address)):
                e = table.get(key)
                if e is None or now - e.last > FORGET_AFTER:
                    table[key] = _Entry(1, now)
                else:
                    e.failures += 1
                    e.last = now
            self._tried[(address, name)] = now

    def succeeded(self, name: str, address: str) -> None:
        """The right password: the account's count starts over (the address's does not)."""
        name = name.lower()
        with self._lock:
            self._accounts.pop(name, None)
            self._tried.pop((address, name), None)

    def _forget_old(self, now: datetime) -> None:
        """Drop what no longer counts; in a flood of made-up names, the oldest half as well."""
        keep = MAX_ENTRIES // 4
        self._accounts = _newest({k: e for k, e in self._accounts.items() if now - e.last <= FORGET_AFTER}, keep)
        self._addresses = _newest({k: e for k, e in self._addresses.items() if now - e.last <= FORGET_AFTER}, keep)
        tried = {k: t for k, t in self._tried.items() if now - t <= FORGET_AFTER}
        self._tried = dict(sorted(tried.items(), key=lambda kv: kv[1])[-keep:])

    def reset(self) -> None:
        """Forget every failure (tests)."""
        with self._lock:
            self._accounts.clear()
            self._addresses.clear()
            self._tried.clear()


def _newest(entries: dict[str, _Entry], keep: int) -> dict[str, _Entry]:
    return dict(sorted(entries.items(), key=lambda kv: kv[1].last)[-keep:])
