"""Working-time rules over a rolling cycle (Arbetstidslagen and AB, domain brief §3.2).

- dygnsvila: at least 11 h rest between the end of one pass and the start of the next. AB (from
  2023-10-01) wants every pass followed by dygnsvila, so every gap counts, also from Sunday into
  Monday and from the cycle's last week back into its first (the cycle repeats);
- veckovila: at least 36 h unbroken rest in every week of the cycle (fixed Monday 00:00 windows, as
  Time Care's rule does). A rest period counts for a week when it begins in that week, or when at
  least 36 h of it lie inside that week (a week off entirely). So the usual Friday-evening-to-Monday
  rest counts for the week it begins in, and a Sunday+Monday rest after a Saturday pass counts too;
- rast: no more than 5 h in a row without a rast. Where the schedule places the rast (its start), the
  work before and after it is measured; where it gives only the length, a pass breaks the rule only
  when no placement could keep it: no rast and longer than 5 h, or with one rast placed in the middle
  still more than 5 h of work on one side ((length − rast) / 2);
- delad tur: two passes on one day are one working day; the time between them is neither rast nor
  dygnsvila, and the day may span at most 24 − 11 = 13 h, so that 11 h rest fit in the 24 hours
  that begin with it (ATL 13 §);
- passlängd: no pass (rast included) longer than the set maximum.

The timeline is minutes from week 1, måndag 00:00. Passes are laid out over three copies of the cycle
so that every gap, including those across the cycle's end, is seen once in the middle copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from runner.api import Finding, Severity

from robots.harry.model import MINUTES_PER_DAY, MINUTES_PER_WEEK, Schedule, Shift, hhmm
from robots.harry.rules.fmt import hours_sv, plain_sv

DAILY_REST = "dygnsvila"
WEEKLY_REST = "veckovila"
BREAK = "rast"
SHIFT_LENGTH = "passlangd"
OVERLAPPING_SHIFTS = "passen_overlappar"


@dataclass(frozen=True)
class Limits:
    """The limits the rules apply; from the robot's settings."""

    daily_rest_minutes: int = 11 * 60
    weekly_rest_minutes: int = 36 * 60
    max_minutes_without_break: int = 5 * 60
    max_shift_minutes: int = 12 * 60


@dataclass(frozen=True)
class _Placed:
    """A pass at its place on the timeline (one copy of the cycle)."""

    shift: Shift
    start: int
    end: int
    copy: int  # -1, 0, 1: which copy of the cycle


def _timeline(schedule: Schedule) -> list[_Placed]:
    cycle = schedule.cycle_weeks * MINUTES_PER_WEEK
    placed = [
        _Placed(s, s.offset_minutes + c * cycle, s.offset_minutes + s.length_minutes + c * cycle, c)
        for c in (-1, 0, 1)
        for s in schedule.shifts
    ]
    return sorted(placed, key=lambda p: p.start)


def _rests(schedule: Schedule) -> list[tuple[_Placed, _Placed]]:
    """Each pair of consecutive passes whose first pass lies in the middle copy."""
    line = _timeline(schedule)
    return [(a, b) for a, b in zip(line, line[1:], strict=False) if a.copy == 0]


def _same_day(a: _Placed, b: _Placed) -> bool:
    """Two passes of one working day (a delad tur): the time between them is neither rast nor dygnsvila."""
    return a.copy == b.copy and a.shift.day_key == b.shift.day_key


def daily_rest_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    findings = []
    n = schedule.cycle_weeks
    for a, b in _rests(schedule):
        gap = b.start - a.end
        pair = f"{a.shift.label(n)} och {b.shift.label(n)}"
        if gap < 0:
            findings.append(
                Finding(code=OVERLAPPING_SHIFTS, message=f"Passen {pair} överlappar varandra", severity=Severity.error)
            )
        elif _same_day(a, b):
            continue
        elif gap < limits.daily_rest_minutes:
            where = ""
            if b.copy != a.copy:
                where = " (över veckoskiftet)" if n == 1 else f" (över schemacykelns slut, vecka {n} till vecka 1)"
            findings.append(
                Finding(
                    code=DAILY_REST,
                    message=(
                        f"Dygnsvilan mellan passen {pair}{where} är {hours_sv(gap)} h; "
                        f"minst {plain_sv(limits.daily_rest_minutes / 60)} h krävs"
                    ),
                    severity=Severity.error,
                )
            )
    return findings


def longest_day_span(limits: Limits) -> int:
    """The longest a working day may span, first start to last end, and still leave the daily rest inside
    the 24 hours that begin with it (ATL 13 §: 11 h rest in every period of 24 hours): 24 − 11 = 13 h."""
    return MINUTES_PER_DAY - limits.daily_rest_minutes


def day_span_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    """A delad tur whose passes spread over more of the day than the daily rest leaves room for."""
    days: dict[tuple[int, int], list[Shift]] = {}
    for s in schedule.shifts:
        days.setdefault(s.day_key, []).append(s)
    out = []
    cap = longest_day_span(limits)
    for passes in days.values():
        if len(passes) < 2:
            continue
        span = max(p.offset_minutes + p.length_minutes for p in passes) - passes[0].offset_minutes
        if span > cap:
            labels = " och ".join(p.label(schedule.cycle_weeks) for p in passes)
            out.append(
                Finding(
                    code=DAILY_REST,
                    message=(
                        f"Arbetsdagen med passen {labels} spänner över {hours_sv(span)} h; med minst "
                        f"{plain_sv(limits.daily_rest_minutes / 60)} h dygnsvila per 24 timmar får den spänna högst "
                        f"{plain_sv(cap / 60)} h"
                    ),
                    severity=Severity.error,
                )
            )
    return out


def longest_weekly_rest(schedule: Schedule, week: int) -> int:
    """The longest rest (minutes) that counts for `week` (1-based), by the rule in the module doc."""
    ws = (week - 1) * MINUTES_PER_WEEK
    we = ws + MINUTES_PER_WEEK
    line = _timeline(schedule)
    if not line:
        return MINUTES_PER_WEEK
    best = 0
    for a, b in zip(line, line[1:], strict=False):
        rest_start, rest_end = a.end, b.start
        if rest_end <= rest_start:
            continue
        if ws <= rest_start < we:
            best = max(best, rest_end - rest_start)
        elif rest_start < ws < rest_end:
            best = max(best, min(rest_end, we) - ws)
    return best


def weekly_rest_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    findings = []
    for week in range(1, schedule.cycle_weeks + 1):
        best = longest_weekly_rest(schedule, week)
        if best < limits.weekly_rest_minutes:
            which = f" vecka {week}" if schedule.cycle_weeks > 1 else ""
            findings.append(
                Finding(
                    code=WEEKLY_REST,
                    message=(
                        f"Veckovilan{which} är som längst {hours_sv(best)} h i följd; "
                        f"minst {plain_sv(limits.weekly_rest_minutes / 60)} h krävs"
                    ),
                    severity=Severity.error,
                )
            )
    return findings


def longest_stretch_without_break(shift: Shift) -> int:
    """Minutes of work in a row: the whole pass without rast; before or after the rast where the schedule
    places it; else at best half of the work time (the rast in the middle)."""
    if shift.break_minutes == 0:
        return shift.length_minutes
    offset = shift.break_offset_minutes
    if offset is not None:
        return max(offset, shift.length_minutes - offset - shift.break_minutes)
    return -(-shift.work_minutes // 2)  # ceil: with the rast in the middle


def break_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    findings = []
    cap = plain_sv(limits.max_minutes_without_break / 60)
    for s in schedule.shifts:
        stretch = longest_stretch_without_break(s)
        if stretch <= limits.max_minutes_without_break:
            continue
        label = s.label(schedule.cycle_weeks)
        if s.break_minutes == 0:
            message = f"Passet {label} saknar rast ({hours_sv(s.length_minutes)} h i följd); högst {cap} h utan rast är tillåtet"
        elif s.break_start is not None:
            message = (
                f"Passet {label} har rasten {hhmm(s.break_start)} ({s.break_minutes} min): {hours_sv(stretch)} h i följd "
                f"utan rast; högst {cap} h är tillåtet"
            )
        else:
            message = (
                f"Passet {label} har bara {s.break_minutes} min rast: minst {hours_sv(stretch)} h i följd utan rast; "
                f"högst {cap} h är tillåtet"
            )
        findings.append(Finding(code=BREAK, message=message, severity=Severity.error))
    return findings


def shift_length_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    cap = plain_sv(limits.max_shift_minutes / 60)
    return [
        Finding(
            code=SHIFT_LENGTH,
            message=f"Passet {s.label(schedule.cycle_weeks)} är {hours_sv(s.length_minutes)} h långt; högst {cap} h är tillåtet",
            severity=Severity.error,
        )
        for s in schedule.shifts
        if s.length_minutes > limits.max_shift_minutes
    ]


def working_time_findings(schedule: Schedule, limits: Limits) -> list[Finding]:
    """Every working-time breach in the schedule, in a stable order (rest, weekly rest, rast, length)."""
    return (
        daily_rest_findings(schedule, limits)
        + day_span_findings(schedule, limits)
        + weekly_rest_findings(schedule, limits)
        + break_findings(schedule, limits)
        + shift_length_findings(schedule, limits)
    )
