"""The everyday cases of issue 18, each against a hand-worked case (2025 riksnorm, SoF 2025:468 12 kap. 2 §:
ensamstående 3 910, children 4–6 år 3 030, 7–10 år 3 790, 15–18 år 4 920, 19–20 år 4 960; household-common
1 270 / 1 400 / 1 770 for 1 / 2 / 3 persons). The application month is December 2025 (31 days) unless said.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from runner.api import Status

from robots.ronney.prepare import assess
from robots.ronney.rules.ages import AgeUnknown, with_ages
from robots.ronney.rules.calculation import LocalRules, calculate
from robots.ronney.rules.identity import make_id
from robots.ronney.rules.model import AgencyIncome, Cost, Income, MonthDecision, Person
from robots.ronney.rules.routing import routes_to_person
from robots.ronney.rules.units import Month
from robots.ronney.settings import RonneySettings

from tests.ronney.helpers import TODAY, adult, application, pnr

NOW = datetime(2025, 12, 30, 1, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
LOCAL = LocalRules(max_housing_cost={1: 6000, 2: 7000, 3: 7800})


def kid(born: date, serial: int = 201, **kw) -> Person:
    return Person(personnummer=make_id(born, serial), role="barn", **kw)


def codes(calc) -> list[str]:
    return sorted(f.code for f in calc.findings)


# -- ages from the birth date --------------------------------------------------------------------------


def test_the_age_band_follows_the_birth_date_on_the_settings_day():
    # born 2018-12-15: 6 years old on 1 December 2025 (4–6 år: 3 030), 7 on 31 December (7–10 år: 3 790)
    # first day: 3 910 + 3 030 + 1 400 = 8 340; last day: 3 910 + 3 790 + 1 400 = 9 100
    parent, child = adult(), kid(date(2018, 12, 15), age=6)
    app = application([parent, child])
    assert calculate(app, [], local=LOCAL, today=TODAY).norm == 8340
    last = LocalRules(max_housing_cost=LOCAL.max_housing_cost, age_day="last")
    assert calculate(app, [], local=last, today=TODAY).norm == 9100
    # the typed 6 is right on some day of the month: no finding either way
    assert calculate(app, [], local=last, today=TODAY).findings == ()


def test_a_typed_age_is_checked_against_the_birth_date():
    # typed 5, but born 2018-12-15 → 6 on 1 December (7 on the 31st): the birth date wins, a person checks
    aged = with_ages([adult(), kid(date(2018, 12, 15), age=5)], Month(2025, 12), TODAY)
    assert [p.age for p in aged.persons] == [40, 6]
    assert [f.message for f in aged.findings] == [
        "Åldern för ett barn är 5 år i Ekonomi men 6 år enligt personnumret (1 dec); Ronney räknar med 6 år."]
    # an empty or unreadable typed age (the system has the field): the birth date is used, a person corrects it
    aged = with_ages([adult().model_copy(update={"age": None, "typed_age": ""})], Month(2025, 12), TODAY)
    assert aged.persons[0].age == 40 and aged.findings[0].code == "ALDER_OLASLIG"
    assert aged.findings[0].message.startswith("Åldern för den sökande saknas i Ekonomi")
    # no typed age at all (a system without the field): nothing to check
    assert with_ages([adult().model_copy(update={"age": None})], Month(2025, 12), TODAY).findings == ()


def test_samordningsnummer_and_a_wrong_check_digit_still_give_the_birth_date():
    # samordningsnummer: day + 60 → born 1990-04-12; a wrong check digit leaves the date readable
    samordning = Person(personnummer=make_id(date(1990, 4, 12), 239, samordning=True), role="sökande")
    good = pnr(1984, 4, 4, 602)
    typo = Person(personnummer=good[:-1] + str((int(good[-1]) + 3) % 10), role="medsökande")
    aged = with_ages([samordning, typo], Month(2025, 12), TODAY)
    assert [p.age for p in aged.persons] == [35, 41]


def test_a_number_with_no_date_uses_the_typed_age_or_stops():
    broken = Person(personnummer="19851312-2384", role="sökande", age=40)  # month 13
    aged = with_ages([broken], Month(2025, 12), TODAY)
    assert aged.persons[0].age == 40 and aged.findings[0].code == "ALDER_UTAN_FODELSEDATUM"
    with pytest.raises(AgeUnknown):
        with_ages([broken.model_copy(update={"age": None})], Month(2025, 12), TODAY)
    prep = assess(application([broken.model_copy(update={"age": None})]), [], RonneySettings(), key="k", now=NOW)
    assert prep.status == Status.needs_attention and [f.code for f in prep.findings] == ["ALDER_OKAND"]


# -- children who are here part of the month -------------------------------------------------------------


def test_vaxelvis_boende_counts_pro_rata_by_days():
    # parent + child 8 år all month + child 5 år växelvis 15 of 31 days
    # personal: 3 910 + 3 790 + 3 030 × 15/31 (= 1 466,13) → 1 466
    # common: 16/31 of the month 2 persons (1 400), 15/31 three (1 770): (22 400 + 26 550)/31 = 1 579,03 → 1 579
    # norm 3 910 + 3 790 + 1 466 + 1 579 = 10 745; hyra 6 000 → 16 745; barnbidrag 2 500 → 14 245
    parent = adult()
    older, younger = kid(date(2017, 6, 1), 201, age=8), kid(date(2020, 6, 1), 202, age=5, living="växelvis", days=15)
    app = application([parent, older, younger], costs=[Cost(type="Hyra", amount=6000)],
                      incomes=[Income(personnummer=parent.personnummer, type="Barnbidrag", amount=2500)])
    calc = calculate(app, [], local=LOCAL, today=TODAY)
    assert (calc.norm, calc.needs, calc.amount) == (10745, 16745, 14245)
    assert [line.amount for line in calc.lines if line.section == "norm"] == [3910, 1466, 3790, 1579]  # by age
    assert "15 av 31 dagar (växelvis boende: 3\u00a0030\u00a0kr × 15/31)" in calc.lines[1].label
    assert "(1\u00a0400\u00a0kr × 16/31 + 1\u00a0770\u00a0kr × 15/31)" in calc.lines[3].label
    assert codes(calc) == ["VAXELVIS_BOENDE"] and not routes_to_person(calc.findings)


def test_umgange_counts_pro_rata_and_its_costs_go_to_a_person():
    # single adult with an umgängesbarn (10 år) 8 of 31 days:
    # 3 910 + 3 790 × 8/31 (= 978,06) → 978; common (1 270 × 23 + 1 400 × 8)/31 = 40 410/31 = 1 303,55 → 1 304
    # norm 3 910 + 978 + 1 304 = 6 192
    app = application([adult(), kid(date(2015, 6, 1), age=10, living="umgänge", days=8)])
    calc = calculate(app, [], local=LOCAL, today=TODAY)
    assert calc.norm == 6192
    [umg] = calc.findings
    assert umg.code == "UMGANGE" and "8 av 31 dagar i december 2025" in umg.message
    assert routes_to_person(calc.findings)


# -- skolungdom 18–20 ---------------------------------------------------------------------------------------


def test_a_nineteen_year_old_in_gymnasium_gets_the_19_20_cell():
    # 3 910 + 4 960 + 1 400 = 10 270
    app = application([adult(), kid(date(2006, 6, 1), age=19, studies="gymnasieskola")])
    calc = calculate(app, [], local=LOCAL, today=TODAY)
    assert calc.norm == 10270 and calc.findings == ()


def test_a_nineteen_year_old_not_in_school_is_an_adult_with_an_own_case():
    # not in the household's norm: 3 910 + half the home's common cost for 2 persons (1 400 × 1/2 = 700) = 4 610;
    # their pay is theirs, not the household's; the rent cap is the one for 1 person (6 000):
    # hyra 6 500 → 6 000; behov 10 610; incomes 0 → 10 610
    young = kid(date(2006, 6, 1), age=19, studies="")
    app = application([adult(), young], costs=[Cost(type="Hyra", amount=6500)],
                      incomes=[Income(personnummer=young.personnummer, type="Lön efter skatt", amount=5000)])
    calc = calculate(app, [], local=LOCAL, today=TODAY)
    assert (calc.norm, calc.costs, calc.incomes, calc.amount) == (4610, 6000, 0, 10610)
    assert "UNG_VUXEN" in codes(calc) and routes_to_person(calc.findings)
    # at folkhögskola: counted as a skolungdom for now (10 270), a caseworker assesses the school
    folk = application([adult(), young.model_copy(update={"studies": "folkhögskola"})])
    assert calculate(folk, [], local=LOCAL, today=TODAY).norm == 10270
    assert codes(calculate(folk, [], local=LOCAL, today=TODAY)) == ["UNG_STUDIER_PROVAS"]
    # a case system that does not show studies at all: a skolungdom for now, and a person checks
    unknown = application([adult(), young.model_copy(update={"studies": None})])
    assert calculate(unknown, [], local=LOCAL, today=TODAY).norm == 10270
    assert codes(calculate(unknown, [], local=LOCAL, today=TODAY)) == ["UNG_STUDIER_OKANT"]


# -- gross, net and payment dates ----------------------------------------------------------------------------


def test_an_income_paid_outside_the_comparison_month_is_not_counted():
    # comparison month November 2025; a-kassa paid 20 Nov counts, pay paid 2 Dec belongs to December's incomes
    # 3 910 + 1 270 + hyra 5 000 = 10 180 − 6 000 = 4 180
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=5000)], incomes=[
        Income(personnummer=me.personnummer, type="A-kassa", amount=6000, gross=8000, paid=date(2025, 11, 20)),
        Income(personnummer=me.personnummer, type="Lön efter skatt", amount=3000, gross=4100, paid=date(2025, 12, 2))])
    calc = calculate(app, [], local=LOCAL, today=TODAY)
    assert (calc.incomes, calc.amount) == (6000, 4180)
    assert codes(calc) == ["INKOMST_ANNAN_MANAD"]
    # with the application month as comparison month (a setting), the December pay counts instead:
    # 10 180 − 3 000 = 7 180
    same = LocalRules(max_housing_cost=LOCAL.max_housing_cost, comparison="application")
    assert calculate(app, [], local=same, today=TODAY).amount == 7180


def test_a_childs_earnings_against_the_prisbasbelopp_net_or_gross():
    # teen 16: November pay 3 000 net / 3 400 gross; earlier in 2025: June 27 000 net / 30 000 gross, July
    # 24 500 net / 27 000 gross. Net: 58 800 − 51 500 = 7 300 left ≥ 3 000 → none counts: 1 250 + 0 = 1 250
    # Gross: 58 800 − 57 000 = 1 800 left of 3 400 gross → 3 000 × 1 800/3 400 = 1 588,24 → 1 588 kept out,
    # 1 412 counts: 1 250 + 1 412 = 2 662. Norm 3 910 + 4 920 + 1 400 = 10 230 + hyra 6 000 = 16 230
    parent, teen = adult(), kid(date(2009, 6, 1), age=16)
    app = application([parent, teen], costs=[Cost(type="Hyra", amount=6000)], incomes=[
        Income(personnummer=parent.personnummer, type="Barnbidrag", amount=1250),
        Income(personnummer=teen.personnummer, type="Lön efter skatt", amount=3000, gross=3400)])
    ssbtek = [AgencyIncome(personnummer=teen.personnummer, month=m, agency="SKV", type="Lön efter skatt",
                           amount=net, gross=gross) for m, net, gross in (("2025-06", 27000, 30000),
                                                                        ("2025-07", 24500, 27000),
                                                                        ("2025-11", 3000, 3400))]
    assert calculate(app, ssbtek, local=LOCAL, today=TODAY).amount == 16230 - 1250
    gross = LocalRules(max_housing_cost=LOCAL.max_housing_cost, child_earnings_basis="gross")
    calc = calculate(app, ssbtek, local=gross, today=TODAY)
    assert (calc.incomes, calc.amount) == (2662, 13568)


# -- normöverskott ----------------------------------------------------------------------------------------------


def surplus_case(history):
    me = adult()
    return application([me], costs=[Cost(type="Hyra", amount=5000)], history=history,
                       incomes=[Income(personnummer=me.personnummer, type="A-kassa", amount=6000)])


def test_a_normoverskott_is_carried_forward_first_in_first_out():
    # October: refused, incomes 11 380 over a need of 10 180 → 1 200 over
    # November: granted, need 10 180, incomes 9 680 → 500 of October's surplus used, 700 left
    # December (3 months allowed): 3 910 + 1 270 + 5 000 = 10 180; a-kassa 6 000 + 700 = 6 700 → 3 480
    history = [MonthDecision(month="2025-10", decision="Avslagen", needs=10180, counted_incomes=11380),
               MonthDecision(month="2025-11", decision="Beviljad", needs=10180, counted_incomes=9680)]
    three = LocalRules(max_housing_cost=LOCAL.max_housing_cost, surplus_months=3)
    calc = calculate(surplus_case(history), [], local=three, today=TODAY)
    assert (calc.incomes, calc.amount) == (6700, 3480)
    assert codes(calc) == ["NORMOVERSKOTT"] and "700" in calc.findings[0].message
    # carried for one month only: October's surplus could be used in November, not in December → 4 180
    one = LocalRules(max_housing_cost=LOCAL.max_housing_cost, surplus_months=1)
    assert calculate(surplus_case(history), [], local=one, today=TODAY).amount == 4180
    # not carried at all (0) → 4 180
    assert calculate(surplus_case(history), [], local=LOCAL, today=TODAY).amount == 4180


def test_a_surplus_that_cannot_be_followed_is_not_counted_and_goes_to_a_person():
    # October's 1 200 over, then no application in November: how much was used is unknown
    history = [MonthDecision(month="2025-10", decision="Avslagen", needs=10180, counted_incomes=11380)]
    three = LocalRules(max_housing_cost=LOCAL.max_housing_cost, surplus_months=3)
    calc = calculate(surplus_case(history), [], local=three, today=TODAY)
    assert calc.amount == 4180 and codes(calc) == ["NORMOVERSKOTT_OKANT"]
    assert "ingen beräkning för november 2025" in calc.findings[0].message


# -- rule years ---------------------------------------------------------------------------------------------------


def test_a_month_without_its_table_is_never_calculated_with_an_older_one(tmp_path: Path):
    # January 2027 arrives in December 2026; there is no riksnorm_2027.toml: needs_attention naming it
    me = adult()
    jan = application([me], month="2027-01", costs=[Cost(type="Hyra", amount=5000)])
    prep = assess(jan, [], RonneySettings(), key="4711:2027-01", now=datetime(2026, 12, 20, 1, 30, tzinfo=NOW.tzinfo))
    assert prep.status == Status.needs_attention and prep.note is None
    assert [f.code for f in prep.findings] == ["NORM_SAKNAS"]
    assert "riksnormtabell för 2027 (riksnorm_2027.toml)" in prep.findings[0].message
    assert "aldrig med ett äldre års tabell" in prep.findings[0].message
    # adding the year is a data file in the municipality's rules folder, nothing else
    bundled = Path(__file__).parents[2] / "robots/ronney/rules/data/riksnorm_2026.toml"
    (tmp_path / "riksnorm_2027.toml").write_text(
        bundled.read_text(encoding="utf-8").replace("year = 2026", "year = 2027"), encoding="utf-8")
    prep = assess(jan, [], RonneySettings(rules_dir=tmp_path), key="4711:2027-01",
                  now=datetime(2026, 12, 20, 1, 30, tzinfo=NOW.tzinfo))
    # the test file's cells are 2026's: 3 940 + 1 280 + hyra 5 000 = 10 220
    assert prep.calculation is not None and prep.calculation.amount == 10220
    assert prep.calculation.table.year == 2027


def test_the_prisbasbelopp_of_a_new_year_is_data_too(tmp_path: Path):
    # an invented 2027 prisbasbelopp of 60 000 kr in the rules folder (test data, not the real figure):
    # February 2027's comparison month is January 2027; the teen earned nothing earlier in 2027 → 4 000 kept out
    bundled = Path(__file__).parents[2] / "robots/ronney/rules/data/riksnorm_2026.toml"
    (tmp_path / "riksnorm_2027.toml").write_text(
        bundled.read_text(encoding="utf-8").replace("year = 2026", "year = 2027"), encoding="utf-8")
    (tmp_path / "prisbasbelopp.toml").write_text('[years.2027]\namount = 60000\nsource = "test"\n', encoding="utf-8")
    parent, teen = adult(), kid(date(2010, 6, 1), age=16)
    app = application([parent, teen], month="2027-02",
                      incomes=[Income(personnummer=teen.personnummer, type="Lön efter skatt", amount=4000)])
    local = LocalRules(max_housing_cost=LOCAL.max_housing_cost, rules_dir=tmp_path)
    calc = calculate(app, [], local=local, today=date(2027, 1, 20))
    assert calc.incomes == 0 and "prisbasbelopp 2027 60\u00a0000\u00a0kr" in calc.lines[-1].label
    with pytest.raises(ValueError):
        RonneySettings(rules_dir=tmp_path / "saknas")
