"""Ronney's own settings, read from `[robots.ronney]` next to the framework's keys.

Local rules live here, not in code: the municipality's maximum accepted housing cost per household size,
which month's incomes are compared (jämförelsemånad), how long a normöverskott is carried, the day ages
count on, which schools keep an 18–20-year-old in the household, how a child's earnings meet the
prisbasbelopp, and a folder for next year's tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from robots.ronney.rules.ages import SCHOOL_FORMS
from robots.ronney.rules.calculation import LocalRules

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
    age_reference_day: Literal["first", "last"] = Field(
        default="first", description="the day of the application month on which ages count: its first or its last"
    )
    school_forms: list[str] = Field(
        default_factory=lambda: list(SCHOOL_FORMS),
        description="schools that keep an 18–20-year-old in the parents' household without a caseworker's "
        "assessment; other studies are assessed, no studies make them an adult with an own case",
    )
    surplus_carry_months: int = Field(
        default=3, ge=0, le=12,
        description="how many months a normöverskott is carried forward as income; 0: not carried",
    )
    child_earnings_basis: Literal["net", "gross"] = Field(
        default="net", description="whether a child's earnings are measured against the prisbasbelopp net or gross"
    )
    rules_dir: Path | None = Field(
        default=None,
        description="a folder with the municipality's own riksnorm_<year>.toml files (and prisbasbelopp.toml), "
        "read before the bundled ones: a new year needs a data file, no code",
    )

    @field_validator("rules_dir")
    @classmethod
    def _rules_dir(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_dir():
            raise ValueError(f"{v} is not a folder")
        return v

    def local_rules(self) -> LocalRules:
        """The municipality's choices as the calculation takes them."""
        return LocalRules(
            max_housing_cost=self.max_housing_cost,
            comparison=self.comparison_month,
            tolerance_kr=self.income_tolerance_kr,
            age_day=self.age_reference_day,
            school_forms=tuple(self.school_forms),
            surplus_months=self.surplus_carry_months,
            child_earnings_basis=self.child_earnings_basis,
            rules_dir=self.rules_dir,
        )

    @field_validator("max_housing_cost")
    @classmethod
    def _sizes(cls, v: dict[int, int]) -> dict[int, int]:
        for size, amount in v.items():
            if size < 1:
                raise ValueError("household sizes start at 1")
            if amount <= 0:
                raise ValueError("a maximum housing cost must be above 0 kr")
        return dict(sorted(v.items()))
