"""Normöverskott: incomes above the need in one month count as income in the months after it.

Many municipalities carry a surplus over the norm forward as income, commonly for at most three months
(domain brief §1.5 [U]; how long is a local guideline, so a setting). Ronney counts it from the saved
calculations of earlier months, each with its need (behov) and the incomes that counted, first in first
out:

    överskott(m)  = inkomster(m) − behov(m), när inkomsterna är större
    i månad m förbrukas äldsta överskott först, högst behov(m) − inkomster(m)
    ett överskott från månad A kan räknas i A+1 … A+N (N = inställningen), sedan faller det bort

Where the figures are missing, or a month between has no calculation at all (the person lived on
something), what is left cannot be known: that part is not counted, and the case goes to a person with
the month named. Whether money already spent may be held against the applicant is the caseworker's
assessment (HFD 2017 ref. 51), so a carried surplus always goes to a person too.
"""

from __future__ import annotations

from dataclasses import dataclass

from robots.ronney.rules.model import MonthDecision
from robots.ronney.rules.units import Month


@dataclass
class Lot:
    """What is left of one month's surplus."""

    origin: Month
    left: int
    needs: int
    incomes: int


@dataclass(frozen=True)
class CarriedSurplus:
    lots: tuple[Lot, ...]  # carried into the application month, oldest first
    uncertain: tuple[tuple[Month, str], ...]  # (month, why in Swedish): a surplus that cannot be followed

    @property
    def total(self) -> int:
        return sum(lot.left for lot in self.lots)


def carried_surplus(history: list[MonthDecision], month: Month, carry_months: int) -> CarriedSurplus:
    """The normöverskott of earlier months still counted in `month`."""
    if carry_months <= 0:
        return CarriedSurplus((), ())
    saved = {Month.parse(h.month): h for h in history}
    lots: list[Lot] = []
    uncertain: list[tuple[Month, str]] = []
    m = month.add(-2 * carry_months)  # an older surplus could still have been used first in these months
    while m < month:
        lots = [lot for lot in lots if lot.origin >= m.add(-carry_months)]
        calc = saved.get(m)
        if calc is None:
            if lots:
                uncertain.append((m, f"ingen beräkning för {m.sv()}, så det går inte att se hur mycket av "
                                     f"överskottet som gick åt"))
                lots = []
        elif calc.needs is None or calc.counted_incomes is None:
            if lots or calc.decision == "Avslagen":
                uncertain.append((m, f"den sparade beräkningen för {m.sv()} saknar behov och inkomster"))
                lots = []
        elif calc.counted_incomes > calc.needs:
            lots.append(Lot(m, calc.counted_incomes - calc.needs, calc.needs, calc.counted_incomes))
        else:
            shortfall = calc.needs - calc.counted_incomes
            for lot in lots:
                used = min(lot.left, shortfall)
                lot.left -= used
                shortfall -= used
            lots = [lot for lot in lots if lot.left > 0]
        m = m.add(1)
    lots = [lot for lot in lots if lot.origin >= month.add(-carry_months)]
    window = month.add(-carry_months)
    return CarriedSurplus(tuple(lots), tuple((u, why) for u, why in uncertain if u >= window))
