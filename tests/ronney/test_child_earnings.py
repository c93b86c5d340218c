"""A child's earned income is not counted up to one prisbasbelopp per calendar year (prop. 2012/13:94,
domain brief §1.4 [V]); what the child earned earlier in the year comes from SSBTEK.

Prisbasbelopp 2025: 58 800 kr (regeringen.se). Riksnorm 2025 (SoF 2025:468 12 kap. 2 §): ensamstående
3 910, child 15–18 år 4 920, household-common for 2 persons 1 400.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from runner.api import Status

from robots.ronney.prepare import assess
from robots.ronney.rules.calculation import calculate
from robots.ronney.rules.child_earnings import ChildEarnings, PrisbasbeloppMissing, prisbasbelopp
from robots.ronney.rules.model import AgencyIncome, Cost, Income, SavedCalculation
from robots.ronney.rules.routing import routes_to_person
from robots.ronney.settings import RonneySettings

from tests.ronney.helpers import adult, application, child

CAPS = {1: 6000, 2: 7000}
NOW = datetime(2025, 12, 30, 1, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


def family(earlier: dict[str, int], november_pay: int = 3000):
    """A parent and a 16-year-old who earned `november_pay` in November 2025 (the comparison month)."""
    parent, teen = adult(), child(16)
    incomes = [Income(personnummer=parent.personnummer, type="Barnbidrag", amount=1250),
               Income(personnummer=teen.personnummer, type="Lön efter skatt", amount=november_pay)]
    app = application([parent, teen], costs=[Cost(type="Hyra", amount=6000)], incomes=incomes)
    ssbtek = [AgencyIncome(personnummer=parent.personnummer, month="2025-11", agency="FK", type="Barnbidrag", amount=1250),
              AgencyIncome(personnummer=teen.personnummer, month="2025-11", agency="SKV", type="Lön efter skatt",
                           amount=november_pay)]
    ssbtek += [AgencyIncome(personnummer=teen.personnummer, month=m, agency="SKV", type="Lön efter skatt", amount=a)
               for m, a in earlier.items()]
    return app, ssbtek


def test_the_rule_itself():
    pbb = prisbasbelopp(2025)
    assert pbb.amount == 58800 and prisbasbelopp(2026).amount == 59200
    # 58 800 − 55 000 = 3 800 left; of 6 000 this month 3 800 is not counted, 2 200 is
    rule = ChildEarnings(amount=6000, earned_before=55000, limit=pbb)
    assert (rule.left_of_allowance, rule.disregarded, rule.counted) == (3800, 3800, 2200)
    # already past the prisbasbelopp: all of it counts
    assert ChildEarnings(amount=6000, earned_before=60000, limit=pbb).counted == 6000
    # well within it: none of it counts
    assert ChildEarnings(amount=6000, earned_before=0, limit=pbb).counted == 0


def test_earnings_within_the_prisbasbelopp_are_not_counted_and_the_note_says_so():
    # norm 3 910 + 4 920 + 1 400 = 10 230; hyra 6 000 → behov 16 230
    # earned earlier in 2025 (Jun 8 000 + Jul 9 000 + Aug 6 000) = 23 000; Dec 2024 is another year
    # 58 800 − 23 000 = 35 800 left ≥ 3 000 → 3 000 not counted
    # incomes 1 250 + 3 000 − 3 000 = 1 250 → 16 230 − 1 250 = 14 980
    app, ssbtek = family({"2024-12": 5000, "2025-06": 8000, "2025-07": 9000, "2025-08": 6000})
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.norm, calc.needs, calc.incomes, calc.amount) == (10230, 16230, 1250, 14980)
    # the pay is one income line of 0 kr that says why (issue 18: never listed among the incomes that count)
    pay = [line for line in calc.lines if line.section == "inkomst" and line.label.startswith("Lön efter skatt, barn")]
    assert [line.amount for line in pay] == [0]
    assert pay[0].label.startswith("Lön efter skatt, barn (3\u00a0000\u00a0kr) räknas inte: barns arbetsinkomst")
    assert "intjänat tidigare i år 23\u00a0000\u00a0kr" in pay[0].label and "kvar 35\u00a0800\u00a0kr" in pay[0].label
    assert not [line for line in calc.lines if line.section == "avdrag"]
    assert [f.code for f in calc.findings] == ["BARN_ARBETSINKOMST"]
    assert not routes_to_person(calc.findings)  # the arithmetic follows the rule: nothing left to assess


def test_only_what_is_left_of_the_prisbasbelopp_is_kept_out():
    # earned earlier in 2025: 30 000 + 27 000 = 57 000 → 58 800 − 57 000 = 1 800 left
    # of 3 000 in November: 1 800 not counted, 1 200 counts
    # incomes 1 250 + 3 000 − 1 800 = 2 450 → 16 230 − 2 450 = 13 780
    app, ssbtek = family({"2025-07": 30000, "2025-08": 27000})
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.incomes, calc.amount) == (2450, 13780)
    assert "1\u00a0200\u00a0kr räknas" in calc.findings[0].message
    pay = [line for line in calc.lines if line.label.startswith("Lön efter skatt, barn")]
    assert [line.amount for line in pay] == [1200]
    assert "(3\u00a0000\u00a0kr, varav 1\u00a0800\u00a0kr räknas inte" in pay[0].label


def test_past_the_prisbasbelopp_everything_counts():
    # earned earlier in 2025: 60 000 > 58 800 → nothing left; 1 250 + 3 000 = 4 250 → 16 230 − 4 250 = 11 980
    app, ssbtek = family({"2025-06": 60000})
    calc = calculate(app, ssbtek, max_housing_cost=CAPS)
    assert (calc.incomes, calc.amount) == (4250, 11980)
    assert not [line for line in calc.lines if line.section == "avdrag"]


def test_an_adults_pay_is_not_under_the_childrens_rule():
    # the parent's pay counts in full: norm 10 230 + 6 000 = 16 230; 1 250 + 8 000 = 9 250 → 6 980
    parent, teen = adult(), child(16)
    app = application([parent, teen], costs=[Cost(type="Hyra", amount=6000)],
                      incomes=[Income(personnummer=parent.personnummer, type="Barnbidrag", amount=1250),
                               Income(personnummer=parent.personnummer, type="Lön efter skatt", amount=8000)])
    calc = calculate(app, [], max_housing_cost=CAPS)
    assert (calc.incomes, calc.amount) == (9250, 6980)


def test_a_year_without_a_prisbasbelopp_is_never_guessed(monkeypatch):
    import robots.ronney.rules.calculation as calculation

    def missing(year: int, **_):
        raise PrisbasbeloppMissing(year)

    monkeypatch.setattr(calculation, "prisbasbelopp", missing)
    app, ssbtek = family({})
    with pytest.raises(PrisbasbeloppMissing):
        calculate(app, ssbtek, max_housing_cost=CAPS)
    prev = SavedCalculation(month="2025-11", amount=0, household=list(app.household), incomes=list(app.incomes),
                            costs=list(app.costs))
    prep = assess(app.model_copy(update={"previous": prev}), ssbtek, RonneySettings(), key="4711:2025-12", now=NOW)
    assert prep.status == Status.needs_attention and prep.note is None
    assert [f.code for f in prep.findings] == ["PRISBASBELOPP_SAKNAS"]
    assert "prisbasbelopp för 2025 (prisbasbelopp.toml)" in prep.findings[0].message


def test_ssbtek_is_asked_about_children_from_13_or_with_an_income():
    # AFS 2012:3: under 13 only cultural work with leave. Ages at the application month's first day, 1 Dec 2025:
    # born 2012-11-30 → 13 (asked); born 2012-12-02 → 12 (not asked); born 2016-05-05 → 9, but the
    # application shows an income for them (asked); an invalid number is never sent
    from robots.ronney.rules.child_earnings import children_who_may_earn
    from robots.ronney.rules.model import Person

    from tests.ronney.helpers import TODAY, pnr

    thirteen, twelve, nine = pnr(2012, 11, 30, 201), pnr(2012, 12, 2, 202), pnr(2016, 5, 5, 203)
    good = pnr(2010, 1, 1, 204)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)  # a wrong check digit
    kids = [Person(personnummer=n, role="barn", age=a) for n, a in ((thirteen, 13), (twelve, 12), (nine, 9), (bad, 15))]
    app = application([adult(), *kids], incomes=[Income(personnummer=nine, type="Annan inkomst", amount=500)])
    assert children_who_may_earn(app, TODAY) == [thirteen, nine]
