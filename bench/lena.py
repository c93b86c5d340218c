"""Lena's planner on a generated home-care unit, against first-fit on the same data (prints figures).

    .venv/bin/python bench/lena.py [--recipients 150] [--seed bench] [--time-limit 40] [--workers 2]

The unit comes from the planning system's own generator (fixtures/hemtjanst/generate.py): 150 recipients
give about 1 000 visits a week and 40 staff in three groups. Both planners plan two weeks in a row from
an empty plan, the second week on top of their own first (so continuity over the 14 days is each
planner's own doing): Lena (robots/lena/planner.py, the robot's default settings: a constructive plan,
single moves and CP-SAT neighbourhoods),
first fit with `plan_greedy` (each visit in time order to the first staff member, by id, who can take
it). Printed per planner: seconds to plan each 7 days, visits placed, travel minutes, and
personalkontinuitet as Socialstyrelsen measures it — the mean number of different staff met in the 14
days by recipients aged 65 or more with at least two visits every day, 07–22, food deliveries and alarm
calls not counted, recipients away any day left out (robots/lena/rules.py). Who qualifies is decided
from the decisions, so both planners are measured on the same recipients.

Every visit a planner left out goes through the capacity check (robots/lena/capacity.py, written from the
rules): every day, start minute and staff member of the group is tried against the plan. Printed: how many
lack capacity (nobody of the group works in the window, nobody working holds the delegation, fewer than two
for a double visit, the recipient's own visits fill the window, everyone qualified is booked through it)
and how many had room the planner did not use. Room left unused by Lena is a planner fault: the bench
lists those visits and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.generate import DEFAULT_TODAY  # noqa: E402
from fixtures.hemtjanst.models import HemtjanstData  # noqa: E402
from fixtures.hemtjanst.system import SPEC  # noqa: E402
from robots.lena import capacity as C  # noqa: E402
from robots.lena import rules as R  # noqa: E402
from robots.lena.model import Booked, Unit  # noqa: E402
from robots.lena.planner import Plan, plan_greedy, plan_unit, violations  # noqa: E402
from robots.lena.settings import LenaSettings  # noqa: E402
from tests.lena.from_fixture import unit_from_data  # noqa: E402


def two_weeks(data: HemtjanstData, first: date, plan_week) -> tuple[list[tuple[Unit, Plan, float]], list[Booked]]:  # noqa: ANN001
    """Plan [first, first+6] and then [first+7, first+13] on top of it; returns each week and all visits."""
    weeks = []
    done: list[Booked] = []
    for w in range(2):
        start = first + timedelta(days=7 * w)
        unit = unit_from_data(data, start, start + timedelta(days=6), history=list(done))
        t = time.perf_counter()
        plan = plan_week(unit)
        seconds = time.perf_counter() - t
        problems = violations(unit, plan, LenaSettings().travel())
        if problems:
            raise SystemExit(f"the plan breaks a rule: {problems[:3]}")
        weeks.append((unit, plan, seconds))
        done += plan.booked(unit)
    return weeks, done


def qualifying(data: HemtjanstData, first: date) -> dict[str, list[Booked]]:
    """Recipients in Socialstyrelsen's measure for the 14 days, judged on what the decisions grant."""
    window = (first, first + timedelta(days=13))
    out = {}
    for w in range(2):
        start = first + timedelta(days=7 * w)
        unit = unit_from_data(data, start, start + timedelta(days=6), history=[])
        for v in unit.visits:
            out.setdefault(v.recipient, []).append(
                Booked(v.id, v.recipient, v.dates[0], v.earliest, v.minutes, (), v.insats))
    recipients = unit.recipients
    return {rid: vs for rid, vs in out.items() if R.qualifies(recipients[rid], vs, window)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipients", type=int, default=150)
    ap.add_argument("--seed", default="bench")
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per 7 days (default: the robot's)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    s = LenaSettings()
    limit = args.time_limit if args.time_limit is not None else s.solver_time_limit_seconds
    workers = args.workers or s.solver_workers

    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    t = time.perf_counter()
    raw = SPEC.generate(random.Random(f"{args.seed}:hemtjanst"), args.recipients, DEFAULT_TODAY)
    raw["plan"] = {}  # both planners start from an empty plan
    data = HemtjanstData.model_validate(raw)
    first = DEFAULT_TODAY + timedelta(days=1)
    print(f"unit: {len(data.recipients)} recipients, {len(data.staff)} staff in {len(data.groups)} groups "
          f"(generated in {time.perf_counter() - t:.1f} s)")
    chosen = qualifying(data, first)
    print(f"in Socialstyrelsen's measure: {len(chosen)} recipients (65+, two visits or more every day, at home)")

    planners = {
        "first fit": lambda unit: plan_greedy(unit, s.travel()),
        "Lena": lambda unit: plan_unit(unit, s.travel(), s.weights(), time_limit=limit, workers=workers),
    }
    figures = {}
    rows: list[tuple[str, float, int, int, float, int, float]] = []
    unused: list[tuple[int, C.Verdict]] = []  # Lena's visits left out although the check found room
    for name, plan_week in planners.items():
        weeks, done = two_weeks(data, first, plan_week)
        window = (first, first + timedelta(days=13))
        per = [R.continuity([b for b in done if b.recipient == rid], window) for rid in chosen]
        figures[name] = per
        print(f"\n{name}")
        for i, (unit, plan, seconds) in enumerate(weeks, 1):
            print(f"  week {i}: {len(unit.visits)} visits, {len(plan.assignments)} placed, "
                  f"{len(plan.unplaced)} not, travel {plan.travel_minutes} min, {seconds:.1f} s")
            for stage, what, secs in plan.stages:
                print(f"      {stage:<14} {what:<40} {secs:6.1f} s")
            verdicts = C.check_unplaced(unit, plan.booked(unit), s.travel(), plan.unplaced)
            kinds = Counter(v.kind for v in verdicts.values())
            room = [v for v in verdicts.values() if v.room is not None]
            print(f"    capacity check of the {len(verdicts)} not placed: {len(verdicts) - len(room)} lack capacity "
                  f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()) if k != C.ROOM) or 'none'}), "
                  f"{len(room)} had room")
            if name == "Lena":
                unused += [(i, v) for v in room]
            reasons = Counter(plan.unplaced.values())
            for reason, n in reasons.most_common():
                print(f"      not placed: {n} × {reason}")
        print(f"  continuity over 14 days: mean {statistics.mean(per):.2f}, median {statistics.median(per):g}, "
              f"max {max(per)} (per recipient: {sorted(per)})")
        travel = sum(p.travel_minutes for _, p, _ in weeks)
        placed = sum(len(p.assignments) for _, p, _ in weeks)
        print(f"  travel over 14 days: {travel} min, {travel / placed:.2f} min per placed visit")
        rows.append((name, max(s for _, _, s in weeks), placed, sum(len(u.visits) for u, _, _ in weeks),
                     statistics.mean(per), travel, travel / placed))
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\n| planner | s per 7 days (slowest week) | visits placed of 14 days | continuity (mean) | travel min | travel per visit |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, secs, placed, total, cont, travel, per_visit in rows:
        print(f"| {name} | {secs:.1f} | {placed} / {total} | {cont:.2f} | {travel} | {per_visit:.2f} |")
    if unused:
        print(f"\nPLANNER FAULT: Lena left {len(unused)} visit(s) out although there was room:")
        for week, v in unused:
            print(f"  week {week}: {v.visit}: {v.reason}")
        raise SystemExit(1)
    print("\nEvery visit Lena left out lacks capacity (capacity check).")


if __name__ == "__main__":
    main()
