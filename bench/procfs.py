"""Readers of /proc: a process's CPU, RSS and PSS, its descendants, and what kind of process it is.

Everything the bench measures about processes comes from here, so it needs no extra dependency.
"""

from __future__ import annotations

import os
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def stat(pid: int) -> tuple[str, float, int] | None:
    """(comm, cpu seconds user+system, start time in ticks) of one process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    f = raw[raw.rindex(")") + 2 :].split()
    # after "pid (comm) ": f[0]=state … f[11]=utime, f[12]=stime, f[19]=starttime
    return comm, (int(f[11]) + int(f[12])) / TICK, int(f[19])


def proc_cpu(pid: int) -> float | None:
    s = stat(pid)
    return s[1] if s else None


def proc_rss(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except OSError:
        return None


def proc_pss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
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


def percentile(values: list[int], q: float) -> float:
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
        todo += children(pid)
    return out


def category(pid: int, root: int, comm: str) -> str:
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
