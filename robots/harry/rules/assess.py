"""Steps 1–4 of HaRry's work on one schedule, as one pure function over what the systems showed.

The robot reads the employee's employments and registered schedules from the payroll system, then asks
`assess` what to do: register, skip (the identical schedule is already there), or hand to a person with
every finding at once, so HR sees the whole picture and not one problem per night.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from runner.api import Finding, Severity

from robots.harry.model import Employment, Schedule
from robots.harry.rules.hours import HoursCheck, check_hours, hours_finding
from robots.harry.rules.periods import covers, days_until, is_late_change, overlaps
from robots.harry.rules.working_time import Limits, working_time_findings

UNKNOWN_EMPLOYEE = "okand_anstalld"
OUTSIDE_EMPLOYMENT = "utanfor_anstallning"
OVERLAP = "overlapp"
LATE_CHANGE = "sen_andring"


@dataclass(frozen=True)
class Rules:
    """The municipality's settings the assessment needs."""

    full_time_default: float = 40.0
    full_time_by_category: Mapping[str, float] = field(default_factory=lambda: {"larare": 35.0})
    tolerance: float = 0.25
    late_change_days: int = 10
    limits: Limits = Limits()

    def full_time(self, category: str) -> float:
        return self.full_time_by_category.get(category.strip().lower(), self.full_time_default)


@dataclass
class Assessment:
    """What to do with one schedule, and why."""

    findings: list[Finding]  # blocking: any of these → needs_attention
    notes: list[Finding]  # not blocking: shown with the registration (late change)
    employment: Employment | None = None
    hours: HoursCheck | None = None
    identical: Schedule | None = None  # the same schedule already registered
    overlapping: list[Schedule] = field(default_factory=list)
    late: bool = False

    @property
    def register(self) -> bool:
        return not self.findings and self.identical is None


def covering_employment(schedule: Schedule, employments: Sequence[Employment]) -> Employment | None:
    """The employment that covers the whole period (the first, if several do)."""
    for e in employments:
        if covers(e.period, schedule.period):
            return e
    return None


def _outside_message(schedule: Schedule, employments: Sequence[Employment]) -> str:
    spans = ", ".join(e.period.label() for e in sorted(employments, key=lambda e: e.period.start))
    word = "anställningen gäller" if len(employments) == 1 else "anställningarna gäller"
    return f"Ingen anställning täcker hela schemaperioden {schedule.period.label()}; {word} {spans}"


def assess(
    schedule: Schedule,
    employments: Sequence[Employment] | None,
    registered: Sequence[Schedule],
    rules: Rules,
    today: date,
) -> Assessment:
    """`employments=None` means the payroll system does not know the employee at all."""
    findings: list[Finding] = []
    notes: list[Finding] = []
    employment = None
    hours = None

    # 1. The employee exists and one employment covers the whole period.
    if employments is None:
        findings.append(
            Finding(
                code=UNKNOWN_EMPLOYEE,
                message=f"Anställningsnummer {schedule.employee} finns inte i personalsystemet",
                severity=Severity.error,
            )
        )
    else:
        employment = covering_employment(schedule, employments)
        if employment is None:
            message = (
                _outside_message(schedule, employments)
                if employments
                else f"Anställningsnummer {schedule.employee} har ingen anställning i personalsystemet"
            )
            findings.append(Finding(code=OUTSIDE_EMPLOYMENT, message=message, severity=Severity.error))

    # 2. The hours add up to sysselsättningsgrad × heltidsmått.
    if employment is not None:
        hours = check_hours(schedule, employment.grade_percent, rules.full_time(employment.category), rules.tolerance)
        finding = hours_finding(hours, schedule.cycle_weeks)
        if finding is not None:
            findings.append(finding)

    # 3. Working-time rules.
    findings.extend(working_time_findings(schedule, rules.limits))

    # 4. Already registered, or overlapping a registered schedule.
    identical = next((r for r in registered if r.same_content(schedule)), None)
    overlapping = [r for r in registered if r is not identical and overlaps(r.period, schedule.period)]
    if identical is None:
        for r in overlapping:
            ref = f"schemat {r.schedule_id} " if r.schedule_id else "ett schema "
            findings.append(
                Finding(
                    code=OVERLAP,
                    message=(
                        f"Perioden {schedule.period.label()} överlappar {ref}(version {r.version}, "
                        f"{r.period.label()}) som redan är registrerat i personalsystemet"
                    ),
                    severity=Severity.error,
                )
            )

    # Late change: registered anyway, but the payroll staff must know (förskjuten arbetstid).
    late = is_late_change(schedule.period.start, today, rules.late_change_days)
    if late:
        days = days_until(schedule.period.start, today)
        if days >= 0:
            when = "i dag" if days == 0 else f"om {days} {'dag' if days == 1 else 'dagar'}"
            message = f"Sen ändring: schemat börjar {schedule.period.start.isoformat()}, {when} (mindre än {rules.late_change_days} dagars varsel)"
        else:
            message = f"Sen ändring: schemat började redan {schedule.period.start.isoformat()}, för {-days} dagar sedan (retroaktivt)"
        notes.append(Finding(code=LATE_CHANGE, message=message, severity=Severity.warning))

    return Assessment(
        findings=findings,
        notes=notes,
        employment=employment,
        hours=hours,
        identical=identical,
        overlapping=overlapping if identical is None else [],
        late=late,
    )
