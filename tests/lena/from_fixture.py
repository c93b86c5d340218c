"""Lena's picture of a unit built straight from a `hemtjanst` section (no browser): for the planner's
tests on generated data and for bench/lena.py. The robot builds the same picture from the screens."""

from __future__ import annotations

from datetime import date, timedelta

from fixtures.common.identity import birth_date
from fixtures.hemtjanst import logic
from fixtures.hemtjanst.models import HemtjanstData, minutes_of
from robots.lena.model import Booked, Grant, Group, Place, Recipient, Shift, Staff, Unit, Visit


def unit_from_data(data: HemtjanstData, start: date, end: date, history: list[Booked] | None = None) -> Unit:
    """Every recipient's visits of [start, end] to plan; the 14 days before from the plan (or `history`)."""
    groups = {g.code: Group(g.code, g.name, Place(g.lat, g.lon)) for g in data.groups}
    recipients = {}
    for r in data.recipients:
        away = frozenset(day for a in data.recipient_absences if a.recipient == r.id
                         for day in logic.days(a.start, a.end))
        recipients[r.id] = Recipient(r.id, r.group, Place(r.lat, r.lon), birth_date(r.personnummer) if r.personnummer else None,
                                     frozenset(r.languages), r.contact, away)
    staff = {}
    for s in data.staff:
        shifts = {}
        for sh in data.schedules:
            if sh.staff == s.id and start - timedelta(days=14) <= sh.date <= end and logic.absence_of(data, s.id, sh.date) is None:
                shifts[sh.date] = Shift(sh.date, sh.start_min, sh.end_min, sh.break_minutes,
                                        minutes_of(sh.break_start) if sh.break_start else None,
                                        minutes_of(sh.break_end) if sh.break_end else None)
        staff[s.id] = Staff(s.id, s.group, frozenset(s.languages),
                            tuple(Grant(d.kind, d.valid_from, d.valid_to) for d in s.delegations), shifts)
    visits = []
    for r in data.recipients:
        for n in logic.needs(data, r, start, end):
            d = n.decision
            visits.append(Visit(n.id, r.id, d.id, d.activity, d.insats, n.dates, n.earliest, n.latest, d.minutes,
                                d.staff, d.delegation))
    if history is None:
        owner = {d.id: d for d in data.decisions}
        history = [Booked(v.need, owner[v.need.split("-")[0]].recipient, v.date, v.start_min, v.minutes, tuple(v.staff),
                          owner[v.need.split("-")[0]].insats)
                   for v in data.plan.visits if start - timedelta(days=14) <= v.date < start]
    return Unit(start, end, groups, recipients, staff, visits, [], history)
