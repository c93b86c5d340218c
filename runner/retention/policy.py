"""How long each kind of personal data is kept: the `[retention]` settings and one robot's policy.

The defaults and their reasons are in docs/operations.md ("Gallring"). Case data is counted from the day
the case was settled (marked handled by staff, or closed by the robot with nothing left for a person),
never from the night it was fetched: a case's data is needed until staff have handled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from runner.api import Status

if TYPE_CHECKING:
    from runner.settings import Settings

CRON_FIELDS = 5
#: Statuses the robot itself takes again at its next run: such a case is the robot's, never settled.
ROBOTS_OWN = frozenset({Status.waiting.value, Status.failed.value})


def _statuses(v: list[str] | None) -> list[str] | None:
    if v is None:
        return None
    known = {s.value for s in Status}
    for status in v:
        if status not in known:
            raise ValueError(f"{status!r} is not a status; use one of {', '.join(sorted(known))}")
    return v


class RobotRetention(BaseModel):
    """`[robots.<name>.retention]`: a robot's own times; a key left out takes `[retention]`'s."""

    model_config = ConfigDict(extra="forbid")

    case_days: int | None = Field(default=None, ge=0)
    artifacts_days: int | None = Field(default=None, ge=0)
    logs_days: int | None = Field(default=None, ge=0)
    wait_for_review: list[str] | None = None

    @field_validator("wait_for_review")
    @classmethod
    def _review(cls, v: list[str] | None) -> list[str] | None:
        return _statuses(v)


class RetentionSettings(BaseModel):
    """`[retention]`: gallring's schedule, the defaults for every robot, web sessions and the audit log."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description="the night scheduler runs gallring every day at `schedule`")
    schedule: str = Field(default="30 18 * * *", description="cron in the scheduler's time zone")
    case_days: int = Field(
        default=30, ge=0,
        description="a settled case's data (titles, summaries, findings, evidence, comments) is kept this long",
    )
    artifacts_days: int = Field(default=7, ge=0, description="failure screenshots and Playwright traces")
    logs_days: int = Field(default=30, ge=0, description="run logs and the service log's lines")
    wait_for_review: list[str] = Field(
        default_factory=lambda: [Status.needs_attention.value],
        description="statuses whose case waits for staff to mark it handled before its time starts",
    )
    web_sessions_days: int = Field(default=1, ge=0, description="an ended login session's row")
    audit_days: int = Field(default=730, ge=1, description="the audit log: who saw or did what, and when")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str) -> str:
        from apscheduler.triggers.cron import CronTrigger  # here: every command reads the settings at start-up

        if len(v.split()) != CRON_FIELDS:
            raise ValueError("must be a cron expression with five fields, e.g. '30 18 * * *'")
        try:
            CronTrigger.from_crontab(v)
        except ValueError as exc:
            raise ValueError(f"not a cron expression the scheduler reads ({exc})") from None
        return v

    @field_validator("wait_for_review")
    @classmethod
    def _review(cls, v: list[str]) -> list[str]:
        return _statuses(v) or []


@dataclass(frozen=True)
class Policy:
    """One robot's times, resolved: its own settings over `[retention]`'s."""

    robot: str
    case_days: int
    artifacts_days: int
    logs_days: int
    wait_for_review: frozenset[str]

    def case_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.case_days)

    def artifacts_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.artifacts_days)

    def logs_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.logs_days)


def policy_for(settings: Settings, robot: str) -> Policy:
    """`robot`'s policy. A robot that is not in the settings (removed since) gets the defaults."""
    base = settings.retention
    own = settings.robot_config(robot).retention or RobotRetention()
    return Policy(
        robot=robot,
        case_days=base.case_days if own.case_days is None else own.case_days,
        artifacts_days=base.artifacts_days if own.artifacts_days is None else own.artifacts_days,
        logs_days=base.logs_days if own.logs_days is None else own.logs_days,
        wait_for_review=frozenset(base.wait_for_review if own.wait_for_review is None else own.wait_for_review),
    )
