"""Reading the scheduling system's CSV export of approved schedules into schedules.

The export is what a person gets from "Exportera godkända scheman": semicolon-separated, UTF-8 (with
or without BOM), one row per pass, the schedule's own fields repeated on each row. Columns are found
by their header, not their position, so a reordered export still reads; a missing column means the
export has changed and the night's run must stop (`ExportChanged`), not guess.

A schedule whose rows cannot be read becomes a `Broken` entry with the reason, so it reaches a person
as a deviation instead of vanishing from the night's work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from robots.harry.model import Period, Schedule, Shift, parse_hhmm

COLUMNS = {
    "schedule_id": "Schema-ID",
    "employee": "Anställningsnr",
    "unit": "Enhet",
    "start": "Giltig från",
    "end": "Giltig till",
    "version": "Version",
    "cycle_weeks": "Cykel (veckor)",
    "week": "Vecka",
    "weekday": "Veckodag",
    "shift_start": "Start",
    "shift_end": "Slut",
    "break": "Rast (min)",
    "status": "Status",
}
#: Columns an older export may lack: without them the rast has no place and the schedule is a grundschema.
OPTIONAL_COLUMNS = {
    "break_start": "Rast start",
    "kind": "Schematyp",
}
KINDS = {"grundschema": "grundschema", "placeringsschema": "placeringsschema"}
WEEKDAY_NAMES = {"måndag": 1, "tisdag": 2, "onsdag": 3, "torsdag": 4, "fredag": 5, "lördag": 6, "söndag": 7}
APPROVED = "godkänd"


class ExportChanged(Exception):
    """The export no longer has the columns HaRry reads."""


@dataclass(frozen=True)
class Broken:
    """A schedule in the export that could not be read; its key is still stable when possible."""

    key: str
    schedule_id: str
    reason: str


def _weekday(text: str) -> int:
    t = text.strip().lower()
    if t.isdigit() and 1 <= int(t) <= 7:
        return int(t)
    if t in WEEKDAY_NAMES:
        return WEEKDAY_NAMES[t]
    raise ValueError(f"okänd veckodag {text.strip()!r}")


def _date(text: str) -> date | None:
    t = text.strip()
    return date.fromisoformat(t) if t else None


def parse_export(content: bytes | str) -> Iterator[Schedule | Broken]:
    """Every approved schedule in the export, in the order it first appears."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [label for label in COLUMNS.values() if label not in header]
    if missing:
        raise ExportChanged("missing columns: " + ", ".join(missing))
    reader.fieldnames = header

    groups: dict[str, list[dict[str, str]]] = {}
    for row in reader:
        values = {field: (row.get(label) or "").strip() for field, label in {**COLUMNS, **OPTIONAL_COLUMNS}.items()}
        if values["status"].lower() != APPROVED:
            continue
        group = f"{values['schedule_id']}|{values['version']}"
        groups.setdefault(group, []).append(values)

    for rows in groups.values():
        yield _schedule(rows)


def _schedule(rows: list[dict[str, str]]) -> Schedule | Broken:
    first = rows[0]
    key = f"{first['employee']}:{first['start']}:{first['version']}"
    try:
        same = ("employee", "start", "end", "cycle_weeks", "kind")
        if any(tuple(r[k] for k in same) != tuple(first[k] for k in same) for r in rows):
            raise ValueError("raderna för samma schema har olika anställningsnummer, period, cykel eller schematyp")
        kind = KINDS.get(first["kind"].lower() or "grundschema")
        if kind is None:
            raise ValueError(f"okänd schematyp {first['kind']!r}")
        shifts = tuple(
            Shift(
                week=int(r["week"]),
                weekday=_weekday(r["weekday"]),
                start=parse_hhmm(r["shift_start"]),
                end=parse_hhmm(r["shift_end"]),
                break_minutes=int(r["break"] or 0),
                break_start=parse_hhmm(r["break_start"]) if r["break_start"] else None,
            )
            for r in rows
            if r["shift_start"] or r["shift_end"]
        )
        start = _date(first["start"])
        if start is None:
            raise ValueError("giltig från saknas")
        return Schedule(
            employee=first["employee"],
            period=Period(start=start, end=_date(first["end"])),
            version=int(first["version"]),
            cycle_weeks=int(first["cycle_weeks"]),
            shifts=shifts,
            schedule_id=first["schedule_id"],
            unit=first["unit"],
            kind=kind,
        )
    except (ValueError, ValidationError) as exc:
        return Broken(key=key, schedule_id=first["schedule_id"], reason=_reason(exc))


def _reason(exc: Exception) -> str:
    """A short Swedish reason without echoing whole rows (they could hold more than the fields we read)."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"ogiltigt värde i exporten ({where}: {err.get('msg', '')})"
    return f"ogiltigt värde i exporten ({exc})"
