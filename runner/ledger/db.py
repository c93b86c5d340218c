"""Database engine and schema migrations for the ledger.

SQLite (the embedded default) gets WAL, a busy timeout and foreign keys, so a reader (the web app) never
blocks the night's writer and a killed process leaves a consistent file. PostgreSQL is used as is.
The schema is always brought to the newest Alembic revision on open: operators never run migrations by hand.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from runner.private_files import FILE_MODE, private_dir, private_file

if TYPE_CHECKING:  # pragma: no cover
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_migrated: set[str] = set()
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _private_sqlite_file(path: Path) -> None:
    """The ledger holds personal data: its folder 0700, the file 0600 (SQLite gives its -wal and -shm
    files the database file's mode). An empty file is an empty SQLite database."""
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        private_file(name)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; creates the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_sqlite_file(Path(parsed.database))
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, echo=echo, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection_engine"] = engine
    return cfg


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def head_revision() -> str | None:
    """The one revision no other builds on, read from the version files' text; None when unsure.

    Why not Alembic: importing it costs most of a second of CPU on every command, and a ledger that is
    already at its head (the usual case) does not need it. Anything this reading cannot parse (a merge
    revision, two heads) returns None, and `migrate` asks Alembic.
    """
    revisions: set[str] = set()
    builds_on: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        revision, down = (found.get("revision", "").strip("'\""), found.get("down_revision", "").strip("'\""))
        if not re.fullmatch(r"\w+", revision) or not re.fullmatch(r"\w+", down):
            return None
        revisions.add(revision)
        if down != "None":
            builds_on.add(down)
    heads = revisions - builds_on
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (once per process and database)."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if key in _migrated:
            return
        with engine.begin() as conn:
            head = head_revision()
            if head is None or _stored_revision(conn) != head:
                from alembic import command  # only when there is something to upgrade: see head_revision

                cfg = alembic_config(engine)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        _migrated.add(key)


_open: dict[tuple[str, bool], tuple[Engine, sessionmaker[Session]]] = {}


def open_database(url: str, *, echo: bool = False) -> tuple[Engine, sessionmaker[Session]]:
    """Engine and session factory for a migrated ledger; one pool per URL and process, so a
    long-running scheduler does not open a new pool for every night's run."""
    with _lock:
        cached = _open.get((url, echo))
    if cached is not None:
        return cached
    engine = make_engine(url, echo=echo)
    migrate(engine)
    opened = (engine, sessionmaker(engine, expire_on_commit=False))
    with _lock:
        _open[(url, echo)] = opened
    return opened


def close_database(url: str) -> None:
    """Dispose of the pool for `url` (tests that drop their database afterwards)."""
    with _lock:
        for key in [k for k in _open if k[0] == url]:
            _open.pop(key)[0].dispose()
