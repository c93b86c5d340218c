"""The normberäkning end to end on plain data, each expected amount worked by hand (2025 table)."""

from __future__ import annotations

from robots.ronney.rules.calculation import calculate, comparison_month
from robots.ronney.rules.incomes import consecutive_months_on_support, jobbstimulans_rule
from robots.ronney.rules.model import AgencyIncome, Cost, Income, MonthDecision
from robots.ronney.rules.units import Month

from tests.ronney.helpers import adult, application, child

CAPS = {1: 6000, 2: 7000, 3: 7800, 4: 8400, 5: 9300, 6: 10200}


def granted(*months: str) -> list[MonthDecision]:
    return [MonthDecision(month=m, decision="Beviljad") for m in months]


def test_the_domain_briefs_worked_fixture():
    # Norm 3 910 + 1 270 = 5 180; costs hyra 5 600 + el 350 + hemförsäkring 120 + a-kassa 150 = 6 220
    # behov 11 400; sjukpenning 7 000 (FK) → 11 400 − 7 000 = 4 400
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=5600), Cost(type="Hushållsel", amount=350),
                                    Cost(type="Hemförsäkring", amount=120), Cost(type="A-kasseavgift", amount=150)],
                      incomes=[Income(personnummer=me.personnummer, type="Sjukpenning", amount=7000)])
    ssbtek = [AgencyIncome(personnummer=me.personnummer, month="2025-11", agency="FK", type="Sjukpenning", amount=7000)]
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.norm, calc.costs, calc.needs, calc.incomes, calc.amount) == (5180, 6220, 11400, 7000, 4400)
    assert not calc.findings
    sources = {e.label: e.source for e in calc.evidence()}
    assert sources["Sjukpenning, sökande"] == "SSBTEK (FK)"
    assert sources["Hyra"] == "ansökan"
    assert "riksnorm 2025" in sources["Personliga kostnader, ensamstående vuxen"]


def test_income_above_the_need_gives_zero_never_negative():
    # 5 180 + hyra 4 000 = 9 180; a-kassa 12 000 → 9 180 − 12 000 < 0 → 0
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=4000)],
                      incomes=[Income(personnummer=me.personnummer, type="A-kassa", amount=12000)])
    calc = calculate(app, [], max_housing_cost=CAPS)
    assert calc.needs == 9180 and calc.incomes == 12000 and calc.amount == 0


def test_rent_above_the_cap_is_capped_and_found():
    # couple + 2 children = 4 persons, cap 8 400; hyra 9 100 → 8 400 counted
    # norm: sambo 7 050 + 7 år 3 790 + 12 år 4 350 + common 4 persons 2 010 = 17 200
    # costs 8 400 + el 500 = 8 900; behov 26 100; barnbidrag 2 500 + flerbarnstillägg 150 = 2 650 → 23 450
    a, b = adult(), adult("medsökande", 1987, 456)
    app = application([a, b, child(7), child(12, serial=201)],
                      costs=[Cost(type="Hyra", amount=9100), Cost(type="Hushållsel", amount=500)],
                      incomes=[Income(personnummer=a.personnummer, type="Barnbidrag", amount=2500),
                               Income(personnummer=a.personnummer, type="Flerbarnstillägg", amount=150)])
    calc = calculate(app, [], max_housing_cost=CAPS)
    assert (calc.norm, calc.costs, calc.incomes, calc.amount) == (17200, 8900, 2650, 23450)
    assert [f.code for f in calc.findings] == ["KOSTNAD_KAPAD"]


def test_jobbstimulans_after_six_months_in_a_row():
    # granted Jun–Nov 2025 = 6 months in a row before December → 25 % of net pay disregarded
    # norm 5 180 + hyra 5 000 = 10 180; lön 8 000, of which 25 % = 2 000 disregarded → counted 6 000
    # 10 180 − 6 000 = 4 180
    me = adult()
    history = granted("2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11")
    app = application([me], costs=[Cost(type="Hyra", amount=5000)], history=history,
                      incomes=[Income(personnummer=me.personnummer, type="Lön efter skatt", amount=8000)])
    ssbtek = [AgencyIncome(personnummer=me.personnummer, month="2025-11", agency="SKV", type="Lön efter skatt", amount=8000)]
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.incomes, calc.amount) == (6000, 4180)
    assert [f.code for f in calc.findings] == ["JOBBSTIMULANS"]
    assert any(line.section == "avdrag" and line.amount == -2000 for line in calc.lines)


def test_no_jobbstimulans_when_a_refusal_broke_the_chain():
    # Jul refused: only Aug–Nov (4 months) in a row → the full 8 000 counts: 10 180 − 8 000 = 2 180
    me = adult()
    history = [*granted("2025-05", "2025-06"), MonthDecision(month="2025-07", decision="Avslagen"),
               *granted("2025-08", "2025-09", "2025-10", "2025-11")]
    app = application([me], costs=[Cost(type="Hyra", amount=5000)], history=history,
                      incomes=[Income(personnummer=me.personnummer, type="Lön efter skatt", amount=8000)])
    assert calculate(app, [], max_housing_cost=CAPS).amount == 2180


def test_jobbstimulans_period_runs_24_months_from_its_start():
    dec = Month(2025, 12)
    assert consecutive_months_on_support(dec, granted("2025-11", "2025-10")) == 2
    assert jobbstimulans_rule(dec, [], "2024-01").applies  # Jan 2024 … Dec 2025 is 24 months
    assert not jobbstimulans_rule(dec, [], "2023-12").applies  # ended Nov 2025
    assert jobbstimulans_rule(dec, [], "2023-12").reason == "jobbstimulansperioden tog slut november 2025"


def test_ssbtek_figure_counts_and_differences_are_findings():
    # application says lön 9 000; SSBTEK (SKV) says 9 400 → 9 400 counted, a finding
    # SSBTEK (FK) also has bostadsbidrag 1 100 the application left out → counted, a finding
    # norm 5 180 + hyra 6 000 = 11 180; incomes 9 400 + 1 100 = 10 500 → 680
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=6000)],
                      incomes=[Income(personnummer=me.personnummer, type="Lön efter skatt", amount=9000)])
    ssbtek = [AgencyIncome(personnummer=me.personnummer, month="2025-11", agency="SKV", type="Lön efter skatt", amount=9400),
              AgencyIncome(personnummer=me.personnummer, month="2025-11", agency="FK", type="Bostadsbidrag", amount=1100),
              AgencyIncome(personnummer=me.personnummer, month="2025-10", agency="FK", type="Sjukpenning", amount=500)]
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.incomes, calc.amount) == (10500, 680)
    assert sorted(f.code for f in calc.findings) == ["SSBTEK_AVVIKER", "SSBTEK_EJ_REDOVISAD"]


def test_uncounted_incomes_and_other_costs_are_shown_but_not_counted():
    # handikappersättning is tax-free and does not count; tandvård is livsföring i övrigt (a person decides)
    # norm 5 180 + hyra 5 000 = 10 180; incomes 0 → 10 180
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=5000), Cost(type="Tandvård", amount=1200)],
                      incomes=[Income(personnummer=me.personnummer, type="Handikappersättning", amount=1500)])
    calc = calculate(app, [], max_housing_cost=CAPS)
    assert calc.amount == 10180
    assert [f.code for f in calc.findings] == ["KOSTNAD_PROVAS"]
    assert any("räknas inte" in line.label for line in calc.lines)


def test_comparison_month_is_a_local_rule():
    assert comparison_month(Month(2026, 1), "previous") == Month(2025, 12)
    assert comparison_month(Month(2026, 1), "application") == Month(2026, 1)


def test_an_unofficial_table_says_so_in_every_norm_value_and_routes_to_a_person(tmp_path):
    from dataclasses import replace

    from robots.ronney.rules.riksnorm import load_table
    from robots.ronney.rules.routing import routes_to_person

    estimate = replace(load_table(2025), official=False, source="uppräknad med 0,7 %")
    calc = calculate(application([adult()]), [], max_housing_cost=CAPS, table=estimate)
    assert [f.code for f in calc.findings] == ["NORM_EJ_OFFICIELL"] and routes_to_person(calc.findings)
    norm_rows = [e for e in calc.evidence() if e.label.startswith(("Personliga", "Hushållsgemensamma"))]
    assert norm_rows and all("EJ OFFICIELL" in e.source for e in norm_rows)
