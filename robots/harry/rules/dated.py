"""The rolling cycle laid out on the period's dates: real elapsed time, daylight saving and red days.

The cycle's rules (working_time.py) read the passes as clock times. On the calendar two things differ:

- **Daylight saving.** On the night summer time begins (last Sunday of March) the clock jumps from 02:00
  to 03:00, and a pass or a rest over that night is one hour shorter in real time; on the night it ends
  (last Sunday of October) 03:00 is 02:00 again, and they are one hour longer. ATL counts real time:
  11 h of dygnsvila are 11 hours of rest, whatever the clock says. So each pass is placed at its date in
  Europe/Stockholm and every rule that the cycle check passed is checked again in real minutes; only
  what breaks in real time is reported here (the cycle check already reported the rest). The passes
  whose real length differs from the clock's are listed for the payroll staff (pay follows real hours).
- **Red days.** Passes on a public holiday or midsommar-, jul- or nyårsafton (Lag 1989:253; the same
  calendar as the scheduler's, runner.scheduler.calendars) are listed: whether the person should work
  that day, and with what pay, is the payroll staff's call. A setting decides whether that list is a
  note with the registration (default) or a deviation that stops it.

Week 1 of the cycle is the week (Monday–Sunday) holding the period's first day; passes before the
first day or after the last are not worked. An open-ended period is checked for `horizon_days` from its
start (a year covers both daylight-saving nights and every red day).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from runner.api import Finding, Severity
from runner.scheduler.calendars import swedish_holidays

from robots.harry.model import WEEKDAYS_SV, Schedule, Shift, hhmm
from robots.harry.rules.fmt import hours_sv, plain_sv
from robots.harry.rules.working_time import (
    BREAK,
    DAILY_REST,
    SHIFT_LENGTH,
    WEEKLY_REST,
    Limits,
    longest_day_span,
)

TZ = ZoneInfo("Europe/Stockholm")
RED_DAY = "rod_dag"
DST = "sommartid"
RED_DAY_MODES = ("note", "deviation")


@dataclass(frozen=True)
class DatedPass:
    """One pass at its date, in real (epoch) minutes and in clock minutes (as if no clock change)."""

    day: date
    shift: Shift
    start: int
    end: int
    clock_start: int
    clock_end: int

    @property
    def real_minutes(self) -> int:
        return self.end - self.start

    @property
    def clock_minutes(self) -> int:
        return self.clock_end - self.clock_start

    def label(self) -> str:
        """'lördag 2026-03-28 21:00–07:00'."""
        return f"{WEEKDAYS_SV[self.day.weekday()]} {self.day.isoformat()} {hhmm(self.shift.start)}–{hhmm(self.shift.end)}"


def _real(dt: datetime) -> int:
    return int(dt.timestamp()) // 60


def _clock(dt: datetime) -> int:
    return calendar.timegm(dt.replace(tzinfo=None).timetuple()) // 60


def _at(day: date, minutes_after_midnight: int) -> datetime:
    """Local wall time `minutes_after_midnight` after the start of `day` (may pass into the next day)."""
    d = day + timedelta(days=minutes_after_midnight // (24 * 60))
    m = minutes_after_midnight % (24 * 60)
    return datetime(d.year, d.month, d.day, m // 60, m % 60, tzinfo=TZ)


def checked_span(schedule: Schedule, horizon_days: int) -> tuple[date, date]:
    last = schedule.period.start + timedelta(days=horizon_days - 1)
    if schedule.period.end is not None and schedule.period.end < last:
        last = schedule.period.end
    return schedule.period.start, last


def dated_passes(schedule: Schedule, first: date, last: date) -> list[DatedPass]:
    """Every pass worked on the days first..last, in time order."""
    anchor = schedule.period.start - timedelta(days=schedule.period.start.weekday())
    by_day: dict[tuple[int, int], list[Shift]] = {}
    for s in schedule.shifts:
        by_day.setdefault(s.day_key, []).append(s)
    out: list[DatedPass] = []
    day = first
    while day <= last:
        week = (day - anchor).days // 7 % schedule.cycle_weeks + 1
        for s in by_day.get((week, day.isoweekday()), []):
            begin = s.start.hour * 60 + s.start.minute
            a, b = _at(day, begin), _at(day, begin + s.length_minutes)
            out.append(DatedPass(day, s, _real(a), _real(b), _clock(a), _clock(b)))
        day += timedelta(days=1)
    return out


def _change_night(p: DatedPass) -> str:
    """'sommartid börjar natten mot 29 mars' for a pass over a clock change."""
    what = "sommartid börjar" if p.real_minutes < p.clock_minutes else "sommartiden slutar"
    night = p.day + timedelta(days=1) if p.shift.end <= p.shift.start else p.day
    months = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
              "oktober", "november", "december")
    return f"{what} natten mot {night.day} {months[night.month - 1]}"


def _stretch(p: DatedPass, real: bool) -> int:
    """Longest work without rast in the pass, in real or clock minutes (the rules of working_time.py)."""
    s = p.shift
    start, end = (p.start, p.end) if real else (p.clock_start, p.clock_end)
    if s.break_minutes == 0:
        return end - start
    offset = s.break_offset_minutes
    if offset is not None:
        begin = s.start.hour * 60 + s.start.minute
        rast = _at(p.day, begin + offset)
        rast_end = _at(p.day, begin + offset + s.break_minutes)
        conv = _real if real else _clock
        return max(conv(rast) - start, end - conv(rast_end))
    return -(-(end - start - s.break_minutes) // 2)


def dst_findings(passes: list[DatedPass], limits: Limits) -> tuple[list[Finding], list[Finding]]:
    """(deviations, notes): what breaks only in real time, and the passes whose real length differs."""
    findings: list[Finding] = []
    notes: list[Finding] = []
    changed = [p for p in passes if p.real_minutes != p.clock_minutes]
    for p in changed:
        diff = p.real_minutes - p.clock_minutes
        notes.append(Finding(
            code=DST,
            message=(f"Passet {p.label()} är {hours_sv(p.real_minutes)} h i verklig tid, "
                     f"{hours_sv(abs(diff))} h {'kortare' if diff < 0 else 'längre'} än klockan visar "
                     f"({_change_night(p)}); lönen räknas på verklig tid"),
            severity=Severity.info,
        ))
        if p.real_minutes > limits.max_shift_minutes >= p.clock_minutes:
            findings.append(Finding(
                code=SHIFT_LENGTH,
                message=(f"Passet {p.label()} är {hours_sv(p.real_minutes)} h långt i verklig tid "
                         f"({_change_night(p)}); högst {plain_sv(limits.max_shift_minutes / 60)} h är tillåtet"),
                severity=Severity.error,
            ))
        if _stretch(p, True) > limits.max_minutes_without_break >= _stretch(p, False):
            findings.append(Finding(
                code=BREAK,
                message=(f"Passet {p.label()} ger {hours_sv(_stretch(p, True))} h i följd utan rast i verklig tid "
                         f"({_change_night(p)}); högst {plain_sv(limits.max_minutes_without_break / 60)} h är tillåtet"),
                severity=Severity.error,
            ))
    for a, b in zip(passes, passes[1:], strict=False):
        real, clock = b.start - a.end, b.clock_start - a.clock_end
        if real == clock or real < 0:
            continue
        if a.day == b.day and a.shift.day_key == b.shift.day_key:
            continue  # one working day: the gap is neither rast nor dygnsvila
        if real < limits.daily_rest_minutes <= clock:
            night = a if a.real_minutes != a.clock_minutes else b
            findings.append(Finding(
                code=DAILY_REST,
                message=(f"Dygnsvilan mellan passen {a.label()} och {b.label()} är {hours_sv(real)} h i verklig tid "
                         f"({_change_night(night) if night.real_minutes != night.clock_minutes else 'klockan ställs om'}); "
                         f"minst {plain_sv(limits.daily_rest_minutes / 60)} h krävs"),
                severity=Severity.error,
            ))
    findings += _day_span_dst(passes, limits) + _weekly_rest_dst(passes, limits)
    return findings, notes


def _day_span_dst(passes: list[DatedPass], limits: Limits) -> list[Finding]:
    days: dict[date, list[DatedPass]] = {}
    for p in passes:
        days.setdefault(p.day, []).append(p)
    out = []
    cap = longest_day_span(limits)
    for day, ps in days.items():
        if len(ps) < 2:
            continue
        real = max(p.end for p in ps) - ps[0].start
        clock = max(p.clock_end for p in ps) - ps[0].clock_start
        if real > cap >= clock:
            out.append(Finding(
                code=DAILY_REST,
                message=(f"Arbetsdagen {WEEKDAYS_SV[day.weekday()]} {day.isoformat()} spänner över {hours_sv(real)} h "
                         f"i verklig tid (klockan ställs om); högst {plain_sv(cap / 60)} h"),
                severity=Severity.error,
            ))
    return out


def _longest_rest(spans: list[tuple[int, int]], lo: int, hi: int) -> int:
    longest, cursor = 0, lo
    for a, b in sorted((max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo):
        longest = max(longest, a - cursor)
        cursor = max(cursor, b)
    return max(longest, hi - cursor)


def _weekly_rest_dst(passes: list[DatedPass], limits: Limits) -> list[Finding]:
    """Calendar weeks with a clock change: the longest rest inside the week in real time (167 or 169 h)."""
    out = []
    weeks = sorted({p.day - timedelta(days=p.day.weekday()) for p in passes if p.real_minutes != p.clock_minutes})
    for monday in weeks:
        nxt = monday + timedelta(days=7)
        lo, hi = _at(monday, 0), _at(nxt, 0)
        real = _longest_rest([(p.start, p.end) for p in passes], _real(lo), _real(hi))
        clock = _longest_rest([(p.clock_start, p.clock_end) for p in passes], _clock(lo), _clock(hi))
        if real < limits.weekly_rest_minutes <= clock:
            out.append(Finding(
                code=WEEKLY_REST,
                message=(f"Veckovilan veckan som börjar {monday.isoformat()} är som längst {hours_sv(real)} h i följd "
                         f"i verklig tid (klockan ställs om); minst {plain_sv(limits.weekly_rest_minutes / 60)} h krävs"),
                severity=Severity.error,
            ))
    return out


def red_day_finding(passes: list[DatedPass], mode: str) -> Finding | None:
    """The passes on red days, as one note (or one deviation, when the setting says so)."""
    hits = []
    for p in passes:
        name = swedish_holidays(p.day.year).get(p.day)
        if name:
            hits.append(f"{p.label()} ({name.lower()})")
    if not hits:
        return None
    shown = hits if len(hits) <= 6 else [*hits[:6], f"och {len(hits) - 6} till"]
    return Finding(
        code=RED_DAY,
        message=f"Pass på röda dagar: {', '.join(shown)}",
        severity=Severity.error if mode == "deviation" else Severity.info,
    )


def dated_findings(
    schedule: Schedule, limits: Limits, *, horizon_days: int = 366, red_days: str = "note"
) -> tuple[list[Finding], list[Finding]]:
    """(deviations, notes) from the schedule laid out on its dates."""
    first, last = checked_span(schedule, horizon_days)
    passes = dated_passes(schedule, first, last)
    findings, notes = dst_findings(passes, limits)
    red = red_day_finding(passes, red_days)
    if red is not None:
        (findings if red_days == "deviation" else notes).append(red)
    return findings, notes
