"""Swedish formatting for the pages: dates, durations, numbers, status names."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from runner.api import STATUS_LABELS_SV, Status

NBSP = "\u00a0"

STATUS_LABELS: dict[str, str] = {s.value: label for s, label in STATUS_LABELS_SV.items()}
STATUS_LABELS["not_reached"] = "Inte behandlat"

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
    "mark_handled": "Markerade som hanterat",
    "view_artifact": "Öppnade skärmbild eller spårning",
    "export_report": "Exporterade rapport",
    "login": "Loggade in",
    "login_failed": "Misslyckad inloggning",
    "login_locked": "Inloggning spärrad tillfälligt",
    "logout": "Loggade ut",
    "forbidden": "Nekades åtkomst",
}


def local_time(value: datetime | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "–"
    return value.astimezone(tz).strftime(fmt)


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


def minutes_as_hours(minutes: float) -> str:
    """Staff time saved: "3 h 20 min", "45 min"."""
    total = int(round(minutes))
    h, m = divmod(total, 60)
    if h and m:
        return f"{number(h)}{NBSP}h {m}{NBSP}min"
    if h:
        return f"{number(h)}{NBSP}h"
    return f"{m}{NBSP}min"


def number(value: Any) -> str:
    """1234567 → "1 234 567" (Swedish thousands separator, a no-break space)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{n:,}".replace(",", NBSP)


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "–")


def run_status_label(status: str | None) -> str:
    return RUN_STATUS_LABELS.get(status or "", status or "–")


def is_status(value: str) -> bool:
    return value in {s.value for s in Status} or value == "not_reached"
