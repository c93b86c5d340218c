"""From what the staffing system's pages show (Swedish text) to the planner's input.

Kept apart from the page objects so the translation can be tested without a browser, and so a
municipality whose system words things differently changes one table here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from robots.bosse import las
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
FORM_LABELS = {
    "Särskild visstidsanställning (SÄVA)": "sava",
    "SÄVA": "sava",
    "Vikariat": "vikariat",
    "Säsongsanställning": "sasong",
    "Tillsvidareanställning": "tillsvidare",
}
RAST = re.compile(r"^(\d+)\s*min(?:\s+från\s+(\d{2}:\d{2}))?$")
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


def optional_date(text: str) -> date | None:
    """'2026-01-15' → a date; '–' or empty → None."""
    if text.strip() in ("", "–", "-"):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UnreadableValue(f"date {text!r}") from None


def rast(text: str, start: datetime) -> tuple[int, datetime | None]:
    """'Ingen rast' → (0, None); '30 min' → (30, None); '30 min från 11:30' → (30, that time in the shift)."""
    if text.strip() in ("", "Ingen rast", "–"):
        return 0, None
    m = RAST.match(text.strip())
    if not m:
        raise UnreadableValue(f"rast {text!r}")
    if not m.group(2):
        return int(m.group(1)), None
    at = datetime.combine(start.date(), datetime.strptime(m.group(2), "%H:%M").time(), tzinfo=TZ)
    return int(m.group(1)), at if at > start else at + timedelta(days=1)  # a night shift's rast after midnight


def engagements(rows: list[dict[str, str]]) -> tuple[las.Engagement, ...]:
    """The employment history table (Från, Till, Anställningsform) as engagements, oldest first."""
    out = []
    for r in rows:
        form = FORM_LABELS.get(r["Anställningsform"].strip())
        if form is None:
            raise UnreadableValue(f"employment form {r['Anställningsform']!r}")
        start, end = optional_date(r["Från"]), optional_date(r["Till"])
        if start is None or end is None:
            raise UnreadableValue("an employment without dates")
        out.append(las.Engagement(start, end, form))
    return tuple(sorted(out))


def las_figures(
    history: tuple[las.Engagement, ...], today: date, claimed: date | None, declined: date | None
) -> tuple[int, int, bool, int, str]:
    """(SÄVA days toward conversion, SÄVA days in three years, holds företrädesrätt, all days employed, why)."""
    right = las.foretradesratt(history, today, claimed=claimed, declined=declined)
    three_years = las.counted_days(history, {"sava"}, las.years_back(today, 3), today)
    return las.conversion_count(history, today).days, three_years, right.holds, right.total_days, right.reason


def shift_from_row(row: ShiftRow) -> Shift:
    start, end = time_span(row.time)
    a, b = local_span(row.date, start, end)
    minutes, at = rast(row.rast, a)
    return Shift(id=row.id, unit=unit_code(row.unit), start=a, end=b, competence=competence(row.competence), skills=skills(row.skills),
                 break_minutes=minutes, break_start=at)


@dataclass(frozen=True)
class PoolMember:
    """A substitute as the rules see them, plus the name for staff-facing text (never logged)."""

    substitute: Substitute
    name: str
    future_booked_dates: tuple[date, ...]
    #: Every day employed by the employer (from the history): the order between holders of företrädesrätt.
    employment_days: int = 0
    #: Why the person holds företrädesrätt or not, for staff (from the history; "" without one).
    foretradesratt_text: str = ""


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
    history = engagements(d.history)
    born = optional_date(d.born)
    if history:  # counted from the employments (robots.bosse.las), not taken from typed-in numbers
        las_days, las_days_3y, holds, total, why = las_figures(history, today, optional_date(d.claimed), optional_date(d.declined))
    else:  # a record without history: the staffing system's own figures
        las_days, las_days_3y = int(number(d.las_days)), int(number(d.las_days_3y))
        holds, total, why = d.foretradesratt.strip() == "Ja", 0, ""
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
        las_days=las_days,
        las_days_3y=las_days_3y,
        foretradesratt=holds,
        born=born,
        history=history,
    )
    return PoolMember(substitute=sub, name=d.name, future_booked_dates=tuple(sorted(future)), employment_days=total,
                      foretradesratt_text=why)


def ranked(pool: dict[str, PoolMember]) -> dict[str, PoolMember]:
    """The pool with each holder of företrädesrätt's place in the order of LAS 26 § (longest employment,
    then the older) set on the substitute: the planner gives shifts to holders in that order."""
    order = las.holder_order({i: (m.employment_days, m.substitute.born) for i, m in pool.items() if m.substitute.foretradesratt})
    if len(order) < 2:
        return pool
    return {i: (replace(m, substitute=m.substitute.model_copy(update={"foretradesratt_rank": order[i]})) if i in order else m)
            for i, m in pool.items()}
