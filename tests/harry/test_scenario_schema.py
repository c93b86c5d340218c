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
    (lambda r: r["personal"].setdefault("absences", []).append(
        {"employee": "99999", "kind": "sjukfranvaro", "start": "2026-04-01"}),
     "personal.absences[0].employee", "an absence of an unknown employee"),
    (lambda r: r["personal"].setdefault("absences", []).append(
        {"employee": r["personal"]["employees"][0]["number"], "kind": "foraldraledighet", "start": "2026-04-01",
         "end": "2026-03-01"}),
     "personal.absences[0].end", "is before start"),
    (lambda r: r["personal"].setdefault("absences", []).append(
        {"employee": r["personal"]["employees"][0]["number"], "kind": "foraldraledighet", "start": "2026-04-01",
         "percent": 0}),
     "personal.absences[0].percent", "greater than 0"),
])
def test_a_bad_value_is_named_by_its_path(change, path, message):
    raw = golden()
    change(raw)
    text = refused(raw)
    assert f"scenario 'x.json': {path}: " in text and message in text
