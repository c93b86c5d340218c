"""What sends a case to a person instead of 'prepared'."""

from __future__ import annotations

from robots.ronney.rules.calculation import calculate
from robots.ronney.rules.model import Cost, Income, Person, SavedCalculation
from robots.ronney.rules.routing import (
    household_findings,
    housing_findings,
    identity_findings,
    income_findings,
    kind_findings,
    routes_to_person,
)

from tests.ronney.helpers import TODAY, adult, application, child


def previous(household, incomes=(), costs=()):
    return SavedCalculation(month="2025-11", amount=4000, household=list(household), incomes=list(incomes), costs=list(costs))


def test_nyansokan_always_goes_to_a_person():
    assert [f.code for f in kind_findings(application([adult()], kind="Nyansökan"))] == ["NYANSOKAN"]
    assert [f.code for f in kind_findings(application([adult()]))] == ["TIDIGARE_BERAKNING_SAKNAS"]


def test_household_change_names_roles_not_people():
    me, baby = adult(), child(0)
    app = application([me, baby], previous=previous([me]))
    findings = household_findings(app)
    assert [f.code for f in findings] == ["HUSHALL_ANDRAT"]
    assert "tillkommit: barn (0 år)" in findings[0].message
    assert me.personnummer not in findings[0].message
    assert household_findings(application([me], previous=previous([me]))) == []


def test_new_and_dropped_incomes_against_last_month():
    me = adult()
    before = previous([me], incomes=[Income(personnummer=me.personnummer, type="A-kassa", amount=6000)])
    app = application([me], previous=before,
                      incomes=[Income(personnummer=me.personnummer, type="Lön efter skatt", amount=7000)])
    calc = calculate(app, [], max_housing_cost={})
    codes = sorted(f.code for f in income_findings(app, calc.counted_incomes))
    assert codes == ["INKOMST_BORTFALLEN", "NY_INKOMST"]


def test_changed_housing_cost():
    me = adult()
    app = application([me], costs=[Cost(type="Hyra", amount=6200)],
                      previous=previous([me], costs=[Cost(type="Hyra", amount=5900)]))
    findings = housing_findings(app)
    assert [f.code for f in findings] == ["BOENDEKOSTNAD_ANDRAD"]
    assert "6\u00a0200\u00a0kr" in findings[0].message and "5\u00a0900\u00a0kr" in findings[0].message


def test_invalid_personnummer():
    me = adult()
    broken = Person(personnummer=me.personnummer[:-1] + str((int(me.personnummer[-1]) + 1) % 10), role="medsökande", age=40)
    findings = identity_findings([me, broken], TODAY)
    assert [f.code for f in findings] == ["OGILTIGT_PERSONNUMMER"]
    assert broken.personnummer not in findings[0].message


def test_only_info_findings_do_not_route():
    from runner.api import Finding, Severity

    assert not routes_to_person([Finding(code="JOBBSTIMULANS", message="x", severity=Severity.info)])
    assert routes_to_person([Finding(code="NY_INKOMST", message="x")])
