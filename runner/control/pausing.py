"""Robots paused by operations, kept in the ledger (`robot_controls`).

The ledger, not the scheduler's memory, holds it: every scheduler checks it when a night falls due, so a
pause holds at once, after a restart, and on a standby that takes over. A paused robot's nights are
skipped, not recorded as missed; resuming does not catch them up unless asked
(runner.control.actions.resume).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import RobotControl


def control_of(sessions: sessionmaker[Session], robot: str) -> RobotControl | None:
    """The robot's row (paused or resumed, by whom, when); None when operations never touched it."""
    with sessions() as s:
        return s.get(RobotControl, robot)


def is_paused(sessions: sessionmaker[Session], robot: str) -> bool:
    row = control_of(sessions, robot)
    return row is not None and row.paused


def controls(sessions: sessionmaker[Session]) -> dict[str, RobotControl]:
    with sessions() as s:
        return {row.robot: row for row in s.scalars(select(RobotControl))}


def set_paused(sessions: sessionmaker[Session], robot: str, paused: bool, by: str, at: datetime,
               reason: str | None = None) -> RobotControl:
    """Pause or resume `robot`; returns the row as it was before (paused False for a new row)."""
    with sessions.begin() as s:
        row = s.get(RobotControl, robot, with_for_update=True)
        before = RobotControl(robot=robot, paused=bool(row and row.paused), changed_by=row.changed_by if row else "",
                              changed_at=row.changed_at if row else at, reason=row.reason if row else None)
        if row is None:
            row = RobotControl(robot=robot)
            s.add(row)
        row.paused, row.changed_by, row.changed_at, row.reason = paused, by[:128], at, reason
    return before
