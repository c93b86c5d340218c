"""Personal data and secrets never reach a log line, a traceback or the console."""

from __future__ import annotations

import json
import logging

import structlog

from runner.logging import attach_run_log, configure_logging, detach
from runner.redact import scrub_text

# Test identities only (Skatteverket's test series); still they must never be printed.
PLANTED = ["19121212-1212", "191212121212", "121212-1212", "1212121212", "20121212+1212"]


def test_every_personnummer_form_and_email_is_masked():
    for pnr in PLANTED:
        assert pnr not in scrub_text(f"sökande {pnr} saknar hyresavi")
    assert "anna@example.se" not in scrub_text("skicka till anna@example.se")
    assert scrub_text("2026-11-23T01:30:00Z ärende 4711:2025-11") == "2026-11-23T01:30:00Z ärende 4711:2025-11"


def test_planted_personnummer_never_reaches_the_json_log(tmp_path):
    configure_logging(level="info", console="never", log_dir=tmp_path / "logs")
    handler = attach_run_log(tmp_path / "logs", "redaction-test")
    log = structlog.get_logger("robots.test")
    try:
        log.info("case.read", note=f"personnummer {PLANTED[0]}", password="hemligt", nested={"pnr": PLANTED[1]})
        logging.getLogger("some.library").warning("stdlib says %s", PLANTED[2])
        try:
            secret_local = PLANTED[3]  # noqa: F841 - a local variable must not be dumped
            raise ValueError(f"bad row for {PLANTED[4]}")
        except ValueError:
            log.exception("case.failed")
    finally:
        detach(handler)
    text = (tmp_path / "logs" / "runs" / "redaction-test.jsonl").read_text(encoding="utf-8")
    for pnr in PLANTED:
        assert pnr not in text
    assert "hemligt" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["note"] == "personnummer <personnummer>"
    assert lines[0]["password"] == "<hemlig>"
    assert any("exception" in line for line in lines)
