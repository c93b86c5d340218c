"""A child's own earnings: not counted up to one prisbasbelopp per calendar year.

Earnings of children living at home and of young people in school are disregarded up to one
prisbasbelopp per calendar year (prop. 2012/13:94; domain brief §1.4 [V]). What is left of the year's
allowance is the prisbasbelopp less what the child already earned earlier in the same calendar year:

    kvar       = max(0, prisbasbelopp(år) − intjänat tidigare i år)
    räknas inte = min(månadens arbetsinkomst, kvar)
    räknas      = månadens arbetsinkomst − räknas inte

"Earlier in the year" comes from SSBTEK (Skatteverket's monthly employer declarations): the months from
January up to the month before the income month. The prisbasbelopp per year is data
(`data/prisbasbelopp.toml`); a year without an entry is never guessed (`PrisbasbeloppMissing`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from datetime import date

from robots.ronney.rules.identity import age_on, check_id
from robots.ronney.rules.model import AgencyIncome, Application
from robots.ronney.rules.units import Month

DATA_DIR = Path(__file__).parent / "data"
PBB_FILE = "prisbasbelopp.toml"
#: Children under 13 may work only in cultural and artistic performances, with Arbetsmiljöverket's leave
#: (AFS 2012:3): SSBTEK is asked about a younger child only when the application shows an income for them.
EARNING_AGE = 13


class PrisbasbeloppMissing(LookupError):
    """No prisbasbelopp for the year asked for."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no prisbasbelopp for {year} in {PBB_FILE}")
        self.year = year


@dataclass(frozen=True)
class Prisbasbelopp:
    year: int
    amount: int
    source: str


@lru_cache(maxsize=4)
def _all(data_dir: Path = DATA_DIR) -> dict[int, Prisbasbelopp]:
    raw = tomllib.loads((data_dir / PBB_FILE).read_text(encoding="utf-8"))
    out = {}
    for year, entry in raw.get("years", {}).items():
        amount = int(entry["amount"])
        if amount <= 0:
            raise ValueError(f"{PBB_FILE}: the prisbasbelopp for {year} must be above 0")
        out[int(year)] = Prisbasbelopp(int(year), amount, str(entry.get("source", raw.get("source", ""))))
    return out


def prisbasbelopp(year: int, data_dir: Path = DATA_DIR, *, extra_dir: Path | None = None) -> Prisbasbelopp:
    """The year's prisbasbelopp: from the municipality's own `prisbasbelopp.toml` (setting `rules_dir`)
    when it lists the year, else from the bundled file."""
    if extra_dir is not None and (extra_dir / PBB_FILE).exists():
        own = _all(extra_dir).get(year)
        if own is not None:
            return own
    found = _all(data_dir).get(year)
    if found is None:
        raise PrisbasbeloppMissing(year)
    return found


def earned_earlier_in_year(
    ssbtek: Iterable[AgencyIncome], personnummer: str, income_month: Month, is_earned: Callable[[str], bool],
    *, gross: bool = False,
) -> int:
    """What SSBTEK reports as the person's earned income from January to the month before `income_month`
    (gross where asked and known, else net)."""
    total = 0
    for inc in ssbtek:
        if inc.personnummer != personnummer or not is_earned(inc.type):
            continue
        month = Month.parse(inc.month)
        if month.year == income_month.year and month < income_month:
            total += inc.gross if gross and inc.gross is not None else inc.amount
    return total


@dataclass(frozen=True)
class ChildEarnings:
    """One earned income of a child in the income month, and how much of it the rule keeps out."""

    amount: int  # this month's earned income (as it enters the calculation)
    earned_before: int  # earlier in the same calendar year
    limit: Prisbasbelopp

    @property
    def left_of_allowance(self) -> int:
        return max(0, self.limit.amount - self.earned_before)

    @property
    def disregarded(self) -> int:
        return min(self.amount, self.left_of_allowance)

    @property
    def counted(self) -> int:
        return self.amount - self.disregarded


def children_who_may_earn(app: Application, today: date) -> list[str]:
    """The children whose incomes SSBTEK is asked about, from January: 13 or older at the application month,
    or with an income in the application. Numbers that are not valid are never sent."""
    first = Month.parse(app.month).first_day()
    with_income = {i.personnummer for i in app.incomes}
    out = []
    for p in app.household:
        if p.role != "barn":
            continue
        check = check_id(p.personnummer, today=today)
        if not check.valid or check.birth_date is None:
            continue
        if p.personnummer in with_income or age_on(check.birth_date, first) >= EARNING_AGE:
            out.append(p.personnummer)
    return out
