"""Copy the figures of the last chaos run (var/chaos/last-run.json) into docs/reliability.md.

    .venv/bin/pytest -m chaos            # writes var/chaos/last-run.json
    .venv/bin/python -m tests.chaos.report

Only the part of the document between the two `chaos-figures` markers is replaced.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tests.chaos.figures import FIGURES_FILE

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
START, END = "<!-- chaos-figures:start -->", "<!-- chaos-figures:end -->"
CHECK_NAMES = {
    "transient_faults": "Transient faults (20 % 500/503, latency, sessions expiring)",
    "sigkill": "Killed with SIGKILL, then started again",
    "system_down": "System down mid-run, then back",
    "changed_page": "A changed page",
    "bad_data": "Bad data",
    "ledger_full": "Ledger disk full mid-run",
}


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def render(data: dict[str, Any]) -> str:
    t = data["totals"]
    lines = [
        START,
        f"Last run: {data['written_at']} on {data['machine']}; the chaos suite took "
        f"**{_minutes(data['runtime_seconds'])}**.",
        "",
        "| items | faults injected | kills | runs | lost | duplicated |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {t['items']} | {t['faults_injected']} | {t['kills']} | {t['runs']} | **{t['lost']}** | **{t['duplicated']}** |",
        "",
        "| check | robot | items | runs | faults injected | kills | lost | duplicated | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in data["checks"]:
        lines.append(
            f"| {CHECK_NAMES.get(c['check'], c['check'])} | {c['robot']} | {c.get('items', '')} | {c.get('runs', 1)} | "
            f"{c.get('faults_injected', 0)} | {c.get('kills', 0)} | {c.get('lost', 0)} | {c.get('duplicated', 0)} | "
            f"{c.get('seconds', '')} |"
        )
    lines += ["", f"Raw figures: `{FIGURES_FILE.relative_to(DOC.parents[1])}` of that run.", END]
    return "\n".join(lines)


def main() -> int:
    if not FIGURES_FILE.is_file():
        print(f"no figures yet: run `.venv/bin/pytest -m chaos` first ({FIGURES_FILE} is missing)", file=sys.stderr)
        return 1
    data = json.loads(FIGURES_FILE.read_text(encoding="utf-8"))
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        print(f"{DOC} has no {START} … {END} section", file=sys.stderr)
        return 1
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + render(data) + tail, encoding="utf-8")
    print(f"{DOC.relative_to(DOC.parents[1])}: figures of {data['written_at']} copied")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
