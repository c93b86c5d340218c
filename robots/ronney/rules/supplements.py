"""Requested supplements (kompletteringar): arrived, still within time, or past due.

A request is met by an attachment of the same type received on or after the day it was requested. Its
due date moves to the next working day when it falls on a day off (see calendar.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from robots.ronney.rules.calendar import effective_due_date, why_not_working
from robots.ronney.rules.model import Attachment, SupplementRequest
from robots.ronney.rules.units import date_sv


@dataclass(frozen=True)
class SupplementState:
    request: SupplementRequest
    arrived: date | None
    due: date  # effective due date after moving off days off

    @property
    def moved(self) -> bool:
        return self.due != self.request.due

    def overdue(self, today: date) -> bool:
        return self.arrived is None and today > self.due

    def describe(self, today: date) -> str:
        """'hyresavi, begärd 3 nov, senast 17 nov' (+ why the date moved)."""
        text = (f"{self.request.type.lower()}, begärd {date_sv(self.request.requested, today=today)}, "
                f"senast {date_sv(self.due, today=today)}")
        if self.moved:
            text += (f" (flyttat från {date_sv(self.request.due, today=today)}, "
                     f"{why_not_working(self.request.due)})")
        return text


@dataclass(frozen=True)
class SupplementCheck:
    states: tuple[SupplementState, ...]
    today: date

    @property
    def missing(self) -> list[SupplementState]:
        return [s for s in self.states if s.arrived is None]

    @property
    def overdue(self) -> list[SupplementState]:
        return [s for s in self.states if s.overdue(self.today)]

    @property
    def complete(self) -> bool:
        return not self.missing


def _same_type(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_supplements(requests: list[SupplementRequest], attachments: list[Attachment], today: date) -> SupplementCheck:
    states = []
    for req in requests:
        arrived = sorted(a.received for a in attachments if _same_type(a.type, req.type) and a.received >= req.requested)
        states.append(SupplementState(req, arrived[0] if arrived else None, effective_due_date(req.due)))
    return SupplementCheck(tuple(states), today)
