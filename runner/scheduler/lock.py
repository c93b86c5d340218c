"""One scheduler per database: a second `nattskift schedule` refuses to start and names the holder.

APScheduler 3 cannot share a job store between processes (its FAQ: "You can't"); two schedulers on one
store run every job twice. So the scheduler takes a lock before it opens the store:

- PostgreSQL: a session-level advisory lock on a connection held for the scheduler's lifetime. The
  connection's `application_name` carries pid and host, so the refused process can say who holds it.
  Per database *and* schema, so test schemas or two installations in one database do not collide.
- SQLite: an flock()ed lock file next to the database file, holding pid, host and start time. The kernel
  drops the flock when the holder dies, so a file left behind by a crash (a dead pid) is stale and is
  simply taken over; where flock is unavailable the pid in the file is checked instead.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import structlog
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from runner.proc import pid_alive

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

log = structlog.get_logger(__name__)

ADVISORY_CLASS = 0x4E415454  # "NATT": the first key of the advisory lock; the second is per database+schema


class SchedulerLocked(RuntimeError):
    """Another scheduler holds the database. `holder` says who (pid, host, since when)."""

    def __init__(self, holder: str, where: str) -> None:
        self.holder = holder
        self.where = where
        super().__init__(f"another scheduler is already running against {where}: {holder}")


class SchedulerLock(Protocol):
    def check(self) -> bool:
        """True while the lock is still ours (re-takes a PostgreSQL lock whose connection dropped)."""
        ...

    def release(self) -> None: ...


def _me() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(UTC).isoformat(timespec="seconds")}


def describe_holder(info: dict[str, Any]) -> str:
    parts = [f"pid {info.get('pid', '?')} on host {info.get('host', '?')}"]
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return ", ".join(parts)


# -- SQLite: a lock file -------------------------------------------------------------------------------


class FileLock:
    """An exclusive lock file. Never deleted: deleting a lock file opens a window where two processes
    lock two different files; it is emptied on release instead."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            previous = _read_info(fd)
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as exc:
                    if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        raise SchedulerLocked(describe_holder(_read_info(fd) or {}), str(self.path)) from None
                    self._check_pid(previous)  # flock unsupported here (some network file systems)
            else:  # pragma: no cover
                self._check_pid(previous)
            if previous.get("pid") and previous.get("pid") != os.getpid():
                log.warning("scheduler.stale_lock_taken_over", lock=str(self.path), stale_pid=previous.get("pid"),
                            stale_host=previous.get("host"))
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(_me()).encode(), 0)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _check_pid(self, previous: dict[str, Any]) -> None:
        pid, host = previous.get("pid"), previous.get("host")
        if pid and pid != os.getpid() and (host != socket.gethostname() or pid_alive(int(pid))):
            raise SchedulerLocked(describe_holder(previous), str(self.path))

    def check(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def _read_info(fd: int) -> dict[str, Any]:
    try:
        raw = os.pread(fd, 4096, 0)
        return json.loads(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return {}


# -- PostgreSQL: an advisory lock ----------------------------------------------------------------------


class PgAdvisoryLock:
    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        me = _me()
        label = f"nattskift-scheduler pid={me['pid']} host={me['host']}"[:63]
        self.where = f"PostgreSQL database {parsed.database or '?'} on {parsed.host or 'localhost'}"
        # Keepalives both ways: PostgreSQL notices a leader whose machine went away within about 25 s and
        # drops its lock; the leader notices a dead connection as soon.
        self.engine = create_engine(parsed, poolclass=NullPool, connect_args={
            "application_name": label, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
            "keepalives_count": 3,
        })
        self.key: int | None = None
        self._conn: Connection | None = None

    def acquire(self) -> None:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            for setting in ("tcp_keepalives_idle = 10", "tcp_keepalives_interval = 5", "tcp_keepalives_count = 3"):
                conn.execute(text(f"SET {setting}"))
            db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
            self.key = zlib.crc32(f"{db}/{schema}".encode()) & 0x7FFFFFFF
            self.where = f"PostgreSQL database {db} (schema {schema})"
            got = conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": ADVISORY_CLASS, "b": self.key}).scalar()
            if not got:
                raise SchedulerLocked(self._holder(conn), self.where)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _holder(self, conn: Connection) -> str:
        row = conn.execute(
            text(
                "SELECT a.application_name, a.client_addr::text, a.backend_start, a.pid FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = :a AND l.objid = :b AND l.objsubid = 2"
            ),
            {"a": ADVISORY_CLASS, "b": self.key},
        ).first()
        if row is None:
            return "a session that has just let go; try again"
        name, addr, since, backend = row
        who = name or f"a client at {addr or 'local socket'}"
        since_txt = since.astimezone(UTC).isoformat(timespec="seconds") if since else "?"
        return f"{who} (from {addr or 'local socket'}, since {since_txt}, database backend pid {backend})"

    def check(self) -> bool:
        """Ping the lock's connection; if it dropped (database restart), try to take the lock again.
        False while the lock is not held: another scheduler has it, or the database does not answer."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                log.warning("scheduler.lock_connection_lost", where=self.where)
                try:
                    self._conn.invalidate()
                    self._conn.close()
                except SQLAlchemyError:
                    pass
                self._conn = None
        try:
            self.acquire()
        except SchedulerLocked as exc:
            log.error("scheduler.lock_taken_by_another", holder=exc.holder)
            return False
        except SQLAlchemyError as exc:
            log.warning("scheduler.lock_database_unreachable", error=_first_line(exc))
            return False
        log.info("scheduler.lock_retaken", where=self.where)
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), {"a": ADVISORY_CLASS, "b": self.key})
        except SQLAlchemyError:
            pass
        finally:
            self._conn.close()
            self._conn = None
            self.engine.dispose()


class NoLock:
    """An in-memory SQLite database cannot be shared with another process: nothing to lock."""

    def check(self) -> bool:
        return True

    def release(self) -> None:
        pass


def lock_file_for(url: str) -> Path | None:
    """`/srv/nattskift/var/nattskift.db` → `/srv/nattskift/var/nattskift.db.scheduler.lock`."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve().with_name(Path(parsed.database).name + ".scheduler.lock")


def scheduler_holder(url: str) -> str | None:
    """Who holds the scheduler lock of the database at `url` ("pid 4242 on host drift-01, since …"), or
    None when no scheduler runs against it. Only reads: never takes the lock, so it cannot get in the way
    of a scheduler that is starting. (A lock file left by a process on this machine that died is free.)"""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        path = lock_file_for(url)
        if path is None or not path.exists():
            return None
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return None
        try:
            info = _read_info(fd)
        finally:
            os.close(fd)
        pid = info.get("pid")
        if not pid or (info.get("host") == socket.gethostname() and not pid_alive(int(pid))):
            return None
        return describe_holder(info)
    if backend == "postgresql":
        lock = PgAdvisoryLock(url)
        try:
            with lock.engine.connect() as conn:
                db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
                lock.key = zlib.crc32(f"{db}/{schema}".encode()) & 0x7FFFFFFF
                held = conn.execute(
                    text("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :a "
                         "AND objid = :b AND objsubid = 2"), {"a": ADVISORY_CLASS, "b": lock.key}).first()
                return lock._holder(conn) if held else None
        finally:
            lock.engine.dispose()
    return None


class DatabaseUnreachable(RuntimeError):
    """The database could not be asked for the lock (it is down or restarting)."""


def acquire_scheduler_lock(url: str, timeout: float | None = 0.0) -> SchedulerLock:
    """Take the scheduler lock for the database at `url`, waiting up to `timeout` seconds (None: as long
    as it takes, a standby's wait), or raise SchedulerLocked naming the holder.

    A database that does not answer is asked again while the wait lasts (a PostgreSQL restart must not
    end a standby); after it, DatabaseUnreachable says why.
    """
    backend = make_url(url).get_backend_name()
    deadline = None if timeout is None else time.monotonic() + timeout
    pause = 0.5
    while True:
        lock: FileLock | PgAdvisoryLock
        if backend == "sqlite":
            path = lock_file_for(url)
            if path is None:
                return NoLock()
            lock = FileLock(path)
        elif backend == "postgresql":
            lock = PgAdvisoryLock(url)
        else:
            raise RuntimeError(f"the scheduler supports SQLite and PostgreSQL, not {backend}")
        try:
            lock.acquire()
            return lock
        except (SchedulerLocked, SQLAlchemyError) as exc:
            if isinstance(lock, PgAdvisoryLock):
                lock.engine.dispose()
            if deadline is not None and time.monotonic() >= deadline:
                if isinstance(exc, SQLAlchemyError):
                    raise DatabaseUnreachable(_first_line(exc)) from None
                raise
            if isinstance(exc, SQLAlchemyError):
                log.warning("scheduler.lock_database_unreachable", error=_first_line(exc), retry_in=pause)
                time.sleep(pause)
                pause = min(10.0, pause * 2)
                continue
            pause = 0.5
            left = 0.5 if deadline is None else deadline - time.monotonic()
            time.sleep(min(0.5, max(0.05, left)))


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]
