"""A real night (the tiny robot in Chromium against its stand-in), then gallring a month later: the
cases' data is gone from the ledger, the artifact folder and the logs, and the morning report still shows
that night's counts and saved time."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from runner.ledger.models import Item
from runner.ledger.models import Outcome as OutcomeRow
from runner.retention.gallring import gallra
from runner.testing import run_robot
from runner.web.app import create_app
from runner.web.auth import add_user
from tests.support.target import TargetServer

PASSWORD = "gallring-2026-lösen"


def _login(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token.group(1)})
    assert answer.status_code == 303


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\xa0", " ")


def test_a_month_after_a_real_night_its_cases_data_is_gone_and_its_figures_stay(books) -> None:  # type: ignore[no-untyped-def]
    with TargetServer([f"A{i:03d}" for i in range(4)]) as server:
        server.state.fail_keys = {"A001"}
        b = books(systems=server, robots={"tiny": {"concurrency": 1, "max_attempts": 1}})
        b.settings.browser.trace_failures = True
        night = run_robot("tiny", b.settings).run
    d = b.data_dir
    assert (d / "artifacts" / night.id).is_dir() and (d / "logs" / "runs" / f"{night.id}.jsonl").is_file()
    assert night.id in (d / "logs" / "nattskift.jsonl").read_text(encoding="utf-8")
    add_user(b.sessions, "ada", PASSWORD, ["admin"], "Ada Admin")
    month_later = datetime.now(UTC) + timedelta(days=31)
    client = TestClient(create_app(b.settings, clock=lambda: month_later), follow_redirects=False)
    _login(client)
    pages: dict[str, Any] = {"before": {}, "after": {}}
    pages["before"] = {url: _text(client.get(url).text) for url in ("/", f"/korningar/{night.id}")}

    report = gallra(b.settings, now=month_later)

    assert report.robots["tiny"].cases == 3 and [k.status for k in report.kept] == ["failed"]
    with b.sessions() as s:
        titles = {i.key: i.title for i in s.scalars(select(Item))}
        outcome_titles = {o.key: o.title for o in s.scalars(select(OutcomeRow))}
    assert titles == outcome_titles == {"A000": "(gallrad)", "A001": "Ärende A001", "A002": "(gallrad)",
                                        "A003": "(gallrad)"}  # A001 failed: the robot takes it again
    assert not (d / "artifacts" / night.id).exists()  # A001's screenshot and trace too: days, not months
    assert not (d / "logs" / "runs" / f"{night.id}.jsonl").exists()
    service = (d / "logs" / "nattskift.jsonl").read_text(encoding="utf-8")
    assert night.id not in service and "A000" not in service
    assert [json.loads(line)["event"] for line in service.splitlines()][:1] == ["gallring.done"]
    pages["after"] = {url: _text(client.get(url).text) for url in ("/", f"/korningar/{night.id}")}
    overview = pages["after"]["/"]
    assert "3 förberedda ärenden × 1 min" in overview and "3 min" in overview
    saved = re.search(r"Sparad tid i natt .{0,80}", overview)
    assert saved is not None and saved.group(0) in pages["before"]["/"]
    audit = _text(client.get("/granskningslogg?handelse=gallring").text)  # the pass is in the audit log
    assert "1 händelse" in audit and re.search(r"cli:\S+ Gallrade personuppgifter ledger", audit)
    run_page = pages["after"][f"/korningar/{night.id}"]
    assert "Ärende A000" not in run_page and "Ärende A000" in pages["before"][f"/korningar/{night.id}"]
