"""A sampler in its own process: peak RSS/PSS and CPU per part (Python, Playwright's driver, Chromium)
of the bench process's tree, read from /proc every `interval` seconds between start and stop."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import defaultdict
from typing import Any

from bench.procfs import category, percentile, proc_pss, proc_rss, stat, tree


def _sampler_main(root: int, exclude: list[int], interval: float, conn: Any) -> None:
    """Child process: sample the tree's memory and CPU every `interval` s between "start" and "stop"."""
    skip = set(exclude) | {os.getpid()}
    active = False
    base: dict[tuple[int, int], float] = {}
    last: dict[tuple[int, int], tuple[str, float]] = {}
    peak_rss = peak_pss = peak_procs = samples = mixed = 0
    peak_by_cat: dict[str, int] = {}
    pss_samples: list[int] = []
    series: list[tuple[float, int, int, int]] = []
    cats: dict[tuple[int, int], str] = {}
    t0 = 0.0

    def sample() -> None:
        """One reading of every process. A reading during which a process started or ended is mixed: a
        page's PSS share moves between processes when one forks or exits, so such a reading can count the
        same page twice (Chromium starts and ends a renderer for every fresh page). Mixed readings count
        for CPU but not for memory."""
        nonlocal peak_rss, peak_pss, peak_procs, samples, mixed
        rss_sum = pss_sum = 0
        by_cat: dict[str, int] = defaultdict(int)
        pids = tree(root, skip)
        read: set[tuple[int, int]] = set()  # (pid, start time) of every process this reading saw
        for pid in pids:
            st = stat(pid)
            if st is None:
                continue
            comm, cpu, start = st
            read.add((pid, start))
            cat = cats.get((pid, start)) or cats.setdefault((pid, start), category(pid, root, comm))
            if cat == "other":
                continue
            last[(pid, start)] = (cat, cpu)
            rss, pss = proc_rss(pid) or 0, proc_pss(pid) or 0
            rss_sum += rss
            pss_sum += pss
            by_cat[cat] += rss
            by_cat[cat + "_pss"] += pss
        samples += 1
        after = {(pid, st[2]) for pid in tree(root, skip) if (st := stat(pid)) is not None}
        if after != read:
            mixed += 1
            return
        pss_samples.append(pss_sum)
        peak_rss, peak_pss, peak_procs = max(peak_rss, rss_sum), max(peak_pss, pss_sum), max(peak_procs, len(pids))
        for cat, v in by_cat.items():
            peak_by_cat[cat] = max(peak_by_cat.get(cat, 0), v)
        if samples % 5 == 1:
            series.append((round(time.monotonic() - t0, 1), rss_sum, pss_sum, by_cat.get("python", 0)))

    while True:
        if conn.poll(interval if active else None):
            cmd = conn.recv()
            if cmd == "start":
                active, t0 = True, time.monotonic()
                peak_rss = peak_pss = peak_procs = samples = mixed = 0
                peak_by_cat, series, last, pss_samples = {}, [], {}, []
                for pid in tree(root, skip):
                    st = stat(pid)
                    if st:
                        base[(pid, st[2])] = st[1]
                sample()
                conn.send("ok")
            elif cmd == "stop":
                sample()
                active = False
                cpu: dict[str, float] = defaultdict(float)
                for key, (cat, value) in last.items():
                    cpu[cat] += value - base.get(key, 0.0)
                conn.send({
                    "peak_rss_mb": round(peak_rss / 2**20, 1),
                    "peak_pss_mb": round(peak_pss / 2**20, 1),
                    "peak_by_part_mb": {k: round(v / 2**20, 1) for k, v in peak_by_cat.items()},
                    "p99_pss_mb": round(percentile(pss_samples, 0.99) / 2**20, 1),
                    "peak_processes": peak_procs,
                    "samples": samples,
                    "mixed_samples": mixed,
                    "cpu_sampled_s": {k: round(v, 2) for k, v in cpu.items()},
                    # (seconds, RSS sum, PSS sum, Python's RSS), at most 300 points through the run
                    "series_mb": [(t, round(r / 2**20), round(p / 2**20), round(py / 2**20))
                                  for t, r, p, py in series[:: max(1, len(series) // 300)]],
                })
                base.clear()
            elif cmd == "quit":
                return
        elif active:
            sample()


class TreeSampler:
    """Peak RSS/PSS and per-part CPU of the bench process's tree (Python, node driver, Chromium)."""

    def __init__(self, exclude: list[int], interval: float = 0.2) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_sampler_main, args=(os.getpid(), exclude, interval, child), daemon=True,
                                name="bench-sampler")
        self.proc.start()

    def start(self) -> None:
        self._conn.send("start")
        self._conn.recv()

    def stop(self) -> dict[str, Any]:
        self._conn.send("stop")
        return self._conn.recv()

    def close(self) -> None:
        try:
            self._conn.send("quit")
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(timeout=5)

    def __enter__(self) -> TreeSampler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
