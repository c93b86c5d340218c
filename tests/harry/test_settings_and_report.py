"""HaRry's settings (the municipality's measures) and the morning report's order and wording."""

from __future__ import annotations

from runner.engine import run_coroutine

import pytest
from pydantic import ValidationError

from robots.harry.robot import Harry
from robots.harry.settings import HarrySettings
from robots.harry.robot import ExportEntry
from runner.api import Finding, Outcome, Report, RunReport, Severity, WorkItem


def test_defaults_are_40_hours_and_35_for_teachers() -> None:
    rules = HarrySettings().rules()
    assert rules.full_time("barnskotare") == 40.0
    assert rules.full_time("larare") == 35.0
    assert rules.tolerance == 0.25 and rules.late_change_days == 10
    assert rules.limits.daily_rest_minutes == 660 and rules.limits.max_shift_minutes == 720


def test_municipality_sets_its_own_measures() -> None:
    # Night work 34 h 20 min = 34,333… h; keys are category codes, any case.
    s = HarrySettings(full_time_hours={"default": 38.25, "Natt": 34 + 20 / 60}, max_shift_hours=10)
    rules = s.rules()
    assert rules.full_time("natt") == pytest.approx(34.333, abs=1e-3)
    assert rules.full_time("larare") == 38.25  # no teacher measure given: the default applies
    assert rules.limits.max_shift_minutes == 600


@pytest.mark.parametrize("bad", [{"full_time_hours": {"larare": 0}}, {"hours_tolerance": -1}, {"late_change_days": -3}, {"typo": 1}])
def test_bad_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        HarrySettings(**bad)


def _report(outcomes: list[tuple[str, Outcome]], dry_run: bool = False) -> Report:
    run = RunReport(
        run_id="r1", robot="harry", dry_run=dry_run, counts={},
        outcomes=lambda: iter([(WorkItem(key=k, title=f"Schema {k}"), o) for k, o in outcomes]),
    )
    return run_coroutine(lambda: Harry().report(None, run))  # type: ignore[arg-type]


def test_report_puts_deviations_first_with_their_reasons() -> None:
    late = Finding(code="sen_andring", message="Sen ändring: schemat börjar 2026-03-06, om 4 dagar", severity=Severity.warning)
    report = _report([
        ("a", Outcome.prepared("Registrerat i personalsystemet som P-2001")),
        ("b", Outcome.skipped("Samma schema är redan registrerat i personalsystemet (P-1012)")),
        ("c", Outcome.needs_attention("Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka",
                                      findings=[Finding(code="timmar", message="Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka")])),
        ("d", Outcome.prepared("Registrerat … – sen ändring", findings=[late], data={"late_change": True})),
    ])
    assert report.heading == "2 scheman registrerade, 1 fanns redan, 1 avvikelse till löneadministratörerna, 1 sen ändring"
    sections = report.sections
    assert sections[0].heading.startswith("Avvikelser")
    assert sections[0].records() == [{
        "Schema": "Schema c", "Sammanfattning": "Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka",
        "Skäl": ["Schemat ger 36,0 h/vecka; 80 % av 40 h kräver 32,0 h/vecka"],
    }]
    by_heading = {s.heading: [r["Schema"] for r in s.records()] for s in sections}
    assert by_heading["Sena ändringar – registrerade, meddela löneadministratören"] == ["Schema d"]
    assert by_heading["Registrerade"] == ["Schema a", "Schema d"]
    assert by_heading["Fanns redan – inget att göra"] == ["Schema b"]


def test_dry_run_report_says_would() -> None:
    report = _report([("a", Outcome.prepared("Provkörning: schemat skulle registreras"))], dry_run=True)
    assert report.heading.startswith("1 schema skulle registreras")


def test_unreadable_or_duplicate_schedules_go_to_a_person_without_touching_any_system() -> None:
    from runner.api import BusinessError
    from tests.harry.helpers import MON, schedule, shift

    broken = WorkItem(key="40104:2026-04-06:1", data=ExportEntry(broken="ogiltigt värde i exporten (x)", schedule_id="S-4"))
    with pytest.raises(BusinessError) as exc:
        run_coroutine(lambda: Harry().process(None, broken))  # type: ignore[arg-type]
    assert exc.value.code == "felaktig_export" and "S-4" in exc.value.message

    s = schedule([shift(1, MON, "07:00", "16:00", 60)], schedule_id="S-5")
    twice = WorkItem(key=s.key, data=ExportEntry(schedule=s, duplicate_of=["S-6"]))
    with pytest.raises(BusinessError) as exc:
        run_coroutine(lambda: Harry().process(None, twice))  # type: ignore[arg-type]
    assert exc.value.code == "dubblett" and "S-5, S-6" in exc.value.message
