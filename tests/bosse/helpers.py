"""Small builders for hand-worked Bosse cases: times are local Stockholm wall-clock strings."""

from __future__ import annotations

from datetime import datetime, timedelta

from robots.bosse.model import TZ, Competence, Period, Shift, Substitute


def at(text: str) -> datetime:
    """'2026-03-30 07:00' → aware Stockholm datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def period(start: str, end: str) -> Period:
    """`end` may be a bare 'HH:MM'; at or before the start it means the next day (a night shift)."""
    a = at(start)
    if len(end) == 5:
        b = at(start[:10] + " " + end)
        if b <= a:
            b += timedelta(days=1)
    else:
        b = at(end)
    return Period(start=a, end=b)


def shift(id: str, start: str, end: str, unit: str = "SOL", comp: str = "bitrade", skills: tuple[str, ...] = ()) -> Shift:
    p = period(start, end)
    return Shift(id=id, unit=unit, start=p.start, end=p.end, competence=Competence(comp), skills=frozenset(skills))


def always(first: str = "2026-03-23 00:00", last: str = "2026-05-04 00:00") -> tuple[Period, ...]:
    """Available around the clock for the whole test window."""
    return (Period(start=at(first), end=at(last)),)


def sub(id: str, **kw) -> Substitute:
    kw.setdefault("units", frozenset({"SOL"}))
    kw.setdefault("availability", always())
    kw.setdefault("competence", Competence.underskoterska)
    kw.setdefault("usk_bevis", True)
    for key in ("units", "skills"):
        if key in kw:
            kw[key] = frozenset(kw[key])
    return Substitute(id=id, **kw)
