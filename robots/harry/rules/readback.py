"""Field-by-field comparison of what HaRry sent with what the payroll system stored.

A difference means the registration cannot be trusted as it stands; the payroll staff get each field
that differs, in Swedish, with both values ("Rast måndag: skickat 42 min, sparat 40 min").
"""

from __future__ import annotations

from robots.harry.model import WEEKDAYS_SV, Schedule, Shift, hhmm


def _when(shift: Shift, cycle_weeks: int) -> str:
    day = WEEKDAYS_SV[shift.weekday - 1]
    return day if cycle_weeks == 1 else f"vecka {shift.week} {day}"


def _end(s: Schedule) -> str:
    return s.period.end.isoformat() if s.period.end else "tills vidare"


def differences(sent: Schedule, stored: Schedule) -> list[str]:
    """Every field that differs, in the order the payroll page shows them; empty when all agree."""
    out: list[str] = []

    def field(label: str, a: object, b: object) -> None:
        if a != b:
            out.append(f"{label}: skickat {a}, sparat {b}")

    field("Anställningsnr", sent.employee, stored.employee)
    field("Giltig från", sent.period.start.isoformat(), stored.period.start.isoformat())
    field("Giltig till", _end(sent), _end(stored))
    field("Version", sent.version, stored.version)
    field("Cykel (veckor)", sent.cycle_weeks, stored.cycle_weeks)

    field("Schematyp", sent.kind, stored.kind)

    n = max(sent.cycle_weeks, stored.cycle_weeks)
    mine, theirs = _by_day(sent), _by_day(stored)
    for key in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(key), theirs.get(key)
        when = _when(a or b, n) + (" andra passet" if key[2] == 2 else "")  # type: ignore[arg-type]
        if b is None:
            out.append(f"Pass {when}: skickat {hhmm(a.start)}–{hhmm(a.end)}, saknas i personalsystemet")  # type: ignore[union-attr]
        elif a is None:
            out.append(f"Pass {when}: inget skickat, sparat {hhmm(b.start)}–{hhmm(b.end)}")
        else:
            field(f"Start {when}", hhmm(a.start), hhmm(b.start))
            field(f"Slut {when}", hhmm(a.end), hhmm(b.end))
            field(f"Rast {when}", f"{a.break_minutes} min", f"{b.break_minutes} min")
            field(f"Rastens start {when}", _at(a), _at(b))
    return out


def _by_day(s: Schedule) -> dict[tuple[int, int, int], Shift]:
    """The passes by (week, weekday, 1 or 2): a delad tur's two passes are compared one by one."""
    out: dict[tuple[int, int, int], Shift] = {}
    for shift in s.shifts:  # in order within the day (Schedule sorts them)
        n = 2 if (shift.week, shift.weekday, 1) in out else 1
        out[(shift.week, shift.weekday, n)] = shift
    return out


def _at(s: Shift) -> str:
    return hhmm(s.break_start) if s.break_start else "ej angiven"
