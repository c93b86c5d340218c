"""Lena's picture of a home-care unit for the coming days, as read from the planning system.

Times of day are minutes after midnight (a home-care day has no passes across midnight here); a visit
that may take place on one of several days (a weekly shower) lists them all. Everything is frozen: the
planner and the rules only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: insats kinds as the system shows them (Swedish labels) -> code
INSATS = {
    "Personlig omvårdnad": "omvardnad",
    "Service": "service",
    "Delegerad HSL-insats": "hsl",
    "Matleverans": "matleverans",
    "Trygghetslarm": "trygghetslarm",
}
DELEGATIONS = {"Läkemedelsdelegering": "lakemedel", "Insulindelegering": "insulin"}
DELEGATION_SV = {v: k for k, v in DELEGATIONS.items()}


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float


@dataclass(frozen=True)
class Visit:
    """One visit a decision asks for in the period (a besöksbehov): on one of `dates`, started between
    `earliest` and `latest`, lasting `minutes`, by `staff` people, with a delegation if it is a
    delegated health-care task."""

    id: str
    recipient: str
    decision: str
    activity: str
    insats: str
    dates: tuple[date, ...]
    earliest: int
    latest: int
    minutes: int
    staff: int = 1
    delegation: str | None = None

    @property
    def weekly(self) -> bool:
        return "V" in self.id.split("-")[1]


@dataclass(frozen=True)
class Recipient:
    id: str
    group: str
    place: Place
    born: date | None = None
    languages: frozenset[str] = frozenset()
    contact: str | None = None
    away: frozenset[date] = frozenset()  # days not at home (hospital, short-term care, away)


@dataclass(frozen=True)
class Shift:
    """A working day: the pass, and the break the schedule gives (minutes, to be taken inside a window)."""

    day: date
    start: int
    end: int
    break_minutes: int = 0
    break_from: int | None = None
    break_to: int | None = None


@dataclass(frozen=True)
class Grant:
    kind: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Staff:
    id: str
    group: str
    languages: frozenset[str] = frozenset({"svenska"})
    delegations: tuple[Grant, ...] = ()
    shifts: dict[date, Shift] = field(default_factory=dict, hash=False, compare=False)  # days worked, absences removed

    def may(self, delegation: str | None, day: date) -> bool:
        """A delegated task only with a delegation valid that day (personal and time-limited, SOSFS 1997:14)."""
        return delegation is None or any(g.kind == delegation and g.valid_from <= day <= g.valid_to for g in self.delegations)


@dataclass(frozen=True)
class Booked:
    """A visit that is already settled: planned or carried out, or in a proposal made earlier."""

    visit: str
    recipient: str
    day: date
    start: int
    minutes: int
    staff: tuple[str, ...]
    insats: str = "omvardnad"

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    base: Place


@dataclass
class Unit:
    """Everything the planner needs for one period."""

    start: date
    end: date
    groups: dict[str, Group]
    recipients: dict[str, Recipient]
    staff: dict[str, Staff]
    #: visits to plan now (recipients whose plan must change)
    visits: list[Visit]
    #: visits that stay as they are in the period (other recipients' plans, earlier proposals)
    fixed: list[Booked] = field(default_factory=list)
    #: carried-out and planned visits before the period (for continuity over 14 days)
    history: list[Booked] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        from datetime import timedelta

        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]
