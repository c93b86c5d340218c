"""Ronney's own settings, read from `[robots.ronney]` next to the framework's keys.

Local rules live here, not in code: the municipality's maximum accepted housing cost per household size,
and which month's incomes are compared (jämförelsemånad).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Defaults in line with published local guidelines (Högsby 2023, Vimmerby 2024; domain brief §1.3).
# They are examples: every municipality sets its own, in nattskift.toml.
DEFAULT_MAX_HOUSING_COST: dict[int, int] = {1: 5200, 2: 6300, 3: 7400, 4: 8200, 5: 9000, 6: 9800}


class RonneySettings(BaseModel):
    """`[robots.ronney]` keys of Ronney's own (see robots/ronney/README.md)."""

    model_config = ConfigDict(extra="forbid")

    max_housing_cost: dict[int, int] = Field(
        default_factory=lambda: dict(DEFAULT_MAX_HOUSING_COST),
        description="highest accepted housing cost (kr/month) per household size; the largest size also "
        "covers bigger households; empty: no cap",
    )
    comparison_month: Literal["previous", "application"] = Field(
        default="previous", description="whose incomes count: the month before the application month, or that month"
    )
    income_tolerance_kr: int = Field(
        default=0, ge=0, description="a difference between application and SSBTEK up to this is not a finding"
    )
    ssbtek_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    @field_validator("max_housing_cost")
    @classmethod
    def _sizes(cls, v: dict[int, int]) -> dict[int, int]:
        for size, amount in v.items():
            if size < 1:
                raise ValueError("household sizes start at 1")
            if amount <= 0:
                raise ValueError("a maximum housing cost must be above 0 kr")
        return dict(sorted(v.items()))
