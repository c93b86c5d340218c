"""The stand-in `schema` and `personal` systems, driven in Chromium the way a person would drive them:
login, paging, detail pages, the export download, the register form's refusals and success, the
changed-page fault, a broken scenario refused with its path, and a generated 10 000-person scenario."""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from fixtures.personal.generate import generate as generate_personal
from fixtures.scenario import SCENARIO_DIR, ScenarioError, parse_scenario
from fixtures.schema.generate import generate as generate_schema
from fixtures.server import RunningSystems, start_systems

TODAY = date(2026, 3, 2)
ACCOUNTS = {"schema": {"username": "harry", "password": "s-hemligt-1"}, "personal": {"username": "harry", "password": "p-hemligt-1"}}


def generated(size: int, seed: int = 7) -> dict[str, Any]:
    return {
        "name": f"harry_generated_{size}",
        "today": TODAY.isoformat(),
        "accounts": ACCOUNTS,
        "schema": generate_schema(random.Random(seed), size, TODAY),
        "personal": generate_personal(random.Random(seed), size, TODAY),
    }


@pytest.fixture(scope="module")
def sixty() -> Iterator[RunningSystems]:
    """60 generated people: enough rows for three pages of 25."""
    scenario = parse_scenario(generated(60), "generated-60", strict=True)
    with start_systems(scenario, systems=["schema", "personal"], ports=0) as systems:
        yield systems


@pytest.fixture
def systems(sixty: RunningSystems) -> Iterator[RunningSystems]:
    sixty.reset()
    yield sixty
    sixty.reset()


def log_in(page: Page, systems: RunningSystems, system: str, path: str) -> None:
    page.goto(systems.url(system) + path)
    page.get_by_label("Användarnamn").fill(ACCOUNTS[system]["username"])
    page.get_by_label("Lösenord").fill(ACCOUNTS[system]["password"])
    page.get_by_role("button", name="Logga in").click()


@pytest.mark.browser
def test_schema_list_paging_detail_and_export_download(systems: RunningSystems, page: Page, tmp_path: Path) -> None:
    state = systems.state("schema")["schedules"]
    approved = [s for s in state if s["status"] == "godkand"]
    log_in(page, systems, "schema", "/scheman?status=godkand")
    expect(page.locator("#pager-status")).to_have_text("Sida 1 av 3")
    expect(page.locator("#schedules tbody tr")).to_have_count(25)
    page.get_by_role("link", name="Nästa").click()
    page.get_by_role("link", name="Nästa").click()
    expect(page.locator("#pager-status")).to_have_text("Sida 3 av 3")
    expect(page.locator("#schedules tbody tr")).to_have_count(len(approved) - 50)

    first = approved[0]
    page.goto(systems.url("schema") + f"/scheman/{first['id']}")
    details = page.locator("#schedule-details")
    expect(details).to_contain_text(first["employee"])
    expect(page.locator("#shifts tbody tr")).to_have_count(first["cycle_weeks"])

    page.goto(systems.url("schema") + "/scheman")
    with page.expect_download() as info:
        page.get_by_role("link", name="Exportera godkända scheman (CSV)").click()
    download = info.value
    assert download.suggested_filename == "godkanda-scheman-2026-03-02.csv"
    path = tmp_path / "export.csv"
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == sum(len(s["shifts"]) for s in approved)  # one row per pass, approved only
    assert {r["Status"] for r in rows} == {"Godkänd"}


@pytest.mark.browser
def test_changed_export_page_renames_the_link(systems: RunningSystems, page: Page) -> None:
    log_in(page, systems, "schema", "/scheman")
    expect(page.locator("#export-csv")).to_have_count(1)
    systems.set_faults("schema", changed_pages=["scheman"])
    page.reload()
    expect(page.locator("#export-csv")).to_have_count(0)
    expect(page.get_by_role("link", name="Ladda ner attesterade scheman")).to_have_count(1)
    systems.set_faults("schema", changed_pages=[])
    page.reload()
    expect(page.locator("#export-csv")).to_have_count(1)


@pytest.mark.browser
def test_personal_employees_search_and_register_form(systems: RunningSystems, page: Page) -> None:
    employees = systems.state("personal")["employees"]
    log_in(page, systems, "personal", "/anstallda")
    expect(page.locator("#pager-status")).to_contain_text("Sida 1 av")
    page.get_by_label("Sök på anställningsnummer eller namn").fill(employees[3]["number"])
    page.get_by_role("button", name="Sök").click()
    expect(page.locator("#employees tbody tr")).to_have_count(1)
    page.get_by_role("link", name=employees[3]["number"]).click()
    expect(page.locator("#employments tbody tr")).to_have_count(1)

    # The form as a person meets it: an empty submit names the required fields.
    page.get_by_role("link", name="Registrera schema").last.click()
    page.get_by_label("Anställningsnummer").fill("")
    page.get_by_role("button", name="Registrera schema").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#employee-error")).to_have_text("Fältet måste fyllas i.")
    expect(page.locator("#period-start-error")).to_have_text("Fältet måste fyllas i.")

    # A half-filled pass and a bad time are refused next to the field.
    page.get_by_label("Anställningsnummer").fill(employees[3]["number"])
    page.get_by_label("Giltig från").fill("2026-09-07")
    page.get_by_label("Start vecka 1 måndag").fill("7")
    page.get_by_label("Slut vecka 1 måndag").fill("16:00")
    page.get_by_label("Start vecka 1 tisdag").fill("07:00")
    page.get_by_role("button", name="Registrera schema").click()
    expect(page.locator("#v1-1-start-error")).to_have_text("Ange tid som TT:MM.")
    expect(page.locator("#v1-2-end-error")).to_have_text("Ange både start och slut för passet.")

    # Corrected, it is registered and shown back.
    page.get_by_label("Start vecka 1 måndag").fill("07:00")
    page.get_by_label("Start vecka 1 tisdag").fill("")
    page.get_by_label("Rast vecka 1 måndag").fill("60")
    page.get_by_role("button", name="Registrera schema").click()
    expect(page.locator("#flash")).to_contain_text("är registrerat")
    expect(page.locator("#shifts tbody tr")).to_have_count(1)
    mine = [s for s in systems.state("personal")["schedules"] if s["employee"] == employees[3]["number"]]
    assert [(s["period_start"], s["shifts"][0]["break_minutes"]) for s in mine if s["period_start"] == "2026-09-07"] == [
        ("2026-09-07", 60)
    ]


def test_register_form_rounds_rast_down_and_refuses_without_login(systems: RunningSystems) -> None:
    number = systems.state("personal")["employees"][0]["number"]
    form = {"employee": number, "period_start": "2026-10-05", "cycle_weeks": "1", "version": "1",
            "v1_1_start": "07:00", "v1_1_end": "15:42", "v1_1_break": "42"}
    with httpx.Client(base_url=systems.url("personal"), follow_redirects=False, timeout=10) as web:
        refused = web.post("/scheman/nytt", data=form)
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
        web.post("/login", data={"username": "harry", "password": ACCOUNTS["personal"]["password"]})
        answer = web.post("/scheman/nytt", data=form)
        assert answer.status_code == 303
    stored = next(s for s in systems.state("personal")["schedules"] if s["period_start"] == "2026-10-05")
    assert stored["shifts"][0]["break_minutes"] == 40  # stored in whole 5-minute steps, silently


def test_export_is_csv_attachment_and_unknown_ids_are_404(systems: RunningSystems) -> None:
    with httpx.Client(base_url=systems.url("schema"), timeout=10) as web:
        web.post("/login", data={"username": "harry", "password": ACCOUNTS["schema"]["password"]})
        export = web.get("/scheman/export.csv")
        assert export.headers["content-type"].startswith("text/csv")
        assert export.headers["content-disposition"].startswith("attachment;")
        assert web.get("/scheman/S-0000-99999").status_code == 404
    with httpx.Client(base_url=systems.url("personal"), timeout=10) as web:
        web.post("/login", data={"username": "harry", "password": ACCOUNTS["personal"]["password"]})
        missing = web.get("/anstallda/999999")
        assert missing.status_code == 404 and "finns inte i personalsystemet" in missing.text


def test_bundled_harry_scenarios_load_and_a_broken_one_names_its_path() -> None:
    for name in ("harry_golden.json", "demo_harry.json"):
        raw = json.loads((SCENARIO_DIR / name).read_text(encoding="utf-8"))
        parse_scenario(raw, name, strict=True)
    raw = json.loads((SCENARIO_DIR / "harry_golden.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["schema"]["schedules"][3]["shifts"][0]["start"] = "7.00"
    with pytest.raises(ScenarioError, match=r"schema\.schedules\[3\]\.shifts\[0\]\.start"):
        parse_scenario(broken, "broken.json", strict=True)
    broken = copy.deepcopy(raw)
    broken["personal"]["employments"][0]["category"] = "rektor"
    with pytest.raises(ScenarioError, match=r"personal\.employments\[0\]"):
        parse_scenario(broken, "broken.json", strict=True)


def test_generation_is_deterministic_and_10000_are_served_in_pages() -> None:
    # the same seed gives the same people; how generation time grows is in bench/generate.py
    assert generate_schema(random.Random(1), 50, TODAY) == generate_schema(random.Random(1), 50, TODAY)
    assert generate_personal(random.Random(1), 50, TODAY) == generate_personal(random.Random(1), 50, TODAY)

    scenario = parse_scenario(generated(10_000), "generated-10000", strict=True)
    with start_systems(scenario, systems=["schema", "personal"], ports=0) as systems:
        with httpx.Client(base_url=systems.url("schema"), timeout=30) as web:
            web.post("/login", data={"username": "harry", "password": ACCOUNTS["schema"]["password"]})
            first = web.get("/scheman")
            assert first.status_code == 200 and "Sida 1 av" in first.text
