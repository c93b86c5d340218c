"""Lena's own settings, in `[robots.lena]` (robots/lena/README.md explains each for the planners).

Everything here is a municipality's choice, so each is a setting with a documented default; the rules
that come from law or from Socialstyrelsen's measure (the five-hour break rule, what counts for
personalkontinuitet) are in rules.py and are not settings.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from robots.lena import rules as R
from robots.lena.planner import Weights


class LenaSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days_ahead: int = Field(default=7, ge=1, le=28, description="days planned, from the first day planned")
    start_in_days: int = Field(default=1, ge=1, le=7, description="the first day planned: 1 is tomorrow")
    replan_all: bool = Field(default=False, description="plan every recipient again, not only those whose plan no longer holds")
    deviation_percent: float = Field(default=10, ge=0, le=100,
                                     description="planned time may differ this much from granted time before a planner is told")
    travel_speed_kmh: float = Field(default=30, gt=0, le=120, description="door-to-door speed between addresses")
    travel_detour_factor: float = Field(default=1.3, ge=1, le=3, description="road distance over straight-line distance")
    travel_stop_minutes: int = Field(default=3, ge=0, le=30, description="minutes to park and get in, per trip")
    weight_new_staff_minutes: int = Field(default=60, ge=0, le=1000,
                                          description="travel minutes one more different person for a recipient is worth")
    weight_language_minutes: int = Field(default=20, ge=0, le=1000,
                                         description="travel minutes a visit without the wished language is worth")
    solver_time_limit_seconds: float = Field(default=40, gt=0, le=900)
    solver_workers: int = Field(default=2, ge=1, le=64)
    solver_deterministic: bool = Field(default=False, description="CP-SAT's deterministic time and one worker: the same input gives the same plan")

    def travel(self) -> R.Travel:
        return R.Travel(self.travel_speed_kmh, self.travel_detour_factor, self.travel_stop_minutes)

    def weights(self) -> Weights:
        return Weights(new_staff=self.weight_new_staff_minutes, language=self.weight_language_minutes)
