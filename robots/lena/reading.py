"""What the screens show, as Lena's model: times, windows, coordinates, staff lists and labels parsed the
way the planning system writes them. Each parser names the bad text's field in its error (never the
value: it may be personal data)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from robots.lena.model import DELEGATIONS, INSATS, Booked, Grant, Place, Recipient, Shift, Staff, Visit
from robots.lena.pages.recipient import RecipientView
from robots.lena.pages.staff import StaffView

NONE = "–"
WEEKDAYS_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


class ReadError(ValueError):
    """A value on a screen is not what the system normally shows (the field is named, not the value)."""


def minutes(text: str, what: str) -> int:
    m = _HHMM.match(text.strip())
    if not m:
        raise ReadError(f"{what}: not a time HH:MM")
    return int(m.group(1)) * 60 + int(m.group(2))


def hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def span(text: str, what: str) -> tuple[int, int]:
    """'07:00–09:00' (en dash) → (420, 540)."""
    parts = text.replace("-", "–").split("–")
    if len(parts) != 2:
        raise ReadError(f"{what}: not a time span HH:MM–HH:MM")
    return minutes(parts[0], what), minutes(parts[1], what)


def day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReadError(f"{what}: not a date YYYY-MM-DD") from None


def listed(text: str) -> tuple[str, ...]:
    """'P1, P2' → ('P1', 'P2'); '–' or empty → ()."""
    text = text.strip()
    return () if text in ("", NONE) else tuple(x.strip() for x in text.split(",") if x.strip())


def place(text: str, what: str) -> Place:
    try:
        lat, lon = (float(x) for x in text.split(","))
    except ValueError:
        raise ReadError(f"{what}: not coordinates 'lat, lon'") from None
    return Place(lat, lon)


def born(personnummer: str) -> date | None:
    """The birth date in a 12-digit personnummer or samordningsnummer (day + 60); None if it has none.
    Used only to tell whether a recipient is 65 or older; the number itself is kept nowhere."""
    digits = re.sub(r"\D", "", personnummer)
    if len(digits) != 12:
        return None
    y, m, d = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    try:
        return date(y, m, d - 60 if d > 60 else d)
    except ValueError:
        return None


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# -- staff ---------------------------------------------------------------------------------------------


def staff_from(view: StaffView, group: str) -> Staff:
    """The staff member with the passes of days they work (days with an absence left out)."""
    grants = []
    for i, d in enumerate(view.delegations):
        kind = DELEGATIONS.get(d["Delegering"])
        if kind is None:
            raise ReadError(f"personal {view.id}: delegering rad {i + 1}: unknown kind")
        grants.append(Grant(kind, day(d["Från"], "delegering Från"), day(d["Till"], "delegering Till")))
    shifts = {}
    for p in view.passes:
        if p["Frånvaro"].strip() not in ("", NONE):
            continue
        when = day(p["Datum"], "schema Datum")
        start, end = span(p["Arbetstid"], "schema Arbetstid")
        brk = int(p["Rast (min)"] or 0)
        lo = hi = None
        if brk:
            lo, hi = span(p["Rast tas"], "schema Rast tas")
        shifts[when] = Shift(when, start, end, brk, lo, hi)
    return Staff(view.id, group, frozenset(listed(view.languages)) or frozenset({"svenska"}), tuple(grants), shifts)


# -- recipients ------------------------------------------------------------------------------------------


def recipient_from(view: RecipientView) -> Recipient:
    f = view.facts
    away: set[date] = set()
    for a in view.absences:
        away.update(days_between(day(a["Från"], "frånvaro Från"), day(a["Till"], "frånvaro Till")))
    contact = f["Fast omsorgskontakt"].strip()
    return Recipient(view.id, f["Grupp"].strip(), place(f["Koordinater"], f"brukare {view.id}: Koordinater"),
                     born(f["Personnummer"]), frozenset(listed(f["Språkönskemål"])),
                     None if contact in ("", NONE) else contact, frozenset(away))


def insats_of(view: RecipientView) -> dict[str, str]:
    """Decision id → insats code."""
    out = {}
    for d in view.decisions:
        code = INSATS.get(d["Insats"])
        if code is None:
            raise ReadError(f"brukare {view.id}: beslut {d['Beslut']}: unknown insats")
        out[d["Beslut"]] = code
    return out


def weekdays_of(view: RecipientView) -> dict[str, tuple[int, ...]]:
    """Decision id → the weekdays (0 = Monday) a weekly decision allows, from 'Omfattning'
    ('2 ggr/vecka (mån, tor)'; no list: every day)."""
    out = {}
    for d in view.decisions:
        text = d["Omfattning"]
        if "/vecka" not in text:
            continue
        inside = text[text.find("(") + 1:text.rfind(")")] if "(" in text else ""
        names = [x.strip() for x in inside.split(",") if x.strip()]
        out[d["Beslut"]] = tuple(WEEKDAYS_SV.index(n) for n in names if n in WEEKDAYS_SV) or tuple(range(7))
    return out


def visits_from(view: RecipientView) -> list[Visit]:
    """The besöksbehov of the period as the planner's visits."""
    out = []
    for n in view.needs:
        vid = n["Besök"]
        what = f"brukare {view.id}: besök {vid}"
        lo, hi = span(n["Tidsfönster"], f"{what}: Tidsfönster")
        mins = int(n["Minuter"])
        insats = INSATS.get(n["Insats"])
        if insats is None:
            raise ReadError(f"{what}: unknown insats")
        delegation = None if n["Delegering"].strip() in ("", NONE) else DELEGATIONS.get(n["Delegering"].strip())
        if n["Delegering"].strip() not in ("", NONE) and delegation is None:
            raise ReadError(f"{what}: unknown delegation")
        dates = tuple(day(x, f"{what}: Dagar") for x in listed(n["Dagar"]))
        staff = 2 if n["Personal"].strip().startswith("2") else 1
        out.append(Visit(vid, view.id, vid.split("-")[0], n["Aktivitet"], insats, dates, lo, hi - mins, mins, staff,
                         delegation))
    return out


def booked_from(rows: list[dict[str, str]], recipient: str, insats: dict[str, str]) -> list[Booked]:
    """Planned or carried-out visits (the plan, the history, a proposal) as bookings."""
    out = []
    for r in rows:
        vid = r["Besök"]
        start, _ = span(r["Tid"], f"brukare {recipient}: besök {vid}: Tid")
        out.append(Booked(vid, recipient, day(r["Datum"], "Datum"), start, int(r["Minuter"]), listed(r["Personal"]),
                          insats.get(vid.split("-")[0], "omvardnad")))
    return out


def period_of(text: str) -> tuple[date, date]:
    """'2026-11-24 – 2026-11-30' → the two dates."""
    parts = [p.strip() for p in text.split(" – ")]
    if len(parts) != 2:
        raise ReadError("Period: not 'YYYY-MM-DD – YYYY-MM-DD'")
    return day(parts[0], "Period"), day(parts[1], "Period")
