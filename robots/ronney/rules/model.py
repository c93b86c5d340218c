"""An application as Ronney reads it from the case system: plain data for the rules.

The page objects build these from ekonomi's pages; the rules never see a page. Amounts are whole kronor
per month, as the case system shows them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["sökande", "medsökande", "barn", "annan vuxen"]
#: Roles that make up the household applied for (the "bistånds­enhet"). "annan vuxen" is an adult who
#: shares the home but is not a sambo and does not apply (a lodger, a grown-up sibling).
UNIT_ROLES: frozenset[str] = frozenset({"sökande", "medsökande", "barn"})
ADULT_ROLES: frozenset[str] = frozenset({"sökande", "medsökande"})

ApplicationKind = Literal["Nyansökan", "Återansökan", "Tilläggsansökan"]
MONTHLY_KINDS: frozenset[str] = frozenset({"Nyansökan", "Återansökan"})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(_Model):
    personnummer: str
    role: Role
    age: int = Field(ge=0, le=130)
    #: For children 0–6: False when the child does not eat lunch at home five days a week (förskola).
    lunch_at_home: bool = True


class Income(_Model):
    """A net income for one person in the comparison month."""

    personnummer: str
    type: str
    amount: int


class Cost(_Model):
    type: str
    amount: int = Field(ge=0)


class Attachment(_Model):
    type: str
    received: date


class SupplementRequest(_Model):
    """A komplettering the caseworker asked for: the type of document, when, and by when."""

    type: str
    requested: date
    due: date


class MonthDecision(_Model):
    """One earlier month of the case: granted or refused (the chain behind jobbstimulans)."""

    month: str
    decision: Literal["Beviljad", "Avslagen"]


class SavedCalculation(_Model):
    """The calculation the caseworker saved for an earlier month; Ronney only reads it."""

    month: str
    amount: int
    household: list[Person] = Field(default_factory=list)
    incomes: list[Income] = Field(default_factory=list)
    costs: list[Cost] = Field(default_factory=list)


class Application(_Model):
    case_id: str
    month: str
    kind: ApplicationKind
    status: str
    received: date
    household: list[Person]
    incomes: list[Income] = Field(default_factory=list)
    costs: list[Cost] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    supplements: list[SupplementRequest] = Field(default_factory=list)
    previous: SavedCalculation | None = None
    history: list[MonthDecision] = Field(default_factory=list)
    #: First month of the 24-month jobbstimulans period, when the caseworker has recorded one.
    jobbstimulans_start: str | None = None

    def unit(self) -> list[Person]:
        return [p for p in self.household if p.role in UNIT_ROLES]

    def adults(self) -> list[Person]:
        return [p for p in self.household if p.role in ADULT_ROLES]

    def role_of(self, personnummer: str) -> str:
        for p in self.household:
            if p.personnummer == personnummer:
                return p.role
        return "okänd person"


class AgencyIncome(_Model):
    """One income SSBTEK reports for a person and month, with the agency that delivered it."""

    personnummer: str
    month: str
    agency: str
    type: str
    amount: int
