"""Other machines, for tests: a process in its own UTS namespace has a host name of its own.

Nattskift names runs, workers and claims "host:pid", and a process can only judge another process on
its own machine by its pid. Running a command under `unshare --uts` with another host name makes it, as
far as Nattskift can tell, a process on another machine (root only; the tests skip elsewhere).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
from pathlib import Path

import pytest


@functools.cache
def can_fake_hosts() -> bool:
    try:
        return subprocess.run(["unshare", "--uts", "hostname", "nattskift-probe"], capture_output=True,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def on_host(name: str, argv: list[str]) -> list[str]:
    """`argv` as a process on machine `name`."""
    if not can_fake_hosts():
        pytest.skip("needs `unshare --uts` (root) to run a process as another machine")
    return ["unshare", "--uts", "sh", "-c", f'hostname {name} && exec "$@"', "sh", *argv]


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (Playwright starts Chromium in a process group of its own, so a
    signal to the group of `pid` does not reach the browser)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def signal_tree(pid: int, sig: signal.Signals) -> None:
    """Send `sig` to `pid` and all its descendants (SIGSTOP freezes a whole machine's Nattskift)."""
    for p in process_tree(pid):
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass
