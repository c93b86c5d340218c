"""From what the staffing system's pages show (Swedish text) to the planner's input.

Kept apart from the page objects so the translation can be tested without a browser, and so a
municipality whose system words things differently changes one table here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from robots.bosse.model import TZ, Competence, Period, Shift, Substitute
from robots.bosse.pages.shifts import ShiftRow
from robots.bosse.pages.substitutes import SubstituteDetail

COMPETENCE_LABELS = {
    "Biträde": Competence.bitrade,
    "Vårdbiträde": Competence.vardbitrade,
    "Undersköterska": Competence.underskoterska,
    "Specialistundersköterska": Competence.specialistunderskoterska,
}
SKILL_LABELS = {
    "Läkemedelsdelegering": "delegering_lakemedel",
    "Insulindelegering": "delegering_insulin",
    "Körkort B": "korkort_b",
    "Demensutbildning": "demens",
    "Förflyttningsutbildning": "forflyttning",
}
UNIT_CODE = re.compile(r"\(([A-Z0-9_]+)\)\s*$")
TIME_SPAN = re.compile(r"^(\d{2}:\d{2})\s*[–-]\s*(\d{2}:\d{2})$")


class UnreadableValue(ValueError):
    """A value on a page is not in the expected form (the page may have changed)."""


def local_span(day: str, start: str, end: str) -> tuple[datetime, datetime]:
    d = date.fromisoformat(day)
    a = datetime.combine(d, datetime.strptime(start, "%H:%M").time(), tzinfo=TZ)
    b = datetime.combine(d, datetime.strptime(end, "%H:%M").time(), tzinfo=TZ)
    if b <= a:
        b = datetime.combine(d + timedelta(days=1), b.time(), tzinfo=TZ)
    return a, b


def time_span(text: str) -> tuple[str, str]:
    m = TIME_SPAN.match(text.strip())
    if not m:
        raise UnreadableValue(f"time span {text!r}")
    return m.group(1), m.group(2)


def unit_code(text: str) -> str:
    m = UNIT_CODE.search(text)
    return m.group(1) if m else text.strip()


def competence(text: str) -> Competence:
    try:
        return COMPETENCE_LABELS[text.strip()]
    except KeyError:
        raise UnreadableValue(f"competence {text!r}") from None


def skills(text: str) -> frozenset[str]:
    """'Läkemedelsdelegering, Körkort B' → codes; an unknown label stays a code of its own."""
    if text.strip() in ("", "–", "-"):
        return frozenset()
    return frozenset(SKILL_LABELS.get(s.strip(), s.strip()) for s in text.split(",") if s.strip())


def number(text: str) -> float:
    try:
        return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        raise UnreadableValue(f"number {text!r}") from None


def shift_from_row(row: ShiftRow) -> Shift:
    start, end = time_span(row.time)
    a, b = local_span(row.date, start, end)
    return Shift(id=row.id, unit=unit_code(row.unit), start=a, end=b, competence=competence(row.competence), skills=skills(row.skills))


@dataclass(frozen=True)
class PoolMember:
    """A substitute as the rules see them, plus the name for staff-facing text (never logged)."""

    substitute: Substitute
    name: str
    future_booked_dates: tuple[date, ...]


def substitute_from_detail(d: SubstituteDetail, today: date, *, skip_shift: str | None = None) -> PoolMember:
    """`skip_shift`: leave that shift out of the bookings (it is the one being checked)."""
    availability = tuple(Period(start=a, end=b) for a, b in (local_span(r["Datum"], r["Från"], r["Till"]) for r in d.availability))
    booked: list[Period] = []
    month_minutes: dict[str, int] = {}
    this_month = today.strftime("%Y-%m")
    month_minutes[this_month] = round(number(d.hours_this_month) * 60)
    future: list[date] = []
    for r in d.booked:
        if skip_shift and r.get("Pass") == skip_shift:
            continue
        a, b = local_span(r["Datum"], *time_span(r["Tid"]))
        p = Period(start=a, end=b)
        booked.append(p)
        month = a.strftime("%Y-%m")
        is_booking = r["Typ"] == "Bokning"
        # "Timmar denna månad" already holds this month's bookings; requests and later months are added here.
        if month != this_month or not is_booking:
            month_minutes[month] = month_minutes.get(month, 0) + p.length_min
        if is_booking and a.date() >= today:
            future.append(a.date())
    sub = Substitute(
        id=d.id,
        competence=competence(d.competence),
        usk_bevis=d.usk.startswith("Bevis"),
        usk_overgang=d.usk.startswith("Övergångsrätt"),
        skills=skills(d.skills),
        units=frozenset(unit_code(u) for u in d.units),
        availability=availability,
        booked=tuple(booked),
        month_minutes=month_minutes,
        hourly=d.employment.strip() == "Timanställd",
        las_days=int(number(d.las_days)),
        las_days_3y=int(number(d.las_days_3y)),
        foretradesratt=d.foretradesratt.strip() == "Ja",
    )
    return PoolMember(substitute=sub, name=d.name, future_booked_dates=tuple(sorted(future)))
