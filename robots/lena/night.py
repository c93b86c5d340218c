"""The night's plan: from what the screens showed to one plan of the whole unit and the work items.

Who is planned again: a recipient whose published plan no longer holds (`rules.stale_reasons`: a new,
changed or ended decision, an absence, a sick or undelegated staff member, a visit outside its window), or
whose planned visits lie on a staff day that cannot be worked (`rules.infeasible_days`), or everyone
with `replan_all`. Everyone else's plan stays as published and takes the staff's time. A recipient with
an open proposal is not planned again: its visits take the staff's time as they are, and its item says
who must act on it. Pure and synchronous: the robot runs it in a thread.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from robots.lena import reading as rd
from robots.lena import rules as R
from robots.lena.items import LenaItem, PlannedRow, UnplacedRow
from robots.lena.model import Booked, Group, Staff, Unit, Visit
from robots.lena.pages.recipient import RecipientView
from robots.lena.planner import Plan, plan_unit
from robots.lena.settings import LenaSettings


@dataclass
class Read:
    """Everything the fetch read, as the screens showed it."""

    start: date
    end: date
    me: str  # Lena's account in the system: a proposal by it is Lena's own
    groups: dict[str, Group]
    staff: dict[str, Staff]
    recipients: dict[str, RecipientView]
    #: open proposals by id: (facts, visit rows, rows of visits left with their reasons)
    drafts: dict[str, tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]] = field(default_factory=dict)


@dataclass
class Night:
    items: list[LenaItem]
    plan: Plan
    unit: Unit


def plan_night(read: Read, s: LenaSettings) -> Night:
    start, end = read.start, read.end
    travel = s.travel()
    recipients = {rid: rd.recipient_from(v) for rid, v in read.recipients.items()}
    insats = {rid: rd.insats_of(v) for rid, v in read.recipients.items()}
    weekdays = {rid: rd.weekdays_of(v) for rid, v in read.recipients.items()}
    needs = {rid: rd.visits_from(v) for rid, v in read.recipients.items()}
    published = {rid: rd.booked_from(v.plan, rid, insats[rid]) for rid, v in read.recipients.items()}
    history = [b for rid, v in read.recipients.items() for b in rd.booked_from(v.history, rid, insats[rid])]

    def later(rid: str, b: Booked) -> bool:
        return R.later_week(b.visit, weekdays[rid].get(b.visit.split("-")[0], ()), end)

    # open proposals: Lena's own for this very period (an earlier attempt tonight) or another that waits
    waiting: dict[str, tuple[str, str, str, list[Booked], dict[str, str]]] = {}
    for rid, v in read.recipients.items():
        if v.draft is None:
            continue
        fid = v.draft["Förslag"].strip()
        _, rows, left = read.drafts.get(fid, (v.draft, [], []))
        waiting[rid] = (fid, v.draft["Skapat av"].strip(), v.draft["Period"].strip(),
                        rd.booked_from(rows, rid, insats[rid]), {r["Besök"]: r["Orsak"] for r in left})

    # who is planned again, and why
    reasons: dict[str, list[str]] = {}
    for rid, r in recipients.items():
        if rid in waiting:
            continue
        keep = [b.visit for b in published[rid] if later(rid, b)]
        why = R.stale_reasons(r, needs[rid], published[rid], read.staff, later=keep)
        if why or s.replan_all:
            reasons[rid] = why or ["alla brukare planeras om (inställningen replan_all)"]
    places = {rid: r.place for rid, r in recipients.items()}
    bases = {code: g.base for code, g in read.groups.items()}
    # judged on the whole published plan, whatever proposals are open: who is planned again does not
    # depend on how far an earlier attempt tonight got
    standing = [b for rid in recipients for b in published[rid]]
    broken = R.infeasible_days(standing, read.staff, places, bases, travel)
    for b in standing:
        for sid in b.staff:
            why = broken.get((sid, b.day))
            if why and b.recipient not in waiting:
                reasons.setdefault(b.recipient, []).append(why)

    fixed: list[Booked] = []
    for rid in recipients:
        if rid in waiting:
            fid, by, period, visits, _ = waiting[rid]
            lo, hi = rd.period_of(period)
            fixed += [b for b in visits if start <= b.day <= end]
            fixed += [b for b in published[rid] if not lo <= b.day <= hi or later(rid, b)]
        elif rid in reasons:
            fixed += [b for b in published[rid] if later(rid, b)]
        else:
            fixed += published[rid]
    to_plan = [v for rid in sorted(reasons) for v in needs[rid]]
    unit = Unit(start, end, read.groups, recipients, read.staff, to_plan, fixed, history)
    plan = plan_unit(unit, travel, s.weights(), time_limit=s.solver_time_limit_seconds, workers=s.solver_workers,
                     deterministic=s.solver_deterministic)

    items = [_recipient_item(read, rid, recipients, needs[rid], plan, published[rid], history, reasons.get(rid, []),
                             waiting.get(rid), unit, s) for rid in sorted(set(reasons) | set(waiting))]
    items += _day_items(read, unit, plan, needs, fixed)
    return Night(items, plan, unit)


def _recipient_item(read: Read, rid: str, recipients, visits: list[Visit], plan: Plan, published: list[Booked],  # noqa: ANN001
                    history: list[Booked], reasons: list[str], waiting, unit: Unit, s: LenaSettings) -> LenaItem:
    r = recipients[rid]
    base = dict(kind="brukare", group=r.group, start=read.start.isoformat(), end=read.end.isoformat(), recipient=rid,
                needs=[v.id for v in visits], weekly=[v.id for v in visits if v.weekly])
    mine = [b for b in history if b.recipient == rid]
    window = R.measure_window(read.end)
    if waiting is not None:
        fid, by, period, booked, left = waiting
        ours = by == read.me and period == f"{read.start.isoformat()} – {read.end.isoformat()}"
        if not ours:
            return LenaItem(**base, waiting_draft=fid, waiting_draft_by=by, waiting_draft_period=period,
                            granted_minutes=sum(v.minutes for v in visits))
        # Lena's own, from an earlier attempt tonight: the item is what that attempt wrote
        rows = [PlannedRow(need=b.visit, date=b.day.isoformat(), start=rd.hhmm(b.start), minutes=b.minutes,
                           staff=list(b.staff)) for b in booked]
        unplaced = [UnplacedRow(need=v.id, activity=v.activity, date=v.dates[0].isoformat(), reason=left[v.id])
                    for v in visits if v.id in left]
        proposal = [*mine, *booked, *(b for b in unit.fixed if b.recipient == rid and b not in booked)]
        return LenaItem(**base, planned=rows, unplaced=unplaced, waiting_draft=fid, waiting_draft_by=by,
                        waiting_draft_period=period, granted_minutes=sum(v.minutes for v in visits),
                        planned_minutes=sum(b.minutes for b in booked),
                        continuity_before=R.continuity([*mine, *published], window),
                        continuity_after=R.continuity(proposal, window), measured=R.qualifies(r, proposal, window))
    by_id = {v.id: v for v in visits}
    planned = sorted((a for a in plan.assignments.values() if a.visit in by_id), key=lambda a: (a.day, a.start, a.visit))
    rows = [PlannedRow(need=a.visit, date=a.day.isoformat(), start=rd.hhmm(a.start), minutes=by_id[a.visit].minutes,
                       staff=list(a.staff)) for a in planned]
    unplaced = [UnplacedRow(need=v.id, activity=v.activity, date=v.dates[0].isoformat(), reason=plan.unplaced[v.id])
                for v in visits if v.id in plan.unplaced]
    kept = [b for b in unit.fixed if b.recipient == rid]
    proposal = [*mine, *kept, *(Booked(a.visit, rid, a.day, a.start, by_id[a.visit].minutes, a.staff,
                                       by_id[a.visit].insats) for a in planned)]
    return LenaItem(
        **base, planned=rows, unplaced=unplaced, reasons=reasons,
        granted_minutes=sum(v.minutes for v in visits), planned_minutes=sum(r.minutes for r in rows),
        continuity_before=R.continuity([*mine, *published], window),
        continuity_after=R.continuity(proposal, window),
        measured=R.qualifies(r, proposal, window),
    )


def _day_items(read: Read, unit: Unit, plan: Plan, needs: dict[str, list[Visit]], fixed: list[Booked]) -> list[LenaItem]:
    """One item per group and day: granted and planned minutes, travel, the staff's time, visits left."""
    group_of = {rid: r.group for rid, r in unit.recipients.items()}
    on_day: dict[str, date] = {b.visit: b.day for b in fixed}
    on_day.update({a.visit: a.day for a in plan.assignments.values()})
    granted: dict[tuple[str, date], int] = defaultdict(int)
    left: dict[tuple[str, date], int] = defaultdict(int)
    for rid, vs in needs.items():
        for v in vs:
            d = on_day.get(v.id, v.dates[0])
            granted[group_of[rid], d] += v.minutes * v.staff
    asked = {v.id: v for vs in needs.values() for v in vs}
    for vid in plan.unplaced:
        v = asked[vid]
        left[group_of[v.recipient], v.dates[0]] += 1
    planned: dict[tuple[str, date], int] = defaultdict(int)
    for b in [*plan.booked(unit), *fixed]:
        if b.visit in asked:  # a visit of a week planned on a later night is not this period's
            planned[group_of[b.recipient], b.day] += b.minutes * len(b.staff)
    used: dict[tuple[str, date], set[str]] = defaultdict(set)
    for b in plan.booked(unit):
        used[group_of[b.recipient], b.day].update(b.staff)
    travel: dict[tuple[str, date], int] = defaultdict(int)
    for (sid, d), minutes in plan.travel.items():
        travel[unit.staff[sid].group, d] += minutes
    available: dict[tuple[str, date], int] = defaultdict(int)
    for st in unit.staff.values():
        for d, sh in st.shifts.items():
            available[st.group, d] += R.available_minutes(sh)
    out = []
    for code in sorted(unit.groups):
        for d in unit.days:
            key = (code, d)
            out.append(LenaItem(kind="dag", group=code, start=unit.start.isoformat(), end=unit.end.isoformat(),
                                day=d.isoformat(), granted=granted[key], planned_day=planned[key], travel=travel[key],
                                available=available[key], unplaced_visits=left[key],
                                staff_used=sorted(used[key])))
    return out
