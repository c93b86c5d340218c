"""A run's report as one self-contained HTML file or as JSON, for archiving or e-mail.

The HTML file has its CSS inline and a Content-Security-Policy that forbids every request, so it opens the
same on a disconnected laptop in ten years. Personnummer are masked unless `unmasked=True` (a file that is
e-mailed should not carry them); failure screenshots are embedded only in an unmasked export.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import Review, Run
from runner.ledger.models import Outcome as OutcomeRow
from runner.settings import Settings
from runner.web import queries as q
from runner.web.format import RUN_STATUS_LABELS, STATUS_LABELS
from runner.web.masking import mask_deep
from runner.web.templates import make_templates

FORMAT = "nattskift-run-report/1"
EMBED_MAX_BYTES = 2_000_000
BATCH = 500
STATIC_CSS = Path(__file__).resolve().parent / "static" / "style.css"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def build_run_export(
    sessions: sessionmaker[Session], settings: Settings, run_id: str, *, robot: Any = None, unmasked: bool = False
) -> dict[str, Any]:
    """Everything about one run as JSON-able data. Raises LookupError for an unknown run."""
    with sessions() as s:
        run = s.get(Run, run_id)
        if run is None:
            raise LookupError(run_id)
        counts = q.run_counts(s, run)
        cases = list(_cases(s, run.id))
        left, _ = q.not_reached_items(s, run.id, limit=100_000)
        not_reached = [{"key": it.key, "title": it.title, "attempts": it.attempts} for it in left]
    minutes = float(getattr(robot, "minutes_saved_per_case", 0) or 0)
    saved_cases, saved_minutes = q.saved(counts, minutes)
    data: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": datetime.now(UTC).isoformat(),
        "masked": not unmasked,
        "run": {
            "id": run.id,
            "robot": run.robot,
            "robot_title": getattr(robot, "title", "") or run.robot,
            "status": run.status,
            "status_label": RUN_STATUS_LABELS.get(run.status, run.status),
            "reason": run.reason,
            "trigger": run.trigger,
            "dry_run": run.dry_run,
            "scheduled_for": _iso(run.scheduled_for),
            "started_at": _iso(run.started_at),
            "ended_at": _iso(run.ended_at),
            "duration_seconds": (run.ended_at - run.started_at).total_seconds() if run.ended_at else None,
            "counts": counts,
            "report": run.report,
        },
        "saved": {"cases": saved_cases, "minutes_per_case": minutes, "minutes": saved_minutes},
        "cases": cases,
        "not_reached": not_reached,
    }
    if not unmasked:
        data["run"]["report"] = mask_deep(data["run"]["report"])
        data["cases"] = mask_deep(data["cases"])
        data["not_reached"] = mask_deep(data["not_reached"])
    return data


def _cases(s: Session, run_id: str) -> Any:
    """The run's outcomes, what needs a person first, in batches (a night can have thousands)."""
    offset = 0
    while True:
        rows = list(
            s.scalars(
                select(OutcomeRow).where(OutcomeRow.run_id == run_id)
                .order_by(q._status_rank(), OutcomeRow.key, OutcomeRow.id).offset(offset).limit(BATCH)
            )
        )
        if not rows:
            return
        reviews: dict[int, list[Review]] = {}
        for r in s.scalars(select(Review).where(Review.outcome_id.in_([o.id for o in rows])).order_by(Review.handled_at)):
            reviews.setdefault(r.outcome_id, []).append(r)
        for o in rows:
            yield {
                "key": o.key,
                "title": o.title,
                "status": o.status,
                "status_label": STATUS_LABELS.get(o.status, o.status),
                "summary": o.summary,
                "findings": o.findings,
                "evidence": o.evidence,
                "links": o.links,
                "artifacts": o.artifacts,
                "attempts": o.attempts,
                "error": o.error,
                "recorded_at": _iso(o.recorded_at),
                "reviews": [
                    {"username": r.username, "comment": r.comment, "handled_at": _iso(r.handled_at)}
                    for r in reviews.get(o.id, [])
                ],
            }
        offset += BATCH


def _embedded_screenshots(data: dict[str, Any], data_dir: Path) -> dict[str, str]:
    """data: URIs of failure screenshots, by artifact path (unmasked exports only)."""
    out: dict[str, str] = {}
    if data["masked"]:
        return out
    root = data_dir.resolve()
    for case in data["cases"]:
        for rel in case.get("artifacts") or []:
            rel = rel.get("path", "") if isinstance(rel, dict) else str(rel)
            path = (root / rel).resolve()
            if path.suffix.lower() == ".png" and path.is_relative_to(root) and path.is_file():
                if path.stat().st_size <= EMBED_MAX_BYTES:
                    out[rel] = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    return out


def render_run_html(data: dict[str, Any], settings: Settings) -> str:
    env = make_templates().env
    template = env.get_template("export.html")
    return template.render(
        data=data,
        css=STATIC_CSS.read_text(encoding="utf-8"),
        tz=settings.tz,
        parse=lambda v: datetime.fromisoformat(v) if v else None,
        screenshots=_embedded_screenshots(data, Path(settings.data_dir)),
        status_order=q.STATUS_ORDER,
    )
