"""Server-side web sessions: the cookie holds a random token, the ledger holds its hash.

Kept in the database (not in a signed cookie) so that logging out, removing a user or an expired session
ends it for real, also for a copied cookie. A session ends after `web.idle_minutes` without a request,
and at the latest `web.session_minutes` after logging in. Each session has its own CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import UTCDateTime

metadata = MetaData()
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie's token
    Column("username", String(128), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
)

TOUCH_EVERY = timedelta(seconds=60)  # do not write on every request


@dataclass(frozen=True)
class WebSession:
    id: str
    username: str
    csrf: str
    created_at: datetime
    last_seen_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(sessions: sessionmaker[Session], username: str, now: datetime) -> tuple[str, WebSession]:
    """A new session; returns the token for the cookie (never stored) and the session."""
    token = secrets.token_urlsafe(32)
    ws = WebSession(_digest(token), username, secrets.token_urlsafe(32), now, now)
    with sessions.begin() as s:
        s.execute(insert(web_sessions).values(**ws.__dict__))
    return token, ws


def load_session(
    sessions: sessionmaker[Session], token: str, now: datetime, *, idle: timedelta, lifetime: timedelta
) -> tuple[WebSession | None, bool]:
    """(session, expired). An expired session is deleted; a live one has its last_seen_at refreshed."""
    sid = _digest(token)
    with sessions.begin() as s:
        row = s.execute(select(web_sessions).where(web_sessions.c.id == sid)).mappings().first()
        if row is None:
            return None, False
        ws = WebSession(**row)
        if now - ws.last_seen_at > idle or now - ws.created_at > lifetime:
            s.execute(delete(web_sessions).where(web_sessions.c.id == sid))
            return None, True
        if now - ws.last_seen_at > TOUCH_EVERY:
            s.execute(update(web_sessions).where(web_sessions.c.id == sid).values(last_seen_at=now))
        return ws, False


def end_session(sessions: sessionmaker[Session], session_id: str) -> None:
    with sessions.begin() as s:
        s.execute(delete(web_sessions).where(web_sessions.c.id == session_id))


def end_session_of_token(sessions: sessionmaker[Session], token: str) -> None:
    """End the session a cookie's token belongs to, if it still exists."""
    end_session(sessions, _digest(token))


def end_user_sessions(sessions: sessionmaker[Session], username: str) -> None:
    with sessions.begin() as s:
        s.execute(delete(web_sessions).where(web_sessions.c.username == username))


def purge_expired(sessions: sessionmaker[Session], now: datetime, *, idle: timedelta, lifetime: timedelta) -> int:
    with sessions.begin() as s:
        res = s.execute(
            delete(web_sessions).where(
                (web_sessions.c.last_seen_at < now - idle) | (web_sessions.c.created_at < now - lifetime)
            )
        )
        return res.rowcount or 0
