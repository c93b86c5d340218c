"""What throughput.py and scale.py share: systems in their own process, a process-tree sampler, timing
hooks on the workers, and one measured run of a robot through the real engine.

Why separate processes: the stand-in systems and the sampler must not count as the robot's CPU or
memory. The bench process itself is "our process" (engine, ledger, robot code); its descendants are the
Playwright driver (node) and Chromium. Everything is measured from /proc, so no extra dependency.
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import resource
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
TINY_ROBOT_DIR = ROOT / "tests" / "support" / "robots"
CHROMIUM: str | None = None  # None: the framework's own choice (runner.browser.resolve_browser)
FETCH_STATUSES = ("Inkommen", "Komplettering begärd")  # what Ronney fetches (robots/ronney/robot.py)
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


# -- scenarios -------------------------------------------------------------------------------------


def fetchable(path: Path) -> int:
    """How many Ronney work items a scenario holds (applications with a status Ronney fetches)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for c in data["ekonomi"]["cases"] for a in c["applications"] if a["status"] in FETCH_STATUSES)


def ensure_scenario(items: int, seed: str = "bench") -> tuple[Path, int, int]:
    """A generated ekonomi+ssbtek scenario with at least `items` Ronney items (cached under results/).

    Returns (path, cases in the scenario, fetchable items). About 70 % of generated cases are fetchable.
    """
    from fixtures.generate import generate_file

    RESULTS.mkdir(parents=True, exist_ok=True)
    size = max(10, math.ceil(items / 0.68))
    while True:
        path = RESULTS / f"scenario-{size}-{seed}.json"
        if not path.exists():
            generate_file(path, size=size, seed=seed, systems=["ekonomi", "ssbtek"])
        n = fetchable(path)
        if n >= items:
            return path, size, n
        size = math.ceil(size * 1.08) + 1


# -- the systems, in their own process --------------------------------------------------------------


def _host_main(kind: str, arg: Any, conn: Any) -> None:
    """Child process: serve the systems and obey faults/reset/stop sent over the pipe."""
    os.nice(0)
    if kind == "fixtures":
        from fixtures.server import start_systems

        with start_systems(arg, ports=0) as systems:
            conn.send(("ready", systems.settings_toml(), systems.names))
            while True:
                cmd, payload = conn.recv()
                if cmd == "stop":
                    break
                if cmd == "faults":
                    for name in systems.names:
                        systems.set_faults(name, **payload)
                elif cmd == "reset":
                    systems.reset()
                elif cmd == "state_counts":
                    state = systems.state("ekonomi")
                    notes = sum(1 for c in state["cases"] for n in c["notes"] if n.get("author") == "ronney")
                    conn.send(("ok", {"ronney_notes": notes}))
                    continue
                conn.send(("ok", None))
    else:  # the engine tests' stdlib target, with the tiny robot
        from tests.support.target import TargetServer

        with TargetServer([f"A{i:05d}" for i in range(int(arg))]) as target:
            conn.send(("ready", target.settings_toml(), ["target"]))
            while True:
                cmd, payload = conn.recv()
                if cmd == "stop":
                    break
                if cmd == "faults":
                    target.state.latency = payload.get("latency_ms", 0) / 1000
                elif cmd == "reset":
                    with target.state.lock:
                        target.state.writes.clear()
                        target.state.page_views.clear()
                elif cmd == "state_counts":
                    conn.send(("ok", {"writes": sum(target.state.writes.values())}))
                    continue
                conn.send(("ok", None))


class SystemsHost:
    """The stand-in systems (or the tiny target) served by a child process on free ports."""

    def __init__(self, kind: str, arg: Any) -> None:
        ctx = mp.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_host_main, args=(kind, str(arg), child), daemon=True, name="bench-systems")
        self.proc.start()
        if not self._conn.poll(300):
            raise RuntimeError("the systems did not start within 300 s")
        tag, self.toml, self.names = self._conn.recv()
        assert tag == "ready"

    @property
    def pid(self) -> int:
        assert self.proc.pid is not None
        return self.proc.pid

    def _call(self, cmd: str, payload: Any = None) -> Any:
        self._conn.send((cmd, payload))
        tag, result = self._conn.recv()
        assert tag == "ok"
        return result

    def set_faults(self, **faults: Any) -> None:
        """The same faults on every system (latency_ms, jitter_ms, … as in fixtures/common/faults.py)."""
        self._call("faults", faults)

    def reset(self) -> None:
        """Scenario data and starting faults back: every run starts from the same state."""
        self._call("reset")

    def counts(self) -> dict[str, int]:
        return self._call("state_counts")

    def cpu_seconds(self) -> float:
        return _proc_cpu(self.pid) or 0.0

    def rss_bytes(self) -> int:
        return _proc_rss(self.pid) or 0

    def close(self) -> None:
        try:
            self._conn.send(("stop", None))
        except (BrokenPipeError, OSError):
            pass
        self.proc.join(timeout=15)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5)

    def __enter__(self) -> SystemsHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- /proc readers ----------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[str, float, int] | None:
    """(comm, cpu seconds user+system, start time in ticks) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    f = raw[raw.rindex(")") + 2 :].split()
    # after "pid (comm) ": f[0]=state … f[11]=utime, f[12]=stime, f[19]=starttime
    return comm, (int(f[11]) + int(f[12])) / TICK, int(f[19])


def _proc_cpu(pid: int) -> float | None:
    s = _stat(pid)
    return s[1] if s else None


def _proc_rss(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except OSError:
        return None


def _proc_pss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _percentile(values: list[int], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))])


def tree(root: int, exclude: set[int]) -> list[int]:
    """`root` and its descendants, minus `exclude` and their descendants."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        out.append(pid)
        todo += _children(pid)
    return out


def _category(pid: int, root: int, comm: str) -> str:
    if pid == root:
        return "python"
    try:
        exe = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        exe = comm
    if exe.startswith("node"):  # Playwright's driver (its comm is "MainThread")
        return "driver"
    if exe.startswith("python"):
        return "other"  # multiprocessing's resource tracker: not part of a robot run
    return "browser"


# -- the sampler, in its own process ------------------------------------------------------------------


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
            st = _stat(pid)
            if st is None:
                continue
            comm, cpu, start = st
            read.add((pid, start))
            cat = cats.get((pid, start)) or cats.setdefault((pid, start), _category(pid, root, comm))
            if cat == "other":
                continue
            last[(pid, start)] = (cat, cpu)
            rss, pss = _proc_rss(pid) or 0, _proc_pss(pid) or 0
            rss_sum += rss
            pss_sum += pss
            by_cat[cat] += rss
            by_cat[cat + "_pss"] += pss
        samples += 1
        after = {(pid, st[2]) for pid in tree(root, skip) if (st := _stat(pid)) is not None}
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
                    st = _stat(pid)
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
                    "p99_pss_mb": round(_percentile(pss_samples, 0.99) / 2**20, 1),
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


# -- timing hooks on the workers ----------------------------------------------------------------------


@dataclass
class Recorder:
    """Per worker: how long its items took, and how much of that it spent waiting for a server.

    Memory stays flat however many items run: a worker's request intervals are folded into totals when
    its item ends. A request counts only while its worker has an item open (fetch and report are not
    worker time).
    """

    waits: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    items: int = 0
    busy: float = 0.0
    waited: float = 0.0
    first: float = math.inf
    last: float = 0.0
    _open: dict[str, float] = field(default_factory=dict)

    def clear(self) -> None:
        self.waits.clear()
        self._open.clear()
        self.requests = self.items = 0
        self.busy = self.waited = self.last = 0.0
        self.first = math.inf

    def wait(self, worker: str, start: float, end: float) -> None:
        if worker in self._open:
            self.waits[worker].append((start, end))
            self.requests += 1

    def begin(self, worker: str) -> None:
        self._open[worker] = time.time()

    def end(self, worker: str) -> None:
        start = self._open.pop(worker, None)
        if start is None:
            return
        end = time.time()
        self.items += 1
        self.busy += end - start
        self.waited += _union_within(self.waits.pop(worker, []), start, end)
        self.first, self.last = min(self.first, start), max(self.last, end)

    def summary(self) -> dict[str, Any]:
        """Processing window (first item started → last item ended) and the share of item time waited."""
        if not self.items:
            return {"items": 0, "window_s": 0.0, "wait_share": None, "requests": self.requests}
        return {
            "items": self.items,
            "window_s": self.last - self.first,
            "wait_share": self.waited / self.busy if self.busy else None,
            "item_mean_s": self.busy / self.items,
            "requests": self.requests,
        }


def _union_within(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    total, cur_s, cur_e = 0.0, None, None
    for s, e in sorted((max(s, lo), min(e, hi)) for s, e in intervals):
        if e <= s:
            continue
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s  # type: ignore[operator]
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s  # type: ignore[operator]
    return total


RECORDER = Recorder()
TRACING = True  # False only for the experiment `--no-tracing`: what the engine's tracing costs


def install_timing() -> None:
    """Swap the engine's WorkerContext for one that reports request timings and item spans to RECORDER.

    Browser requests: Playwright's `requestfinished` timing (start → responseEnd); httpx calls (SSBTEK):
    around `send`. Only the bench does this; the engine is unchanged.
    """
    import runner.engine.core as core
    from runner.engine.context import WorkerContext

    if getattr(core.WorkerContext, "_bench_timed", False):
        return

    class TimedContext(WorkerContext):
        _bench_timed = True

        def _watch(self, context: Any) -> None:
            worker = self.worker

            def done(request: Any) -> None:
                try:
                    t = request.timing
                except Exception:
                    return
                start, end = t.get("startTime", -1), t.get("responseEnd", -1)
                if start > 0 and end >= 0:
                    RECORDER.wait(worker, start / 1000, (start + end) / 1000)

            context.on("requestfinished", done)
            context.on("requestfailed", done)

        async def browser_context(self) -> Any:
            fresh = self._context is None
            if fresh and not TRACING:  # experiment: the engine's context minus Playwright tracing
                bs = self.app_settings.browser
                self._context = await self._browser.new_context(locale="sv-SE", timezone_id=self.app_settings.timezone)
                self._context.set_default_timeout(bs.timeout_ms)
                self._context.set_default_navigation_timeout(bs.navigation_timeout_ms)
            context = await super().browser_context()
            if fresh:
                self._watch(context)
            return context

        async def start_attempt(self, title: str, **kwargs: Any) -> None:
            if TRACING:
                await super().start_attempt(title, **kwargs)

        def http(self, system: str) -> Any:
            client = super().http(system)
            if not getattr(client, "_bench_timed", False):
                send, worker = client.send, self.worker

                async def timed(*args: Any, **kwargs: Any) -> Any:
                    t0 = time.time()
                    try:
                        return await send(*args, **kwargs)
                    finally:
                        RECORDER.wait(worker, t0, time.time())

                client.send = timed  # type: ignore[method-assign]
                client._bench_timed = True  # type: ignore[attr-defined]
            return client

        def begin_item(self, ledger: Any, row: Any) -> None:
            super().begin_item(ledger, row)
            RECORDER.begin(self.worker)

        def end_item(self) -> None:
            RECORDER.end(self.worker)
            super().end_item()

    core.WorkerContext = TimedContext  # type: ignore[misc]


# -- one measured run ---------------------------------------------------------------------------------


def write_settings(cell: Path, host: SystemsHost, robot: str, concurrency: int, *, extra: str = "") -> Path:
    """A settings file for one run: its own data_dir (so a fresh ledger), the systems, the robot."""
    cell.mkdir(parents=True, exist_ok=True)
    lines = [f'data_dir = "{cell / "var"}"']
    if robot == "tiny":
        lines.append(f'robot_dirs = ["{TINY_ROBOT_DIR}"]')
    lines += [host.toml, "[browser]", f'executable_path = "{CHROMIUM}"' if CHROMIUM else "", "",
              f"[robots.{robot}]", f"concurrency = {concurrency}", extra]
    path = cell / "nattskift.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rusage() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def measure(fn: Any, *, host: SystemsHost, sampler: TreeSampler) -> tuple[Any, dict[str, Any]]:
    """Run `fn()` and measure wall time, CPU (ours, children), the systems' CPU, memory of the tree."""
    RECORDER.clear()
    load0 = os.getloadavg()
    sys_cpu0 = host.cpu_seconds()
    self0, kids0 = _rusage()
    sampler.start()
    t0 = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t0
    mem = sampler.stop()
    self1, kids1 = _rusage()
    timing = RECORDER.summary()
    return result, {
        "wall_s": round(wall, 2),
        "cpu_python_s": round(self1 - self0, 2),
        "cpu_children_s": round(kids1 - kids0, 2),  # node driver + Chromium, once they have exited
        "cpu_systems_s": round(host.cpu_seconds() - sys_cpu0, 2),
        **mem,
        "timing": timing,
        "loadavg_before": [round(x, 2) for x in load0],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def run_engine(config: Path, robot: str, *, limit: int | None) -> Any:
    from runner.engine import run_robot
    from runner.settings import load_settings

    settings = load_settings(config)
    return run_robot(settings, robot, limit=limit)


def engine_cell(host: SystemsHost, sampler: TreeSampler, workdir: Path, robot: str, *, concurrency: int,
                latency_ms: int, limit: int | None) -> dict[str, Any]:
    """One engine run on fresh systems and a fresh ledger; returns its figures."""
    host.reset()
    host.set_faults(latency_ms=latency_ms)
    cell = workdir / f"{robot}-L{latency_ms}-C{concurrency}-{time.strftime('%H%M%S')}"
    config = write_settings(cell, host, robot, concurrency)
    summary, m = measure(lambda: run_engine(config, robot, limit=limit), host=host, sampler=sampler)
    if summary.status == "interrupted" and "signal" in (summary.reason or ""):
        raise KeyboardInterrupt("stopped by a signal")  # SIGINT/SIGTERM stop the bench, not only the run
    done = sum(n for status, n in summary.counts.items() if status != "not_reached")
    t = m["timing"]
    window = t["window_s"] or m["wall_s"]
    shutil.rmtree(cell, ignore_errors=True)
    return _figures({
        "mode": "engine", "robot": robot, "latency_ms": latency_ms, "concurrency": concurrency,
        "status": summary.status, "reason": summary.reason, "counts": summary.counts,
        "fetched": summary.fetched, "items": done,
        "items_per_s": round(done / window, 3) if window else None,
        "items_per_s_end_to_end": round(done / m["wall_s"], 3),
        **m,
    }, done)


def _figures(row: dict[str, Any], done: int) -> dict[str, Any]:
    per = (lambda s: round(1000 * s / done, 1)) if done else (lambda s: None)
    cpu = row.get("cpu_sampled_s", {})
    sampled_kids = cpu.get("driver", 0.0) + cpu.get("browser", 0.0)
    kids = max(row["cpu_children_s"], sampled_kids)
    # Split the children's CPU between driver and browser in the sampled proportion.
    share_browser = cpu.get("browser", 0.0) / sampled_kids if sampled_kids else 1.0
    row["cpu_ms_per_item"] = {
        "python": per(row["cpu_python_s"]),
        "driver": per(kids * (1 - share_browser)),
        "browser": per(kids * share_browser),
        "systems": per(row["cpu_systems_s"]),
    }
    ws = row["timing"].get("wait_share")
    row["wait_share"] = round(ws, 3) if ws is not None else None
    return row


# -- the naive baseline: one item at a time, a new browser for each ---------------------------------------


def naive_cell(host: SystemsHost, sampler: TreeSampler, workdir: Path, robot: str, *, latency_ms: int,
               items: int) -> dict[str, Any]:
    """What a hand-written script does: list the items, then for each launch Chromium, log in, do it, quit.

    It runs the robot's own fetch/process code (same pages, same requests), without the engine: no ledger,
    no tracing, no retries, no shared browser.
    """
    import asyncio

    host.reset()
    host.set_faults(latency_ms=latency_ms)
    cell = workdir / f"naive-{robot}-L{latency_ms}-{time.strftime('%H%M%S')}"
    config = write_settings(cell, host, robot, 1)

    def go() -> dict[str, int]:
        return asyncio.run(_naive(config, robot, items))

    counts, m = measure(go, host=host, sampler=sampler)
    done = sum(counts.values())
    t = m["timing"]
    window = t["window_s"] or m["wall_s"]
    shutil.rmtree(cell, ignore_errors=True)
    return _figures({
        "mode": "naive", "robot": robot, "latency_ms": latency_ms, "concurrency": 1, "counts": counts,
        "items": done, "items_per_s": round(done / window, 3) if window else None,
        "items_per_s_end_to_end": round(done / m["wall_s"], 3), **m,
    }, done)


async def _naive(config: Path, robot_name: str, n: int) -> dict[str, int]:
    from playwright.async_api import async_playwright

    from runner.engine.context import WorkerContext
    from runner.plugins import add_robot_dirs, get_robot
    from runner.settings import load_settings, validate_robot_settings
    from runner.testing import MemoryCheckpoints

    install_timing()
    import runner.engine.core as core

    settings = load_settings(config)
    add_robot_dirs(settings.robot_dirs)
    robot_cls = get_robot(robot_name)
    robot = robot_cls()
    rconf = settings.robot_config(robot_name)
    rsettings = validate_robot_settings(robot_cls.Settings, robot_name, rconf)
    timed: type[WorkerContext] = core.WorkerContext

    class ScriptContext(timed):  # type: ignore[misc, valid-type]
        async def browser_context(self) -> Any:  # no tracing: a script would not have it
            if self._context is None:
                self._context = await self._browser.new_context(locale="sv-SE", timezone_id=settings.timezone)
                self._context.set_default_timeout(settings.browser.timeout_ms)
                self._watch(self._context)
            return self._context

    def make(browser: Any, worker: str) -> Any:
        return ScriptContext(robot=robot, robot_settings=rsettings, config=rconf, settings=settings, run_id="naive",
                             dry_run=False, browser=browser, worker=worker,
                             artifacts_root=settings.data_dir / "artifacts")

    counts: dict[str, int] = defaultdict(int)
    from runner.browser import launch

    async with async_playwright() as pw:
        browser = await launch(pw, settings.browser)
        ctx = make(browser, "fetch")
        keys = []
        async for item in robot.fetch(ctx):
            keys.append(item)
            if len(keys) >= n:
                break
        await ctx.close()
        await browser.close()
        for item in keys:
            RECORDER.begin("naive")
            browser = await launch(pw, settings.browser)
            ctx = make(browser, "naive")
            ctx.item, ctx.checkpoints = item, MemoryCheckpoints()
            try:
                outcome = await robot.process(ctx, item)
                counts[outcome.status.value] += 1
            except Exception as exc:  # a script would crash; we count it and go on
                counts[f"error:{type(exc).__name__}"] += 1
            finally:
                await ctx.close()
                await browser.close()
                RECORDER.end("naive")
    return dict(counts)


# -- output ---------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import platform

    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    from runner.browser import resolve_browser
    from runner.settings import BrowserSettings

    chosen = resolve_browser(BrowserSettings(executable_path=CHROMIUM))
    return {"cpus": os.cpu_count(), "mem_gb": round(int(mem) / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform(), "browser": f"{chosen.path or 'playwright'} ({chosen.origin})"}


def write_json(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def configure_bench_logging(root: Path) -> None:
    """One service log for the whole bench (as in production); each run also gets its own run log."""
    from runner.logging import configure_logging

    configure_logging(level="info", console="never", log_dir=root / "logs")


def iter_cells(latencies: list[int], concurrencies: list[int]) -> Iterator[tuple[int, int]]:
    for lat in latencies:
        for c in concurrencies:
            yield lat, c
