"""One measured run (a "cell"): the robot through the real engine, or the naive script baseline, on
fresh systems and a fresh ledger, with wall time, CPU per part, memory and the recorder's timings."""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from bench.paths import TINY_ROBOT_DIR
from bench.recorder import Recorder
from bench.sampler import TreeSampler
from bench.systems_host import SystemsHost
from runner.browser import launch
from runner.engine import run_robot
from runner.engine.context import WorkerContext
from runner.engine.observers import Observers
from runner.plugins import add_robot_dirs, get_robot
from runner.settings import load_settings, validate_robot_settings
from runner.testing import MemoryCheckpoints


def write_settings(cell: Path, host: SystemsHost, robot: str, concurrency: int, *, chromium: str | None = None,
                   tracing: bool = True, extra: str = "") -> Path:
    """A settings file for one run: its own data_dir (so a fresh ledger), the systems, the robot.

    `tracing` False turns the engine's failure traces off (`browser.trace_failures`): the experiment of
    what tracing costs."""
    cell.mkdir(parents=True, exist_ok=True)
    lines = [f'data_dir = "{cell / "var"}"']
    if robot == "tiny":
        lines.append(f'robot_dirs = ["{TINY_ROBOT_DIR}"]')
    lines += [host.toml, "[browser]", f'executable_path = "{chromium}"' if chromium else "",
              f"trace_failures = {'true' if tracing else 'false'}", "",
              f"[robots.{robot}]", f"concurrency = {concurrency}", extra]
    path = cell / "nattskift.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rusage() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def measure(fn: Callable[[Recorder], Any], *, host: SystemsHost, sampler: TreeSampler) -> tuple[Any, dict[str, Any]]:
    """Run `fn(recorder)` and measure wall time, CPU (ours, children), the systems' CPU, memory of the tree."""
    recorder = Recorder()
    load0 = os.getloadavg()
    sys_cpu0 = host.cpu_seconds()
    self0, kids0 = _rusage()
    sampler.start()
    t0 = time.perf_counter()
    result = fn(recorder)
    wall = time.perf_counter() - t0
    mem = sampler.stop()
    self1, kids1 = _rusage()
    return result, {
        "wall_s": round(wall, 2),
        "cpu_python_s": round(self1 - self0, 2),
        "cpu_children_s": round(kids1 - kids0, 2),  # node driver + Chromium, once they have exited
        "cpu_systems_s": round(host.cpu_seconds() - sys_cpu0, 2),
        **mem,
        "timing": recorder.summary(),
        "loadavg_before": [round(x, 2) for x in load0],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def engine_cell(host: SystemsHost, sampler: TreeSampler, workdir: Path, robot: str, *, concurrency: int,
                latency_ms: int, limit: int | None, chromium: str | None = None, tracing: bool = True) -> dict[str, Any]:
    """One engine run on fresh systems and a fresh ledger; returns its figures."""
    host.reset()
    host.set_faults(latency_ms=latency_ms)
    cell = workdir / f"{robot}-L{latency_ms}-C{concurrency}-{time.strftime('%H%M%S')}"
    config = write_settings(cell, host, robot, concurrency, chromium=chromium, tracing=tracing)

    def run(recorder: Recorder) -> Any:
        return run_robot(load_settings(config), robot, limit=limit, observers=[recorder])

    summary, m = measure(run, host=host, sampler=sampler)
    if summary.status == "interrupted" and "signal" in (summary.reason or ""):
        raise KeyboardInterrupt("stopped by a signal")  # SIGINT/SIGTERM stop the bench, not only the run
    done = sum(n for status, n in summary.counts.items() if status != "not_reached")
    window = m["timing"]["window_s"] or m["wall_s"]
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
               items: int, chromium: str | None = None) -> dict[str, Any]:
    """What a hand-written script does: list the items, then for each launch Chromium, log in, do it, quit.

    It runs the robot's own fetch/process code (same pages, same requests), without the engine: no ledger,
    no tracing, no retries, no shared browser.
    """
    host.reset()
    host.set_faults(latency_ms=latency_ms)
    cell = workdir / f"naive-{robot}-L{latency_ms}-{time.strftime('%H%M%S')}"
    config = write_settings(cell, host, robot, 1, chromium=chromium, tracing=False)
    counts, m = measure(lambda recorder: asyncio.run(_naive(config, robot, items, recorder)), host=host, sampler=sampler)
    done = sum(counts.values())
    window = m["timing"]["window_s"] or m["wall_s"]
    shutil.rmtree(cell, ignore_errors=True)
    return _figures({
        "mode": "naive", "robot": robot, "latency_ms": latency_ms, "concurrency": 1, "counts": counts,
        "items": done, "items_per_s": round(done / window, 3) if window else None,
        "items_per_s_end_to_end": round(done / m["wall_s"], 3), **m,
    }, done)


async def _naive(config: Path, robot_name: str, n: int, recorder: Recorder) -> dict[str, int]:
    settings = load_settings(config)
    add_robot_dirs(settings.robot_dirs)
    robot_cls = get_robot(robot_name)
    robot = robot_cls()
    rconf = settings.robot_config(robot_name)
    rsettings = validate_robot_settings(robot_cls.Settings, robot_name, rconf)
    observers = Observers([recorder])

    def make(browser: Any, worker: str) -> WorkerContext:
        # The engine's own context without a run: no lease fence, no attempt started, so no tracing.
        return WorkerContext(robot=robot, robot_settings=rsettings, config=rconf, settings=settings, run_id="naive",
                             dry_run=False, browser=browser, worker=worker,
                             artifacts_root=settings.data_dir / "artifacts", observers=observers)

    counts: dict[str, int] = defaultdict(int)
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
            recorder.item_started("naive", item.key)
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
                recorder.item_finished("naive", item.key, None)
    return dict(counts)
