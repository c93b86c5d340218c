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

from robots.harry.model import KIND_SV, Absence, Employment, Schedule
from robots.harry.rules.dated import dated_findings
from robots.harry.rules.hours import HoursCheck, check_hours, hours_finding
from robots.harry.rules.periods import covers, days_until, is_late_change, overlaps
from robots.harry.rules.working_time import Limits, working_time_findings

UNKNOWN_EMPLOYEE = "okand_anstalld"
OUTSIDE_EMPLOYMENT = "utanfor_anstallning"
OVERLAP = "overlapp"
LATE_CHANGE = "sen_andring"
ABSENCE = "franvaro"
NO_BASE_SCHEDULE = "grundschema_saknas"


@dataclass(frozen=True)
class Rules:
    """The municipality's settings the assessment needs."""

    full_time_default: float = 40.0
    full_time_by_category: Mapping[str, float] = field(default_factory=lambda: {"larare": 35.0})
    tolerance: float = 0.25
    late_change_days: int = 10
    limits: Limits = Limits()
    #: How far an open-ended period is laid out on dates (daylight saving, red days): a year sees both.
    horizon_days: int = 366
    #: Passes on red days: "note" (registered, listed for the payroll staff) or "deviation" (a person first).
    red_days: str = "note"

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


def required_share(schedule: Schedule, absences: Sequence[Absence]) -> float:
    """The share of the employment's hours a placeringsschema must give: less a partial absence that
    covers its whole period (a placeringsschema is how partial absence is scheduled, domain brief §3.1)."""
    if schedule.kind != "placeringsschema":
        return 1.0
    partial = [a for a in absences if a.percent < 100 and covers(a.period, schedule.period)]
    return max(0.0, 1 - sum(a.percent for a in partial) / 100)


def assess(
    schedule: Schedule,
    employments: Sequence[Employment] | None,
    registered: Sequence[Schedule],
    rules: Rules,
    today: date,
    absences: Sequence[Absence] = (),
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

    # 2. The hours add up to sysselsättningsgrad × heltidsmått (for a placeringsschema over a partial
    # absence: less the absence's share).
    if employment is not None:
        share = required_share(schedule, absences)
        hours = check_hours(schedule, employment.grade_percent * share, rules.full_time(employment.category),
                            rules.tolerance)
        finding = hours_finding(hours, schedule.cycle_weeks)
        if finding is not None:
            findings.append(finding)

    # 3. Working-time rules: on the cycle, then on the period's dates in real time (daylight saving, red days).
    findings.extend(working_time_findings(schedule, rules.limits))
    on_dates, dated_notes = dated_findings(schedule, rules.limits, horizon_days=rules.horizon_days,
                                           red_days=rules.red_days)
    findings.extend(on_dates)

    # 5. Absence in the period: it needs a placeringsschema and a person's decision (domain brief §3.4).
    in_period = [a for a in absences if overlaps(a.period, schedule.period)]
    if in_period:
        what = "; ".join(a.label for a in in_period)
        if schedule.kind == "placeringsschema":
            message = (f"Frånvaro under placeringsschemats period: {what}; löneadministratören bedömer "
                       "placeringsschemat mot frånvaron innan det registreras")
        else:
            message = (f"Frånvaro under schemaperioden: {what}; frånvaro kräver ett placeringsschema och ett "
                       "beslut av löneadministratören")
        findings.append(Finding(code=ABSENCE, message=message, severity=Severity.error))

    # 4. Already registered, or overlapping a registered schedule of the same kind. A placeringsschema
    # replaces the grundschema for its dates, so it must lie on one, and may overlap it.
    identical = next((r for r in registered if r.same_content(schedule)), None)
    same_kind = [r for r in registered if r.kind == schedule.kind]
    overlapping = [r for r in same_kind if r is not identical and overlaps(r.period, schedule.period)]
    if identical is None and schedule.kind == "placeringsschema" and employments is not None:
        base = [r for r in registered if r.kind == "grundschema" and covers(r.period, schedule.period)]
        if not base:
            findings.append(Finding(
                code=NO_BASE_SCHEDULE,
                message=(f"Placeringsschemat ({schedule.period.label()}) ligger inte på ett registrerat grundschema; "
                         "ett placeringsschema ersätter grundschemat för sina datum och kräver ett grundschema under sig"),
                severity=Severity.error,
            ))
    if identical is None:
        for r in overlapping:
            which = "placeringsschemat" if r.kind == "placeringsschema" else "schemat"
            ref = f"{which} {r.schedule_id} " if r.schedule_id else f"ett {KIND_SV[r.kind]} "
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

    notes.extend(dated_notes)  # after the late change: that one matters most to the payroll staff
    return Assessment(
        findings=findings,
        notes=notes,
        employment=employment,
        hours=hours,
        identical=identical,
        overlapping=overlapping if identical is None else [],
        late=late,
    )
