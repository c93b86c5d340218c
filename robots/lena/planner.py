"""Plans a home-care unit's coming days as one problem per group, with OR-Tools CP-SAT.

A day of home care is a routing problem (each staff member's round, with time windows and travel), but
what the recipient cares about — how many different people come through the door in a fortnight — ties
every day of the period together, and a visit by two staff ties two rounds to one start time. CP-SAT
states all of it exactly in one model per group (bench/README.md argues the choice against the routing
solver):

- a start time per visit and day it may be on, inside its window; a choice of day and of staff;
- per staff member and day a circuit (AddCircuit) from the group's base through the visits they take,
  the break (at the base, inside the range the schedule and the five-hour rule give) and back, every arc
  carrying the travel time, within the pass; a visit not taken is left out of the circuit;
- a visit granted two staff (dubbelbemanning) is taken by two at one shared start time;
- delegated tasks only by staff whose delegation is valid that day;
- a recipient's visits do not overlap, and a weekly decision's occasions fall on different days;
- visits settled already (the published plan of recipients whose plan holds, earlier proposals) are fixed
  nodes in the circuits: they take the staff's time and travel, and count for continuity.

The objective, in one weighted sum: place every visit that can be placed (a visit outweighs everything
else), then fewest new faces per recipient over the 14 days the measure looks at (staff the recipient met
in the days before, or their fast omsorgskontakt, cost nothing), then language wishes, then travel
minutes. The solver starts from a constructive plan (regular staff first, cheapest insertion) polished by
single moves priced on the same objective (`_polish`: a visit to the staff day where it costs least, then
visits not placed into the room that frees), improves it a neighbourhood at a time, polishes again, and
never returns anything worse than it started from; every plan is checked by `violations`, a referee
written from the rules rather than from the model. On the bench's unit (bench/README.md) the moves do
most of the gain on a loaded machine; the exact neighbourhoods add a little where they get the time.

`plan_greedy` is the first-fit baseline the bench compares with: each visit in time order to the first
staff member (in id order) who can take it.
"""

from __future__ import annotations

import math
import random
import time
from concurrent.futures import ThreadPoolExecutor
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from robots.lena import rules as R
from robots.lena.capacity import check_unplaced
from robots.lena.model import Booked, Place, Staff, Unit, Visit

if TYPE_CHECKING:  # pragma: no cover
    from ortools.sat.python import cp_model

_BREAK = object()  # the break's place among a staff day's nodes
PLACE_WEIGHT = 100_000
NEIGHBOURHOOD = 12  # visits freed around a recipient in one step
UNPLACED_PER_STEP = 8  # visits not placed yet that one step tries to fit in
SUCCESSORS = 6  # arcs from a visit to the next visits in time (besides those of the current plan)  # one more visit placed is worth more than any continuity or travel gain


@dataclass(frozen=True)
class Weights:
    """How continuity, language and travel weigh against each other, in travel minutes (settings)."""

    new_staff: int = 60  # one more different person for a recipient is worth an hour of driving
    language: int = 20  # a visit by someone who does not speak the recipient's wished language


@dataclass(frozen=True)
class Assignment:
    visit: str
    day: date
    start: int
    staff: tuple[str, ...]


@dataclass
class Plan:
    assignments: dict[str, Assignment] = field(default_factory=dict)
    unplaced: dict[str, str] = field(default_factory=dict)  # visit id -> why, in Swedish
    #: (staff, day) -> the day's stops in order: ("besok", visit id, start) or ("rast", "", start)
    routes: dict[tuple[str, date], list[tuple[str, str, int]]] = field(default_factory=dict)
    travel: dict[tuple[str, date], int] = field(default_factory=dict)  # minutes per staff day
    status: str = "EMPTY"
    seconds: float = 0.0
    variables: int = 0
    stages: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def travel_minutes(self) -> int:
        return sum(self.travel.values())

    def booked(self, unit: Unit) -> list[Booked]:
        """The planned visits as settled bookings (for continuity and the report)."""
        by_id = {v.id: v for v in unit.visits}
        return [Booked(a.visit, by_id[a.visit].recipient, a.day, a.start, by_id[a.visit].minutes, a.staff,
                       by_id[a.visit].insats) for a in self.assignments.values()]


# -- one group's problem -----------------------------------------------------------------------------------


class _Memo(R.Travel):
    """`rules.Travel` with every pair worked out once (the model asks for the same pairs thousands of times)."""

    def __init__(self, travel: R.Travel) -> None:
        super().__init__(travel.speed_kmh, travel.detour_factor, travel.stop_minutes)
        object.__setattr__(self, "_memo", {})

    def minutes(self, a: Place, b: Place) -> int:
        key = (a, b)
        memo: dict[tuple[Place, Place], int] = self._memo  # type: ignore[attr-defined]
        found = memo.get(key)
        if found is None:
            found = memo[key] = super().minutes(a, b)
        return found


class _Group:
    """The visits, staff days and candidates of one group: shared by the heuristics and the model."""

    def __init__(self, unit: Unit, code: str, travel: R.Travel) -> None:
        self.unit, self.code, self.travel = unit, code, travel if isinstance(travel, _Memo) else _Memo(travel)
        travel = self.travel
        self.base = unit.groups[code].base
        self.staff: list[Staff] = sorted((s for s in unit.staff.values() if s.group == code), key=lambda s: s.id)
        self.visits: list[Visit] = sorted((v for v in unit.visits if unit.recipients[v.recipient].group == code),
                                          key=lambda v: (v.dates[0], v.earliest, v.id))
        self.place = {r.id: r.place for r in unit.recipients.values()}
        days = set(unit.days)
        mine = {s.id for s in self.staff}
        self.fixed: dict[tuple[str, date], list[Booked]] = defaultdict(list)
        for b in unit.fixed:
            for sid in b.staff:
                if sid in mine and b.day in days:
                    self.fixed[sid, b.day].append(b)
        for lst in self.fixed.values():
            lst.sort(key=lambda b: (b.start, b.visit))
        # candidates: (visit index, day) -> staff ids who may take it then (working, delegation, room in the pass)
        self.options: dict[tuple[int, date], list[str]] = {}
        for vi, v in enumerate(self.visits):
            here = self.place[v.recipient]
            for d in v.dates:
                if d not in days:
                    continue
                ok = []
                for s in self.staff:
                    sh = s.shifts.get(d)
                    if sh is None or not s.may(v.delegation, d):
                        continue
                    lo = max(v.earliest, sh.start + travel.minutes(self.base, here))
                    hi = min(v.latest, sh.end - v.minutes - travel.minutes(here, self.base))
                    if lo <= hi:
                        ok.append(s.id)
                if len(ok) >= v.staff:
                    self.options[vi, d] = ok

    def staff_days(self) -> list[tuple[str, date]]:
        return [(s.id, d) for s in self.staff for d in self.unit.days if d in s.shifts]

    def shift(self, sid: str, d: date):  # noqa: ANN201 - a model.Shift
        return self.unit.staff[sid].shifts[d]

    def known(self, rid: str) -> set[str]:
        """Staff the recipient has met in the measure's window before the period, and their contact."""
        lo, _ = R.measure_window(self.unit.end)
        seen = {s for b in self.unit.history if b.recipient == rid and b.day >= lo and R.counts(b) for s in b.staff}
        seen |= {s for b in self.unit.fixed if b.recipient == rid and R.counts(b) for s in b.staff}
        contact = self.unit.recipients[rid].contact
        if contact:
            seen.add(contact)
        return seen

    def speaks(self, sid: str, v: Visit) -> bool:
        wished = self.unit.recipients[v.recipient].languages
        return not wished or bool(wished & self.unit.staff[sid].languages)


# -- routes for the constructive plans ----------------------------------------------------------------------


class _Rounds:
    """Staff days as visits in start order, with the checks of `rules.day_problem` for every insertion."""

    def __init__(self, g: _Group) -> None:
        self.g = g
        self.day: dict[tuple[str, date], list[Booked]] = {k: list(v) for k, v in g.fixed.items()}
        self.places = dict(g.place)

    def windows(self, sid: str, d: date, v: Visit) -> list[tuple[int, int, int]]:
        """(earliest start, latest start, position) for each gap of the staff day the visit fits in."""
        sh = self.g.shift(sid, d)
        route = self.day.get((sid, d), [])
        here = self.places[v.recipient]
        out = []
        prev_end, prev_place = sh.start, self.g.base
        for pos in range(len(route) + 1):
            if pos < len(route):
                nxt = route[pos]
                nxt_start, nxt_place = nxt.start, self.places[nxt.recipient]
            else:
                nxt_start, nxt_place = sh.end, self.g.base
            lo = max(v.earliest, prev_end + self.g.travel.minutes(prev_place, here))
            hi = min(v.latest, nxt_start - v.minutes - self.g.travel.minutes(here, nxt_place))
            if lo <= hi:
                out.append((lo, hi, pos))
            if pos < len(route):
                prev_end, prev_place = route[pos].end, nxt_place
        return out

    def fits(self, sid: str, d: date, b: Booked, pos: int) -> bool:
        route = self.day.get((sid, d), [])
        trial = [*route[:pos], b, *route[pos:]]
        return R.day_problem(trial, self.g.shift(sid, d), self.g.base, self.places, self.g.travel) is None

    def place(self, v: Visit, d: date, staff: Sequence[str], *, cheapest: bool = False) -> int | None:
        """The earliest start at which all of `staff` can take `v` on `d` (None: they cannot); with
        `cheapest` (one staff member), the start in the gap where the detour is shortest."""
        per_staff = [self.windows(sid, d, v) for sid in staff]
        if any(not w for w in per_staff):
            return None
        starts = sorted({lo for ws in per_staff for lo, _, _ in ws})
        if cheapest and len(staff) == 1:
            starts.sort(key=lambda t: (self.travel_delta(staff[0], d, v, t), t))
        for t in starts:
            b = Booked(v.id, v.recipient, d, t, v.minutes, tuple(staff), v.insats)
            ok = True
            for sid, ws in zip(staff, per_staff):
                pos = next((p for lo, hi, p in ws if lo <= t <= hi), None)
                if pos is None or not self.fits(sid, d, b, pos):
                    ok = False
                    break
            if ok:
                return t
        return None

    def add(self, v: Visit, d: date, start: int, staff: Sequence[str]) -> None:
        b = Booked(v.id, v.recipient, d, start, v.minutes, tuple(staff), v.insats)
        for sid in staff:
            route = self.day.setdefault((sid, d), [])
            route.append(b)
            route.sort(key=lambda x: (x.start, x.visit))

    def travel_delta(self, sid: str, d: date, v: Visit, start: int) -> int:
        route = self.day.get((sid, d), [])
        here = self.places[v.recipient]
        before = [b for b in route if b.start <= start]
        after = [b for b in route if b.start > start]
        a = self.places[before[-1].recipient] if before else self.g.base
        c = self.places[after[0].recipient] if after else self.g.base
        t = self.g.travel.minutes
        opening = 0
        if not route and R.break_range(self.g.shift(sid, d)) is not None:
            opening = 2 * t(here, self.g.base)  # a day taken into use also drives back for its break
        return t(a, here) + t(here, c) - t(a, c) + opening


def _sectors(g: _Group) -> tuple[dict[str, dict[str, int]], dict[str, tuple[str, int]], dict[str, int]]:
    """Districts for the constructive plan, one partition per kind of pass (morning or afternoon start):
    the group's recipients by bearing from the base, cut into about one sector per two staff of that
    kind with equal visit minutes (a sweep), each staff member given one sector of their kind. Two staff
    share a sector and cover for each other's days off, so a recipient mostly meets the same few."""
    load: dict[str, int] = defaultdict(int)
    for v in g.visits:
        load[v.recipient] += v.minutes * v.staff
    base = g.base
    scale = math.cos(math.radians(base.lat))

    def bearing(rid: str) -> float:
        p = g.unit.recipients[rid].place
        return math.atan2(p.lat - base.lat, (p.lon - base.lon) * scale)

    rids = sorted(load, key=lambda r: (bearing(r), r))
    total = sum(load.values()) or 1
    kinds: dict[str, list[str]] = defaultdict(list)
    for st in sorted(g.staff, key=lambda st: (_typical(st), st.id)):
        kinds["fm" if _typical(st) < 12 * 60 else "em"].append(st.id)
    sector: dict[str, dict[str, int]] = {}
    staff_sector: dict[str, tuple[str, int]] = {}
    size: dict[str, int] = {}
    for kind, ids in kinds.items():
        k = size[kind] = max(1, round(len(ids) / 2))
        acc, mine = 0, {}
        for rid in rids:
            mine[rid] = min(k - 1, acc * k // total)
            acc += load[rid]
        sector[kind] = mine
        for i, sid in enumerate(ids):
            staff_sector[sid] = (kind, i % k)
    return sector, staff_sector, size


def _typical(s: Staff) -> int:
    """When the staff member's passes usually start (the median)."""
    starts = sorted(sh.start for sh in s.shifts.values())
    return starts[len(starts) // 2] if starts else 0


def _construct(g: _Group, weights: Weights | None, assigned: dict[str, Assignment]) -> None:
    """Place `g`'s visits one at a time. `weights` None: first fit, each visit in time order to the first
    staff member by id who can take it (the baseline). Otherwise the hardest visits first (two staff, a
    delegation, a narrow window), each to someone the recipient knows, else someone of its district,
    then the cheapest detour."""
    rounds = _Rounds(g)
    met: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    known = {rid: g.known(rid) for rid in {v.recipient for v in g.visits}}
    days_taken: dict[str, set[date]] = defaultdict(set)  # weekly decision-week -> days used
    fixed_blocks: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for b in g.unit.fixed:
        fixed_blocks[b.recipient, b.day].append((b.start, b.end))
    order = list(enumerate(g.visits))
    if weights is not None:
        order.sort(key=lambda t: (-t[1].staff, t[1].delegation is None, t[1].latest - t[1].earliest,
                                  t[1].dates[0], t[1].earliest, t[1].id))
        sector, staff_sector, size = _sectors(g)
    for vi, v in order:
        week = v.id.rsplit("-", 1)[0] if v.weekly else ""
        dates = [d for d in v.dates if (vi, d) in g.options and d not in days_taken[week]]
        for d in dates:
            cands = g.options[vi, d]
            own = fixed_blocks[v.recipient, d]
            tiers = None
            if weights is not None:
                rid = v.recipient

                def tier(sid: str, rid: str = rid) -> int:
                    if met[rid][sid] or sid in known[rid]:
                        return 0
                    kind, mine = staff_sector[sid]
                    apart = abs(mine - sector[kind][rid])
                    return 1 + min(apart, size[kind] - apart)

                cands = sorted(cands, key=lambda sid: (tier(sid), not g.speaks(sid, v), -met[rid][sid], sid))
                tiers = [tier(sid) for sid in cands]
            choice = _pick(rounds, v, d, cands, own, tiers)
            if choice is None:
                continue
            start, staff = choice
            rounds.add(v, d, start, staff)
            assigned[v.id] = Assignment(v.id, d, start, tuple(staff))
            own.append((start, start + v.minutes))
            for sid in staff:
                met[v.recipient][sid] += 1
            if week:
                days_taken[week].add(d)
            break


def _pick(rounds: _Rounds, v: Visit, d: date, cands: Sequence[str], own: list[tuple[int, int]],
          tiers: Sequence[int] | None) -> tuple[int, list[str]] | None:
    """The staff (one or two) and start for `v` on `d`. Without `tiers`: the first in `cands` who can.
    With them: among those who can in the best tier, the one with the cheapest detour."""

    def clear(t: int) -> bool:
        return all(not (a < t + v.minutes and t < b) for a, b in own)

    if v.staff == 2:
        for i, a in enumerate(cands):
            for b in cands[i + 1:]:
                t = rounds.place(v, d, [a, b])
                if t is not None and clear(t):
                    return t, [a, b]
        return None
    best: tuple[int, int, list[str]] | None = None
    best_tier = None
    for i, sid in enumerate(cands):
        if best_tier is not None and tiers is not None and tiers[i] > best_tier:
            break
        t = rounds.place(v, d, [sid], cheapest=tiers is not None)
        if t is None or not clear(t):
            continue
        if tiers is None:
            return t, [sid]
        cost = rounds.travel_delta(sid, d, v, t)
        if best is None or cost < best[0]:
            best, best_tier = (cost, t, [sid]), tiers[i]
    return (best[1], best[2]) if best else None


# -- local moves on a finished plan --------------------------------------------------------------------------


class _Polish:
    """A plan's staff days as `_Rounds`, with the faces each recipient meets, for single moves priced on the
    model's own objective (new faces, language, travel minutes of the staff days touched)."""

    def __init__(self, g: _Group, weights: Weights, assign: dict[str, Assignment]) -> None:
        self.g, self.weights, self.assign = g, weights, assign
        self.index = {v.id: vi for vi, v in enumerate(g.visits)}
        self.rounds = _Rounds(g)
        self.met: dict[str, Counter[str]] = defaultdict(Counter)
        self.own: dict[tuple[str, date], dict[str, tuple[int, int]]] = defaultdict(dict)
        for b in g.unit.fixed:
            self.own[b.recipient, b.day][b.visit] = (b.start, b.end)
        for a in assign.values():
            v = g.visits[self.index[a.visit]]
            self.rounds.add(v, a.day, a.start, a.staff)
            self.own[v.recipient, a.day][v.id] = (a.start, a.start + v.minutes)
            self.met[v.recipient].update(a.staff)
        self.known = {rid: g.known(rid) for rid in {v.recipient for v in g.visits}}

    def travel(self, sid: str, d: date, route: Sequence[Booked]) -> int:
        if not route:
            return 0
        return day_travel(route, self.g.shift(sid, d), self.g.base, self.g.place, self.g.travel)[0]

    def new_face(self, rid: str, sid: str) -> bool:
        return self.met[rid][sid] == 0 and sid not in self.known[rid]

    def best_insertion(self, v: Visit, d: date, sid: str, bound: float = math.inf) -> tuple[int, int] | None:
        """(extra travel minutes, start) of the cheapest workable place for `v` in `sid`'s day `d`, if
        one costs less than `bound` (a gap whose plain detour is not below it is not tried)."""
        route = self.rounds.day.get((sid, d), [])
        before: int | None = None
        busy = [iv for vid, iv in self.own[v.recipient, d].items() if vid != v.id]
        here, tr = self.g.place[v.recipient], self.g.travel.minutes
        best = None
        for lo, hi, pos in self.rounds.windows(sid, d, v):
            a = self.g.place[route[pos - 1].recipient] if pos else self.g.base
            c = self.g.place[route[pos].recipient] if pos < len(route) else self.g.base
            if tr(a, here) + tr(here, c) - tr(a, c) >= min(bound, best[0] if best else bound):
                continue
            for t in sorted({lo, hi}):
                if any(x < t + v.minutes and t < y for x, y in busy):
                    continue
                b = Booked(v.id, v.recipient, d, t, v.minutes, (sid,), v.insats)
                if not self.rounds.fits(sid, d, b, pos):
                    continue
                if before is None:
                    before = self.travel(sid, d, route)
                extra = self.travel(sid, d, [*route[:pos], b, *route[pos:]]) - before
                if extra < bound and (best is None or extra < best[0]):
                    best = (extra, t)
        return best

    def relocate(self, vid: str) -> int:
        """Move a one-person visit to the staff member and start (same day) where the objective gains most;
        returns the gain (0: left where it was)."""
        g, w = self.g, self.weights
        a = self.assign[vid]
        vi = self.index[vid]
        v = g.visits[vi]
        (sid,) = a.staff
        rid, d = v.recipient, a.day
        route = self.rounds.day[sid, d]
        without = [b for b in route if b.visit != vid]
        freed = self.travel(sid, d, route) - self.travel(sid, d, without)
        lost_face = w.new_staff if self.met[rid][sid] == 1 and sid not in self.known[rid] else 0
        spoke = g.speaks(sid, v)
        self.rounds.day[sid, d] = without
        self.met[rid][sid] -= 1
        best = (0, sid, a.start)
        for other in g.options.get((vi, d), []):
            fixed_cost = (w.new_staff if self.new_face(rid, other) else 0) + w.language * ((not g.speaks(other, v)) - (not spoke))
            bound = freed + lost_face - fixed_cost - best[0]
            if bound <= 0:
                continue
            found = self.best_insertion(v, d, other, bound)
            if found is None:
                continue
            extra, t = found
            gain = freed + lost_face - fixed_cost - extra
            if gain > best[0]:
                best = (gain, other, t)
        gain, to, t = best
        if gain <= 0:
            self.rounds.day[sid, d] = route
            self.met[rid][sid] += 1
            return 0
        self.rounds.add(v, d, t, [to])
        self.met[rid][to] += 1
        self.own[rid, d][vid] = (t, t + v.minutes)
        self.assign[vid] = Assignment(vid, d, t, (to,))
        return gain

    def insert(self, vi: int) -> bool:
        """Place a visit not placed yet where it costs least, if it fits anywhere now."""
        g, w = self.g, self.weights
        v = g.visits[vi]
        week = v.id.rsplit("-", 1)[0] if v.weekly else ""
        taken = {a.day for a in self.assign.values() if week and a.visit.rsplit("-", 1)[0] == week}
        taken |= {b.day for b in g.unit.fixed if week and b.visit.rsplit("-", 1)[0] == week}
        best: tuple[int, date, int, list[str]] | None = None
        for d in v.dates:
            cands = g.options.get((vi, d))
            if cands is None or d in taken:
                continue
            if v.staff == 2:
                own = list(self.own[v.recipient, d].values())
                choice = _pick(self.rounds, v, d, sorted(cands, key=lambda s: (self.new_face(v.recipient, s), s)), own, None)
                if choice is not None and (best is None or best[0] > 0):
                    best = (0, d, choice[0], choice[1])
                continue
            for sid in cands:
                fixed_cost = (w.new_staff if self.new_face(v.recipient, sid) else 0) + (0 if g.speaks(sid, v) else w.language)
                found = self.best_insertion(v, d, sid, best[0] - fixed_cost if best else math.inf)
                if found is None:
                    continue
                cost = found[0] + fixed_cost
                if best is None or cost < best[0]:
                    best = (cost, d, found[1], [sid])
        if best is None:
            return False
        _, d, t, staff = best
        self.rounds.add(v, d, t, staff)
        self.met[v.recipient].update(staff)
        self.own[v.recipient, d][v.id] = (t, t + v.minutes)
        self.assign[v.id] = Assignment(v.id, d, t, tuple(staff))
        return True


def _polish(g: _Group, weights: Weights, assign: dict[str, Assignment], deadline: float) -> int:
    """Single moves until none gains or the clock says stop: each one-person visit to wherever (same day)
    the objective is lowest, then every visit not placed yet into the room that frees. Deterministic
    (visits in id order); returns the number of moves made."""
    p = _Polish(g, weights, assign)
    moves = 0
    for _ in range(4):
        gained = 0
        for vid in sorted(assign):
            if time.monotonic() > deadline:
                return moves
            if len(assign[vid].staff) == 1 and p.relocate(vid):
                gained += 1
        for vi, v in enumerate(g.visits):
            if v.id not in assign and p.insert(vi):
                gained += 1
        moves += gained
        if not gained:
            break
    return moves


# -- entry points -------------------------------------------------------------------------------------------


def plan_greedy(unit: Unit, travel: R.Travel = R.Travel()) -> Plan:
    """The first-fit baseline: each visit in time order to the first staff (by id) who can take it."""
    t0 = time.monotonic()
    plan = Plan(status="GREEDY")
    for code in sorted(unit.groups):
        g = _Group(unit, code, travel)
        _construct(g, None, plan.assignments)
    _finish(unit, plan, travel)
    plan.seconds = time.monotonic() - t0
    return plan


def plan_unit(
    unit: Unit,
    travel: R.Travel = R.Travel(),
    weights: Weights = Weights(),
    *,
    time_limit: float = 40.0,
    workers: int = 2,
    deterministic: bool = False,
    step_seconds: float = 0.5,
    patience: int = 30,
) -> Plan:
    """Plan every group of `unit` for its period; `time_limit` is the whole budget in seconds.

    Each group starts from the constructive plan and is improved one neighbourhood at a time until the
    budget is spent or `patience` steps in a row found nothing better. `deterministic` counts CP-SAT's
    deterministic time instead of the clock, with one worker: the same input then gives the same plan
    whatever the machine's load (tests and reruns that must agree)."""
    t0 = time.monotonic()
    plan = Plan()
    groups = [_Group(unit, code, travel) for code in sorted(unit.groups) if any(
        unit.recipients[v.recipient].group == code for v in unit.visits)]

    # CP-SAT lets go of the GIL while it solves, so the groups are searched side by side, each on the
    # whole budget, sharing the `workers` solver threads
    threads = max(1, workers // max(1, len(groups)))

    def one(g: _Group) -> tuple[dict[str, Assignment], list[tuple[str, str, float]], bool]:
        t1 = time.monotonic()
        start: dict[str, Assignment] = {}
        _construct(g, weights, start)
        first_fit: dict[str, Assignment] = {}
        _construct(g, None, first_fit)
        if len(first_fit) > len(start):  # never fewer visits than the baseline places
            start = first_fit
        stages = [(f"{g.code}:start", f"{len(start)}/{len(g.visits)}", time.monotonic() - t1)]
        t1 = time.monotonic()
        moves = _polish(g, weights, start, math.inf)
        stages.append((f"{g.code}:moves", f"{moves} moves, {len(start)}/{len(g.visits)}", time.monotonic() - t1))
        t1 = time.monotonic()
        # the last tenth of the budget is for the closing moves
        budget = 0.9 * time_limit if deterministic else max(0.5, 0.9 * time_limit - (t1 - t0))
        found, steps, better = _lns(unit, g, weights, start, budget, threads, deterministic, step_seconds, patience)
        stages.append((f"{g.code}:search", f"{better}/{steps} steps better, {len(found)}/{len(g.visits)}",
                       time.monotonic() - t1))
        t1 = time.monotonic()
        moves = _polish(g, weights, found, math.inf if deterministic else t0 + time_limit)
        stages.append((f"{g.code}:moves", f"{moves} moves, {len(found)}/{len(g.visits)}", time.monotonic() - t1))
        return found, stages, better > 0 or moves > 0

    with ThreadPoolExecutor(max_workers=max(1, len(groups))) as pool:
        results = list(pool.map(one, groups))
    improved_any = False
    for found, stages, better in results:
        plan.assignments.update(found)
        plan.stages += stages
        improved_any |= better
    plan.status = "IMPROVED" if improved_any else "START"
    _finish(unit, plan, travel)
    plan.seconds = time.monotonic() - t0
    return plan


def _lns(unit: Unit, g: _Group, weights: Weights, start: dict[str, Assignment], budget: float, workers: int,
         deterministic: bool, step: float, patience: int) -> tuple[dict[str, Assignment], int, int]:
    """Alternate two neighbourhoods: a recipient with those who share staff with it (over the whole
    period: continuity), and three staff members on one day with that day's unplaced visits (rounds and
    room). Returns (plan, steps, better steps)."""
    search = _Search(g, weights, start)
    rng = random.Random(f"lena:{g.code}")
    recipients = sorted({v.recipient for v in g.visits})
    days = [d for d in unit.days if any(d in s.shifts for s in g.staff)]
    t0, used, quiet, steps, better = time.monotonic(), 0.0, 0, 0, 0
    # deterministic: CP-SAT's own work units, and a number of steps (the model building in Python is
    # not counted in them): ten steps per unit of budget
    max_steps = max(4, int(10 * budget)) if deterministic else None
    while quiet < patience:
        left = budget - (used if deterministic else time.monotonic() - t0)
        if left <= 0.05 or not days or (max_steps is not None and steps >= max_steps):
            break
        steps += 1
        kind = steps % 4
        unplaced = [vi for vi, v in enumerate(g.visits) if v.id not in search.assign
                    and any((vi, d) in g.options for d in v.dates)]
        if kind == 0 and unplaced:  # make room for a visit not placed: its candidates on one of its days
            vi = rng.choice(unplaced)
            d = rng.choice([d for d in g.visits[vi].dates if (vi, d) in g.options])
            cands = g.options[vi, d]
            team = rng.sample(cands, k=min(4, len(cands)))
        elif kind == 1 or not recipients:  # three staff of one day, with overlapping passes
            d = rng.choice(days)
            working = [s for s in g.staff if d in s.shifts]
            # often the lightest day in use: handing its few visits to others saves its trips to the base
            load = Counter(sid for a in search.assign.values() if a.day == d for sid in a.staff)
            light = sorted((s for s in working if load[s.id]), key=lambda s: (load[s.id], s.id))
            first = light[0] if light and rng.random() < 0.5 else rng.choice(working)
            a = first.shifts[d]
            overlap = sorted(working, key=lambda s: (-min(a.end, s.shifts[d].end) + max(a.start, s.shifts[d].start), s.id))
            team = [first.id, *(s.id for s in overlap if s.id != first.id)][:3]
        elif kind == 2:  # two staff with alike passes, over the whole period: they may swap recipients
            first = rng.choice(g.staff)
            alike = sorted((s for s in g.staff if s.id != first.id),
                           key=lambda s: (abs(_typical(s) - _typical(first)) > 60, -len(set(s.shifts) & set(first.shifts)),
                                          s.id))
            pair = {first.id, *(s.id for s in alike[:1])}
            free = {a.visit for a in search.assign.values() if set(a.staff) <= pair}
            team, scope = [], pair
        else:  # a recipient and those who share staff with it, over the whole period
            team, scope = [], None
        if team:
            free, scope = search.staff_on_day(d, team), set(team)
        elif scope is None:
            free, scope = search.recipients_around(rng.choice(recipients), size=NEIGHBOURHOOD), None
        if not free:
            quiet += 1
            continue
        params: dict[str, object] = {"random_seed": steps, "cp_model_presolve": False}
        if deterministic:
            params.update(num_workers=1, max_deterministic_time=min(step / 2, left))
        else:
            params.update(num_workers=workers, max_time_in_seconds=min(step, left))
        ok, det = search.improve(free, scope, params)
        used += det
        better += ok
        quiet = 0 if ok else quiet + 1
    return search.assign, steps, better


def _finish(unit: Unit, plan: Plan, travel: R.Travel) -> None:
    """Drop anything the referee refuses (a safety net), then routes, travel and, for every visit left
    out, why: `capacity.check_unplaced`, written from the rules, names what is missing."""
    for problem in violations(unit, plan, travel, quick=True):
        plan.assignments.pop(problem[0], None)
    plan.routes, plan.travel = routes(unit, plan, travel)
    left = [v.id for v in unit.visits if v.id not in plan.assignments]
    verdicts = check_unplaced(unit, plan.booked(unit), travel, left)
    plan.unplaced = {vid: verdicts[vid].reason for vid in left}


def routes(unit: Unit, plan: Plan, travel: R.Travel) -> tuple[dict[tuple[str, date], list[tuple[str, str, int]]], dict[tuple[str, date], int]]:
    """Every staff day's stops in order (the break where it fits first) and its travel minutes."""
    days = _staff_days(unit, plan)
    out: dict[tuple[str, date], list[tuple[str, str, int]]] = {}
    minutes: dict[tuple[str, date], int] = {}
    places = {r.id: r.place for r in unit.recipients.values()}
    for (sid, d), mine in days.items():
        s = unit.staff[sid]
        base = unit.groups[s.group].base
        shift = s.shifts.get(d)
        stops: list[tuple[str, str, int]] = []
        here, total, at = base, 0, shift.start if shift else 0
        brk = R.break_range(shift) if shift else None
        for b in mine:
            p = places[b.recipient]
            if brk is not None:
                t = max(brk[0], at + travel.minutes(here, base))
                if t <= brk[1] and t + shift.break_minutes + travel.minutes(base, p) <= b.start:  # type: ignore[union-attr]
                    total += travel.minutes(here, base)
                    stops.append(("rast", "", t))
                    here, brk = base, None
            total += travel.minutes(here, p)
            stops.append(("besok", b.visit, b.start))
            here, at = p, b.end
        if brk is not None:
            stops.append(("rast", "", max(brk[0], at + travel.minutes(here, base))))
        total += travel.minutes(here, base)
        out[sid, d], minutes[sid, d] = stops, total
    return out, minutes


def _staff_days(unit: Unit, plan: Plan) -> dict[tuple[str, date], list[Booked]]:
    days: dict[tuple[str, date], list[Booked]] = defaultdict(list)
    period = set(unit.days)
    for b in [*plan.booked(unit), *(f for f in unit.fixed if f.day in period)]:
        for sid in b.staff:
            if sid in unit.staff:
                days[sid, b.day].append(b)
    for lst in days.values():
        lst.sort(key=lambda b: (b.start, b.visit))
    return days


def violations(unit: Unit, plan: Plan, travel: R.Travel, *, quick: bool = False) -> list[tuple[str, str]]:
    """Every broken rule in the plan, as (visit id or staff day, what): the referee, from the rules.

    Each visit: on one of its days, inside its window, by as many staff as granted, each working then
    and holding the delegation; a recipient's visits not overlapping; a weekly decision's occasions on
    different days. Each staff day (fixed bookings included): workable in order with travel and the
    break (`rules.day_problem`)."""
    out: list[tuple[str, str]] = []
    by_id = {v.id: v for v in unit.visits}
    weekly_days: dict[str, set[date]] = defaultdict(set)
    own: dict[tuple[str, date], list[tuple[int, int, str]]] = defaultdict(list)
    for b in unit.fixed:
        own[b.recipient, b.day].append((b.start, b.end, b.visit))
    for a in sorted(plan.assignments.values(), key=lambda a: (a.day, a.start, a.visit)):
        v = by_id[a.visit]
        why = None
        if a.day not in v.dates:
            why = "fel dag"
        elif not v.earliest <= a.start <= v.latest:
            why = "utanför tidsfönstret"
        elif len(a.staff) != v.staff or len(set(a.staff)) != len(a.staff):
            why = "fel antal personal"
        else:
            for sid in a.staff:
                s = unit.staff.get(sid)
                sh = s.shifts.get(a.day) if s else None
                if s is None or sh is None or a.start < sh.start or a.start + v.minutes > sh.end:
                    why = f"{sid} arbetar inte då"
                elif not s.may(v.delegation, a.day):
                    why = f"{sid} saknar delegering"
        if why is None and v.weekly:
            week = v.id.rsplit("-", 1)[0]
            if a.day in weekly_days[week]:
                why = "två tillfällen samma dag"
            weekly_days[week].add(a.day)
        if why is None:
            for lo, hi, other in own[v.recipient, a.day]:
                if lo < a.start + v.minutes and a.start < hi:
                    why = f"samtidigt som {other} hos brukaren"
                    break
            own[v.recipient, a.day].append((a.start, a.start + v.minutes, v.id))
        if why:
            out.append((a.visit, why))
    places = {r.id: r.place for r in unit.recipients.values()}
    for (sid, d), mine in _staff_days(unit, plan).items():
        s = unit.staff[sid]
        sh = s.shifts.get(d)
        if sh is None:
            continue
        problem = R.day_problem(mine, sh, unit.groups[s.group].base, places, travel)
        if problem:
            planned = [b.visit for b in mine if b.visit in plan.assignments]
            if quick:  # drop the day's last planned visit and look again (the safety net)
                out += [(planned[-1], problem)] if planned else []
            else:
                out.append((f"{sid} {d.isoformat()}", problem))
    return out


# -- large-neighbourhood search with the exact model -------------------------------------------------------


def day_travel(route: Sequence[Booked], shift, base: Place, places: dict[str, Place], travel: R.Travel  # noqa: ANN001
               ) -> tuple[int, int | None, int | None]:
    """A staff day's travel minutes with the break (at the base) where it costs least, as
    (travel, index of the visit the break comes before, break start); the day must be workable."""
    t = travel.minutes
    stops = [base, *(places[b.recipient] for b in route), base]
    total = sum(t(a, b) for a, b in zip(stops, stops[1:]))
    window = R.break_range(shift)
    if window is None:
        return total, None, None
    lo, hi = window
    best: tuple[int, int | None, int | None] = (total + 10_000, None, None)
    at, here = shift.start, base
    for pos in range(len(route) + 1):
        nxt_place = places[route[pos].recipient] if pos < len(route) else base
        nxt_start = route[pos].start if pos < len(route) else shift.end
        arrive = at + t(here, base)
        leave = nxt_start - t(base, nxt_place)
        b = max(lo, arrive)
        if b <= hi and b + shift.break_minutes <= leave:
            extra = t(here, base) + t(base, nxt_place) - t(here, nxt_place)
            if extra + total < best[0]:
                best = (total + extra, pos, b)
        if pos < len(route):
            at, here = route[pos].end, nxt_place
    return best


class _Search:
    """One group's plan, improved a neighbourhood at a time by the exact CP-SAT model of that part."""

    def __init__(self, g: _Group, weights: Weights, assign: dict[str, Assignment]) -> None:
        self.g, self.weights = g, weights
        self.assign = dict(assign)
        self.index = {v.id: vi for vi, v in enumerate(g.visits)}
        self.history_known = {rid: g.known(rid) for rid in {v.recipient for v in g.visits}}

    # -- the current plan, as the model sees it --------------------------------------------------------

    def bookings(self, skip: set[str] = frozenset()) -> dict[tuple[str, date], list[Booked]]:  # type: ignore[assignment]
        """Every staff day of the group's staff: fixed bookings and the plan's visits not in `skip`."""
        out: dict[tuple[str, date], list[Booked]] = defaultdict(list)
        for key, lst in self.g.fixed.items():
            out[key].extend(lst)
        for a in self.assign.values():
            if a.visit in skip:
                continue
            v = self.g.visits[self.index[a.visit]]
            b = Booked(v.id, v.recipient, a.day, a.start, v.minutes, a.staff, v.insats)
            for sid in a.staff:
                out[sid, a.day].append(b)
        for lst in out.values():
            lst.sort(key=lambda b: (b.start, b.visit))
        return out

    def known(self, rid: str, skip: set[str]) -> set[str]:
        """Staff who cost nothing more for `rid`: met before, their contact, or on visits not freed."""
        out = set(self.history_known.get(rid, set()))
        for a in self.assign.values():
            if a.visit not in skip and self.g.visits[self.index[a.visit]].recipient == rid:
                out.update(a.staff)
        return out

    def cost(self, free: set[str], scope: Iterable[tuple[str, date]], books: dict[tuple[str, date], list[Booked]]) -> int:
        """The sub-model's objective for the current plan (free visits where they are now)."""
        total = 0
        faces: dict[str, set[str]] = defaultdict(set)
        for vid in free:
            a = self.assign.get(vid)
            if a is None:
                continue
            v = self.g.visits[self.index[vid]]
            total -= PLACE_WEIGHT
            faces[v.recipient].update(a.staff)
            total += sum(self.weights.language for s in a.staff if not self.g.speaks(s, v))
        for rid, staff in faces.items():
            total += self.weights.new_staff * len(staff - self.known(rid, free))
        places = self.g.place
        for sid, d in scope:
            route = books.get((sid, d), [])
            if route:
                total += day_travel(route, self.g.shift(sid, d), self.g.base, places, self.g.travel)[0]
        return total

    # -- neighbourhoods ----------------------------------------------------------------------------------

    def recipients_around(self, seed: str, size: int) -> set[str]:
        """Visits of `seed` and of recipients who share staff with it, up to about `size` visits."""
        by_recipient: dict[str, list[str]] = defaultdict(list)
        for v in self.g.visits:
            by_recipient[v.recipient].append(v.id)
        staff_of: dict[str, set[str]] = defaultdict(set)
        for a in self.assign.values():
            staff_of[self.g.visits[self.index[a.visit]].recipient].update(a.staff)
        chosen = [seed]
        mine = set(staff_of[seed])
        others = sorted((r for r in by_recipient if r != seed), key=lambda r: (-len(staff_of[r] & mine), r))
        free = set(by_recipient[seed])
        for r in others:
            if len(free) >= size:
                break
            if not staff_of[r] & mine:
                break
            chosen.append(r)
            free.update(by_recipient[r])
        return free

    def staff_on_day(self, d: date, staff: Sequence[str]) -> set[str]:
        """Visits only these staff take on `d`, and the visits that could be on `d` but are not placed."""
        team = set(staff)
        free = {a.visit for a in self.assign.values() if a.day == d and set(a.staff) <= team}
        waiting = [v.id for vi, v in enumerate(self.g.visits) if v.id not in self.assign and (vi, d) in self.g.options
                   and team & set(self.g.options[vi, d])]
        return free | set(waiting[:UNPLACED_PER_STEP])

    # -- one improvement step ----------------------------------------------------------------------------

    def improve(self, free: set[str], staff_scope: set[str] | None, solver_params: dict) -> tuple[bool, float]:
        """Free `free` (candidates limited to `staff_scope` when given), solve the part exactly, keep the
        result if it is better. Returns (improved, deterministic time used)."""
        g = self.g
        books = self.bookings(skip=free)
        opts: dict[tuple[int, date], list[str]] = {}
        for vid in free:
            vi = self.index[vid]
            for d in g.visits[vi].dates:
                cands = g.options.get((vi, d))
                if cands is None:
                    continue
                if staff_scope is not None:
                    cands = [s for s in cands if s in staff_scope]
                if len(cands) >= g.visits[vi].staff:
                    opts[vi, d] = cands
        scope = sorted({(s, d) for (vi, d), cands in opts.items() for s in cands}
                       | {(s, a.day) for vid in free if (a := self.assign.get(vid)) for s in a.staff})
        current = self.cost(free, scope, self.bookings())
        model = _Model(g, self.weights, free, opts, scope, books, {rid: self.known(rid, free) for rid in
                                                                    {g.visits[self.index[v]].recipient for v in free}},
                       self.assign)
        model.hint(self.assign)
        from ortools.sat.python import cp_model  # see _Model.__init__

        solver = cp_model.CpSolver()
        for k, val in solver_params.items():
            setattr(solver.parameters, k, val)
        result = solver.solve(model.m)
        used = solver.response_proto.deterministic_time
        if result not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or round(solver.objective_value) >= current:
            return False, used
        new = model.read(solver)
        for vid in free:
            self.assign.pop(vid, None)
        self.assign.update(new)
        return True, used


class _Model:
    """The exact model of one neighbourhood: free visits with their candidate days and staff, and the
    circuits of every staff day they could go to (with that day's other bookings as fixed nodes)."""

    def __init__(self, g: _Group, weights: Weights, free: set[str], opts: dict[tuple[int, date], list[str]],
                 scope: Sequence[tuple[str, date]], books: dict[tuple[str, date], list[Booked]],
                 known: dict[str, set[str]], assign: dict[str, Assignment]) -> None:
        # Imported here, not at the top: OR-Tools (with pandas) costs a second or more of CPU, and every
        # `nattskift list` imports this module to read Lena's title; only a night's planning needs it.
        from ortools.sat.python import cp_model

        self.g = g
        m = self.m = cp_model.CpModel()
        tr = g.travel.minutes
        visits = g.visits
        # The other bookings of a staff day are fixed in time, so they are visited in time order: a freed
        # visit can only go into a gap between two of them (or before the first, after the last). Arcs are
        # made only inside gaps, and a candidate that fits no gap of the staff's day is dropped.
        anchors = {key: _anchors(g, key, books.get(key, [])) for key in scope}
        fit: dict[tuple[int, date, str], set[int]] = {}
        for k, cands in opts.items():
            v = visits[k[0]]
            for sid in cands:
                if (sid, k[1]) in anchors:
                    gaps = _gaps(anchors[sid, k[1]], g.place[v.recipient], v.earliest, v.latest, v.minutes, tr)
                    if gaps:
                        fit[k[0], k[1], sid] = gaps
        opts = {k: [s for s in c if (k[0], k[1], s) in fit] for k, c in opts.items()}
        opts = {k: c for k, c in opts.items() if len(c) >= visits[k[0]].staff}
        self.keys = keys = sorted(opts)
        self.opts = opts
        self.start = {k: m.new_int_var(visits[k[0]].earliest, visits[k[0]].latest, "") for k in keys}
        self.day = {k: m.new_bool_var("") for k in keys}
        self.x: dict[tuple[int, date, str], cp_model.IntVar] = {}
        self.books = books
        self.index = index = {v.id: vi for vi, v in enumerate(visits)}
        free_idx = sorted({index[v] for v in free})
        self.placed = {vi: m.new_bool_var("") for vi in free_idx}
        by_visit: dict[int, list[tuple[int, date]]] = defaultdict(list)
        for k in keys:
            by_visit[k[0]].append(k)
            for sid in opts[k]:
                self.x[k[0], k[1], sid] = m.new_bool_var("")
            m.add(sum(self.x[k[0], k[1], sid] for sid in opts[k]) == visits[k[0]].staff * self.day[k])
        for vi in free_idx:
            m.add(sum(self.day[k] for k in by_visit[vi]) == self.placed[vi])

        # a weekly decision's occasions on different days (days taken by occasions not freed are out)
        taken: dict[str, set[date]] = defaultdict(set)
        for lst in books.values():
            for b in lst:
                if "V" in b.visit.split("-")[1]:
                    taken[b.visit.rsplit("-", 1)[0]].add(b.day)
        weeks: dict[str, list[int]] = defaultdict(list)
        for vi in free_idx:
            if visits[vi].weekly:
                weeks[visits[vi].id.rsplit("-", 1)[0]].append(vi)
        for week, vis in weeks.items():
            for d in {k[1] for vi in vis for k in by_visit[vi]}:
                terms = [self.day[vi, d] for vi in vis if (vi, d) in self.day]
                if d in taken[week]:
                    for t in terms:
                        m.add(t == 0)
                elif len(terms) > 1:
                    m.add(sum(terms) <= 1)
        # a recipient's visits never overlap (those not freed are fixed intervals)
        own: dict[tuple[str, date], list] = defaultdict(list)
        for k in keys:
            v = visits[k[0]]
            own[v.recipient, k[1]].append(m.new_optional_fixed_size_interval_var(self.start[k], v.minutes, self.day[k], ""))
        fixed_own = {(b.recipient, b.day, b.visit): b for lst in books.values() for b in lst}
        fixed_own.update({(b.recipient, b.day, b.visit): b for b in g.unit.fixed})
        for (rid, d, _), b in fixed_own.items():
            if (rid, d) in own:
                own[rid, d].append(m.new_fixed_size_interval_var(b.start, b.minutes, ""))
        for ivs in own.values():
            if len(ivs) > 1:
                m.add_no_overlap(ivs)

        # one circuit per staff day in scope
        self.arcs: dict[tuple[str, date], dict[tuple[int, int], cp_model.IntVar]] = {}
        self.nodes: dict[tuple[str, date], list[tuple[str, Place, int]]] = {}
        self.breaks: dict[tuple[str, date], cp_model.IntVar] = {}
        self.empty: dict[tuple[str, date], cp_model.IntVar | None] = {}
        self.route_hint: dict[tuple[str, date], tuple[list[int], int | None]] = {}
        travel_terms: list[tuple[int, cp_model.IntVar]] = []
        for sid, d in scope:
            sh = g.shift(sid, d)
            anchor = anchors[sid, d]
            fixed = books.get((sid, d), [])
            # nodes: 0 the base, 1..len(fixed) the fixed bookings in time order, then the break, then visits
            nodes: list[tuple[str, Place, int]] = [("", g.base, 0)]
            starts: list = [sh.start]
            earliest, latest = [sh.start], [sh.start]
            for b in fixed:
                nodes.append((b.visit, g.place[b.recipient], b.minutes))
                starts.append(b.start), earliest.append(b.start), latest.append(b.start)
            gaps_of: dict[int, set[int]] = {}
            presence: dict[int, cp_model.IntVar | None] = {}
            brk = R.break_range(sh)
            if brk is not None:
                self.breaks[sid, d] = bv = m.new_int_var(brk[0], brk[1], "")
                i = len(nodes)
                nodes.append(("rast", g.base, sh.break_minutes))
                starts.append(bv), earliest.append(brk[0]), latest.append(brk[1])
                gaps_of[i] = _gaps(anchor, g.base, brk[0], brk[1], sh.break_minutes, tr)
                presence[i] = None
            for k in keys:
                if k[1] == d and (k[0], d, sid) in self.x:
                    v = visits[k[0]]
                    i = len(nodes)
                    nodes.append((v.id, g.place[v.recipient], v.minutes))
                    starts.append(self.start[k]), earliest.append(v.earliest), latest.append(v.latest)
                    gaps_of[i] = fit[k[0], d, sid]
                    presence[i] = self.x[k[0], d, sid]
            empty = None if fixed else m.new_bool_var("")
            self.empty[sid, d] = empty
            arcs: list[tuple[int, int, cp_model.IntVar]] = []
            lits: dict[tuple[int, int], cp_model.IntVar] = {}
            if empty is not None:
                arcs.append((0, 0, empty))
            for i, p in presence.items():
                if p is None:  # the break: there whenever the day is
                    if empty is not None:
                        arcs.append((i, i, empty))
                else:
                    arcs.append((i, i, p.Not()))
                    if empty is not None:
                        m.add_implication(p, empty.Not())

            def arc(i: int, j: int) -> None:
                gap = tr(nodes[i][1], nodes[j][1])
                if j == 0:
                    if earliest[i] + nodes[i][2] + gap > sh.end:
                        return
                    bound = starts[i] + nodes[i][2] + gap <= sh.end
                elif i == 0:
                    if sh.start + gap > latest[j]:
                        return
                    bound = starts[j] >= sh.start + gap
                else:
                    if earliest[i] + nodes[i][2] + gap > latest[j]:
                        return
                    bound = starts[j] >= starts[i] + nodes[i][2] + gap
                lit = m.new_bool_var("")
                if not isinstance(bound, bool):
                    m.add(bound).only_enforce_if(lit)
                arcs.append((i, j, lit))
                lits[i, j] = lit
                if gap:
                    travel_terms.append((gap, lit))

            seq, break_at = self._current(sid, d, nodes, fixed, assign, free)
            self.route_hint[sid, d] = (seq, break_at)
            hinted = set(zip([0, *seq], [*seq, 0])) if seq else set()
            ends = [0, *range(1, len(fixed) + 1), 0]  # the node closing gap k is ends[k + 1]
            for k in range(len(fixed) + 1):
                if len(fixed):
                    arc(ends[k], ends[k + 1])
            for i, gi in gaps_of.items():
                for k in gi:
                    arc(ends[k], i)
                    arc(i, ends[k + 1])
                # to the nearest in time only (and wherever the current plan goes): a round never skips
                # far ahead past visits it could have taken on the way
                after = sorted((max(0, earliest[j] - earliest[i] - nodes[i][2]), j) for j, gj in gaps_of.items()
                               if j != i and gi & gj)
                for rank, (_, j) in enumerate(after):
                    if rank < SUCCESSORS or (i, j) in hinted:
                        arc(i, j)
            for i, j in hinted:
                if (i, j) not in lits and i != j:
                    arc(i, j)
            m.add_circuit(arcs)
            self.arcs[sid, d], self.nodes[sid, d] = lits, nodes

        # continuity: y[r, s] when s takes any freed visit of r; staff not already known cost
        y: dict[tuple[str, str], cp_model.IntVar] = {}
        for (vi, d, sid), var in self.x.items():
            rid = visits[vi].recipient
            if sid in known.get(rid, set()):
                continue
            if (rid, sid) not in y:
                y[rid, sid] = m.new_bool_var("")
            m.add_implication(var, y[rid, sid])
        self.y = y
        cost = [(-PLACE_WEIGHT, var) for var in self.placed.values()]
        cost += [(weights.new_staff, var) for var in y.values()]
        cost += [(weights.language, var) for (vi, d, sid), var in self.x.items() if not g.speaks(sid, visits[vi])]
        cost += travel_terms
        m.minimize(sum(w * var for w, var in cost))

    def hint(self, assign: dict[str, Assignment]) -> None:
        """The current plan as the solver's starting point (complete, so it is found at once)."""
        g, m = self.g, self.m
        visits = g.visits
        freed = {visits[vi].id for vi in self.placed}
        for k in self.keys:
            a = assign.get(visits[k[0]].id)
            on = a is not None and a.day == k[1]
            m.add_hint(self.day[k], on)
            m.add_hint(self.start[k], a.start if on else visits[k[0]].earliest)  # type: ignore[union-attr]
            for sid in self.opts[k]:
                m.add_hint(self.x[k[0], k[1], sid], bool(on and sid in a.staff))  # type: ignore[union-attr]
        for vi, var in self.placed.items():
            m.add_hint(var, visits[vi].id in assign)
        faces = {(visits[self.index[vid]].recipient, s) for vid in freed if (a := assign.get(vid)) for s in a.staff}
        for key, var in self.y.items():
            m.add_hint(var, key in faces)
        for key, lits in self.arcs.items():
            seq, break_at = self.route_hint[key]
            if key in self.breaks:
                m.add_hint(self.breaks[key], break_at if break_at is not None else R.break_range(g.shift(*key))[0])  # type: ignore[index]
            used = set(zip([0, *seq], [*seq, 0])) if seq else set()
            for ij, lit in lits.items():
                m.add_hint(lit, ij in used)
            if self.empty[key] is not None:
                m.add_hint(self.empty[key], not seq)

    def _current(self, sid: str, d: date, nodes: list[tuple[str, Place, int]], fixed: Sequence[Booked],
                 assign: dict[str, Assignment], free: set[str]) -> tuple[list[int], int | None]:
        """The staff day's round in the current plan as node indices, and where its break starts."""
        g = self.g
        where = {nid: i for i, (nid, _, _) in enumerate(nodes) if i > 0 and nid != "rast"}
        route = list(fixed)
        for vid in free:
            a = assign.get(vid)
            if a is not None and a.day == d and sid in a.staff:
                v = g.visits[self.index[vid]]
                route.append(Booked(v.id, v.recipient, d, a.start, v.minutes, a.staff, v.insats))
        route.sort(key=lambda b: (b.start, b.visit))
        seq = [where[b.visit] for b in route]
        at = None
        if any(nid == "rast" for nid, _, _ in nodes) and route:
            _, pos, at = day_travel(route, g.shift(sid, d), g.base, g.place, g.travel)
            if pos is not None:
                seq.insert(pos, next(i for i, (nid, _, _) in enumerate(nodes) if nid == "rast"))
        return seq, at

    def read(self, solver: cp_model.CpSolver) -> dict[str, Assignment]:
        out: dict[str, Assignment] = {}
        visits = self.g.visits
        for k in self.keys:
            if solver.boolean_value(self.day[k]):
                staff = tuple(sid for sid in self.opts[k] if solver.boolean_value(self.x[k[0], k[1], sid]))
                out[visits[k[0]].id] = Assignment(visits[k[0]].id, k[1], int(solver.value(self.start[k])), staff)
        return out


def _anchors(g: _Group, key: tuple[str, date], fixed: Sequence[Booked]) -> list[tuple[int, int, Place]]:
    """The fixed points of a staff day in time order, as (start, end, place): the base at the pass's
    start, each fixed booking, the base at its end."""
    sh = g.shift(*key)
    return [(sh.start, sh.start, g.base), *((b.start, b.end, g.place[b.recipient]) for b in fixed), (sh.end, sh.end, g.base)]


def _gaps(anchors: Sequence[tuple[int, int, Place]], place: Place, earliest: int, latest: int, minutes: int,
          tr) -> set[int]:  # noqa: ANN001
    """The gaps between consecutive fixed points that a stop (at `place`, started in [earliest, latest],
    lasting `minutes`) fits into, with the travel there and on."""
    out = set()
    for k in range(len(anchors) - 1):
        _, end, here = anchors[k]
        nxt, _, there = anchors[k + 1]
        t = max(earliest, end + tr(here, place))
        if t <= latest and t + minutes + tr(place, there) <= nxt:
            out.add(k)
    return out
