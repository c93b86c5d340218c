"""Throughput of a robot against the stand-in systems, by injected latency and concurrency.

    .venv/bin/python bench/throughput.py                       # Ronney, 500 items, L 0/100/300, C 1…16
    .venv/bin/python bench/throughput.py --items 60 --latencies 300 --concurrency 1,8   # a quick look
    .venv/bin/python bench/throughput.py --robot tiny --items 100                       # the engine alone

Each cell is one real engine run (`runner.engine.run_robot`, real Chromium, a fresh SQLite ledger) on
systems reset to the scenario, with `latency_ms` injected on every request of every system. Per cell:
items/s over the processing window (first item claimed → last item done) and end to end (fetch and
browser start included), the share of worker time spent waiting on a server (union of that worker's
request intervals, browser and httpx, over its busy window), CPU ms per item in our Python process, the
Playwright driver, Chromium, and the stand-in systems, and the peak RSS/PSS of the whole tree (Python +
driver + Chromium; the systems run in their own process and are not counted).

The naive baseline runs once per latency: the robot's own fetch/process code, one item at a time, a new
Chromium for each item, no engine. JSON goes to bench/results/ (git-ignored); a table is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cells import engine_cell, naive_cell  # noqa: E402
from bench.output import configure_bench_logging, machine, write_json  # noqa: E402
from bench.sampler import TreeSampler  # noqa: E402
from bench.scenarios import ensure_scenario  # noqa: E402
from bench.systems_host import SystemsHost  # noqa: E402

TARGET_SPEEDUP = 5.0
TARGET_PEAK_MB = 1536


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def row_text(r: dict[str, Any], base: dict[tuple[int, int], float]) -> str:
    cpu = r["cpu_ms_per_item"]
    one = base.get((r["latency_ms"], 1)) if r["mode"] == "engine" else None
    speed = f"{r['items_per_s'] / one:5.1f}x" if one and r["items_per_s"] else "     "
    mode = "naive" if r["mode"] == "naive" else f"C={r['concurrency']:<3}"
    wait = f"{100 * r['wait_share']:5.1f}" if r["wait_share"] is not None else "    -"
    return (
        f"{r['latency_ms']:>5} {mode:<6} {r['items']:>5} {r['items_per_s']:>8.2f} {speed} {wait} "
        f"{cpu['python'] or 0:>7.1f} {cpu['driver'] or 0:>7.1f} {cpu['browser'] or 0:>8.1f} {cpu['systems'] or 0:>7.1f} "
        f"{r['peak_rss_mb']:>8.0f} {r['peak_pss_mb']:>7.0f} {r['loadavg_before'][0]:>5.1f}"
    )


HEADER = (
    f"{'L ms':>5} {'mode':<6} {'items':>5} {'items/s':>8} {'speed':>6} {'wait%':>5} "
    f"{'py ms':>7} {'node ms':>7} {'chrom ms':>8} {'sys ms':>7} {'RSS MB':>8} {'PSS MB':>7} {'load':>5}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--robot", default="ronney", choices=["ronney", "tiny"])
    parser.add_argument("--items", type=int, default=500, help="items per engine run (default 500)")
    parser.add_argument("--scenario-items", type=int, default=500,
                        help="the generated scenario holds at least this many Ronney items (default 500)")
    parser.add_argument("--latencies", type=_ints, default=[0, 100, 300])
    parser.add_argument("--concurrency", type=_ints, default=[1, 2, 4, 8, 16])
    parser.add_argument("--baseline-items", type=int, default=20, help="items in the naive baseline (0: none)")
    parser.add_argument("--seed", default="bench")
    parser.add_argument("--json", type=Path, help="also write the JSON here")
    parser.add_argument("--no-tracing", action="store_true", help="experiment: engine without Playwright tracing")
    parser.add_argument("--chromium", help="browser executable (default: what the framework picks)")
    args = parser.parse_args()

    started = time.strftime("%Y-%m-%d %H:%M")
    scenario: dict[str, Any] = {}
    if args.robot == "ronney":
        path, size, fetchable = ensure_scenario(max(args.items, args.scenario_items), args.seed)
        scenario = {"path": str(path), "cases": size, "fetchable_items": fetchable}
        host_args: tuple[str, Any] = ("fixtures", path)
        print(f"scenario: {size} cases, {fetchable} fetchable items; processing {args.items} per run", flush=True)
    else:
        host_args = ("tiny", args.items)

    rows: list[dict[str, Any]] = []
    payload: dict[str, Any] = {"bench": "throughput", "started": started, "machine": machine(args.chromium),
                               "args": {k: str(v) for k, v in vars(args).items()}, "scenario": scenario, "rows": rows}
    out = None
    with tempfile.TemporaryDirectory(prefix="nattskift-bench-") as tmp:
        work = Path(tmp)
        configure_bench_logging(work)
        cell = {"chromium": args.chromium}
        tracing = not args.no_tracing
        with SystemsHost(*host_args) as host, TreeSampler(exclude=[host.pid]) as sampler:
            # Warm-up (not recorded): imports, Chromium's first start, the systems' first requests.
            engine_cell(host, sampler, work, args.robot, concurrency=2, latency_ms=0, limit=min(5, args.items), **cell)
            print(HEADER, flush=True)
            base: dict[tuple[int, int], float] = {}
            for lat in args.latencies:
                for c in args.concurrency:
                    r = engine_cell(host, sampler, work, args.robot, concurrency=c, latency_ms=lat, limit=args.items,
                                    tracing=tracing, **cell)
                    if c == 1:
                        base[(lat, 1)] = r["items_per_s"]
                    rows.append(r)
                    print(row_text(r, base), flush=True)
                    out = write_json("throughput", payload) if out is None else _rewrite(out, payload)
                if args.baseline_items:
                    r = naive_cell(host, sampler, work, args.robot, latency_ms=lat, items=args.baseline_items, **cell)
                    rows.append(r)
                    print(row_text(r, base), flush=True)
                    _rewrite(out, payload)

    payload["targets"] = targets(rows)
    payload["finished"] = time.strftime("%Y-%m-%d %H:%M")
    assert out is not None
    _rewrite(out, payload)
    if args.json:
        _rewrite(args.json, payload)
    print()
    for line in payload["targets"]["lines"]:
        print(line)
    print(f"JSON: {out}")


def _rewrite(path: Path, payload: dict[str, Any]) -> Path:
    import json

    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def targets(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's targets, judged on what was measured (absent cells are said to be absent)."""
    eng = {(r["latency_ms"], r["concurrency"]): r for r in rows if r["mode"] == "engine"}
    lines, result = [], {}
    one, eight = eng.get((300, 1)), eng.get((300, 8))
    if one and eight and one["items_per_s"]:
        ratio = eight["items_per_s"] / one["items_per_s"]
        result["speedup_L300_C8"] = round(ratio, 2)
        lines.append(f"target: at L=300 ms, C=8 ≥ {TARGET_SPEEDUP:.0f}× C=1: {'met' if ratio >= TARGET_SPEEDUP else 'MISSED'} "
                     f"({ratio:.2f}×: {eight['items_per_s']:.2f} vs {one['items_per_s']:.2f} items/s)")
    else:
        lines.append("target: L=300 ms C=8 vs C=1: not measured in this run")
    c8 = [r for (lat, c), r in eng.items() if c == 8]
    if c8:
        peak = max(r["peak_rss_mb"] for r in c8)
        pss = max(r["peak_pss_mb"] for r in c8)
        result["peak_rss_mb_C8"], result["peak_pss_mb_C8"] = peak, pss
        # PSS: what the tree costs the machine (shared pages split between the processes that map them);
        # the RSS sum counts Chromium's shared pages once per process and overstates it
        lines.append(f"target: peak memory at C=8 < {TARGET_PEAK_MB} MB (PSS): {'met' if pss < TARGET_PEAK_MB else 'MISSED'} "
                     f"(PSS {pss:.0f} MB; RSS sum {peak:.0f} MB)")
    bad = [f"L={r['latency_ms']} C={r['concurrency']}: {r['status']} {r['counts']}" for r in eng.values()
           if r["status"] != "completed" or r["counts"].get("failed")]
    if bad:
        lines.append("runs that did not complete cleanly: " + "; ".join(bad))
    result["lines"] = lines
    return result


if __name__ == "__main__":
    main()
