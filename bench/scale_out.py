"""Scale-out: one night's items on 1, 2 and 3 `nattskift worker` processes, side by side in one run.

    .venv/bin/python bench/scale_out.py --postgres postgresql://postgres@127.0.0.1/nattskift_bench
    .venv/bin/python bench/scale_out.py --postgres … --items 240 --latency-ms 300 --concurrency 2 --workers 1,2,3

Each row is one real night: `nattskift run tiny` with `[workers] queue = true, local = false` fetches the
items into a fresh ledger (its own PostgreSQL schema) and defers one procrastinate job per item; W worker
processes (each its own Chromium, `--concurrency` contexts) take them. Every worker is pinned to a core
of its own (`taskset`, round robin when there are more workers than cores), the stand-in system runs in
its own process with L ms of latency on every request. The tiny robot reads a page, submits a form and
reads the answer back: three requests, about 3 L of waiting per item.

Printed per row: items/s between the first claim and the last outcome, the speed-up against one worker,
the CPU seconds of each worker's whole tree (Python, Playwright's driver, Chromium) and the CPU ms per
item. The target (issue 20): two workers at least 1.8 × one, where CPU is not the limit.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cells import write_settings  # noqa: E402
from bench.output import write_json  # noqa: E402
from bench.paths import ROOT  # noqa: E402
from bench.procfs import proc_cpu, tree  # noqa: E402
from bench.systems_host import SystemsHost  # noqa: E402

NATTSKIFT = str(Path(sys.executable).parent / "nattskift")
TARGET_SPEEDUP_2 = 1.8


def tree_cpu(pid: int) -> float:
    return sum(proc_cpu(p) or 0.0 for p in tree(pid, set()))


def one_night(args: argparse.Namespace, workers: int, host: SystemsHost, root: Path) -> dict[str, Any]:
    from sqlalchemy import func, select, text

    from runner.ledger.db import close_database, open_database
    from runner.ledger.models import Item, Outcome
    from tests.support.pg import pg_schema_url

    host.reset()
    with pg_schema_url(args.postgres) as url:
        extra = (f'[database]\nurl = "{url}"\n[workers]\nqueue = true\nlocal = false\n'
                 f'lease_seconds = 30\n[logging]\nconsole = "never"')
        config = write_settings(root / f"w{workers}", host, "tiny", args.concurrency, extra=extra)
        cores = os.cpu_count() or 1
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs = [subprocess.Popen(["taskset", "-c", str(i % cores), NATTSKIFT, "worker", "--robot", "tiny",
                                   "--concurrency", str(args.concurrency), "--config", str(config)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for i in range(workers)]
        engine, sessions = open_database(url)
        try:
            _wait(lambda: _registered(engine, text) == workers, "the workers to start", 300)
            cpu0 = [tree_cpu(p.pid) for p in procs]
            t0 = time.perf_counter()
            night = subprocess.run([NATTSKIFT, "run", "tiny", "--config", str(config)], env=env,
                                   capture_output=True, text=True, timeout=3600)
            wall = time.perf_counter() - t0
            cpu = [tree_cpu(p.pid) - c for p, c in zip(procs, cpu0, strict=True)]
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    p.kill()
        with sessions() as s:
            first = s.scalar(select(func.min(Item.claimed_at)))
            last = s.scalar(select(func.max(Outcome.recorded_at)))
            n = s.scalar(select(func.count()).select_from(Outcome)) or 0
            slots = s.execute(select(Outcome.worker, func.count()).group_by(Outcome.worker)).all()
        by_worker: dict[str, int] = {}
        for slot, count in slots:  # "host:pid:w1" → per worker process
            process = ":".join((slot or "?").split(":")[:2])
            by_worker[process] = by_worker.get(process, 0) + count
        close_database(url)
    span = (last - first).total_seconds() if first and last else float("nan")
    return {
        "workers": workers, "items": n, "exit_code": night.returncode, "wall_s": round(wall, 1),
        "items_per_s": round(n / span, 3) if span > 0 else None, "cpu_s_per_worker": [round(c, 1) for c in cpu],
        "cpu_ms_per_item": round(1000 * sum(cpu) / max(n, 1)), "items_per_worker": sorted(by_worker.values()),
    }


def _registered(engine: Any, text: Any) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar() or 0
    except Exception:
        return 0


def _wait(predicate: Any, what: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL (a schema per night is made and dropped)")
    parser.add_argument("--items", type=int, default=240)
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2, help="contexts per worker")
    parser.add_argument("--workers", default="1,2,3")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    import tempfile

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="nattskift-scale-out-") as tmp, SystemsHost("tiny", args.items) as host:
        host.set_faults(latency_ms=args.latency_ms)
        for w in counts:
            rows.append(one_night(args, w, host, Path(tmp)))
            print(f"… {w} worker(s) done", file=sys.stderr)
    base = rows[0]["items_per_s"] or 0
    print(f"\nscale-out: tiny robot, {args.items} items, L = {args.latency_ms} ms, {args.concurrency} contexts per worker, "
          f"{os.cpu_count()} cores\n")
    print(f"{'workers':>7} {'items/s':>8} {'speed':>6} {'CPU s per worker':<22} {'CPU ms/item':>11} {'items per worker':<18} exit")
    for r in rows:
        speed = (r["items_per_s"] or 0) / base if base else float("nan")
        r["speedup"] = round(speed, 2)
        cpu = ", ".join(f"{c:.1f}" for c in r["cpu_s_per_worker"])
        print(f"{r['workers']:>7} {r['items_per_s']:>8} {speed:>5.2f}× {cpu:<22} {r['cpu_ms_per_item']:>11} "
              f"{str(r['items_per_worker']):<18} {r['exit_code']}")
    two = next((r for r in rows if r["workers"] == 2), None)
    if two is not None and base:
        met = two["speedup"] >= TARGET_SPEEDUP_2
        print(f"\ntarget: 2 workers ≥ {TARGET_SPEEDUP_2}× one: {'met' if met else 'missed'} ({two['speedup']}×)")
    print(f"results: {write_json('scale_out', {'args': vars(args), 'rows': rows, 'load': os.getloadavg()})}")


if __name__ == "__main__":
    main()
