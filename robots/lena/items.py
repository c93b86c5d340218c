"""Lena's work items (`WorkItem.data`): one per recipient whose plan must change, one per group and day.

Everything the process step needs is in the item, worked out in the fetch from one plan of the whole
unit: the rows to write into the proposal form, why the published plan no longer holds, and the figures
the morning report shows. No names or personnummer: recipients and staff by their ids.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PlannedRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    need: str
    date: str  # YYYY-MM-DD
    start: str  # HH:MM
    minutes: int
    staff: list[str]


class UnplacedRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    need: str
    activity: str
    date: str  # the first day it could be on
    reason: str  # Swedish


class LenaItem(BaseModel):
    """`kind` "brukare": a recipient's proposal for the period; "dag": a group's day (capacity)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["brukare", "dag"]
    group: str
    start: str  # the period, YYYY-MM-DD
    end: str
    # -- a recipient --
    recipient: str = ""
    needs: list[str] = Field(default_factory=list)  # every besöksbehov of the period (the form's rows)
    weekly: list[str] = Field(default_factory=list)  # those that may be on one of several days
    planned: list[PlannedRow] = Field(default_factory=list)
    unplaced: list[UnplacedRow] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)  # why the published plan no longer holds (Swedish)
    granted_minutes: int = 0
    planned_minutes: int = 0
    continuity_before: int | None = None  # different staff in the 14 days ending with the period: published plan
    continuity_after: int | None = None  # the same with the proposal
    measured: bool = False  # in Socialstyrelsen's measure (65+, two visits or more every day)
    #: an open proposal that is there already: Lena's own for this period (an earlier attempt), or another
    waiting_draft: str = ""
    waiting_draft_by: str = ""
    waiting_draft_period: str = ""
    # -- a group's day --
    day: str = ""
    granted: int = 0  # visit minutes the decisions ask for (two staff: twice)
    planned_day: int = 0
    travel: int = 0
    available: int = 0
    unplaced_visits: int = 0
    staff_used: list[str] = Field(default_factory=list)  # staff the proposals send out that day
