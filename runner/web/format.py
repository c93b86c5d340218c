"""Swedish formatting for the pages: dates, durations, numbers, status names."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from runner.api import COUNT_LABELS_SV
from runner.swedish import NBSP, count, number  # noqa: F401  (the pages' filters take them from here)


STATUS_LABELS: dict[str, str] = COUNT_LABELS_SV

RUN_STATUS_LABELS = {
    "running": "Pågår",
    "completed": "Klar",
    "interrupted": "Avbruten",
    "failed": "Misslyckades",
    "missed": "Missad",
}

TRIGGER_LABELS = {"manual": "Manuell", "schedule": "Schemalagd", "resume": "Återupptagen"}

SEVERITY_LABELS = {"info": "Info", "warning": "Observera", "error": "Stopp"}

AUDIT_ACTION_LABELS = {
    "view_case": "Öppnade ärende",
    "view_run": "Visade körningens ärenden",
    "view_overview": "Visade ärenden som behöver en handläggare",
    "view_audit_log": "Läste granskningsloggen",
    "mark_handled": "Markerade som hanterat",
    "view_artifact": "Öppnade skärmbild eller spårning",
    "export_report": "Exporterade rapport",
    "login": "Loggade in",
    "login_failed": "Misslyckad inloggning",
    "login_locked": "Inloggning spärrad tillfälligt",
    "logout": "Loggade ut",
    "forbidden": "Nekades åtkomst",
    "control_run_now": "Startade en körning (Drift)",
    "control_pause": "Pausade en robot (Drift)",
    "control_resume": "Återupptog en robot (Drift)",
    "control_stop": "Stoppade en körning (Drift)",
    "control_retry": "Köade om misslyckade ärenden (Drift)",
    "control_refused": "Nekades en åtgärd i Drift",
    "gallring": "Gallrade personuppgifter",
}


def local_time(value: datetime | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> Markup | str:
    """A local date and time as `<time>`, which the style sheet keeps on one line ("2026-12-04 01:30"
    never breaks after a hyphen in a narrow column); plain text stays searchable and copyable."""
    if value is None:
        return "–"
    local = value.astimezone(tz)
    return Markup('<time datetime="{}">{}</time>').format(local.isoformat(timespec="seconds"), local.strftime(fmt))


def duration(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "–"
    return format_seconds((end - start).total_seconds())


def format_seconds(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}{NBSP}h {m}{NBSP}min"
    if m:
        return f"{m}{NBSP}min {s}{NBSP}s"
    return f"{s}{NBSP}s"


def seconds_sv(seconds: float) -> str:
    """A wait in whole seconds, rounded up: "1 sekund", "2 sekunder"."""
    n = max(math.ceil(seconds), 1)
    return f"{n} {'sekund' if n == 1 else 'sekunder'}"


def minutes_as_hours(minutes: float) -> str:
    """Staff time saved: "3 h 20 min", "45 min"."""
    total = int(round(minutes))
    h, m = divmod(total, 60)
    if h and m:
        return f"{number(h)}{NBSP}h {m}{NBSP}min"
    if h:
        return f"{number(h)}{NBSP}h"
    return f"{m}{NBSP}min"


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "–")


def run_status_label(status: str | None) -> str:
    return RUN_STATUS_LABELS.get(status or "", status or "–")


_WEEKDAYS = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]


def cron_in_words(cron: str | None) -> str:
    """A nightly cron string in Swedish words: "30 1 * * *" -> "varje dag kl. 01:30".

    Covers what robots are scheduled with (fixed minute and hour; every day, weekdays, a day range or a
    list of days). Anything else is shown as it is, marked as a cron expression.
    """
    if not cron:
        return "inget schema"
    parts = cron.split()
    if len(parts) != 5:
        return f"cron: {cron}"
    minute, hour, dom, month, dow = parts
    if not (minute.isdigit() and hour.isdigit() and dom == "*" and month == "*"):
        return f"cron: {cron}"
    at = f"kl.{NBSP}{int(hour):02d}:{int(minute):02d}"
    days = _days_in_words(dow)
    return f"{days} {at}" if days else f"cron: {cron}"


def _days_in_words(dow: str) -> str | None:
    if dow == "*":
        return "varje dag"
    if dow in ("1-5", "mon-fri"):
        return "måndag–fredag"
    names = []
    for part in dow.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            if not (first.isdigit() and last.isdigit() and int(first) <= int(last) <= 7):
                return None
            names.append(f"{_WEEKDAYS[int(first)]}–{_WEEKDAYS[int(last)]}")
        elif part.isdigit() and int(part) <= 7:
            names.append(_WEEKDAYS[int(part)] + "ar")
        else:
            return None
    return "på " + (", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0])


def schedule_in_words(cron: str | None, calendar: str = "every_day", closed_dates: int = 0) -> str:
    """A robot's schedule and calendar together: "varje arbetsdag kl. 01:30", "måndag–fredag kl. 02:00,
    bara arbetsdagar", with ", utom 2 stängda dagar" for its extra closed dates."""
    words = cron_in_words(cron)
    if calendar == "working_days":
        for days in ("varje dag ", "måndag–fredag "):
            if words.startswith(days):
                words = "varje arbetsdag " + words.removeprefix(days)
                break
        else:
            words += ", bara arbetsdagar"
    if closed_dates:
        words += f", utom {count(closed_dates, 'stängd dag', 'stängda dagar')}"
    return words
