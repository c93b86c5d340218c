"""`nattskift report RUN_ID --format html|json`: one self-contained file per run, personnummer masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from typer.testing import CliRunner

from runner.cli import app
from runner.ledger.models import AuditEntry
from tests.web.conftest import Live


@pytest.fixture
def config(live: Live, tmp_path: Path) -> Path:
    path = tmp_path / "nattskift.toml"
    path.write_text(f'data_dir = "{live.settings.data_dir}"\nclock = "2025-11-24T07:30:00+01:00"\n', encoding="utf-8")
    return path


def _report(config: Path, run_id: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["report", run_id, "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _people_in(text: str, live: Live) -> list[str]:
    """Labels (never values) of demo people whose full personnummer appears in `text`."""
    return [label for label, (_, pnr) in live.demo.people.items() if pnr in text]


@pytest.mark.browser
def test_exported_html_opens_and_renders_with_no_network(page: Page, live: Live, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "rapport.html"
    run_id = live.demo.runs["ronney"]
    _report(config, run_id[:14], "--format", "html", "--out", str(out))  # an unambiguous beginning of the id
    html = out.read_text(encoding="utf-8")
    assert _people_in(html, live) == []  # masked: the file may be e-mailed
    assert "<link" not in html and "<script" not in html

    requests: list[str] = []

    def block_network(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file:"):  # the report file itself
            return route.continue_()
        requests.append(route.request.url)
        return route.abort()

    page.context.route("**/*", block_network)
    page.on("request", lambda r: None if r.url.startswith("file:") else requests.append(r.url))
    page.goto(out.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ronney – förberedelse av ansökningar om försörjningsstöd: körning 2025-11-24 01:30")
    # 8 cases: 4 prepared, 2 need a caseworker, 1 waiting, 1 technical failure
    expect(page.locator("section.case")).to_have_count(8)
    expect(page.locator("section.case").first).to_contain_text("Behöver en handläggare")
    # the inline CSS applied: a "Förberett" badge has its green background
    badge = page.locator(".badge-prepared").first
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(227, 242, 230)"
    assert requests == []


def test_exported_json_holds_the_run_and_its_cases(live: Live, config: Path) -> None:
    run_id = live.demo.runs["ronney"]
    with live.sessions() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export_report")) or 0
    text = _report(config, run_id, "--format", "json", "--out", "-")
    data = json.loads(text)
    assert data["format"] == "nattskift-run-report/1"
    assert data["run"]["id"] == run_id and data["run"]["status"] == "completed"
    assert data["run"]["counts"] == {"prepared": 4, "needs_attention": 2, "waiting": 1, "failed": 1}
    assert [c["status"] for c in data["cases"]][:3] == ["needs_attention", "needs_attention", "failed"]
    # saved time: 4 prepared × 12 min = 48 min; cases still needing a caseworker, waiting or failed do not count
    assert data["saved"] == {"cases": 4, "minutes_per_case": 12.0, "minutes": 48.0}
    assert data["masked"] is True and _people_in(text, live) == []
    assert data["cases"][2]["artifacts"][0].endswith("attempt-3-ekonomi.png")
    with live.sessions() as s:
        after = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export_report"))
    assert after == before + 1

    unmasked = json.loads(_report(config, run_id, "--format", "json", "--out", "-", "--unmasked"))
    assert unmasked["masked"] is False and len(_people_in(json.dumps(unmasked, ensure_ascii=False), live)) == 8


def test_report_of_an_unknown_run_fails_plainly(config: Path) -> None:
    result = CliRunner().invoke(app, ["report", "19990101", "--config", str(config)])
    assert result.exit_code == 1
    assert "no run" in result.output
