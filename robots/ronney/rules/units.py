"""Months, kronor and Swedish dates: the small vocabulary every other rule speaks."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MONTH_NAMES_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
MONTH_ABBR_SV = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; the period försörjningsstöd is calculated for."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError("month must be 1..12")

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.match(text.strip())
        if not m:
            raise ValueError("a month is written YYYY-MM")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def add(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.add(-1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def days(self) -> int:
        """How many days the month has (28–31)."""
        return monthrange(self.year, self.month)[1]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def sv(self) -> str:
        """'december 2025'."""
        return f"{MONTH_NAMES_SV[self.month - 1]} {self.year}"


def round_kr(value: Decimal | Fraction | int | float) -> int:
    """Round to whole kronor, half up, as amounts in a decision are written (a fraction exactly)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def kr(amount: int) -> str:
    """'7 050 kr' with a no-break space between thousands, as Swedish forms print it."""
    sign = "−" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", "\u00a0") + "\u00a0kr"


def date_sv(day: date, *, today: date | None = None) -> str:
    """'3 nov', with the year added when it is not the year of `today`."""
    text = f"{day.day} {MONTH_ABBR_SV[day.month - 1]}"
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text
