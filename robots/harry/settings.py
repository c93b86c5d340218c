"""HaRry's own settings, read from `[robots.harry]` in the settings file.

    [robots.harry]
    full_time_hours = { default = 40.0, larare = 35.0, natt = 34.33 }
    hours_tolerance = 0.25
    max_shift_hours = 12.0
    late_change_days = 10
    red_day_passes = "note"     # or "deviation"
    dated_check_days = 366

Category codes are the payroll system's (shown as "Kategorikod" on the employee's page).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from robots.harry.rules.assess import Rules
from robots.harry.rules.working_time import Limits


class HarrySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_time_hours: dict[str, float] = Field(
        default_factory=lambda: {"default": 40.0, "larare": 35.0},
        description="heltidsmått in h/week per category code; 'default' for every other category",
    )
    hours_tolerance: float = Field(default=0.25, ge=0, le=5, description="allowed difference in h/week")
    daily_rest_hours: float = Field(default=11.0, gt=0, le=24)
    weekly_rest_hours: float = Field(default=36.0, gt=0, le=168)
    max_hours_without_break: float = Field(default=5.0, gt=0, le=24)
    max_shift_hours: float = Field(default=12.0, gt=0, le=24, description="longest pass, rast included")
    late_change_days: int = Field(default=10, ge=0, le=90, description="shorter notice than this is a late change")
    red_day_passes: Literal["note", "deviation"] = Field(
        default="note",
        description="passes on red days: 'note' (registered, listed for the payroll staff) or 'deviation' "
        "(a person decides first)",
    )
    dated_check_days: int = Field(
        default=366, ge=7, le=1000,
        description="how far an open-ended period is laid out on dates for daylight saving and red days",
    )

    @field_validator("full_time_hours")
    @classmethod
    def _measures(cls, v: dict[str, float]) -> dict[str, float]:
        out = {k.strip().lower(): float(h) for k, h in v.items()}
        for code, h in out.items():
            if not 0 < h <= 60:
                raise ValueError(f"full-time measure for {code!r} must be between 0 and 60 h/week")
        out.setdefault("default", 40.0)
        return out

    def rules(self) -> Rules:
        measures = dict(self.full_time_hours)
        default = measures.pop("default")
        return Rules(
            full_time_default=default,
            full_time_by_category=measures,
            tolerance=self.hours_tolerance,
            late_change_days=self.late_change_days,
            horizon_days=self.dated_check_days,
            red_days=self.red_day_passes,
            limits=Limits(
                daily_rest_minutes=round(self.daily_rest_hours * 60),
                weekly_rest_minutes=round(self.weekly_rest_hours * 60),
                max_minutes_without_break=round(self.max_hours_without_break * 60),
                max_shift_minutes=round(self.max_shift_hours * 60),
            ),
        )
