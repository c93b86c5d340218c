"""Bidi control characters from a source system never reach the ledger, the lists or the exports.

A right-to-left override (U+202E) makes a browser show "00 04 kr" for the text "\u202e40 00 kr"; the
controls are taken out where robot output enters the ledger, so no page or export can show the trick.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from runner.api import Evidence, Finding, Outcome, Status, WorkItem
from runner.bidi import BIDI_CONTROLS
from runner.ledger.db import open_database
from runner.ledger.models import Item, Run
from runner.ledger.models import Outcome as OutcomeRow
from runner.ledger.repo import Ledger
from runner.testing import make_settings
from runner.web.report import build_run_export, render_run_html

RLO, PDF, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"


def _has_controls(text: str) -> bool:
    return any(c in BIDI_CONTROLS for c in text)


def test_robot_output_enters_the_ledger_without_bidi_controls(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    _, sessions = open_database(settings.database_url())
    ledger = Ledger(sessions)
    run_id = ledger.start_run("tiny")
    ledger.add_items("tiny", run_id, [WorkItem(key="A1", title=f"Ansökan {RLO}Rami Haddad{PDF} – نور")], frozenset())
    item = ledger.claim_next("tiny", run_id, "w1")
    assert item is not None
    outcome = Outcome(
        status=Status.prepared,
        summary=f"Klar för beslut: {RLO}40 00{PDF} kr",
        findings=[Finding(code="x", message=f"Hyran {LRI}9 800{PDI} kr", severity="warning")],
        evidence=[Evidence(label=f"Belopp{RLM}", value=f"{RLO}4 400 kr", source="Ansökan")],
    )
    ledger.record_outcome(item, run_id, outcome)
    ledger.finish_run(run_id, "completed", reason=f"Klar {RLO}ok", report={f"{RLO}nyckel": [f"{RLO}värde"]})

    with sessions() as s:
        row = s.scalar(select(OutcomeRow).where(OutcomeRow.run_id == run_id))
        stored_item = s.get(Item, item.id)
        run = s.get(Run, run_id)
    assert row is not None and stored_item is not None and run is not None
    assert row.summary == "Klar för beslut: 40 00 kr"
    assert row.findings[0]["message"] == "Hyran 9 800 kr"
    assert row.evidence[0]["label"] == "Belopp" and row.evidence[0]["value"] == "4 400 kr"
    assert stored_item.title == "Ansökan Rami Haddad – نور"  # right-to-left letters themselves are kept
    assert row.title == stored_item.title and stored_item.summary == row.summary
    assert run.reason == "Klar ok" and run.report == {"nyckel": ["värde"]}

    export = build_run_export(sessions, settings, run_id)
    assert not _has_controls(json.dumps(export, ensure_ascii=False))
    assert not _has_controls(render_run_html(export, settings))
