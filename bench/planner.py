"""Bosse's planner on a large night: 500 vacant shifts and 300 substitutes (prints figures; not a test).

    .venv/bin/python bench/planner.py [--shifts 500] [--seed 1] [--time-limit 10] [--workers 2]

The data come from the staffing system's own generator (fixtures/bemanning/generate.py): 12 units in
districts of four, three weeks of shifts, half the days available per substitute. The horizon is the
robot's default 14 days, so about two thirds of the generated shifts are planned.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.bemanning.models import BemanningData  # noqa: E402
from fixtures.bemanning.system import SPEC  # noqa: E402
from robots.bosse.planner import plan_greedy, plan_shifts  # noqa: E402
from tests.bosse.golden_input import pool_and_shifts  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shifts", type=int, default=500, help="vacant shifts to plan (the generator is asked for more)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    today = date(2026, 3, 30)
    # The generator spreads shifts over 21 days and 10 % are filled already; ask for enough that the
    # 14-day horizon holds `--shifts` vacant ones, and cut the pool to 300 per 500 shifts.
    t = time.perf_counter()
    raw = SPEC.generate(random.Random(args.seed), int(args.shifts * 21 / 14 / 0.9) + 20, today)
    data = BemanningData.model_validate(raw)
    shifts, pool = pool_and_shifts(data, today)
    shifts = shifts[: args.shifts]
    pool = pool[: args.shifts * 3 // 5]
    print(f"data: {len(shifts)} vacant shifts, {len(pool)} substitutes (generated in {time.perf_counter() - t:.2f} s)")

    t = time.perf_counter()
    greedy = plan_greedy(shifts, pool)
    print(f"greedy (first come, first served): {len(greedy)} filled in {time.perf_counter() - t:.2f} s")

    t = time.perf_counter()
    plan = plan_shifts(shifts, pool, time_limit=args.time_limit, workers=args.workers)
    wall = time.perf_counter() - t
    print(
        f"CP-SAT planner: {plan.filled} filled, {len(plan.unfilled)} unfilled, status {plan.status}, "
        f"{plan.variables} candidate pairs, {wall:.2f} s wall (time limit {args.time_limit:g} s, {args.workers} workers)"
    )
    for stage, status, seconds in plan.stages:
        print(f"  {stage:<15} {status:<10} {seconds:6.2f} s")
    warnings = sum(1 for c in plan.chosen.values() if c.las_warning)
    fr = sum(1 for c in plan.chosen.values() if c.foretradesratt)
    print(f"choices with företrädesrätt: {fr}; LAS warnings for HR: {warnings}")


if __name__ == "__main__":
    main()
