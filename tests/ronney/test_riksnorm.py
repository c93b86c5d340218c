"""The riksnorm per household, worked by hand from SoF 2025:468 12 kap. 2–3 §§ (2025 and 2026 tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from robots.ronney.rules.model import Person
from robots.ronney.rules.riksnorm import NormMissing, available_years, household_norm, load_table

from tests.ronney.helpers import adult, child

T2025 = load_table(2025)


def test_both_years_are_official_and_carry_their_source():
    assert available_years()[:2] == [2025, 2026]
    assert T2025.official and "2025:468" in T2025.source
    t2026 = load_table(2026)
    assert t2026.official and "2025:1046" in t2026.source
    assert "UPPSKATTAD" not in T2025.source_label


def test_single_adult_2025():
    # ensamstående 3 910 + household-common 1 person 1 270 = 5 180
    result = household_norm([adult()], T2025)
    assert result.total == 5180
    assert [line.amount for line in result.lines] == [3910, 1270]


def test_official_2026_totals_match_the_governments_figures():
    # regeringen.se: 5 220 kr for one ensamstående (3 940 + 1 280), 8 510 kr for a couple (7 100 + 1 410)
    t2026 = load_table(2026)
    assert household_norm([adult()], t2026).total == 5220
    assert household_norm([adult(), adult("medsökande", 1987, 456)], t2026).total == 8510


def test_couple_with_children_of_several_ages_and_preschool_lunch():
    household = [
        adult(), adult("medsökande", 1987, 456),
        child(2, lunch_at_home=False),  # förskola: 1–2 år utan lunch 2 780
        child(5),                       # 4–6 år med lunch 3 030
        child(9),                       # 7–10 år 3 790
        child(16),                      # 15–18 år 4 920
    ]
    # sambo 7 050 + 2 780 + 3 030 + 3 790 + 4 920 = 21 570; household-common 6 persons 2 620 → 24 190
    result = household_norm(household, T2025)
    assert result.total == 24190
    assert result.lines[-1].amount == 2620
    assert not result.findings


def test_lunch_flag_only_matters_up_to_six():
    # a 9-year-old "without lunch at home" still gets the 7–10 amount 3 790 (no lower amount exists)
    assert household_norm([adult(), child(9, lunch_at_home=False)], T2025).lines[1].amount == 3790
    # 0 år utan lunch 2 540, 3 år utan lunch 2 480
    assert household_norm([adult(), child(0, lunch_at_home=False)], T2025).lines[1].amount == 2540
    assert household_norm([adult(), child(3, lunch_at_home=False)], T2025).lines[1].amount == 2480


def test_household_above_seven_persons_adds_the_six_to_seven_step():
    # 9 persons: 2 810 (7 persons) + 2 × (2 810 − 2 620 = 190) = 3 190
    assert T2025.household_common(9) == 3190
    household = [adult(), adult("medsökande", 1987, 456)] + [child(a, serial=300 + a) for a in (1, 3, 5, 8, 11, 13, 17)]
    result = household_norm(household, T2025)
    # sambo 7 050; children 3 030 + 2 700 + 3 030 + 3 790 + 4 350 + 4 350 + 4 920 = 26 170; common 3 190
    # 7 050 + 26 170 + 3 190 = 36 410
    assert result.total == 36410
    assert "över 7 personer" in result.lines[-1].label


def test_adult_sharing_a_home_without_being_sambo():
    # applicant shares a flat with two adults who are not sambo: ensamstående 3 910
    # + household-common for 3 persons 1 770 ÷ 3 = 590 → 4 500
    lodgers = [Person(personnummer=adult().personnummer, role="annan vuxen", age=30) for _ in range(2)]
    result = household_norm([adult(), *lodgers], T2025)
    assert result.total == 4500
    assert "andel 1 av 3" in result.lines[-1].label


def test_non_sambo_rule_reproduces_socialstyrelsens_2014_example(tmp_path: Path):
    # Socialstyrelsen 2014: 1 710 ÷ 5 + 2 950 = 342 + 2 950 = 3 292 kr
    text = (Path(__file__).parents[2] / "robots/ronney/rules/data/riksnorm_2025.toml").read_text(encoding="utf-8")
    text = text.replace("year = 2025", "year = 2014").replace("ensamstaende = 3910", "ensamstaende = 2950")
    text = text.replace("5 = 2310", "5 = 1710").replace("official = true", "official = false")
    (tmp_path / "riksnorm_2014.toml").write_text(text, encoding="utf-8")
    table = load_table(2014, tmp_path)
    others = [Person(personnummer=adult().personnummer, role="annan vuxen", age=40) for _ in range(4)]
    assert household_norm([adult(), *others], table).total == 3292
    assert "EJ OFFICIELL" in table.source_label


def test_a_child_over_twenty_is_a_finding_not_a_guess():
    result = household_norm([adult(), child(22)], T2025)
    assert [f.code for f in result.findings] == ["NORM_BARN_ALDER"]
    assert result.total == 5180 + (1400 - 1270)  # the person still counts in the household size: common for 2


def test_a_year_without_a_table_is_refused():
    with pytest.raises(NormMissing):
        load_table(2031)
