"""Local web accounts and what each role may see.

Roles: `admin` (everything, and the audit log), `operations` (runs, schedules and technical failures,
never the contents of a case) and `staff:<robot>` (only that robot's cases). A user may hold several.
Passwords are hashed with Argon2id. Authentication lives behind `authenticate()` so the municipality's
SSO can replace it later without touching the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import User
from runner.web.sessions import end_user_sessions

ROLE = re.compile(r"^(admin|operations|staff:[a-z][a-z0-9_-]{0,63})$")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,128}$")
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


class UserError(ValueError):
    """A user could not be added or changed; the message says why (English, for the CLI)."""


@dataclass(frozen=True)
class WebUser:
    """The logged-in user as the pages see it."""

    username: str
    display_name: str
    roles: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_operations(self) -> bool:
        return "operations" in self.roles

    @property
    def staff_robots(self) -> frozenset[str]:
        return frozenset(r.split(":", 1)[1] for r in self.roles if r.startswith("staff:"))

    def can_read_cases(self, robot: str) -> bool:
        """May open this robot's cases (personal data)."""
        return self.is_admin or robot in self.staff_robots

    def can_see_runs(self, robot: str) -> bool:
        """May see this robot's runs and counts."""
        return self.is_admin or self.is_operations or robot in self.staff_robots

    def visible_robots(self, robots: list[str]) -> list[str]:
        return [r for r in robots if self.can_see_runs(r)]

    @property
    def name(self) -> str:
        return self.display_name or self.username


def validate_roles(roles: list[str]) -> list[str]:
    if not roles:
        raise UserError("give at least one role: admin, operations or staff:<robot>")
    for role in roles:
        if not ROLE.match(role):
            raise UserError(f"role {role!r} is not one of admin, operations, staff:<robot>")
    return sorted(set(roles))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anyone")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an unknown user costs as much time as a known one."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def to_web_user(user: User) -> WebUser:
    return WebUser(username=user.username, display_name=user.display_name or "", roles=frozenset(user.roles or []))


def add_user(
    sessions: sessionmaker[Session], username: str, password: str, roles: list[str], display_name: str = ""
) -> User:
    if not USERNAME.match(username):
        raise UserError("username: 2–128 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    roles = validate_roles(roles)
    with sessions.begin() as s:
        if s.scalar(select(User).where(User.username == username)) is not None:
            raise UserError(f"user {username!r} already exists")
        user = User(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            roles=roles,
            active=True,
            created_at=datetime.now(UTC),
            failed_logins=0,
        )
        s.add(user)
    return user


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    with sessions() as s:
        return list(s.scalars(select(User).order_by(User.username)))


def get_user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def remove_user(sessions: sessionmaker[Session], username: str) -> bool:
    """Delete the account and end its web sessions at once. Its audit entries and reviews stay."""
    with sessions.begin() as s:
        removed = s.execute(delete(User).where(User.username == username)).rowcount
    if removed:
        end_user_sessions(sessions, username)
    return bool(removed)
