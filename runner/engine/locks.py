"""`ctx.lock(name)`: a lock that every worker of a robot respects, on one machine or on many.

Bosse must never check-and-book the same substitute from two workers at once. On one machine with SQLite
an `asyncio.Lock` per name is enough (all workers are coroutines of one process). With PostgreSQL, workers
may run on several machines, so the lock is a PostgreSQL session advisory lock, held on a connection of
its own for as long as the robot's block runs. PostgreSQL drops it the moment that connection ends (the
process died, the machine went away), so a crashed holder never blocks the others.

Inside one process the local lock is taken first: coroutines of one worker queue up in memory instead of
each holding a database connection while they wait.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from sqlalchemy import Connection, Engine, text

log = structlog.get_logger("runner.engine.locks")

#: The first key of robots' advisory locks ("NATL"); the scheduler uses "NATT", runs "NATR".
ROBOT_LOCK_CLASS = 0x4E41544C
#: How often a waiter asks PostgreSQL again; doubled up to the maximum while it waits.
POLL_FIRST, POLL_MAX = 0.02, 0.5


class RobotLocks:
    """Named locks of one robot: process-local, plus a PostgreSQL advisory lock when `engine` is one."""

    def __init__(self, robot: str, engine: Engine | None = None) -> None:
        self.robot = robot
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        self._local: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._scope: str | None = None

    @property
    def shared(self) -> bool:
        """True when the locks hold across processes and machines (PostgreSQL)."""
        return self._engine is not None

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        async with self._local[name]:
            if self._engine is None:
                yield
                return
            conn = self._engine.connect()
            try:
                key = self._key(conn, name)
                await self._acquire(conn, key, name)
                try:
                    yield
                finally:
                    self._release(conn, key)
            finally:
                conn.close()

    def _key(self, conn: Connection, name: str) -> int:
        """A 32-bit key per database, schema, robot and name (two installations in one database differ)."""
        if self._scope is None:
            db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
            self._scope = f"{db}/{schema}"
        conn.commit()
        raw = zlib.crc32(f"{self._scope}/{self.robot}/{name}".encode())
        return raw - 2**32 if raw >= 2**31 else raw

    async def _acquire(self, conn: Connection, key: int, name: str) -> None:
        pause = POLL_FIRST
        waited = False
        while True:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": ROBOT_LOCK_CLASS, "b": key}).scalar()
            conn.commit()
            if got:
                if waited:
                    log.debug("lock.acquired_after_wait", lock=name)
                return
            waited = True
            await asyncio.sleep(pause)
            pause = min(POLL_MAX, pause * 2)

    def _release(self, conn: Connection, key: int) -> None:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": ROBOT_LOCK_CLASS, "b": key})
            conn.commit()
        except Exception:
            # The connection broke while the lock was held: PostgreSQL has dropped the lock with the
            # session. The connection must not go back to the pool.
            conn.invalidate()
            log.warning("lock.connection_lost_while_held")
