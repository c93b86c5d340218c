"""How long a gallring pass takes over a ledger of a year's cases.

    .venv/bin/python bench/gallring.py [--items 20000] [--nights 100] [--postgres URL] [--json FILE]

Fills a fresh ledger (SQLite, and PostgreSQL when --postgres or NATTSKIFT_TEST_POSTGRES_URL is given, in
a throw-away schema) with `items` cases over `nights` runs of one robot: nine in ten prepared, one in ten
needing a person and never handled (listed, not removed). Then times a dry pass, the real pass, and a
second pass that finds nothing new, and prints milliseconds per case for each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from runner.ledger.db import close_database, open_database  # noqa: E402
from runner.ledger.models import Item, Outcome, Run  # noqa: E402
from runner.retention.gallring import gallra  # noqa: E402
from runner.testing import make_settings  # noqa: E402


def fill(url: str, items: int, nights: int) -> None:
    _, sessions = open_database(url)
    start = datetime.now(UTC) - timedelta(days=nights + 40)
    per_night = max(1, items // nights)
    with sessions.begin() as s:
        n = 0
        for night in range(nights):
            at = start + timedelta(days=night)
            run_id = f"{at:%Y%m%d%H%M%S}-bench{night:03d}"
            s.execute(insert(Run).values(id=run_id, robot="bench", status="completed", trigger="schedule",
                                         dry_run=False, started_at=at, ended_at=at, counts={}, queued=False))
            rows = [dict(robot="bench", key=f"K{n + i:07d}", title=f"Ärende {n + i} – Förnamn Efternamn",
                         data={"belopp": 4400, "personnummer": "ÅÅÅÅMMDD-XXXX"}, state="done",
                         status="needs_attention" if (n + i) % 10 == 0 else "prepared", summary="Klar för beslut",
                         attempts=1, checkpoints={}, run_id=run_id, created_at=at, updated_at=at)
                    for i in range(per_night)]
            ids = s.scalars(insert(Item).returning(Item.id), rows).all()
            s.execute(insert(Outcome), [
                dict(run_id=run_id, item_id=item_id, robot="bench", key=row["key"], title=row["title"],
                     status=row["status"], summary="Klar för beslut: 4 400 kr", findings=[{"message": "Notera"}],
                     evidence=[{"label": "Norm", "value": "4 400 kr"}], links=[], data={}, artifacts=[], attempts=1,
                     recorded_at=at)
                for item_id, row in zip(ids, rows, strict=True)])
            n += per_night


def measure(url: str, root: Path, items: int, nights: int) -> dict[str, float]:
    fill(url, items, nights)
    settings = make_settings(root, database={"url": url})
    figures: dict[str, float] = {"items": items}
    for label, dry in (("dry_ms_per_case", True), ("real_ms_per_case", False), ("again_ms_per_case", False)):
        t0 = time.perf_counter()
        report = gallra(settings, dry_run=dry)
        figures[label] = (time.perf_counter() - t0) * 1000 / items
        if label == "real_ms_per_case":
            figures["removed"] = report.robots["bench"].cases
            figures["kept"] = len(report.kept)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--nights", type=int, default=100)
    parser.add_argument("--postgres", default=os.environ.get("NATTSKIFT_TEST_POSTGRES_URL"))
    parser.add_argument("--json", type=Path, default=Path("bench/results/gallring.json"))
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sqlite").mkdir()
        results["sqlite"] = measure(f"sqlite:///{root / 'sqlite' / 'ledger.db'}", root / "sqlite", args.items, args.nights)
        if args.postgres:
            from tests.support.pg import pg_schema_url

            (root / "pg").mkdir()
            with pg_schema_url(args.postgres) as url:
                results["postgresql"] = measure(url, root / "pg", args.items, args.nights)
                close_database(url)
    print(f"{'database':<12}{'cases':>8}{'removed':>9}{'kept':>7}{'dry ms':>9}{'real ms':>9}{'again ms':>10}  (per case)")
    for name, f in results.items():
        print(f"{name:<12}{f['items']:>8.0f}{f['removed']:>9.0f}{f['kept']:>7.0f}{f['dry_ms_per_case']:>9.3f}"
              f"{f['real_ms_per_case']:>9.3f}{f['again_ms_per_case']:>10.3f}")
    print(f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
