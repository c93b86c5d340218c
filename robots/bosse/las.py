"""LAS day counting for the monthly list HR keeps (domain brief §4.1).

- Conversion (LAS 5 a §): SÄVA for more than 12 months within five years → tillsvidare. A LAS month
  is 30 days, so "more than 12 months" is 361 days or more.
- Företrädesrätt for a new SÄVA (LAS 25 §): more than 9 months in SÄVA within three years → 271 days.
- Three-in-a-month (LAS 3 §): three or more SÄVA in one calendar month, and the days between them count
  too: the month counts from the first to the last engagement.
- Hourly staff on single-day contracts: each day worked is a day.

These are employer decisions; Bosse never crosses them silently. It projects each person's days with the
shifts already booked ahead and lists those near or past a threshold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

CONVERSION_DAYS = 361
FORETRADESRATT_DAYS = 271


def added_days(dates: Iterable[date]) -> int:
    """LAS days added by engagements on `dates`: one per distinct day, but a calendar month with three
    or more engagements counts every day from its first to its last (LAS 3 §).

    Only the dates given are known: past engagements of the same month are in the person's count already.
    """
    by_month: dict[tuple[int, int], set[date]] = defaultdict(set)
    for d in dates:
        by_month[d.year, d.month].add(d)
    total = 0
    for days in by_month.values():
        total += (max(days) - min(days)).days + 1 if len(days) >= 3 else len(days)
    return total


@dataclass
class LasRow:
    """One line of the LAS list: today's days, the days once the booked shifts are worked, and why listed."""

    substitute_id: str
    name: str
    las_days: int
    projected: int
    las_days_3y: int
    projected_3y: int
    foretradesratt: bool
    notes: list[str] = field(default_factory=list)


def las_notes(row: LasRow, warning_days: int, margin_days: int) -> list[str]:
    """Swedish notes for HR, or [] when the person is not near any threshold."""
    notes = []
    if row.projected >= CONVERSION_DAYS:
        notes.append(f"Passerar konverteringsgränsen ({CONVERSION_DAYS} dagar SÄVA på 5 år) med bokade pass")
    elif row.projected >= warning_days:
        notes.append(f"Över varningsnivån {warning_days} LAS-dagar; {CONVERSION_DAYS - row.projected} dagar kvar till konvertering")
    elif row.projected >= CONVERSION_DAYS - margin_days:
        notes.append(f"Nära konvertering: {CONVERSION_DAYS - row.projected} dagar kvar")
    if row.projected_3y >= FORETRADESRATT_DAYS and row.las_days_3y < FORETRADESRATT_DAYS:
        notes.append(f"Når företrädesrätt ({FORETRADESRATT_DAYS} dagar SÄVA på 3 år) med bokade pass")
    elif FORETRADESRATT_DAYS - margin_days <= row.projected_3y < FORETRADESRATT_DAYS:
        notes.append(f"Nära företrädesrätt: {FORETRADESRATT_DAYS - row.projected_3y} dagar kvar")
    return notes
