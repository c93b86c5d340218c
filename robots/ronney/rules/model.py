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


Living = Literal["heltid", "växelvis", "umgänge"]


class Person(_Model):
    personnummer: str
    role: Role
    #: The age the rules use: set from the birth date for the application month (rules/ages.py). Given
    #: alone (as the page objects give the typed "Ålder" today) it is read as the typed age and checked.
    age: int | None = Field(default=None, ge=0, le=130)
    #: The case system's typed age as shown (a number, or text that is none), when the system has the field.
    typed_age: int | str | None = None
    #: A birth date the record keeps apart from the personnummer (rare: a reservnummer).
    born: date | None = None
    #: For children 0–6: False when the child does not eat lunch at home five days a week (förskola).
    lunch_at_home: bool = True
    #: A child who lives here part of the month (växelvis boende) or stays for umgänge, and for how many days.
    living: Living = "heltid"
    days: int | None = Field(default=None, ge=1, le=31)
    #: The school a young person attends ("" = none; None = the case system does not say): decides whether
    #: an 18–20-year-old is a skolungdom.
    studies: str | None = None


class Income(_Model):
    """A net income for one person in the comparison month (with its gross amount and payment date when known)."""

    personnummer: str
    type: str
    amount: int
    gross: int | None = None
    paid: date | None = None


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
    """One earlier month of the case: granted or refused (the chain behind jobbstimulans), and its need and
    counted incomes when the saved calculation shows them (what a normöverskott is counted from)."""

    month: str
    decision: Literal["Beviljad", "Avslagen"]
    needs: int | None = None
    counted_incomes: int | None = None


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


class AgencyIncome(_Model):
    """One income SSBTEK reports for a person and month, with the agency that delivered it."""

    personnummer: str
    month: str
    agency: str
    type: str
    amount: int  # net
    gross: int | None = None
    paid: date | None = None
