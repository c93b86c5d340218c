"""Each run's log file holds that run's lines, also when two robots run at once in one process."""

from __future__ import annotations

import json
import threading

import structlog

from runner.logging import attach_run_log, configure_logging, detach


def test_two_runs_at_once_keep_to_their_own_files(tmp_path):
    configure_logging(level="info", console="never")
    log_dir = tmp_path / "logs"
    handlers = {run: attach_run_log(log_dir, run) for run in ("run-a", "run-b")}
    barrier = threading.Barrier(2)

    def night(run_id: str) -> None:
        structlog.contextvars.bind_contextvars(run_id=run_id)
        barrier.wait()
        for i in range(20):
            structlog.get_logger("robots.x").info("item.done", n=i)

    threads = [threading.Thread(target=night, args=(run,)) for run in handlers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for handler in handlers.values():
        detach(handler)

    for run in handlers:
        lines = [json.loads(x) for x in (log_dir / "runs" / f"{run}.jsonl").read_text().splitlines()]
        assert len(lines) == 20
        assert {x["run_id"] for x in lines} == {run}
