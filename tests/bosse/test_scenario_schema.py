"""The bemanning scenario section holds each substitute's employment history (LAS days are counted from
it), birth date, claim of företrädesrätt, and each shift's rast; a bad value is named by its path."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from fixtures.scenario import ScenarioError, parse_scenario, resolve
from fixtures.server import start_systems


def golden() -> dict[str, Any]:
    return json.loads(resolve("bosse_golden").read_text(encoding="utf-8"))


def refused(raw: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw, "x.json", strict=True)
    return str(caught.value)


def with_history(raw: dict[str, Any]) -> dict[str, Any]:
    sub = raw["bemanning"]["substitutes"][0]
    sub.update(born="2008-05-14", foretradesratt_claimed="2026-01-15",
               employments=[{"start": "2025-06-09", "end": "2025-08-17", "form": "sava"},
                            {"start": "2026-02-03", "end": "2026-02-03"}])
    shift = raw["bemanning"]["shifts"][0]
    shift.update(break_minutes=30, break_start="11:30")
    return raw


def test_the_new_fields_load_and_show():
    raw = with_history(golden())
    scenario = parse_scenario(raw, "x.json", strict=True)
    sub, shift = raw["bemanning"]["substitutes"][0], raw["bemanning"]["shifts"][0]
    with start_systems(scenario, ports=0) as systems:
        with httpx.Client(base_url=systems.url("bemanning"), timeout=10) as web:
            web.post("/login", data={"username": raw["accounts"]["bemanning"]["username"],
                                     "password": raw["accounts"]["bemanning"]["password"]})
            card = web.get(f"/vikarier/{sub['id']}").text
            order = web.get(f"/pass/{shift['id']}").text
    assert '<dd id="vikarie-fodd">2008-05-14</dd>' in card
    assert '<dd id="vikarie-ansprak">2026-01-15</dd>' in card
    # 2025-06-09..08-17: June 22 + July 31 + August 17 = 70 days; the day contract 1 day
    assert "<td>2025-06-09</td><td>2025-08-17</td><td>Särskild visstidsanställning (SÄVA)</td><td>70</td>" in card
    assert "<td>2026-02-03</td><td>2026-02-03</td><td>Särskild visstidsanställning (SÄVA)</td><td>1</td>" in card
    assert '<dd id="pass-rast">30 min från 11:30</dd>' in order


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda r: r["bemanning"]["substitutes"][0]["employments"].append({"start": "2025-08-01", "end": "2025-08-31"}),
     "bemanning.substitutes[0].employments[2].start", "overlaps another employment"),
    (lambda r: r["bemanning"]["substitutes"][0]["employments"][0].update(end="2025-05-01"),
     "bemanning.substitutes[0].employments[0].end", "is before start"),
    (lambda r: r["bemanning"]["substitutes"][0]["employments"][0].update(form="timanstallning"),
     "bemanning.substitutes[0].employments[0].form", "Input should be"),
    (lambda r: r["bemanning"]["shifts"][0].update(break_start="06:00"),
     "bemanning.shifts[0].break_start", "the rast must lie inside the shift"),
    (lambda r: r["bemanning"]["shifts"][0].update(break_minutes=0),
     "bemanning.shifts[0].break_start", "a rast start needs break_minutes"),
])
def test_a_bad_value_is_named_by_its_path(change, path, message):
    raw = with_history(golden())
    change(raw)
    text = refused(raw)
    assert f"scenario 'x.json': {path}: " in text and message in text
