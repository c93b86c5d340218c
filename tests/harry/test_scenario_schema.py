"""The schema and personal scenario sections hold the everyday cases; a bad value is named by its path.

New in issue 18: two passes on one day (a delad tur), where the rast begins, grundschema or
placeringsschema, and registered absence in the payroll system.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from fixtures.scenario import ScenarioError, parse_scenario, resolve
from fixtures.schema.export import export_csv
from fixtures.schema.models import SchemaSchedule
from robots.harry.export import parse_export


def golden() -> dict[str, Any]:
    return json.loads(resolve("harry_golden").read_text(encoding="utf-8"))


def refused(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw, "x.json", strict=True)
    return str(caught.value)


def test_a_delad_tur_a_placed_rast_and_a_placeringsschema_reach_the_export_and_harry():
    s = SchemaSchedule.model_validate({
        "id": "S-9", "employee": "40101", "period_start": "2026-05-04", "period_end": "2026-06-28",
        "kind": "placeringsschema", "shifts": [
            {"week": 1, "weekday": 1, "start": "14:00", "end": "18:00"},
            {"week": 1, "weekday": 1, "start": "06:30", "end": "09:00"},
            {"week": 1, "weekday": 2, "start": "07:00", "end": "16:00", "break_minutes": 60, "break_start": "11:00"}]})
    [read] = list(parse_export("".join(export_csv([s]))))
    assert read.kind == "placeringsschema"
    assert [(x.weekday, x.start.hour, x.break_start) for x in read.shifts] == [
        (1, 6, None), (1, 14, None), (2, 7, read.shifts[2].break_start)]
    assert read.shifts[2].break_offset_minutes == 240  # 07:00 → 11:00


def test_an_export_without_the_new_columns_still_reads_as_grundschema():
    text = "".join(export_csv([SchemaSchedule.model_validate({
        "id": "S-1", "employee": "1", "period_start": "2026-05-04",
        "shifts": [{"week": 1, "weekday": 1, "start": "07:00", "end": "16:00", "break_minutes": 60}]})]))
    header, *rows = text.lstrip("\ufeff").splitlines()
    drop = [i for i, h in enumerate(header.split(";")) if h in ("Rast start", "Schematyp")]
    old = "\n".join(";".join(v for i, v in enumerate(line.split(";")) if i not in drop) for line in [header, *rows])
    [read] = list(parse_export(old))
    assert read.kind == "grundschema" and read.shifts[0].break_start is None


def _shift(raw: dict, i: int = 0) -> dict:
    return raw["schema"]["schedules"][i]["shifts"]


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda r: _shift(r)[0].update(break_start="06:00"),
     "schema.schedules[0].shifts[0].break_start", "the rast must lie inside the pass"),
    (lambda r: _shift(r)[0].update(break_start="7.30"),
     "schema.schedules[0].shifts[0].break_start", "must be a time of day HH:MM"),
    (lambda r: _shift(r).append({**_shift(r)[0], "start": "15:00", "end": "18:00", "break_minutes": 0}),
     "schema.schedules[0].shifts[5].start", "overlaps another pass on week 1, weekday 1"),
    (lambda r: r["schema"]["schedules"][0].update(kind="extraschema"),
     "schema.schedules[0].kind", "Input should be 'grundschema' or 'placeringsschema'"),
    (lambda r: r["personal"].setdefault("absences", []).insert(0, 
        {"employee": "99999", "kind": "sjukfranvaro", "start": "2026-04-01"}),
     "personal.absences[0].employee", "an absence of an unknown employee"),
    (lambda r: r["personal"].setdefault("absences", []).insert(0, 
        {"employee": r["personal"]["employees"][0]["number"], "kind": "foraldraledighet", "start": "2026-04-01",
         "end": "2026-03-01"}),
     "personal.absences[0].end", "is before start"),
    (lambda r: r["personal"].setdefault("absences", []).insert(0, 
        {"employee": r["personal"]["employees"][0]["number"], "kind": "foraldraledighet", "start": "2026-04-01",
         "percent": 0}),
     "personal.absences[0].percent", "greater than 0"),
])
def test_a_bad_value_is_named_by_its_path(change, path, message):
    raw = golden()
    change(raw)
    text = refused(raw)
    assert f"scenario 'x.json': {path}: " in text and message in text


def test_the_generator_holds_the_everyday_cases_at_realistic_rates():
    """2 000 generated people (fixtures/schema/population.py): each case is there, none dominates."""
    import random
    from datetime import date

    from fixtures.personal.generate import generate as generate_personal
    from fixtures.schema.generate import generate as generate_schema

    today = date(2026, 2, 2)  # periods from mid-February to June: over the night summer time begins
    schema = generate_schema(random.Random(3), 2000, today)["schedules"]
    personal = generate_personal(random.Random(3), 2000, today)
    accounts = {"schema": {"username": "harry", "password": "s-hemligt-1"},
                "personal": {"username": "harry", "password": "p-hemligt-1"}}
    parse_scenario({"name": "g", "today": today.isoformat(), "accounts": accounts, "schema": {"schedules": schema},
                    "personal": personal}, "generated", strict=True)
    approved = [s for s in schema if s["status"] == "godkand"]
    split = [s for s in approved if len({(x["week"], x["weekday"]) for x in s["shifts"]}) < len(s["shifts"])]
    placed = [x for s in approved for x in s["shifts"] if x.get("break_start")]
    with_rast = [x for s in approved for x in s["shifts"] if x["break_minutes"]]
    nights = [s for s in approved if any(x["start"] >= "20:00" for x in s["shifts"])]
    over_dst = [s for s in nights if s["period_start"] <= "2026-03-28" and (s["period_end"] or "9") >= "2026-03-29"]
    placering = [s for s in approved if s["kind"] == "placeringsschema"]
    grund = {(s["employee"]) for s in personal["schedules"] if s.get("kind", "grundschema") == "grundschema"}
    assert 0.005 < len(split) / len(approved) < 0.05
    assert 0.2 < len(placed) / len(with_rast) < 0.4
    assert nights and over_dst
    assert 0.01 < len(placering) / len(approved) < 0.04 and all(s["employee"] in grund for s in placering)
    assert 0.015 < len(personal["absences"]) / len(approved) < 0.05
