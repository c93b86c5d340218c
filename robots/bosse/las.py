"""LAS days computed from the employment history (lag 1982:80 as of 2022-10-01, domain brief §4.1 [V]).

The staffing system keeps each substitute's employments with the employer: hourly substitutes on
single-day contracts have one särskild visstidsanställning (SÄVA) per day worked; others have longer
SÄVA, vikariat, seasonal or permanent employments. From those dates Bosse counts:

- **Conversion** (5 a §): a SÄVA becomes permanent when the SÄVA time with the employer is more than
  12 months in total (1) within a five-year period, or (2) during a chain of temporary employments
  (SÄVA, vikariat, säsong) that followed each other — each started within 6 months of the previous
  one's last day. A LAS month is 30 days, so "more than 12 months" is 361 days or more (ka.se [S]).
- **Vikariat** converts after more than two years within five years: 721 days or more.
- **Three in a month** (3 §): with 3 or more SÄVA in one calendar month, the time between them counts
  too — the month counts from the first day of the first to the last day of the last (Kommunal's
  example: three passes on the 2nd, 9th and 16th count as 15 days).
- **Företrädesrätt** (25 §): more than 12 months of employment in the last three years, or for a new
  SÄVA more than 9 months in SÄVA in the last three years (271 days), counted back from the last day
  of the latest employment. It lasts until 9 months after that day [S], must have been claimed
  (27 §), and is lost by turning down a reasonable offer. Between several holders (26 §) the one with
  the longest total employment with the employer goes first; with equal time, the older.

A booked shift counts as one SÄVA day on the date it starts. These are the employer's decisions:
Bosse lists who is near a threshold and never crosses one without saying so (robot.py, rules.py).
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from runner.swedish import count

CONVERSION_DAYS = 12 * 30 + 1  # more than 12 LAS months
VIKARIAT_CONVERSION_DAYS = 24 * 30 + 1  # more than two years
FORETRADESRATT_DAYS = 9 * 30 + 1  # more than 9 months in SÄVA (new SÄVA, 25 §)
FORETRADESRATT_GENERAL_DAYS = 12 * 30 + 1  # more than 12 months of any employment (25 §)
CHAIN_GAP_MONTHS = 6  # a temporary employment "followed" when it started within 6 months
FORETRADESRATT_MONTHS = 9  # the right lasts until 9 months after the employment ended
TEMPORARY = frozenset({"sava", "vikariat", "sasong"})
FORMS_SV = {"sava": "SÄVA", "vikariat": "vikariat", "sasong": "säsongsanställning", "tillsvidare": "tillsvidare"}


@dataclass(frozen=True, order=True)
class Engagement:
    """One employment with the employer, both days inclusive."""

    start: date
    end: date
    form: str = "sava"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("an employment ends before it starts")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def years_back(day: date, years: int) -> date:
    """The first day of the `years`-year period that ends on `day`."""
    return add_months(day, -12 * years) + timedelta(days=1)


def day_engagements(days: Iterable[date], history: Sequence[Engagement] = ()) -> list[Engagement]:
    """Single-day SÄVA contracts: how booked shifts of an hourly substitute count.

    A day the history already holds (its day contract written in) is that contract, not a second SÄVA
    the same day: counted twice it could make "three in a month" out of two."""
    return [Engagement(d, d, "sava") for d in sorted(set(days)) if not any(e.start <= d <= e.end for e in history)]


def _pieces_by_month(engagements: Iterable[Engagement], lo: date, hi: date):
    """(year, month) → [(start, end, engagement index)] clipped to [lo, hi] and to the month."""
    out: dict[tuple[int, int], list[tuple[date, date, int]]] = defaultdict(list)
    for i, e in enumerate(engagements):
        a, b = max(e.start, lo), min(e.end, hi)
        while a <= b:
            last = date(a.year, a.month, monthrange(a.year, a.month)[1])
            out[a.year, a.month].append((a, min(b, last), i))
            a = last + timedelta(days=1)
    return out


def _union_days(pieces: Sequence[tuple[date, date, int]]) -> int:
    total, cursor = 0, None
    for a, b, _ in sorted(pieces):
        if cursor is not None and a <= cursor:
            a = cursor + timedelta(days=1)
        if a <= b:
            total += (b - a).days + 1
        cursor = b if cursor is None else max(cursor, b)
    return total


def counted_days(engagements: Iterable[Engagement], forms: frozenset[str] | set[str], lo: date, hi: date) -> int:
    """Days of employment in `forms` within [lo, hi]. A calendar month with three or more SÄVA counts
    from the first day of the first to the last day of the last of them (LAS 3 §)."""
    chosen = [e for e in engagements if e.form in forms]
    total = 0
    for pieces in _pieces_by_month(chosen, lo, hi).values():
        sava = [p for p in pieces if chosen[p[2]].form == "sava"]
        if len({p[2] for p in sava}) >= 3:
            first, last = min(p[0] for p in sava), max(p[1] for p in sava)
            rest = [p for p in pieces if p not in sava]
            total += _union_days([(first, last, -1), *rest])
        else:
            total += _union_days(pieces)
    return total


def chain(engagements: Iterable[Engagement], on: date) -> list[Engagement]:
    """The temporary employments up to `on` that followed each other and end with the latest one."""
    temporary = sorted(e for e in engagements if e.form in TEMPORARY and e.start <= on)
    if not temporary:
        return []
    out = [temporary[-1]]
    reach = temporary[-1].start
    for e in reversed(temporary[:-1]):
        if reach <= add_months(e.end, CHAIN_GAP_MONTHS) or e.end >= reach:
            out.append(e)
            reach = min(reach, e.start)
        else:
            break
    return sorted(out)


@dataclass(frozen=True)
class ConversionCount:
    """SÄVA days toward conversion on a date: the larger of the five-year and the chain count."""

    five_years: int
    in_chain: int
    vikariat_five_years: int

    @property
    def days(self) -> int:
        return max(self.five_years, self.in_chain)


def conversion_count(engagements: Sequence[Engagement], on: date) -> ConversionCount:
    lo = years_back(on, 5)
    links = chain(engagements, on)
    in_chain = counted_days(links, {"sava"}, links[0].start, on) if links else 0
    return ConversionCount(
        five_years=counted_days(engagements, {"sava"}, lo, on),
        in_chain=in_chain,
        vikariat_five_years=counted_days(engagements, {"vikariat"}, lo, on),
    )


def added_days(dates: Iterable[date], history: Sequence[Engagement] = (), on: date | None = None) -> int:
    """LAS days that engagements on `dates` add to the SÄVA count (with the three-in-a-month rule).

    Without a history only the dates themselves are known; with one, a month that reaches three SÄVA
    only together with the history counts from its first to its last day too.
    """
    new = day_engagements(dates, history)
    if not new:
        return 0
    on = on or max(e.end for e in new)
    before = conversion_count(history, on).days
    return conversion_count([*history, *new], on).days - before


@dataclass(frozen=True)
class Foretradesratt:
    """The right to re-employment on a date, and what it rests on (Swedish, for staff)."""

    holds: bool
    qualifies: bool
    last_day: date | None
    until: date | None
    employment_days_3y: int
    sava_days_3y: int
    total_days: int  # all employment with the employer: the order between holders (26 §)
    reason: str


def foretradesratt(
    engagements: Sequence[Engagement],
    on: date,
    *,
    claimed: date | None = None,
    declined: date | None = None,
    requires_claim: bool = True,
) -> Foretradesratt:
    ended = [e for e in engagements if e.end < on]
    total = counted_days(engagements, set(FORMS_SV), date.min, on)
    if not ended:
        return Foretradesratt(False, False, None, None, 0, 0, total, "ingen avslutad anställning")
    last = max(e.end for e in ended)
    lo = years_back(last, 3)
    employed = counted_days(ended, set(FORMS_SV), lo, last)
    sava = counted_days(ended, {"sava"}, lo, last)
    qualifies = employed >= FORETRADESRATT_GENERAL_DAYS or sava >= FORETRADESRATT_DAYS
    until = add_months(last, FORETRADESRATT_MONTHS)
    if not qualifies:
        reason = (f"{employed} anställningsdagar och {sava} SÄVA-dagar på 3 år; det krävs "
                  f"{FORETRADESRATT_GENERAL_DAYS} respektive {FORETRADESRATT_DAYS}")
        holds = False
    elif on > until:
        reason, holds = f"företrädesrätten gällde till {until.isoformat()}", False
    elif requires_claim and (claimed is None or claimed > on):
        reason, holds = "har inte anmält anspråk på företrädesrätt (27 §)", False
    elif declined is not None and declined <= on and (claimed is None or declined >= claimed):
        reason, holds = f"tackade nej till ett skäligt erbjudande {declined.isoformat()}", False
    else:
        reason, holds = f"gäller till {until.isoformat()}", True
    return Foretradesratt(holds, qualifies, last, until, employed, sava, total, reason)


def holder_order(holders: dict[str, tuple[int, date | None]]) -> dict[str, int]:
    """id → rank (1 first) among holders, by longest total employment, then the older first (26 §).

    `holders` maps id → (total employment days, birth date). An unknown birth date ranks after a known one.
    """
    ranked = sorted(holders, key=lambda i: (-holders[i][0], holders[i][1] or date.max, i))
    return {sub_id: n for n, sub_id in enumerate(ranked, start=1)}


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
        notes.append(f"Över varningsnivån {warning_days} LAS-dagar; {_days(CONVERSION_DAYS - row.projected)} kvar till konvertering")
    elif row.projected >= CONVERSION_DAYS - margin_days:
        notes.append(f"Nära konvertering: {_days(CONVERSION_DAYS - row.projected)} kvar")
    if row.projected_3y >= FORETRADESRATT_DAYS and row.las_days_3y < FORETRADESRATT_DAYS:
        notes.append(f"Når företrädesrätt ({FORETRADESRATT_DAYS} dagar SÄVA på 3 år) med bokade pass")
    elif FORETRADESRATT_DAYS - margin_days <= row.projected_3y < FORETRADESRATT_DAYS:
        notes.append(f"Nära företrädesrätt: {_days(FORETRADESRATT_DAYS - row.projected_3y)} kvar")
    return notes


def _days(n: int) -> str:
    """'1 dag', '20 dagar' (runner.swedish.count; a plain space, as the rest of the note)."""
    return count(n, "dag", "dagar", space=" ")
