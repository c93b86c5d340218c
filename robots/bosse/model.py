"""What the planner and the rules see of shifts and substitutes.

No names or personnummer live here: the planner works on ids only, so nothing personal can leak into
its logs or its test output. Times are aware datetimes (Europe/Stockholm); all arithmetic goes through
epoch minutes so that a night shift over a daylight-saving change is counted in real hours.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from functools import cached_property
from typing import Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from robots.bosse.las import Engagement

TZ = ZoneInfo("Europe/Stockholm")


class Competence(str, enum.Enum):
    """Competence levels in elder care (Göteborgsregionen's career model, domain brief §4.3)."""

    bitrade = "bitrade"
    vardbitrade = "vardbitrade"
    underskoterska = "underskoterska"
    specialistunderskoterska = "specialistunderskoterska"

    @property
    def level(self) -> int:
        return _LEVEL[self]

    @property
    def needs_title(self) -> bool:
        """Undersköterska is a protected title since 2023-07-01: the shift needs the bevis (or transition right)."""
        return self in (Competence.underskoterska, Competence.specialistunderskoterska)

    @property
    def label_sv(self) -> str:
        return COMPETENCE_SV[self]


_LEVEL = {
    Competence.bitrade: 0,
    Competence.vardbitrade: 1,
    Competence.underskoterska: 2,
    Competence.specialistunderskoterska: 3,
}

COMPETENCE_SV = {
    Competence.bitrade: "Biträde",
    Competence.vardbitrade: "Vårdbiträde",
    Competence.underskoterska: "Undersköterska",
    Competence.specialistunderskoterska: "Specialistundersköterska",
}

#: Special skills a shift may require (TCP keeps them per substitute). Swedish labels for staff.
SKILLS_SV: dict[str, str] = {
    "delegering_lakemedel": "läkemedelsdelegering",
    "delegering_insulin": "insulindelegering",
    "korkort_b": "körkort (B)",
    "demens": "demensutbildning",
    "forflyttning": "förflyttningsutbildning",
}


def skill_label(code: str) -> str:
    return SKILLS_SV.get(code, code)


def minutes(dt: datetime) -> int:
    """Epoch minutes of an aware datetime: the one time scale all rules compute on."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: shifts and bookings must carry their time zone")
    return int(dt.timestamp()) // 60


class _Cached(BaseModel):
    """Frozen models with cached derived values; a copy with changes must not keep the old ones."""

    model_config = ConfigDict(frozen=True)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        copy = super().model_copy(update=update, deep=deep)
        for name, _ in _cached_names(type(self)):
            copy.__dict__.pop(name, None)
        return copy


def _cached_names(cls: type) -> list[tuple[str, cached_property]]:
    return [(n, a) for k in cls.__mro__ for n, a in vars(k).items() if isinstance(a, cached_property)]


class Period(_Cached):
    """A stretch of time [start, end): a booked shift, a pending request or an availability window."""

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end must be aware datetimes")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    # Cached: the planner asks for these hundreds of thousands of times on a large night.
    @cached_property
    def start_min(self) -> int:
        return minutes(self.start)

    @cached_property
    def end_min(self) -> int:
        return minutes(self.end)

    @property
    def length_min(self) -> int:
        return self.end_min - self.start_min


class Shift(Period):
    """A vacant shift to fill. `break_minutes` of rast inside it, from `break_start` when the order says."""

    id: str
    unit: str
    competence: Competence = Competence.bitrade
    skills: frozenset[str] = frozenset()
    break_minutes: int = Field(default=0, ge=0)
    break_start: datetime | None = None

    @model_validator(mode="after")
    def _break_inside(self) -> Shift:
        if self.break_minutes >= self.length_min:
            raise ValueError("the rast is as long as the shift")
        if self.break_start is not None:
            offset = minutes(self.break_start) - self.start_min
            if offset <= 0 or offset + self.break_minutes >= self.length_min:
                raise ValueError("the rast must lie inside the shift")
        return self

    @property
    def work_min(self) -> int:
        """Working time: the rast is not working time (ATL)."""
        return self.length_min - self.break_minutes

    @property
    def stretches_min(self) -> tuple[int, int]:
        """Work before and after the rast; without a placed rast, the rast in the middle (the best case)."""
        if self.break_minutes == 0:
            return self.length_min, 0
        if self.break_start is not None:
            before = minutes(self.break_start) - self.start_min
            return before, self.length_min - before - self.break_minutes
        half = -(-self.work_min // 2)
        return half, self.work_min - half

    @cached_property
    def local_date(self) -> date:
        return self.start.astimezone(TZ).date()

    @cached_property
    def month(self) -> str:
        """The month whose hour cap the shift counts against: the month it starts in."""
        return self.local_date.strftime("%Y-%m")


class Substitute(_Cached):
    """A substitute in the pool, as the rules need them. `booked` holds bookings AND pending requests."""

    id: str
    competence: Competence = Competence.bitrade
    usk_bevis: bool = False
    usk_overgang: bool = Field(default=False, description="transition right: tillsvidare USK on 2023-07-01")
    skills: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    availability: tuple[Period, ...] = ()
    booked: tuple[Period, ...] = ()
    month_minutes: dict[str, int] = Field(default_factory=dict, description="'YYYY-MM' → minutes already committed")
    hourly: bool = True
    las_days: int = Field(default=0, ge=0, description="SÄVA days toward conversion today (LAS 5 a §)")
    las_days_3y: int = Field(default=0, ge=0, description="SÄVA days in the last three years (LAS 25 §)")
    foretradesratt: bool = False
    #: Among the holders of företrädesrätt tonight: 1 goes first (LAS 26 §); None without the right.
    foretradesratt_rank: int | None = Field(default=None, ge=1)
    born: date | None = None
    #: Employments with the employer so far (robots.bosse.las): what the LAS days are counted from.
    history: tuple[Engagement, ...] = ()

    def age_on(self, day: date) -> int | None:
        if self.born is None:
            return None
        return day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))

    @cached_property
    def available_spans(self) -> tuple[tuple[int, int], ...]:
        """Availability as merged (start, end) epoch-minute spans; touching windows join up."""
        out: list[tuple[int, int]] = []
        for a, b in sorted((p.start_min, p.end_min) for p in self.availability):
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        return tuple(out)

    @field_validator("availability", "booked", mode="before")
    @classmethod
    def _plain_periods(cls, v: object) -> object:
        # Accept Shift objects too, but keep them as plain periods (a Period subclass would not hash alike).
        if isinstance(v, (list, tuple)):
            return tuple(Period(start=p.start, end=p.end) if isinstance(p, Period) else p for p in v)
        return v
