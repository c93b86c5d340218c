"""Lena end to end: the real engine, the real ledger and Chromium against the `hemtjanst` stand-in.

The unit is the system's own generator at 20 recipients (one group, five staff), with one proposal a
planner has left open. What Lena writes is checked against the system's own data by a referee written
here from the rules: every visit of a proposal inside its window, by as many staff as granted, each
working then (no absence) and holding a valid delegation for a delegated task; every staff day workable
with travel and the break (robots.lena.rules.day_problem); every besöksbehov planned or left with a reason.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fixtures.generate import write_scenario
from fixtures.registry import load_spec
from fixtures.scenario import parse_scenario
from fixtures.server import RunningSystems, start_systems
from robots.lena import rules as R
from robots.lena.model import Booked, Place, Shift
from runner.api import Report, Status
from runner.testing import make_settings, run_robot
from tests.support.pii import remember_people

START, END = date(2026, 11, 24), date(2026, 11, 30)  # the generator's today is Monday 2026-11-23
WAITING = "B0003"  # a planner's own proposal is open for this recipient
SETTINGS = {"solver_time_limit_seconds": 1, "solver_deterministic": True, "concurrency": 2}


def _raw() -> dict[str, Any]:
    buf = io.StringIO()
    write_scenario(buf, size=20, seed="lena-e2e", specs=[load_spec("hemtjanst")])
    raw = json.loads(buf.getvalue())
    raw["hemtjanst"]["drafts"] = [{"id": "F0001", "recipient": WAITING, "start": START.isoformat(), "end": END.isoformat(),
                                   "by": "planerare", "at": "2026-11-22T14:00:00+01:00"}]
    remember_people(raw)
    return raw


@pytest.fixture(scope="module")
def unit_systems() -> Any:
    raw = _raw()
    with start_systems(parse_scenario(raw, "lena-e2e"), ports=0) as systems:
        yield systems, raw["hemtjanst"]


@pytest.fixture
def systems(unit_systems) -> tuple[RunningSystems, dict[str, Any]]:
    running, section = unit_systems
    running.reset()
    return running, section


def _run(tmp_path: Path, systems: RunningSystems, ledger: str = "a", **kw: Any):
    data = tmp_path / ledger
    data.mkdir(exist_ok=True)
    settings = make_settings(data, systems=systems, robots={"lena": SETTINGS})
    return run_robot("lena", settings, **kw)


def _lena_drafts(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in state["drafts"] if d["by"] == "lena"]


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _referee(section: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """Every broken rule in Lena's proposals, judged on the system's own data."""
    decisions = {d["id"]: d for d in state["decisions"]}
    staff = {s["id"]: s for s in state["staff"]}
    passes = {(p["staff"], p["date"]): p for p in state["schedules"]}
    absent = {(a["staff"], day) for a in state["staff_absences"]
              for day in (date.fromisoformat(a["start"]).toordinal() + i
                          for i in range((date.fromisoformat(a["end"]) - date.fromisoformat(a["start"])).days + 1))}
    problems: list[str] = []
    days: dict[tuple[str, date], list[Booked]] = defaultdict(list)
    drafted = {d["recipient"] for d in state["drafts"] if d["status"] == "utkast"}
    for d in _lena_drafts(state):
        for v in d["visits"]:
            dec = decisions[v["need"].split("-")[0]]
            start, minutes = _minutes(v["start"]), v["minutes"]
            if minutes != dec["minutes"]:
                problems.append(f"{v['need']}: {minutes} min, granted {dec['minutes']}")
            window = dec["times"][int(v["need"].rsplit("-", 1)[1]) - 1] if dec.get("per_week") is None else dec["times"][0]
            if not (_minutes(window["start"]) <= start and start + minutes <= _minutes(window["end"])):
                problems.append(f"{v['need']}: outside its window")
            if len(v["staff"]) != dec.get("staff", 1):
                problems.append(f"{v['need']}: {len(v['staff'])} staff, granted {dec.get('staff', 1)}")
            day = date.fromisoformat(v["date"])
            for sid in v["staff"]:
                p = passes.get((sid, v["date"]))
                if p is None or (sid, day.toordinal()) in absent or start < _minutes(p["start"]) or start + minutes > _minutes(p["end"]):
                    problems.append(f"{v['need']}: {sid} not working then")
                if dec.get("delegation") and not any(g["kind"] == dec["delegation"] and g["valid_from"] <= v["date"] <= g["valid_to"]
                                                     for g in staff[sid]["delegations"]):
                    problems.append(f"{v['need']}: {sid} without the delegation")
                days[sid, day].append(Booked(v["need"], d["recipient"], day, start, minutes, tuple(v["staff"])))
    owner = {d["id"]: d["recipient"] for d in state["decisions"]}
    for v in state["plan"]["visits"]:  # the published plan of everyone without a proposal still holds
        day = date.fromisoformat(v["date"])
        rid = owner.get(v["need"].split("-")[0])
        if START <= day <= END and rid not in drafted:
            for sid in v["staff"]:
                days[sid, day].append(Booked(v["need"], rid, day, _minutes(v["start"]), v["minutes"], tuple(v["staff"])))
    places = {r["id"]: Place(r["lat"], r["lon"]) for r in state["recipients"]}
    bases = {g["code"]: Place(g["lat"], g["lon"]) for g in state["groups"]}
    for (sid, day), route in days.items():
        if not any(b.recipient in {d["recipient"] for d in _lena_drafts(state)} for b in route):
            continue  # a day Lena did not touch is the planner's own
        p = passes[(sid, day.isoformat())]
        shift = Shift(day, _minutes(p["start"]), _minutes(p["end"]), p.get("break_minutes", 0),
                      _minutes(p["break_start"]) if p.get("break_start") else None,
                      _minutes(p["break_end"]) if p.get("break_end") else None)
        why = R.day_problem(sorted(route, key=lambda b: (b.start, b.visit)), shift, bases[staff[sid]["group"]], places, R.Travel())
        if why:
            problems.append(f"{sid} {day}: {why}")
    return problems


def test_every_visit_in_its_window_with_the_right_delegation_and_staffing(tmp_path, systems):
    running, section = systems
    result = _run(tmp_path, running)
    assert result.run.status == "completed", result.run.reason
    state = running.state("hemtjanst")
    drafts = _lena_drafts(state)
    assert drafts, "Lena wrote no proposal"
    assert _referee(section, state) == []
    # every besöksbehov of a proposal is planned or left with its reason, and the item says the same
    for d in drafts:
        outcome = result.outcomes[f"brukare:{d['recipient']}:{START}"]
        assert f"Förslag {d['id']} sparat som utkast" in outcome.summary
        assert all(u["reason"] for u in d["unplaced"])
        if d["unplaced"]:
            assert outcome.status == Status.needs_attention
        assert (d["start"], d["end"]) == (START.isoformat(), END.isoformat())
    # the planner's open proposal is left alone, and the item says who must act
    waiting = result.outcomes[f"brukare:{WAITING}:{START}"]
    assert waiting.status == Status.skipped and "Förslag F0001" in waiting.summary and "väntar på granskning" in waiting.summary
    assert not [d for d in drafts if d["recipient"] == WAITING]
    # one item per day of the group, and the morning report speaks of groups, days and recipients
    days = sorted(k for k in result.outcomes if k.startswith("grupp:"))
    assert days == [f"grupp:NORR:2026-11-{d}" for d in range(24, 31)]
    report = Report.parse(result.report)
    assert report is not None
    assert len(report.section("Grupper och dagar").rows) == 7
    assert {r["Brukare"] for r in report.section("Förslag per brukare").records()} >= {d["recipient"] for d in drafts}
    left = report.section("Besök som inte fick plats").records()
    assert len(left) == sum(len(d["unplaced"]) for d in drafts)
    assert all(r["Skäl"] for r in left)


def test_a_rerun_writes_no_second_draft(tmp_path, systems):
    running, _ = systems
    first = _run(tmp_path, running)
    assert first.run.status == "completed", first.run.reason
    written = _lena_drafts(running.state("hemtjanst"))
    # the same ledger: nothing is done twice
    again = _run(tmp_path, running)
    assert again.run.status == "completed"
    assert _lena_drafts(running.state("hemtjanst")) == written
    # a ledger that lost everything (another machine, a restore): the open proposals are read back, not rewritten
    lost = _run(tmp_path, running, ledger="b")
    assert lost.run.status == "completed", lost.run.reason
    assert _lena_drafts(running.state("hemtjanst")) == written
    for d in written:
        assert f"Förslag {d['id']} fanns redan" in lost.outcomes[f"brukare:{d['recipient']}:{START}"].summary


def test_a_dry_run_writes_nothing(tmp_path, systems):
    running, _ = systems
    before = running.state("hemtjanst")
    result = _run(tmp_path, running, dry_run=True)
    assert result.run.status == "completed", result.run.reason
    after = running.state("hemtjanst")
    assert after["drafts"] == before["drafts"] and after["plan"] == before["plan"]
    recipients = [o for k, o in result.outcomes.items() if k.startswith("brukare:") and not k.startswith(f"brukare:{WAITING}:")]
    assert recipients and all(o.summary.startswith("Provkörning:") for o in recipients)
