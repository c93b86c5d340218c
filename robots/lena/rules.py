"""Lena's rules: pure functions, each from its source, each tested by hand with the arithmetic written out.

- Travel time between two addresses (a municipal choice: speed, detour and the minutes to park and get
  in are settings).
- The break: no more than five hours of work in a row without a rast (Arbetstidslagen 15 §), inside the
  window the schedule gives.
- Personalkontinuitet as Socialstyrelsen measures it: the number of different staff a recipient aged 65
  or more, with at least two visits every day, meets in 14 days between 07 and 22; food deliveries and
  alarm calls are not counted, and a recipient who was not at home for the whole period is left out.
- Why a recipient's published plan no longer holds (the visits that must be planned again).
- Planned against granted time, and a group's capacity on a day.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from robots.lena.model import DELEGATION_SV, Booked, Place, Recipient, Shift, Staff, Visit

# -- travel --------------------------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Travel:
    """How long it takes to get from one address to the next (settings `travel_*`)."""

    speed_kmh: float = 30.0  # by car in a small town, door to door
    detour_factor: float = 1.3  # roads are longer than the straight line
    stop_minutes: int = 3  # park, walk in, key box

    def minutes(self, a: Place, b: Place) -> int:
        """Whole minutes from `a` to `b`; 0 at the same address."""
        if a == b:
            return 0
        km = distance_km(a, b) * self.detour_factor
        return math.ceil(self.stop_minutes + km / self.speed_kmh * 60)


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


# -- the break -----------------------------------------------------------------------------------------

MAX_WORK_WITHOUT_BREAK = 5 * 60  # Arbetstidslagen (1982:673) 15 §: rast senast efter fem timmar


def break_range(shift: Shift) -> tuple[int, int] | None:
    """The earliest and latest start of the pass's break, or None when it has none.

    Inside the schedule's window, and so that neither the work before nor the work after it is longer
    than five hours. When the two cannot both hold (a schedule that breaks the law), the schedule's own
    window is used: the pass is as HR made it, and `break_breaks_law` says so."""
    if not shift.break_minutes or shift.break_from is None or shift.break_to is None:
        return None
    lo, hi = shift.break_from, shift.break_to - shift.break_minutes
    law_lo = shift.end - MAX_WORK_WITHOUT_BREAK - shift.break_minutes
    law_hi = shift.start + MAX_WORK_WITHOUT_BREAK
    a, b = max(lo, law_lo), min(hi, law_hi)
    return (a, b) if a <= b else (lo, hi)


def break_breaks_law(shift: Shift) -> bool:
    """True when the pass is longer than five hours and its break cannot keep both halves within five."""
    length = shift.end - shift.start
    if length <= MAX_WORK_WITHOUT_BREAK:
        return False
    if not shift.break_minutes or shift.break_from is None or shift.break_to is None:
        return True
    lo, hi = shift.break_from, shift.break_to - shift.break_minutes
    return max(lo, shift.end - MAX_WORK_WITHOUT_BREAK - shift.break_minutes) > min(hi, shift.start + MAX_WORK_WITHOUT_BREAK)


# -- personalkontinuitet ---------------------------------------------------------------------------------

MEASURE_DAYS = 14
COUNTED_FROM, COUNTED_UNTIL = 7 * 60, 22 * 60
NOT_COUNTED = frozenset({"matleverans", "trygghetslarm"})
MIN_AGE = 65
MIN_VISITS_A_DAY = 2


def counts(visit: Booked) -> bool:
    """Whether a visit counts for continuity: not a food delivery or an alarm call, started 07–22."""
    return visit.insats not in NOT_COUNTED and COUNTED_FROM <= visit.start < COUNTED_UNTIL


def measure_window(end: date) -> tuple[date, date]:
    """The 14 days ending with `end`."""
    return end - timedelta(days=MEASURE_DAYS - 1), end


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def qualifies(recipient: Recipient, visits: Iterable[Booked], window: tuple[date, date]) -> bool:
    """Whether the recipient is in Socialstyrelsen's measure for the 14 days `window`: 65 or older,
    at home every day, and at least two counted visits on every one of the days."""
    start, end = window
    if recipient.born is None or age_on(recipient.born, end) < MIN_AGE:
        return False
    per_day: dict[date, int] = defaultdict(int)
    for v in visits:
        if start <= v.day <= end and counts(v):
            per_day[v.day] += 1
    day = start
    while day <= end:
        if day in recipient.away or per_day[day] < MIN_VISITS_A_DAY:
            return False
        day += timedelta(days=1)
    return True


def continuity(visits: Iterable[Booked], window: tuple[date, date]) -> int:
    """The number of different staff met on counted visits in `window`."""
    start, end = window
    return len({s for v in visits if start <= v.day <= end and counts(v) for s in v.staff})


def mean_continuity(figures: Iterable[int]) -> float | None:
    values = list(figures)
    return round(sum(values) / len(values), 1) if values else None


# -- why a published plan no longer holds -------------------------------------------------------------------


def later_week(visit_id: str, weekdays_allowed: Sequence[int], end: date) -> bool:
    """Whether a weekly visit belongs to a week planned on a later night: its last allowed day is after
    `end` (the planning system plans a week once the period reaches its last allowed day)."""
    parts = visit_id.split("-")
    if len(parts) < 3 or "V" not in parts[1] or not weekdays_allowed:
        return False
    year, week = int(parts[1][:4]), int(parts[1][5:])
    last = date.fromisocalendar(year, week, max(weekdays_allowed) + 1)
    return last > end


def stale_reasons(
    recipient: Recipient,
    visits: Sequence[Visit],
    planned: Sequence[Booked],
    staff: Mapping[str, Staff],
    *,
    later: Iterable[str] = (),
) -> list[str]:
    """Why the recipient's published plan for the period must change, in Swedish; empty: it holds.

    `visits` are what the decisions ask for in the period, `planned` the published plan's visits of the
    recipient in it, `later` the planned visits of weeks planned later (left alone)."""
    reasons: list[str] = []
    by_id = {v.id: v for v in visits}
    seen: set[str] = set()
    keep = set(later)
    for p in planned:
        if p.visit in keep:
            continue
        v = by_id.get(p.visit)
        when = f"{p.day.isoformat()} {_hhmm(p.start)}"
        if v is None:
            if p.day in recipient.away:
                reasons.append(f"brukaren är inte hemma {p.day.isoformat()} men har ett planerat besök")
            else:
                reasons.append(f"planerat besök {when} saknar gällande beslut")
            continue
        seen.add(p.visit)
        if p.day not in v.dates:
            reasons.append(f"{v.activity} {when}: fel dag")
        if p.minutes != v.minutes:
            reasons.append(f"{v.activity} {when}: planerat {p.minutes} min, beviljat {v.minutes} min")
        if not v.earliest <= p.start <= v.latest:
            reasons.append(f"{v.activity} {when}: utanför tidsfönstret {_hhmm(v.earliest)}–{_hhmm(v.latest + v.minutes)}")
        if len(p.staff) != v.staff:
            reasons.append(f"{v.activity} {when}: {len(p.staff)} personal planerad, {v.staff} beviljad")
        for sid in p.staff:
            s = staff.get(sid)
            shift = s.shifts.get(p.day) if s else None
            if s is None or shift is None or p.start < shift.start or p.end > shift.end:
                reasons.append(f"{v.activity} {when}: {sid} arbetar inte då")
            elif not s.may(v.delegation, p.day):
                reasons.append(f"{v.activity} {when}: {sid} saknar giltig {DELEGATION_SV[v.delegation or ''].lower()}")
    for v in visits:
        if v.id not in seen:
            reasons.append(f"{v.activity} {v.dates[0].isoformat()} är inte planerat")
    return list(dict.fromkeys(reasons))


def infeasible_days(
    planned: Iterable[Booked], staff: Mapping[str, Staff], places: Mapping[str, Place], bases: Mapping[str, Place],
    travel: Travel,
) -> dict[tuple[str, date], str]:
    """Staff days of the published plan that do not hold together: two visits at once, too little time
    to get between them, or no room left for the break. (staff, day) -> the reason in Swedish."""
    by_day: dict[tuple[str, date], list[Booked]] = defaultdict(list)
    for b in planned:
        for sid in b.staff:
            by_day[sid, b.day].append(b)
    out: dict[tuple[str, date], str] = {}
    for (sid, day), mine in by_day.items():
        s = staff.get(sid)
        shift = s.shifts.get(day) if s else None
        if s is None or shift is None:
            continue  # reported per visit by stale_reasons
        base = bases[s.group]
        reason = day_problem(sorted(mine, key=lambda b: (b.start, b.visit)), shift, base, places, travel)
        if reason:
            out[sid, day] = f"{sid} {day.isoformat()}: {reason}"
    return out


def day_problem(
    route: Sequence[Booked], shift: Shift, base: Place, places: Mapping[str, Place], travel: Travel
) -> str | None:
    """Why a staff day (its visits in start order) cannot be worked, or None.

    From the base at the pass's start, to each visit in turn with travel, back by the end; and, when the
    pass has a break, some gap at the base between visits (or before the first, or after the last) where
    the break fits inside its allowed range."""
    at, here = shift.start, base
    gaps: list[tuple[int, int]] = []  # (free from, free until) at the base, allowing for the trips
    for b in route:
        place = places[b.recipient]
        arrive = at + travel.minutes(here, place)
        if b.start < arrive:
            return f"hinner inte till besöket {_hhmm(b.start)}" if b.start >= at else f"två besök samtidigt {_hhmm(b.start)}"
        gaps.append((at + travel.minutes(here, base), b.start - travel.minutes(base, place)))
        at, here = b.end, place
    home = at + travel.minutes(here, base)
    if home > shift.end:
        return "hinner inte tillbaka till gruppens lokal före passets slut"
    gaps.append((home, shift.end))
    window = break_range(shift)
    if window is None:
        return None
    lo, hi = window
    need = shift.break_minutes
    if not any(max(a, lo) <= min(b - need, hi) for a, b in gaps):
        return "ingen plats för rasten"
    return None


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- granted against planned time, and capacity ------------------------------------------------------------


def deviation_percent(planned: int, granted: int) -> float:
    """How far planned minutes are from granted minutes, in per cent of the granted."""
    if granted == 0:
        return 0.0 if planned == 0 else 100.0
    return round(abs(planned - granted) / granted * 100, 1)


def available_minutes(shift: Shift) -> int:
    """Working minutes of a pass, the break taken out (a break is not working time)."""
    return shift.end - shift.start - shift.break_minutes


@dataclass(frozen=True)
class DayLoad:
    """One group's day: what the decisions ask for, what the plan gives, and what the staff have."""

    granted: int  # visit minutes asked for (two staff: twice)
    planned: int  # visit minutes planned
    travel: int
    available: int  # working minutes of the group's staff that day

    @property
    def unplanned(self) -> int:
        return self.granted - self.planned

    @property
    def travel_share(self) -> float:
        """Travel as a share of the time staff spend at recipients and on the road."""
        total = self.planned + self.travel
        return round(self.travel / total * 100, 1) if total else 0.0

    @property
    def over_capacity(self) -> bool:
        return self.granted + self.travel > self.available


def visit_minutes(visits: Iterable[Visit]) -> int:
    return sum(v.minutes * v.staff for v in visits)


__all__ = [
    "COUNTED_FROM",
    "COUNTED_UNTIL",
    "MAX_WORK_WITHOUT_BREAK",
    "MEASURE_DAYS",
    "DayLoad",
    "Travel",
    "age_on",
    "available_minutes",
    "break_breaks_law",
    "break_range",
    "continuity",
    "counts",
    "day_problem",
    "deviation_percent",
    "distance_km",
    "infeasible_days",
    "later_week",
    "mean_continuity",
    "measure_window",
    "qualifies",
    "stale_reasons",
    "visit_minutes",
]
