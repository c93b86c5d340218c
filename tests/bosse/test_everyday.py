"""Issue 18 end to end: the everyday cases of fixtures/scenarios/bosse_everyday.json through the real engine,
real Chromium and the staffing system's pages (Monday 2026-03-30 at 01:30; 5 shifts, 5 substitutes).

Worked by hand (sources: domain brief §4.1 [V] for LAS, lag 1982:80 3, 5 a, 25–27 §§; AFS 2012:3 for minors;
ATL 15 § for the rast); the rules alone are in test_las_history.py and test_minors_breaks_and_las_rules.py:

  E-1 SOL Tue 31/3 21–07 vårdbiträde   → nobody: Moa (M1) is 17 (born 2008-09-15) and a minor may not work
                                          22–06; Carl is not available; Hedda, Hugo and Ines are not introduced
  E-2 SOL Wed 1/4 08–16, rast 12:00–12:30 → M1 Moa, booked: 7,5 h of work ≤ 8 h, 4 h and 3,5 h around the rast
                                          (a minor's rast at the latest after 4½ h)
  E-4 ROS Tue 31/3 07–16 USK           → H1 Hedda: two hold företrädesrätt (claimed; a vikariat of more than
                                          12 months that ended 2025-12-31, lasting to 2026-09-30); 26 §: Hedda's
                                          2024-03-01..2025-12-31 = 671 days before Hugo's 2025 = 365 days.
                                          Ines's right ended 2025-12-31 (9 months after 2025-03-31)
  E-3 ROS Thu 2/4 07–16 USK, rast 14:30 → H1 Hedda again (the holder first), with a warning: 07:00–14:30 is
                                          7,5 h of work in a row, more than 5 h
  E-5 SOL Thu 2/4 07–15 vårdbiträde    → nobody: Carl's SÄVA days are 2024-09-02..2025-08-12 = 345, and three
                                          day contracts in February 2026 (2, 9, 16) count Feb 2..16 = 15 days:
                                          345 + 15 = 360; the shift would make 361, the conversion threshold
                                          (more than 12 LAS months): left to a person (book_past_conversion off)
"""

from __future__ import annotations

import pytest

from fixtures.server import start_systems
from runner.api import Report, Status
from runner.testing import make_settings, run_robot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    with start_systems("bosse_everyday", systems=["bemanning"], ports=0) as systems:
        settings = make_settings(tmp_path_factory.mktemp("bosse_everyday"), systems=systems,
                                 robots={"bosse": {"solver_time_limit_seconds": 5}})
        result = run_robot("bosse", settings)
        yield result, systems.state("bemanning")


def test_the_everyday_night(night):
    result, state = night
    assert result.run.status == "completed"
    booked = {(b["shift"], b["substitute"], b["kind"]) for b in state["bookings"]}
    assert booked == {("E-2", "M1", "bokning"), ("E-4", "H1", "bokning"), ("E-3", "H1", "bokning")}
    out = result.outcomes
    # A minor: no night work; the reasons say so.
    assert out["E-1"].status == Status.needs_attention
    assert out["E-1"].summary == ("Ingen vikarie kan ta passet: 3 ej introducerad, 1 under 18 år: passet är på natten, "
                                  "1 ej tillgänglig.")
    assert out["E-2"].summary == "Bokad: M1 Moa Lind"
    # Företrädesrätt in the order of 26 §, and a rast placed too late flagged for the unit.
    assert out["E-4"].summary == "Bokad: H1 Hedda Sjö"
    assert {f.code for f in out["E-4"].findings} == {"foretradesratt"}
    assert {f.code for f in out["E-3"].findings} == {"foretradesratt", "rast"}
    rast = next(f for f in out["E-3"].findings if f.code == "rast")
    assert rast.message == "Passet har 7,5 h i följd utan rast med rasten där den ligger (högst 5 h). Enheten bör se över rasten."
    # The conversion threshold, counted from the history with three day contracts in one month.
    assert out["E-5"].status == Status.needs_attention
    assert "1 skulle passera LAS-gränsen för konvertering" in out["E-5"].summary


def test_the_las_list_counts_from_the_history(night):
    result, _ = night
    las = {r["Vikarie"]: r for r in Report.parse(result.report).section("LAS-lista").records()}
    assert list(las) == ["C1"]
    # 360 days, the warning level is 330: 361 − 360 = 1 day left.
    assert las["C1"]["LAS-dagar"] == 360
    assert las["C1"]["Noteringar"] == ["Över varningsnivån 330 LAS-dagar; 1 dagar kvar till konvertering"]
