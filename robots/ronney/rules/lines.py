"""A line of the calculation: what, how much, and where the value came from."""

from __future__ import annotations

from dataclasses import dataclass

from robots.ronney.rules.units import kr


@dataclass(frozen=True)
class Line:
    """One row of the underlag. `amount` is signed as it enters its section's sum."""

    section: str  # "norm" | "kostnad" | "inkomst" | "avdrag" | "summa"
    label: str
    amount: int
    source: str

    def text(self) -> str:
        return f"{self.label}: {kr(self.amount)} ({self.source})"
