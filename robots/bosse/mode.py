"""Book directly, or send a request the substitute answers JA/NEJ?

TCP municipalities do not book directly on weekends and public holidays (Luleå), and send requests for
same-day and short shifts (Kristinehamn) — domain brief §4.2. Which of these apply is a setting.
The de-facto holidays (midsommarafton, julafton, nyårsafton) count as red days here, as they do in
Semesterlagen 7 §.
"""

from __future__ import annotations

from datetime import date, datetime

from runner.scheduler.calendars import swedish_holidays

from robots.bosse.model import TZ

BOOK = "bokning"
REQUEST = "forfragan"


def red_day_name(d: date) -> str | None:
    """The Swedish name of a public (or de-facto) holiday, else None. Sundays are weekends here."""
    return swedish_holidays(d.year).get(d)


def booking_mode(
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    weekends: bool = True,
    public_holidays: bool = True,
    same_day: bool = True,
    shorter_than_hours: float = 0,
) -> tuple[str, str]:
    """(BOOK or REQUEST, why in Swedish). The flags say which cases get a request instead of a booking."""
    d = start.astimezone(TZ).date()
    if public_holidays:
        name = red_day_name(d)
        if name:
            return REQUEST, f"helgdag ({name})"
    if weekends and d.weekday() >= 5:
        return REQUEST, "helg"
    if same_day and d == now.astimezone(TZ).date():
        return REQUEST, "pass samma dag"
    if shorter_than_hours and (end.timestamp() - start.timestamp()) < shorter_than_hours * 3600:
        return REQUEST, f"pass kortare än {shorter_than_hours:g} timmar"
    return BOOK, "vardag"
