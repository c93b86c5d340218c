"""The framework's own cost per item, without a browser: store, claim, record the outcome, log.

    .venv/bin/python bench/ledger.py [--items 5000] [--postgres URL] [--json FILE]

Prints one row per database: milliseconds per item for each step and in total. The target (issue 10):
under 5 ms per item on SQLite. PostgreSQL is measured when --postgres or NATTSKIFT_TEST_POSTGRES_URL is
given (a throw-away schema is created and dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import structlog
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runner.api import Outcome, Status, WorkItem  # noqa: E402
from runner.ledger.db import open_database  # noqa: E402
from runner.ledger.repo import Ledger  # noqa: E402
from runner.logging import attach_run_log, configure_logging, detach  # noqa: E402


def measure(url: str, n: int, log_dir: Path) -> dict[str, float]:
    engine, sessions = open_database(url)
    ledger = Ledger(sessions)
    log = structlog.get_logger("bench")
    run = ledger.start_run("bench")
    handler = attach_run_log(log_dir, run)
    items = (WorkItem(key=f"K{i:07d}", title=f"Ärende {i}", data={"i": i, "belopp": 1234}) for i in range(n))
    t0 = time.perf_counter()
    ledger.add_items("bench", run, items, frozenset({Status.waiting}))
    t1 = time.perf_counter()
    claim = record = logging_s = 0.0
    outcome = Outcome.prepared("Klar för beslut", evidence=[{"label": "Norm", "value": "4 400 kr", "source": "riksnorm 2025"}])
    while True:
        a = time.perf_counter()
        row = ledger.claim_next("bench", run, "w1")
        b = time.perf_counter()
        if row is None:
            break
        ledger.record_outcome(row, run, outcome)
        c = time.perf_counter()
        log.info("item.done", status="prepared", item_key=row.key)
        d = time.perf_counter()
        claim, record, logging_s = claim + (b - a), record + (c - b), logging_s + (d - c)
    ledger.finish_run(run, "completed")
    detach(handler)
    engine.dispose()
    store = t1 - t0
    per = lambda s: round(1000 * s / n, 3)  # noqa: E731
    return {
        "items": n,
        "store_ms": per(store),
        "claim_ms": per(claim),
        "record_ms": per(record),
        "log_ms": per(logging_s),
        "total_ms": per(store + claim + record + logging_s),
    }


def postgres_schema_url(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--postgres", default=os.environ.get("NATTSKIFT_TEST_POSTGRES_URL"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        configure_logging(level="info", console="never")
        results["sqlite"] = measure(f"sqlite:///{tmp}/bench.db", args.items, Path(tmp) / "logs")
        if args.postgres:
            url, schema = postgres_schema_url(args.postgres)
            try:
                results["postgresql"] = measure(url, args.items, Path(tmp) / "logs")
            finally:
                drop_schema(args.postgres, schema)
    print(f"{'database':<11} {'items':>6} {'store':>7} {'claim':>7} {'record':>7} {'log':>7} {'total ms/item':>14}")
    for db, r in results.items():
        print(
            f"{db:<11} {r['items']:>6} {r['store_ms']:>7} {r['claim_ms']:>7} {r['record_ms']:>7} {r['log_ms']:>7} {r['total_ms']:>14}"
        )
    target = results["sqlite"]["total_ms"]
    print(f"target: under 5 ms per item on SQLite: {'met' if target < 5 else 'MISSED'} ({target} ms)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
