"""The stand-in systems (or the engine tests' tiny target) in a child process of their own, so their CPU
and memory are not counted as the robot's; faults, reset and counts are asked for over a pipe."""

from __future__ import annotations

import multiprocessing as mp
import os
from typing import Any

from bench.procfs import proc_cpu


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
        return proc_cpu(self.pid) or 0.0

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
