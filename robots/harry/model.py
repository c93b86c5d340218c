"""What HaRry knows of a schedule: the employee, the period, the version and a rolling cycle of shifts.

A schedule is weekly (Monday–Sunday) and rolling: a cycle of 1–N weeks repeats from the period's
first Monday-aligned week (Visma HR+ table 02, Personec P, domain brief §3.1). Each working day has
at most one pass ("tur") with a start, an end and a rast in minutes; a pass whose end is at or before
its start ends the next day (a night pass). No names or personnummer live here: an employee is their
anställningsnummer, so nothing personal can leak into logs or test output.
"""

from __future__ import annotations

from datetime import date, time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
WEEKDAY_CODES = ("man", "tis", "ons", "tor", "fre", "lor", "son")


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
    """One pass on one day of the cycle. `week` is 1-based, `weekday` 1 = måndag … 7 = söndag."""

    model_config = ConfigDict(frozen=True)

    week: int = Field(ge=1)
    weekday: int = Field(ge=1, le=7)
    start: time
    end: time
    break_minutes: int = Field(default=0, ge=0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, v: object) -> object:
        return parse_hhmm(v) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _sane(self) -> Shift:
        if self.start == self.end:
            raise ValueError("a pass must end at another time than it starts")
        if self.break_minutes >= self.length_minutes:
            raise ValueError("the rast is as long as the pass")
        return self

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

    @field_validator("shifts")
    @classmethod
    def _in_order(cls, v: tuple[Shift, ...]) -> tuple[Shift, ...]:
        return tuple(sorted(v, key=lambda s: (s.week, s.weekday)))

    @model_validator(mode="after")
    def _shifts_fit(self) -> Schedule:
        seen: set[tuple[int, int]] = set()
        for s in self.shifts:
            if s.week > self.cycle_weeks:
                raise ValueError(f"a pass in week {s.week} of a {self.cycle_weeks}-week cycle")
            if (s.week, s.weekday) in seen:
                raise ValueError(f"two passes on week {s.week} day {s.weekday}")
            seen.add((s.week, s.weekday))
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
