"""Plans the whole night's assignment at once with OR-Tools CP-SAT.

Filling shifts one by one ("first come, first served") loses shifts: giving the first shift to the
only person who could also take a later, harder one leaves that one empty. So Bosse states the night
as one problem: a 0/1 variable per (shift, substitute) pair that passes the rules on its own; the
rules between shifts (overlap, 11 h rest — 12 h for a minor —, 36 h weekly rest, monthly hour cap, a
minor's 40 h week, the LAS conversion threshold) as constraints; and the
preferences as objectives solved one after the other, each keeping the best value of the ones before:

1. fill the most shifts, sooner shifts first;
2. give shifts to people with företrädesrätt (LAS 25 §), and among them first to the first in the
   order of LAS 26 § (longest employment, then the older);
3. keep people below the LAS warning level unless no one else can (such a choice is flagged for HR);
4. spread hours fairly (the k-th new shift of a person costs their hours this month + 8·k);
5. a fixed tie-break so that the same input gives the same plan (when the stages before were proven
   optimal, i.e. on ordinary nights).

The first-come plan is the solver's starting point and its floor: out of time below it, it is kept.

Then each filled shift gets ranked alternates (people who could take it without breaking the plan),
and each unfilled shift the reasons counted per rule over the whole pool.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING


from robots.bosse import rules as R
from robots.bosse.model import Shift, Substitute

if TYPE_CHECKING:  # pragma: no cover
    from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Preferences:
    las_warning_days: int = 330
    alternates: int = 5


@dataclass
class Choice:
    """A filled shift: who, who else could, and whether HR must look at the LAS days."""

    shift_id: str
    substitute_id: str
    alternates: list[str]
    las_warning: bool = False
    foretradesratt: bool = False


@dataclass
class Plan:
    chosen: dict[str, Choice] = field(default_factory=dict)
    unfilled: dict[str, Counter[str]] = field(default_factory=dict)
    status: str = "EMPTY"
    seconds: float = 0.0
    variables: int = 0
    stages: list[tuple[str, str, float]] = field(default_factory=list)  # (stage, solver status, seconds)

    @property
    def filled(self) -> int:
        return len(self.chosen)


# -- helpers shared with the greedy baseline -------------------------------------------------------------


def _preference_key(sub: Substitute, prefs: Preferences) -> tuple:
    """How a person ranks as the next choice: företrädesrätt (in the order of LAS 26 §), below the LAS
    warning, fewer hours, id."""
    rank = sub.foretradesratt_rank or 0
    return (not sub.foretradesratt, rank, sub.las_days + 1 >= prefs.las_warning_days, sum(sub.month_minutes.values()),
            sub.id)


def plan_greedy(
    shifts: Sequence[Shift], pool: Sequence[Substitute], rules: R.RuleSet = R.RuleSet(), prefs: Preferences = Preferences()
) -> dict[str, str]:
    """The first-come baseline: each shift in start order goes to the best-ranked person still free.

    Not used by the robot; kept to show (in tests and the bench) what the solver gains over it.
    """
    ranked = sorted(pool, key=lambda p: _preference_key(p, prefs))
    given: dict[str, list[Shift]] = defaultdict(list)
    out: dict[str, str] = {}
    for s in sorted(shifts, key=lambda s: (s.start_min, s.id)):
        for p in ranked:
            if R.reason_against(p, s, given[p.id], rules) is None:
                given[p.id].append(s)
                out[s.id] = p.id
                break
    return out


# -- the solver -------------------------------------------------------------------------------------------


def plan_shifts(
    shifts: Sequence[Shift],
    pool: Sequence[Substitute],
    rules: R.RuleSet = R.RuleSet(),
    prefs: Preferences = Preferences(),
    *,
    time_limit: float = 10.0,
    workers: int = 2,
) -> Plan:
    """Plan all `shifts` over `pool` at once. `time_limit` is the whole budget in seconds."""
    t0 = time.monotonic()
    shifts = sorted(shifts, key=lambda s: (s.start_min, s.id))
    people = sorted(pool, key=lambda p: p.id)

    # Candidate pairs: the person may take the shift on top of their existing bookings.
    cand: dict[tuple[int, int], bool] = {}
    for si, s in enumerate(shifts):
        for pi, p in enumerate(people):
            if _quick_no(p, s):
                continue
            if R.reason_for(p, s, rules) is None:
                cand[si, pi] = True

    plan = Plan(variables=len(cand))
    plan.stages.append(("candidates", "", time.monotonic() - t0))
    assigned: dict[int, int] = {}
    if cand:
        assigned, plan.status = _solve(shifts, people, cand, rules, prefs, time_limit, workers, plan.stages)
    t1 = time.monotonic()
    assigned = _repair(shifts, people, assigned, rules)
    plan.stages.append(("repair", "", time.monotonic() - t1))

    t1 = time.monotonic()
    given: dict[str, list[Shift]] = defaultdict(list)
    for si, pi in assigned.items():
        given[people[pi].id].append(shifts[si])
    for si, pi in sorted(assigned.items()):
        s, p = shifts[si], people[pi]
        plan.chosen[s.id] = Choice(
            shift_id=s.id,
            substitute_id=p.id,
            alternates=_alternates(s, p.id, people, given, rules, prefs),
            las_warning=p.las_days + len(given[p.id]) >= prefs.las_warning_days,
            foretradesratt=p.foretradesratt,
        )
    for s in shifts:
        if s.id not in plan.chosen:
            plan.unfilled[s.id] = unfilled_reasons(s, people, given, rules)
    plan.stages.append(("explain", "", time.monotonic() - t1))
    plan.seconds = time.monotonic() - t0
    return plan


def _quick_no(p: Substitute, s: Shift) -> bool:
    """Cheap early outs before the full rule check (most pairs fail on the unit)."""
    return s.unit not in p.units or p.competence.level < s.competence.level


def unfilled_reasons(
    shift: Shift, people: Sequence[Substitute], given: dict[str, list[Shift]], rules: R.RuleSet
) -> Counter[str]:
    """Why nobody took `shift`: each person counted once, under the first rule they break; people who
    are free on their own but needed for other shifts of the plan count as 'behövs till andra pass'."""
    counts: Counter[str] = Counter()
    for p in people:
        reason = R.reason_for(p, shift, rules)
        if reason is None:
            with_plan = R.reason_against(p, shift, given.get(p.id, []), rules)
            # the LAS threshold is the person's, not a clash with another shift: name it
            reason = R.LAS_CONVERSION if with_plan == R.LAS_CONVERSION else R.NEEDED_ELSEWHERE
        counts[reason] += 1
    return counts


def _alternates(
    s: Shift, chosen: str, people: Sequence[Substitute], given: dict[str, list[Shift]], rules: R.RuleSet, prefs: Preferences
) -> list[str]:
    """People who could take `s` instead, without breaking their own shifts in the plan; best first.

    Someone with no other shift tonight ranks before someone who would have to give one up.
    """
    ok = [
        p
        for p in people
        if p.id != chosen and not _quick_no(p, s) and R.reason_against(p, s, given.get(p.id, []), rules) is None
    ]
    ok.sort(key=lambda p: (len(given.get(p.id, [])), _preference_key(p, prefs)))
    return [p.id for p in ok[: prefs.alternates]]


def _repair(shifts: Sequence[Shift], people: Sequence[Substitute], assigned: dict[int, int], rules: R.RuleSet) -> dict[int, int]:
    """After a time-limited solve: give any still-empty shift to anyone who can take it on top of the plan.

    Also drops any assignment the referee check refuses (a safety net: it should never trigger).
    """
    given: dict[int, list[Shift]] = defaultdict(list)
    for si, pi in sorted(assigned.items()):
        given[pi].append(shifts[si])
    for pi, mine in list(given.items()):
        # The solver's LAS room is counted on the earliest shifts; any other disagreement with the referee
        # drops the person's latest shifts until their plan passes (a safety net: it should not trigger).
        while mine and R.schedule_violations(people[pi], mine, rules):
            assigned.pop(shifts.index(mine.pop()))
        given[pi] = mine
    for si, s in enumerate(shifts):
        if si in assigned:
            continue
        for pi, p in enumerate(people):
            if not _quick_no(p, s) and R.reason_against(p, s, given[pi], rules) is None:
                assigned[si] = pi
                given[pi].append(s)
                break
    return assigned


def _solve(
    shifts: Sequence[Shift],
    people: Sequence[Substitute],
    cand: dict[tuple[int, int], bool],
    rules: R.RuleSet,
    prefs: Preferences,
    time_limit: float,
    workers: int,
    log: list[tuple[str, str, float]],
) -> tuple[dict[int, int], str]:
    # Imported here, not at the top: OR-Tools (with pandas) costs two seconds of CPU, and every
    # `nattskift list` imports this module to read Bosse's title; only a night's planning needs it.
    from ortools.sat.python import cp_model

    t0 = time.monotonic()
    m = cp_model.CpModel()
    x = {k: m.new_bool_var(f"x{k[0]}_{k[1]}") for k in cand}
    by_shift: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    for si, pi in cand:
        by_shift[si].append((si, pi))
        by_person[pi].append(si)
    for keys in by_shift.values():
        m.add_at_most_one(x[k] for k in keys)

    for pi, sis in by_person.items():
        p = people[pi]
        if len(sis) > 1:
            # Overlap and 11 h rest (12 h for a minor) in one. Stretch each candidate shift by the rest period;
            # two stretched shifts clash exactly when both contain the later one's start, so "at most one among
            # those containing each start" forbids every clash. (Cliques give a far tighter bound than NoOverlap.)
            rest = max(R.rest_minutes_for(p, shifts[si], rules) for si in sis)
            spans = sorted((shifts[si].start_min, shifts[si].end_min + rest, si) for si in sis)
            for a, _, _ in spans:
                clique = [x[si, pi] for s0, e0, si in spans if s0 <= a < e0]
                if len(clique) > 1:
                    m.add_at_most_one(clique)
            mine = [shifts[si] for si in sis]
            _weekly_rest(m, x, pi, p, mine, sis, rules)
            _month_cap(m, x, pi, p, mine, sis, rules)
            _minor_weeks(m, x, pi, p, mine, sis, rules)
            _las_conversion(m, x, pi, p, mine, sis, rules)

    # Objectives, in order. The helper variables of the later ones are only added when their stage
    # comes: unused, they would still slow the first (and most important) stage down.
    # `shifts` is sorted by (start, id): the sooner, the higher its urgency; any extra shift filled
    # outweighs all urgencies together, so the count comes first.
    n = len(shifts)
    big = n * (n + 1) // 2 + 1
    weight = {k: big + (n - k[0]) for k in x}

    def fill() -> cp_model.LinearExprT:
        return sum(x[k] * weight[k] for k in x)

    def foretradesratt() -> cp_model.LinearExprT:
        return sum(x[k] for k in x if people[k[1]].foretradesratt)

    # Between holders, the order of LAS 26 §: the first in the order outweighs the second, and so on.
    ranks = sorted({p.foretradesratt_rank for p in people if p.foretradesratt and p.foretradesratt_rank})

    def foretradesratt_order() -> cp_model.LinearExprT:
        if len(ranks) < 2:
            return 0
        weight = {r: len(ranks) - i for i, r in enumerate(ranks)}
        return sum(x[k] * weight[people[k[1]].foretradesratt_rank] for k in x
                   if people[k[1]].foretradesratt and people[k[1]].foretradesratt_rank)

    def las() -> cp_model.LinearExprT:
        terms = []
        for pi, sis in by_person.items():
            headroom = max(prefs.las_warning_days - 1 - people[pi].las_days, 0)
            if len(sis) > headroom:
                over = m.new_int_var(0, len(sis), f"las{pi}")
                m.add(over >= sum(x[si, pi] for si in sis) - headroom)
                terms.append(over)
        return sum(terms)

    def fairness() -> cp_model.LinearExprT:
        terms = []
        for pi, sis in by_person.items():
            if len(sis) == 1:
                terms.append(x[sis[0], pi] * (_hours(people[pi]) + 8))
                continue
            steps = [m.new_bool_var(f"e{pi}_{k}") for k in range(len(sis))]
            m.add(sum(x[si, pi] for si in sis) == sum(steps))
            for k in range(1, len(steps)):
                m.add_implication(steps[k], steps[k - 1])
            terms += [steps[k] * (_hours(people[pi]) + 8 * (k + 1)) for k in range(len(steps))]
        return sum(terms)

    def tie_break() -> cp_model.LinearExprT:
        return sum(x[k] * ((k[0] + 1) * (k[1] + 1)) for k in x)

    stages = [
        ("fill", fill, True, 0.4),
        ("foretradesratt", foretradesratt, True, 0.15),
        ("foretradesratt_order", foretradesratt_order, True, 0.1),
        ("las", las, False, 0.15),
        ("fairness", fairness, False, 0.15),
        ("tie_break", tie_break, False, 0.15),
    ]
    log.append(("model", "", time.monotonic() - t0))
    deadline = time.monotonic() + time_limit
    # Start from the first-come plan, and never end below it even when time runs out.
    t1 = time.monotonic()
    greedy = _greedy_indices(shifts, people, rules, prefs)
    log.append(("greedy_start", "", time.monotonic() - t1))
    greedy_x = {k: int(greedy.get(k[0]) == k[1]) for k in x}
    for k, var in x.items():
        m.add_hint(var, greedy_x[k])
    chosen: dict[tuple[int, int], int] | None = None
    hint: list[int] | None = None
    all_optimal = True
    for i, (name, build, maximize, share) in enumerate(stages):
        remaining = deadline - time.monotonic()
        if chosen is not None and remaining <= 0.05:
            all_optimal = False
            break
        if name == "tie_break" and not all_optimal:
            break  # only worth it when the plan is otherwise settled (small nights): keeps reruns identical
        expr = build()
        if isinstance(expr, int):  # nothing to weigh in this stage (e.g. nobody has företrädesrätt)
            continue
        (m.maximize if maximize else m.minimize)(expr)
        if hint is not None:  # the whole previous solution, so each stage starts from a feasible point
            m.clear_hints()
            for idx, v in enumerate(hint):
                m.add_hint(m.get_int_var_from_proto_index(idx), v)
        # This stage's share of the time still left (stages that finish early leave more for the rest).
        budget = remaining * share / sum(st[3] for st in stages[i:])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, min(budget, remaining))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 0
        t1 = time.monotonic()
        result = solver.solve(m)
        log.append((name, solver.status_name(result), time.monotonic() - t1))
        ok = result in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        all_optimal &= result == cp_model.OPTIMAL
        if name == "fill":
            found = {k: int(solver.value(var)) for k, var in x.items()} if ok else None
            if found is None or sum(weight[k] * v for k, v in found.items()) < sum(weight[k] * v for k, v in greedy_x.items()):
                found, all_optimal = greedy_x, False  # the solver ran out of time below the first-come plan
                log.append(("fill", "GREEDY_KEPT", 0.0))
            chosen = found
            # Keep exactly these shifts filled from here on: the later stages only choose who.
            for si, keys in by_shift.items():
                m.add(sum(x[k] for k in keys) == sum(found[k] for k in keys))
            hint = [int(v) for v in solver.response_proto.solution] if ok and found is not greedy_x else None
            if hint is None:
                m.clear_hints()
                for k, var in x.items():
                    m.add_hint(var, greedy_x[k])
            continue
        if not ok:
            break
        chosen = {k: int(solver.value(var)) for k, var in x.items()}
        hint = [int(v) for v in solver.response_proto.solution]
        best = int(round(solver.objective_value))
        m.add(expr >= best) if maximize else m.add(expr <= best)  # keep this stage's value
    if chosen is None:
        return {}, "UNKNOWN"
    return {si: pi for (si, pi), v in chosen.items() if v}, "OPTIMAL" if all_optimal else "FEASIBLE"


def _hours(p: Substitute) -> int:
    """The hours a person already has in their busiest month: the base of the fairness cost."""
    return max(p.month_minutes.values(), default=0) // 60


def _greedy_indices(shifts: Sequence[Shift], people: Sequence[Substitute], rules: R.RuleSet, prefs: Preferences) -> dict[int, int]:
    pos = {p.id: i for i, p in enumerate(people)}
    sid = {s.id: i for i, s in enumerate(shifts)}
    return {sid[s]: pos[p] for s, p in plan_greedy(shifts, people, rules, prefs).items()}


def _weekly_rest(m: cp_model.CpModel, x, pi: int, p: Substitute, mine: list[Shift], sis: list[int], rules: R.RuleSet) -> None:
    """36 h rest in every calendar week: some 36 h window in the week must stay free.

    A free window, if there is one, starts at Monday 00:00 or at the end of some shift, so those are the
    only windows to try. Weeks where even taking every candidate shift leaves 36 h free get no constraint.
    """
    need = rules.weekly_rest_minutes
    weeks: dict = defaultdict(list)
    for s, si in zip(mine, sis):
        for w in R.weeks_of(s, rules.tz):
            weeks[w].append((s, si))
    for w, items in weeks.items():
        if R.weekly_rest_ok([*p.booked, *(s for s, _ in items)], w, rules):
            continue
        lo, hi = R.week_bounds(w, rules.tz)
        starts = {lo} | {min(q.end_min, hi) for q in [*p.booked, *(s for s, _ in items)] if lo <= q.end_min <= hi}
        windows = []
        for t in sorted(starts):
            if t + need > hi:
                continue
            if any(b.start_min < t + need and t < b.end_min for b in p.booked):
                continue
            inside = [x[si, pi] for s, si in items if s.start_min < t + need and t < s.end_min]
            r = m.new_bool_var(f"w{pi}_{t}")
            if inside:
                m.add(sum(inside) == 0).only_enforce_if(r)
            windows.append(r)
        if windows:
            m.add_bool_or(windows)
        else:  # pragma: no cover - the single-shift check already refused these
            for _, si in items:
                m.add(x[si, pi] == 0)


def _minor_weeks(m: cp_model.CpModel, x, pi: int, p: Substitute, mine: list[Shift], sis: list[int], rules: R.RuleSet) -> None:
    """A minor works at most 40 h in a calendar week (AFS 2012:3), the other bookings included."""
    if not any(R.is_minor(p, s, rules) for s in mine):
        return
    weeks: dict = defaultdict(list)
    for s, si in zip(mine, sis):
        weeks[R.week_start(s.start, rules.tz)].append((s, si))
    for w, items in weeks.items():
        lo, hi = R.week_bounds(w, rules.tz)
        booked = sum(max(0, min(b.end_min, hi) - max(b.start_min, lo)) for b in p.booked)
        room = rules.minors.max_week_minutes - booked
        if sum(s.work_min for s, _ in items) > room:
            m.add(sum(x[si, pi] * s.work_min for s, si in items) <= room)


def _las_conversion(m: cp_model.CpModel, x, pi: int, p: Substitute, mine: list[Shift], sis: list[int], rules: R.RuleSet) -> None:
    """Keep an hourly substitute's SÄVA days below the conversion threshold (unless the setting allows it).

    Each candidate shift passed the check alone; together they may not. A person's shifts in one plan can
    only reach the threshold if all of them together do, and then at most as many as the count allows.
    """
    if rules.book_past_conversion or not p.hourly or not R.las_conversion_reached(p, mine, rules):
        return
    room = 0
    for n in range(1, len(mine) + 1):  # the largest n for which the n earliest shifts stay below it
        if R.las_conversion_reached(p, sorted(mine, key=lambda s: s.start_min)[:n], rules):
            break
        room = n
    m.add(sum(x[si, pi] for si in sis) <= room)


def _month_cap(m: cp_model.CpModel, x, pi: int, p: Substitute, mine: list[Shift], sis: list[int], rules: R.RuleSet) -> None:
    if not p.hourly or rules.monthly_cap_minutes is None:
        return
    months: dict[str, list[tuple[Shift, int]]] = defaultdict(list)
    for s, si in zip(mine, sis):
        months[s.month].append((s, si))
    for month, items in months.items():
        room = rules.monthly_cap_minutes - p.month_minutes.get(month, 0)
        if sum(s.work_min for s, _ in items) > room:
            m.add(sum(x[si, pi] * s.work_min for s, si in items) <= room)
