"""The golden night, end to end: the real engine, real Chromium, the staffing system's state afterwards.

Scenario fixtures/scenarios/bosse_golden.json, Monday 2026-03-30 at 01:30; 20 shifts, 12 substitutes.
Worked by hand (the planner tests show each rule alone):

  P-2001 HTC Tue 07–16 vårdbiträde+körkort     → V04 David, booked (Eva is needed for P-2002)
  P-2002 HTC Tue 18–22 USK+körkort+läkemedel   → V05 Eva, booked (only she may; 2 h after P-2001)
  P-2003 SOL Wed 07–16 USK                     → V02 Bertil, booked on his transition right (to 2033-06-30)
  P-2004 SOL Tue 07–16 USK+förflyttning        → nobody: Hanna has 158 h + 9 h = 167 h > 165 h
  P-2005 SOL Tue 17–21 USK+förflyttning        → V08 Hanna, booked: 158 h + 4 h = 162 h ≤ 165 h
  P-2006 ROS Tue 07–16 USK+insulin             → nobody: Ivar ends Mon 21:30, 9.5 h rest < 11 h
  P-2007 ROS Mon 16–22 USK+insulin             → nobody: Ivar is booked Mon 13:30–21:30 (overlap)
  P-2008 BJK Sat 11/4 07–16 vårdbiträde        → nobody: Julia works Mon–Fri; Sat 16:00 → Mon = 32 h < 36 h
  P-2009 LIN Wed 07–16 USK+demens              → V11 Karl, booked (Gustav would reach 330 LAS days)
  P-2010 LIN Thu 07–16 USK+demens+läkemedel    → V07 Gustav, booked, LAS warning for HR (329 + 1 = 330)
  P-2011 ROS Fri 10/4 bitr.+förflyttning       → nobody: Fatima has no availability after 1 April
  P-2012 ROS Tue 07–16 bitr.+förflyttning      → V06 Fatima, booked
  P-2013 HTC Thu 9/4 07–16 vårdbiträde+körkort → V05 Eva, booked (företrädesrätt before fewer hours)
  P-2014 HTC Fri 3/4 (Långfredagen)            → V05 Eva, REQUEST (public holiday)
  P-2015 SOL Sat 4/4 vårdbiträde               → V03 Cecilia, REQUEST (weekend): 20 h + 8 is the lowest cost
  P-2016 SOL Mon 30/3 13:30–21:30 vårdbiträde  → V03 Cecilia, REQUEST (same day)
  P-2020 LIN Tue 7/4 specialistundersköterska  → nobody has the level
  P-2017 (16 days ahead), P-2018 (booked by staff), P-2019 (requested by staff): not Bosse's.

First come, first served would give P-2001 to Eva (företrädesrätt) and leave P-2002 empty: 10 filled, not 11.
"""

from __future__ import annotations

import pytest

from fixtures.server import start_systems
from robots.bosse.planner import plan_greedy, plan_shifts
from runner.api import Report, Status
from runner.testing import make_settings, run_robot

pytestmark = pytest.mark.browser

BOOKED = {
    ("P-2001", "V04", "bokning"),
    ("P-2002", "V05", "bokning"),
    ("P-2003", "V02", "bokning"),
    ("P-2005", "V08", "bokning"),
    ("P-2009", "V11", "bokning"),
    ("P-2010", "V07", "bokning"),
    ("P-2012", "V06", "bokning"),
    ("P-2013", "V05", "bokning"),
    ("P-2014", "V05", "forfragan"),
    ("P-2015", "V03", "forfragan"),
    ("P-2016", "V03", "forfragan"),
}
REASONS = {
    "P-2004": "6 saknar förflyttningsutbildning, 5 saknar USK-bevis, 1 över timtaket",
    "P-2006": "6 saknar insulindelegering, 5 saknar USK-bevis, 1 för kort vila",
    "P-2007": "6 saknar insulindelegering, 5 saknar USK-bevis, 1 redan bokad samtidigt",
    "P-2008": "10 ej introducerad, 1 saknar rätt kompetens, 1 för kort veckovila",
    "P-2011": "10 saknar förflyttningsutbildning, 1 ej introducerad, 1 ej tillgänglig",
    "P-2020": "7 saknar rätt kompetens, 5 saknar USK-bevis",
}
STAFF = [("P-2018", "V02", "bokning", "planerare"), ("P-2019", "V09", "forfragan", "planerare")]


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """A dry run (its own ledger), then the real run and a rerun on one ledger, all on one staffing system.

    The dry run has its own ledger because a dry run leaves its items `new` for the real run to do,
    and the engine would then resume them before fetching afresh.
    """
    robots = {"bosse": {"concurrency": 2, "solver_time_limit_seconds": 5}}
    with start_systems("bosse_golden", systems=["bemanning"], ports=0) as systems:
        out = {}
        dry_settings = make_settings(tmp_path_factory.mktemp("bosse_dry"), systems=systems, robots=robots)
        out["dry"] = run_robot("bosse", dry_settings, dry_run=True)
        out["dry_state"] = systems.state("bemanning")
        settings = make_settings(tmp_path_factory.mktemp("bosse_golden"), systems=systems, robots=robots)
        out["run"] = run_robot("bosse", settings)
        out["run_state"] = systems.state("bemanning")
        out["rerun"] = run_robot("bosse", settings)
        out["rerun_state"] = systems.state("bemanning")
        yield out


def _kept(state):
    return [(b["shift"], b["substitute"], b["kind"], b["by"]) for b in state["bookings"]]


def test_dry_run_writes_nothing_and_says_what_it_would_do(night):
    dry = night["dry"]
    assert dry.run.status == "completed"
    # A dry run leaves every item `new` for the real run, yet each was reached and has its outcome.
    assert dry.run.counts == {"prepared": 11, "needs_attention": 6}  # its items stay new, but were reached
    assert _kept(night["dry_state"]) == STAFF
    assert dry.outcomes["P-2001"].summary == "Torrkörning – skulle ha bokat V04 David Ek"
    assert dry.outcomes["P-2016"].summary == "Torrkörning – skulle ha skickat förfrågan till V03 Cecilia Holm (pass samma dag)"
    assert Report.parse(dry.report).heading.endswith("(torrkörning: inget skrevs)")


def test_the_night_books_requests_and_explains(night):
    run = night["run"]
    assert run.run.status == "completed"
    assert run.run.counts == {"prepared": 11, "needs_attention": 6}
    kept = _kept(night["run_state"])
    assert kept[:2] == STAFF
    assert len(kept) == 2 + len(BOOKED)  # each once
    assert {(s, v, k) for s, v, k, by in kept[2:]} == BOOKED
    assert {by for *_, by in kept[2:]} == {"bosse"}
    for key, reasons in REASONS.items():
        assert run.outcomes[key].status == Status.needs_attention
        assert run.outcomes[key].summary == f"Ingen vikarie kan ta passet: {reasons}."
    assert run.outcomes["P-2014"].summary == "Förfrågan skickad till V05 Eva Strand (helgdag (Långfredagen))"
    assert run.outcomes["P-2015"].summary == "Förfrågan skickad till V03 Cecilia Holm (helg)"
    assert [f.code for f in run.outcomes["P-2010"].findings] == ["las_varning"]


def test_the_rerun_writes_nothing_new(night):
    rerun = night["rerun"]
    assert rerun.run.status == "completed"
    # Booked and requested shifts are no longer vacant; the six unfilled ones are tried again, still unfilled.
    assert rerun.run.counts == {"needs_attention": 6}
    assert _kept(night["rerun_state"]) == _kept(night["run_state"])


def test_report_for_the_staffing_unit_and_the_las_list(night):
    report = Report.parse(night["run"].report)
    assert report.heading == "8 bokade, 3 förfrågningar, 6 ej tillsatta"
    assert {r["Pass"] for r in report.section("Förfrågningar").records()} == {"P-2014", "P-2015", "P-2016"}
    assert {r["Pass"] for r in report.section("Ej tillsatta").records()} == set(REASONS)
    las = {r["Vikarie"]: r for r in report.section("LAS-lista").records()}
    assert list(las) == ["V01", "V07", "V05"]
    # Anna: 358 days + 7, 8, 9 April at Ekbacken = three in one month → 7..9 April = 3 days → 361: converts.
    assert las["V01"]["LAS-dagar med bokade"] == 361
    assert las["V01"]["Noteringar"][0].startswith("Passerar konverteringsgränsen")
    # Gustav: 329 + P-2010 = 330 ≥ the warning level; 3 years: 250 + 1 = 251, 20 days from företrädesrätt.
    assert las["V07"]["Noteringar"] == [
        "Över varningsnivån 330 LAS-dagar; 31 dagar kvar till konvertering",
        "Nära företrädesrätt: 20 dagar kvar",
    ]
    # Eva: 3 years 265 + P-2002 (31 March) + P-2013 (9 April) = 267; the request P-2014 is not yet a booking.
    assert las["V05"]["LAS-dagar 3 år med bokade"] == 267


def test_the_solver_fills_more_than_first_come_on_the_golden_night(night):
    # The same input the robot planned from, rebuilt from the scenario file.
    from tests.bosse.golden_input import golden_pool_and_shifts

    shifts, pool = golden_pool_and_shifts()
    assert len(plan_greedy(shifts, pool)) == 10
    assert plan_shifts(shifts, pool, time_limit=5, workers=2).filled == 11
