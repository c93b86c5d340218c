"""Bosse's work item: one vacant shift as planned at fetch, what `process` gets back parsed.

Stored by the ledger as JSON (`model_dump(mode="json")`); names are here for the staff's report only,
never logged.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from robots.bosse.model import TZ, Shift
from robots.bosse.pages import ShiftRow


class ShiftFacts(Shift):
    """The shift the planner saw, with the labels the shift list showed staff."""

    unit_label: str
    competence_label: str
    skills_label: str

    @classmethod
    def of(cls, shift: Shift, row: ShiftRow) -> ShiftFacts:
        return cls(**shift.model_dump(), unit_label=row.unit, competence_label=row.competence, skills_label=row.skills)

    @property
    def when(self) -> str:
        a, b = self.start.astimezone(TZ), self.end.astimezone(TZ)
        return f"{a:%Y-%m-%d} {a:%H:%M}–{b:%H:%M}"


class Person(BaseModel):
    """A planned substitute (the chosen one or an alternate)."""

    id: str
    name: str = ""
    las_days: int = 0
    las_warning: bool = False
    foretradesratt: bool = False

    @property
    def who(self) -> str:
        return f"{self.id} {self.name}".strip()


class PlanSummary(BaseModel):
    status: str
    filled: int
    shifts: int


class ShiftItem(BaseModel):
    """`WorkItem.data`: the shift, how to fill it, and who (or, when nobody may, why not)."""

    shift: ShiftFacts
    mode: str
    mode_reason: str
    plan: PlanSummary
    chosen: Person | None = None
    alternates: list[Person] = Field(default_factory=list)
    #: Reason code → how many substitutes it ruled out (when nobody is chosen).
    reasons: dict[str, int] = Field(default_factory=dict)
    reasons_text: str = ""
