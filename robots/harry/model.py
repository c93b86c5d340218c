"""What HaRry knows of a schedule: the employee, the period, the version and a rolling cycle of shifts.

A schedule is weekly (Monday–Sunday) and rolling: a cycle of 1–N weeks repeats from the period's
first Monday-aligned week (Visma HR+ table 02, Personec P, domain brief §3.1). Each working day has
one pass ("tur") or two (a delad tur), each with a start, an end and a rast in minutes (and, when the
schedule places it, the rast's start); a pass whose end is at or before its start ends the next day (a
night pass). Laid out on the period's dates (rules/dated.py) the passes get real elapsed times. No names or personnummer live here: an employee is their
anställningsnummer, so nothing personal can leak into logs or test output.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ScheduleKind = Literal["grundschema", "placeringsschema"]
KIND_SV = {"grundschema": "grundschema", "placeringsschema": "placeringsschema"}
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def parse_hhmm(text: str) -> time:
    """'07:00' or '7.00' → time; the export and the payroll pages both write HH:MM ('07:00:00' is JSON's)."""
    cleaned = text.strip().replace(".", ":")
    if cleaned.count(":") == 2 and cleaned.endswith(":00"):
        cleaned = cleaned[:-3]
    hh, _, mm = cleaned.partition(":")
    if not hh.isdigit() or not mm.isdigit() or len(mm) != 2:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return time(int(hh), int(mm))


def hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


class Period(BaseModel):
    """A date range, both ends inclusive; `end=None` is "tills vidare" (open-ended)."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end is not None and self.end < self.start:
            raise ValueError("period ends before it starts")
        return self

    def label(self) -> str:
        """'2026-03-02–2026-06-30' or '2026-03-02–tills vidare', as the payroll staff write it."""
        return f"{self.start.isoformat()}–{self.end.isoformat() if self.end else 'tills vidare'}"


class Shift(BaseModel):
    """One pass on one day of the cycle. `week` is 1-based, `weekday` 1 = måndag … 7 = söndag.

    A day may hold two passes (a delad tur); each has its own rast. `break_start` is where the rast
    begins when the schedule says so; without it only the rast's length is known.
    """

    model_config = ConfigDict(frozen=True)

    week: int = Field(ge=1)
    weekday: int = Field(ge=1, le=7)
    start: time
    end: time
    break_minutes: int = Field(default=0, ge=0)
    break_start: time | None = None

    @field_validator("start", "end", "break_start", mode="before")
    @classmethod
    def _time(cls, v: object) -> object:
        if isinstance(v, str):
            return parse_hhmm(v) if v.strip() else None
        return v

    @model_validator(mode="after")
    def _sane(self) -> Shift:
        if self.start == self.end:
            raise ValueError("a pass must end at another time than it starts")
        if self.break_minutes >= self.length_minutes:
            raise ValueError("the rast is as long as the pass")
        if self.break_start is not None:
            if self.break_minutes == 0:
                raise ValueError("a rast start without a rast length")
            offset = self.break_offset_minutes
            assert offset is not None
            if offset == 0 or offset + self.break_minutes >= self.length_minutes:
                raise ValueError("the rast must lie inside the pass")
        return self

    @property
    def break_offset_minutes(self) -> int | None:
        """Minutes from the pass's start to the rast's start, when the schedule places the rast."""
        if self.break_start is None:
            return None
        s = self.start.hour * 60 + self.start.minute
        b = self.break_start.hour * 60 + self.break_start.minute
        return (b - s) % MINUTES_PER_DAY

    @property
    def length_minutes(self) -> int:
        """Start to end, rast included; a pass that ends at or before its start ends the next day."""
        s = self.start.hour * 60 + self.start.minute
        e = self.end.hour * 60 + self.end.minute
        return (e - s) % MINUTES_PER_DAY

    @property
    def work_minutes(self) -> int:
        """Working time: the rast is not working time (ATL), so it is taken off."""
        return self.length_minutes - self.break_minutes

    @property
    def offset_minutes(self) -> int:
        """Minutes from the cycle's start (week 1, måndag 00:00) to this pass's start."""
        day = (self.week - 1) * 7 + (self.weekday - 1)
        return day * MINUTES_PER_DAY + self.start.hour * 60 + self.start.minute

    @property
    def day_key(self) -> tuple[int, int]:
        """(week, weekday): passes with the same key are one working day (a delad tur when there are two)."""
        return self.week, self.weekday

    def label(self, cycle_weeks: int) -> str:
        """'tisdag 07:00–16:00', or 'vecka 2 tisdag 07:00–16:00' in a cycle of several weeks."""
        day = WEEKDAYS_SV[self.weekday - 1]
        when = f"{day} {hhmm(self.start)}–{hhmm(self.end)}"
        return when if cycle_weeks == 1 else f"vecka {self.week} {when}"


class Schedule(BaseModel):
    """An approved schedule as the scheduling system exports it, and as HaRry registers it."""

    model_config = ConfigDict(frozen=True)

    employee: str = Field(min_length=1, description="anställningsnummer")
    period: Period
    version: int = Field(ge=1)
    cycle_weeks: int = Field(ge=1)
    shifts: tuple[Shift, ...] = ()
    schedule_id: str = ""
    unit: str = ""
    #: A grundschema belongs to the employment and gives its hours; a placeringsschema says how the person
    #: actually works for its dates and replaces the grundschema there (Personec P, domain brief §3.1).
    kind: ScheduleKind = "grundschema"

    @field_validator("shifts")
    @classmethod
    def _in_order(cls, v: tuple[Shift, ...]) -> tuple[Shift, ...]:
        return tuple(sorted(v, key=lambda s: (s.week, s.weekday, s.offset_minutes)))

    @model_validator(mode="after")
    def _shifts_fit(self) -> Schedule:
        for s in self.shifts:
            if s.week > self.cycle_weeks:
                raise ValueError(f"a pass in week {s.week} of a {self.cycle_weeks}-week cycle")
        for a, b in zip(self.shifts, self.shifts[1:], strict=False):
            if a.day_key == b.day_key and b.offset_minutes < a.offset_minutes + a.length_minutes:
                raise ValueError(f"two passes overlap on week {a.week} day {a.weekday}")
        return self

    @property
    def key(self) -> str:
        """The work item's key: '<employee>:<period start>:<version>'."""
        return f"{self.employee}:{self.period.start.isoformat()}:{self.version}"

    def same_content(self, other: Schedule) -> bool:
        """Same employee, period, cycle and passes: registering it again would change nothing."""
        return (
            self.employee == other.employee
            and self.period == other.period
            and self.cycle_weeks == other.cycle_weeks
            and self.shifts == other.shifts
            and self.kind == other.kind
        )


class Employment(BaseModel):
    """An employment as the payroll system shows it: period, sysselsättningsgrad, unit, category."""

    model_config = ConfigDict(frozen=True)

    employment_id: str = ""
    period: Period
    grade_percent: float = Field(gt=0, le=100)
    unit: str = ""
    category: str = Field(min_length=1, description="category code, e.g. 'larare'")
    category_label: str = ""


ABSENCE_SV = {
    "foraldraledighet": "föräldraledighet",
    "tjanstledighet": "tjänstledighet",
    "sjukfranvaro": "sjukfrånvaro",
    "studieledighet": "studieledighet",
    "annan": "annan frånvaro",
}


class Absence(BaseModel):
    """A registered absence in the payroll system: what kind, when, and how much of the working time."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(min_length=1, description="code as in ABSENCE_SV, or the system's own text")
    period: Period
    percent: float = Field(default=100, gt=0, le=100)

    @property
    def label(self) -> str:
        """'föräldraledighet 25 % 2026-05-04–2026-06-28'."""
        share = "" if self.percent == 100 else f" {self.percent:g} %".replace(".", ",")
        return f"{ABSENCE_SV.get(self.kind, self.kind)}{share} {self.period.label()}"
