"""Bosse's morning report: booked, requested and unfilled shifts, and the LAS list for HR."""

from __future__ import annotations

from collections.abc import Iterable

from runner.api import Cell, Report, RunReport, Section, Status

from robots.bosse import las
from robots.bosse.mode import BOOK, REQUEST
from robots.bosse.reading import PoolMember

SHIFT_COLUMNS = ["Pass", "Tid", "Sammanfattning"]
LAS_COLUMNS = [
    "Vikarie",
    "Namn",
    "LAS-dagar",
    "LAS-dagar med bokade",
    "LAS-dagar 3 år",
    "LAS-dagar 3 år med bokade",
    "Företrädesrätt",
    "Noteringar",
]
LAS_UNREAD = "LAS-listan kunde inte hämtas från Bemanning i natt."


def shift_sections(run: RunReport) -> tuple[str, list[Section]]:
    """The summary line and one section per kind of result (an empty one says 'Inga.')."""
    booked: list[list[Cell]] = []
    requested: list[list[Cell]] = []
    unfilled: list[list[Cell]] = []
    other: list[list[Cell]] = []
    for item, outcome in run.outcomes():
        row: list[Cell] = [item.key, item.title, outcome.summary]
        action = outcome.data.get("action")
        if outcome.status == Status.prepared and action == BOOK:
            booked.append(row)
        elif outcome.status == Status.prepared and action == REQUEST:
            requested.append(row)
        elif outcome.status == Status.needs_attention:
            unfilled.append(row)
        else:
            other.append([*row, outcome.status.label_sv])
    summary = (
        f"{len(booked)} bokade, {len(requested)} förfrågningar, {len(unfilled)} ej tillsatta"
        + (f", {len(other)} övriga" if other else "")
        + (" (torrkörning: inget skrevs)" if run.dry_run else "")
    )
    sections = [
        Section(heading="Ej tillsatta", columns=SHIFT_COLUMNS, rows=unfilled),
        Section(heading="Bokade pass", columns=SHIFT_COLUMNS, rows=booked),
        Section(heading="Förfrågningar", columns=SHIFT_COLUMNS, rows=requested),
    ]
    if other:
        sections.append(Section(heading="Övriga", columns=[*SHIFT_COLUMNS, "Status"], rows=other))
    return summary, sections


def las_section(pool: Iterable[PoolMember] | None, warning_days: int, margin_days: int) -> Section:
    """Substitutes near or past the conversion and företrädesrätt thresholds, most days first;
    `pool` None: the list could not be read tonight (the rest of the report stands)."""
    heading = "LAS-lista"
    if pool is None:
        return Section(heading=heading, text=LAS_UNREAD)
    listed: list[tuple[las.LasRow, list[str]]] = []
    for m in pool:
        sub = m.substitute
        added = las.added_days(m.future_booked_dates, sub.history)  # a month that reaches three counts whole
        row = las.LasRow(
            substitute_id=sub.id,
            name=m.name,
            las_days=sub.las_days,
            projected=sub.las_days + added,
            las_days_3y=sub.las_days_3y,
            projected_3y=sub.las_days_3y + added,
            foretradesratt=sub.foretradesratt,
        )
        notes = las.las_notes(row, warning_days, margin_days)
        if notes:
            listed.append((row, notes))
    listed.sort(key=lambda rn: (-rn[0].projected, rn[0].substitute_id))
    rows: list[list[Cell]] = [
        [r.substitute_id, r.name, r.las_days, r.projected, r.las_days_3y, r.projected_3y,
         "Ja" if r.foretradesratt else "Nej", notes]
        for r, notes in listed
    ]
    return Section(heading=heading, text="Vikarier nära eller över LAS-gränserna, flest dagar först.",
                   columns=LAS_COLUMNS, rows=rows, empty="Ingen vikarie är nära en LAS-gräns.")


def morning_report(run: RunReport, las_list: Section) -> Report:
    summary, sections = shift_sections(run)
    return Report(heading=summary, sections=[*sections, las_list])
