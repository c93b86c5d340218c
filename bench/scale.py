"""How a night grows: N items at no injected latency, wall time and peak memory.

    .venv/bin/python bench/scale.py                          # N = 100, 1 000, 10 000 (hours on 2 cores)
    .venv/bin/python bench/scale.py --sizes 100,1000         # the quick part
    .venv/bin/python bench/scale.py --sizes 10000 --concurrency 4
    .venv/bin/python bench/scale.py --robot tiny             # the engine alone (a page and a form per item)

Each N is one real engine run of Ronney (fresh SQLite ledger, systems fresh from a generated scenario
with at least N items, real Chromium). Time must grow linearly (time per item flat) and memory must stay
flat: the issue's target is that the 10 000-item run uses no more memory than the 1 000-item run, within
20 %. Memory is the peak of the whole tree (Python + Playwright driver + Chromium; the stand-in systems
run in their own process and are not counted), as RSS sum and PSS, and the Python process alone.
A reading during which a process started or ended is left out of the memory figures (its PSS can count a
page twice; `mixed_samples` in the JSON counts them); the 99th percentile of the readings is printed
beside the peak.
JSON goes to bench/results/ after every N, so a long run that is stopped still leaves its figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cells import engine_cell  # noqa: E402
from bench.output import configure_bench_logging, machine, write_json  # noqa: E402
from bench.sampler import TreeSampler  # noqa: E402
from bench.scenarios import ensure_scenario  # noqa: E402
from bench.systems_host import SystemsHost  # noqa: E402

MEMORY_TOLERANCE = 0.20
HEADER = (f"{'N':>6} {'wall s':>8} {'ms/item':>8} {'items/s':>8} {'py ms':>6} {'node ms':>7} {'chrom ms':>8} "
          f"{'RSS MB':>7} {'PSS MB':>7} {'p99 PSS':>7} {'py MB':>6} {'status':<10} {'load':>5}")


def row_text(r: dict[str, Any]) -> str:
    cpu = r["cpu_ms_per_item"]
    parts = r["peak_by_part_mb"]
    return (f"{r['items']:>6} {r['wall_s']:>8.0f} {r['ms_per_item']:>8.0f} {r['items_per_s']:>8.2f} "
            f"{cpu['python'] or 0:>6.0f} {cpu['driver'] or 0:>7.0f} {cpu['browser'] or 0:>8.0f} "
            f"{r['peak_rss_mb']:>7.0f} {r['peak_pss_mb']:>7.0f} {r.get('p99_pss_mb', 0):>7.0f} "
            f"{parts.get('python', 0):>6.0f} {r['status']:<10} "
            f"{r['loadavg_before'][0]:>5.1f}")


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    by_n = {r["items"]: r for r in rows}
    lines = []
    if len(rows) >= 2:
        small, big = rows[0], rows[-1]
        ratio = big["ms_per_item"] / small["ms_per_item"] if small["ms_per_item"] else float("nan")
        lines.append(f"time per item, {big['items']} vs {small['items']} items: {ratio:.2f}× "
                     f"({big['ms_per_item']:.0f} vs {small['ms_per_item']:.0f} ms; 1.00 = perfectly linear)")
        cpu = {r["items"]: sum(v or 0 for v in r["cpu_ms_per_item"].values()) for r in (small, big)}
        lines.append(f"CPU per item (all parts), {big['items']} vs {small['items']} items: "
                     f"{cpu[big['items']] / cpu[small['items']]:.2f}× ({cpu[big['items']]:.0f} vs {cpu[small['items']]:.0f} ms; "
                     "robust to other load on the machine)")
    a, b = by_n.get(1000), by_n.get(10000)
    if a and b:
        for key, label in (("peak_pss_mb", "PSS"), ("p99_pss_mb", "PSS, 99th percentile of the readings"),
                           ("peak_rss_mb", "RSS sum")):
            growth = b[key] / a[key] - 1
            ok = growth <= MEMORY_TOLERANCE
            lines.append(f"target: 10 000 items use ≤ 1 000 items' memory + {MEMORY_TOLERANCE:.0%} ({label}): "
                         f"{'met' if ok else 'MISSED'} ({b[key]:.0f} vs {a[key]:.0f} MB, {growth:+.0%})")
        pa, pb = a["peak_by_part_mb"].get("python", 0), b["peak_by_part_mb"].get("python", 0)
        lines.append(f"Python process alone: {pb:.0f} vs {pa:.0f} MB")
    else:
        lines.append("memory target (10 000 vs 1 000 items): not measured in this run")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=lambda t: [int(x) for x in t.split(",")], default=[100, 1000, 10000])
    parser.add_argument("--concurrency", type=int, default=4, help="workers (default 4, the framework's default)")
    parser.add_argument("--latency", type=int, default=0, help="injected latency in ms (default 0)")
    parser.add_argument("--robot", default="ronney", choices=["ronney", "tiny"],
                        help="ronney (default), or tiny: the engine's test robot on a stdlib target, "
                        "two pages and one form per item, for the framework's own growth")
    parser.add_argument("--seed", default="bench")
    parser.add_argument("--chromium", help="browser executable (default: what the framework picks)")
    args = parser.parse_args()

    rows: list[dict[str, Any]] = []
    payload: dict[str, Any] = {"bench": "scale", "started": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(args.chromium),
                               "args": {k: str(v) for k, v in vars(args).items()}, "rows": rows}
    out = write_json("scale", payload)
    with tempfile.TemporaryDirectory(prefix="nattskift-scale-") as tmp:
        work = Path(tmp)
        configure_bench_logging(work)
        print(HEADER, flush=True)
        for n in args.sizes:
            if args.robot == "ronney":
                path, cases, fetchable = ensure_scenario(n, args.seed)
                host_args: tuple[str, Any] = ("fixtures", path)
            else:  # the engine's stdlib target with exactly n items (warm-up included: n + 5)
                cases = fetchable = n + 5
                host_args = ("tiny", n + 5)
            with SystemsHost(*host_args) as host, TreeSampler(exclude=[host.pid], interval=0.5) as sampler:
                engine_cell(host, sampler, work, args.robot, concurrency=args.concurrency, latency_ms=0, limit=5,
                            chromium=args.chromium)
                r = engine_cell(host, sampler, work, args.robot, concurrency=args.concurrency,
                                latency_ms=args.latency, limit=n, chromium=args.chromium)
            r.update(scenario_cases=cases, fetchable_items=fetchable,
                     ms_per_item=round(1000 * r["wall_s"] / max(r["items"], 1), 1))
            rows.append(r)
            print(row_text(r), flush=True)
            out.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    rows.sort(key=lambda r: r["items"])
    payload["verdicts"] = verdicts(rows)
    payload["finished"] = time.strftime("%Y-%m-%d %H:%M")
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print()
    for line in payload["verdicts"]:
        print(line)
    print(f"JSON: {out}")


if __name__ == "__main__":
    main()
