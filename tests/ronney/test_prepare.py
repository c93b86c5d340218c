"""Ronney's conclusion per application before anything is written: status, summary, note."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from runner.api import Status

from robots.ronney.prepare import assess, ssbtek_failure, supplement_stage
from robots.ronney.rules.model import AgencyIncome, Attachment, Cost, Income, SavedCalculation, SupplementRequest
from robots.ronney.settings import RonneySettings

from tests.ronney.helpers import TODAY, adult, application

NOW = datetime(2025, 12, 30, 1, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
SETTINGS = RonneySettings()


def steady_case():
    me = adult()
    costs = [Cost(type="Hyra", amount=5000), Cost(type="Hushållsel", amount=300)]
    incomes = [Income(personnummer=me.personnummer, type="A-kassa", amount=4000)]
    prev = SavedCalculation(month="2025-11", amount=6480, household=[me], incomes=incomes, costs=costs)
    app = application([me], costs=costs, incomes=incomes, previous=prev)
    ssbtek = [AgencyIncome(personnummer=me.personnummer, month="2025-11", agency="SO", type="A-kassa", amount=4000)]
    return app, ssbtek


def test_a_steady_renewal_is_prepared_with_a_note():
    # 3 910 + 1 270 + hyra 5 000 + el 300 = 10 480; a-kassa 4 000 → 6 480
    app, ssbtek = steady_case()
    prep = assess(app, ssbtek, SETTINGS, key="4711:2025-12", now=NOW)
    assert prep.status == Status.prepared and prep.move_to_decision
    assert prep.summary == "Klar för beslut: preliminärt 6\u00a0480\u00a0kr"
    assert prep.note is not None
    assert "Ronney-nyckel: 4711:2025-12" in prep.note
    assert "A-kassa, sökande: 4\u00a0000\u00a0kr  [SSBTEK (SO)]" in prep.note
    assert "Preliminärt belopp: 10\u00a0480\u00a0kr − 4\u00a0000\u00a0kr = 6\u00a0480\u00a0kr" in prep.note
    assert app.household[0].personnummer not in prep.note


def test_a_finding_routes_to_a_person_but_still_gets_the_note():
    app, ssbtek = steady_case()
    app = app.model_copy(update={"kind": "Nyansökan"})
    prep = assess(app, ssbtek, SETTINGS, key="4711:2025-12", now=NOW)
    assert prep.status == Status.needs_attention and not prep.move_to_decision
    assert prep.summary.startswith("Behöver handläggare: Nyansökan")
    assert "Kontrollera: Nyansökan" in prep.note


def test_supplement_waiting_and_overdue():
    req = SupplementRequest(type="Hyresavi", requested=date(2025, 12, 15), due=date(2026, 1, 5))
    waiting = supplement_stage(application([adult()], supplements=[req]), TODAY)
    assert waiting.status == Status.waiting
    assert waiting.summary == "Väntar på komplettering: hyresavi, begärd 15 dec, senast 5 jan 2026"
    late = SupplementRequest(type="Hyresavi", requested=date(2025, 12, 1), due=date(2025, 12, 24))
    overdue = supplement_stage(application([adult()], supplements=[late]), TODAY)
    assert overdue.status == Status.needs_attention and overdue.note is None
    assert [f.code for f in overdue.findings] == ["KOMPLETTERING_SAKNAS"]
    done = application([adult()], supplements=[late], attachments=[Attachment(type="Hyresavi", received=date(2025, 12, 20))])
    assert supplement_stage(done, TODAY) is None


def test_ssbtek_failure_has_no_note_and_no_status_change():
    prep = ssbtek_failure("tjänsten svarade 503")
    assert prep.status == Status.needs_attention and prep.note is None and not prep.move_to_decision
    assert prep.findings[0].code == "SSBTEK_LASFEL"


def test_a_year_without_a_norm_table_is_a_person_s_case():
    app, ssbtek = steady_case()
    app = app.model_copy(update={"month": "2031-01"})
    prep = assess(app, ssbtek, SETTINGS, key="4711:2031-01", now=NOW)
    assert prep.status == Status.needs_attention and prep.findings[0].code == "NORM_SAKNAS"
