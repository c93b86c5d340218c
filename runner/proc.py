"""Facts about processes, for telling a live holder from a dead one, and the names workers go by.

Every run, worker and claim is named "host:pid" (a worker slot adds ":w3"), so the ledger says which
machine and process holds what, and a process on the same machine can tell at once that a holder died.
"""

from __future__ import annotations

import os
import socket


def pid_alive(pid: int) -> bool:
    """True if a process with this pid exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_name() -> str:
    """This process: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def split_name(name: str | None) -> tuple[str, int] | None:
    """("host", pid) of "host:pid" or "host:pid:slot"; None for names of another form."""
    if not name:
        return None
    parts = name.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def known_dead(name: str | None) -> bool:
    """True when `name` is a process on this machine that no longer exists. A process on another machine
    is never known dead from here: its lease says whether it still works."""
    host_pid = split_name(name)
    if host_pid is None:
        return False
    host, pid = host_pid
    return host == socket.gethostname() and pid != os.getpid() and not pid_alive(pid)


def same_process(name: str | None) -> bool:
    host_pid = split_name(name)
    return host_pid == (socket.gethostname(), os.getpid())
