"""`nattskift gallra [--dry-run]`: what it prints (counts and case numbers, never a case's contents or key)
and that the pass is itself in the audit log."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from runner.api import Status
from runner.cli import app
from runner.ledger.models import AuditEntry
from tests.retention.conftest import SECRET

FUTURE = "2099-01-01T12:00:00+00:00"  # the settings' clock: every case of today is long past its time


def test_gallra_prints_what_it_removes_and_lists_what_it_keeps_without_personal_data(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    b.night("tiny", {"case-one": Status.prepared, "case-two": Status.needs_attention})
    env = {"NATTSKIFT_DATA_DIR": str(b.data_dir), "NATTSKIFT_CLOCK": FUTURE}
    if b.settings.database.url is not None:
        env["NATTSKIFT_DATABASE__URL"] = b.settings.database.url.get_secret_value()
    config = str(b.settings.config_file)
    runner = CliRunner()

    dry = runner.invoke(app, ["gallra", "--dry-run", "--config", config], env=env)
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing was removed" in dry.output
    assert b.secrets_in_ledger() == {"case-one", "case-two"}

    real = runner.invoke(app, ["gallra", "--config", config], env=env)
    assert real.exit_code == 0, real.output
    kept_id = b.item_id("tiny", "case-two")
    assert f"/fall/{kept_id}" in real.output and "not marked handled" in real.output
    for output in (dry.output, real.output):
        assert SECRET not in output and "case-one" not in output and "case-two" not in output
    assert b.secrets_in_ledger() == {"case-two"}

    as_json = runner.invoke(app, ["gallra", "--dry-run", "--json", "--config", config], env=env)
    figures = json.loads(as_json.output)
    assert figures["cases"] == 0 and [k["item_id"] for k in figures["kept"]] == [kept_id]
    with b.sessions() as s:
        passes = s.scalars(select(AuditEntry).where(AuditEntry.action == "gallring").order_by(AuditEntry.id)).all()
    assert [(p.detail["dry_run"], p.detail["cases"], p.detail["trigger"]) for p in passes] == [
        (True, 1, "command"), (False, 1, "command"), (True, 0, "command")]
