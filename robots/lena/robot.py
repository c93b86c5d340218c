"""Lena: plans a home-care unit's coming days overnight and leaves a proposal per recipient for a planner.

fetch   reads the unit from `hemtjanst` (groups, staff with passes and delegations, every recipient's
        decisions, besöksbehov, published plan, the 14 days before and any open proposal), plans the period
        as one problem (robots.lena.night, robots.lena.planner) and yields one item per recipient whose plan
        must change and one per group and day.
process writes the recipient's proposal into the planning-proposal form as a draft (never twice: an open
        proposal is read back instead), and says what a planner must decide; a group's day is checked
        against its staff's time.
report  per group and day planned against granted minutes and travel share, the visits not placed with
        their reasons, and personalkontinuitet per recipient against the published plan.

Lena never changes a decision and never approves a proposal: a planner does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

from runner.api import (
    BusinessError,
    Context,
    Evidence,
    Finding,
    Link,
    Outcome,
    Robot,
    RunReport,
    SessionExpiredError,
    Severity,
    Status,
    SystemUnavailableError,
    WorkItem,
)
from runner.api import Report
from runner.swedish import count, number

from robots.lena import reading as rd
from robots.lena import rules as R
from robots.lena.items import LenaItem
from robots.lena.model import Group
from robots.lena.night import Read, plan_night
from robots.lena.pages import SYSTEM
from robots.lena.pages.lists import GroupDay, GroupList, RecipientList, StaffList
from robots.lena.pages.proposal import ProposalForm, Row
from robots.lena.pages.recipient import DraftPage, RecipientPage
from robots.lena.pages.staff import StaffPage
from robots.lena.report import lena_report
from robots.lena.settings import LenaSettings


class Lena(Robot[LenaSettings, LenaItem]):
    name = "lena"
    title = "Lena – resursfördelning i hemtjänsten"
    description = (
        "Planerar hemtjänstens kommande dagar på natten: varje beviljat besök inom sitt tidsfönster med "
        "rätt delegering och bemanning, så få olika personal per brukare som möjligt. Lämnar ett förslag "
        "per brukare och en lista över vad planeraren behöver avgöra; planeraren godkänner."
    )
    schedule = "0 3 * * *"
    minutes_saved_per_case = 10
    systems = (SYSTEM,)

    # -- fetch ------------------------------------------------------------------------------------

    async def fetch(self, ctx: Context[LenaSettings]) -> AsyncIterator[WorkItem[LenaItem]]:
        s = ctx.settings
        start = ctx.now().date() + timedelta(days=s.start_in_days)
        end = start + timedelta(days=s.days_ahead - 1)
        read = Read(start, end, ctx.system(SYSTEM).username, {}, {}, {})
        for row in await (await GroupList.open(ctx)).groups():
            code = row["Grupp"]
            read.groups[code] = Group(code, row["Namn"], rd.place(row["Koordinater"], f"grupp {code}: Koordinater"))
        for code in read.groups:
            for sid in await (await StaffList.open(ctx, group=code)).ids():
                view = await (await StaffPage.open(ctx, sid=sid, start=start, end=end)).read(sid)
                read.staff[sid] = rd.staff_from(view, code)
            for rid in await (await RecipientList.open(ctx, group=code)).ids():
                read.recipients[rid] = await (await RecipientPage.open(ctx, rid=rid, start=start, end=end)).read(rid)
        for view in read.recipients.values():
            if view.draft is not None:
                fid = view.draft["Förslag"].strip()
                read.drafts[fid] = await (await DraftPage.open(ctx, fid=fid)).read()
        night = await asyncio.to_thread(plan_night, read, s)
        ctx.log.info("lena.planned", recipients=len(read.recipients), staff=len(read.staff),
                     visits=len(night.unit.visits), placed=len(night.plan.assignments),
                     unplaced=len(night.plan.unplaced), travel_minutes=night.plan.travel_minutes,
                     seconds=round(night.plan.seconds, 1), items=len(night.items))
        for item in night.items:
            yield WorkItem(key=_key(item), title=_title(item, read), data=item)

    # -- process ----------------------------------------------------------------------------------

    async def process(self, ctx: Context[LenaSettings], item: WorkItem[LenaItem]) -> Outcome:
        d = item.data
        if d.kind == "dag":
            absent = await (await GroupDay.open(ctx, group=d.group, day=d.day)).absent()
            return _day_outcome(d, {sid: why for sid, why in absent.items() if sid in d.staff_used})
        return await self._recipient(ctx, d)

    async def _recipient(self, ctx: Context[LenaSettings], d: LenaItem) -> Outcome:
        me = ctx.system(SYSTEM).username
        base = ctx.system(SYSTEM).url.rstrip("/")
        links = [Link(label="Brukaren i Hemtjänst", url=f"{base}/brukare/{d.recipient}?fran={d.start}&till={d.end}")]
        period = f"{d.start} – {d.end}"
        if d.waiting_draft and not (d.waiting_draft_by == me and d.waiting_draft_period == period):
            return _waiting(d, links, base)
        form = await ProposalForm.open(ctx, rid=d.recipient, start=d.start, end=d.end)
        there = await form.open_draft()
        if there is not None:
            return _existing(ctx, d, there, links, base, already=True)
        if ctx.dry_run:
            return _recipient_outcome(d, ctx.settings, links, dry_run=True)
        on_form = await form.needs()
        if sorted(on_form) != sorted(d.needs):
            raise BusinessError(
                "behov_andrade",
                "Besöksbehoven har ändrats sedan natten planerades (ett beslut eller en frånvaro är ny); "
                "Lena skrev inget förslag. Planera brukaren för hand eller låt Lena göra det nästa natt.",
                links=links)
        try:
            errors, saved = await form.save(_rows(d))
        except (SystemUnavailableError, SessionExpiredError):
            # the answer to the form was an error page or the login: the proposal may be saved all the same
            # (the system wrote it and then failed on the page after). Look before the next attempt writes.
            there = await (await ProposalForm.open(ctx, rid=d.recipient, start=d.start, end=d.end)).open_draft()
            if there is None:
                raise
            ctx.log.info("lena.draft_found_after_error")
            return _existing(ctx, d, there, links, base, already=False)
        if errors or saved is None:
            raise BusinessError(
                "forslag_nekat", "Hemtjänst tog inte emot Lenas förslag: " + "; ".join(errors)[:400],
                findings=[Finding(code="forslag_nekat", message=e, severity=Severity.error) for e in errors[:10]],
                links=links)
        facts, rows, _ = await saved.read()
        fid = facts["Förslag"].strip()
        _check_read_back(d, rows, fid)
        links.append(Link(label=f"Förslag {fid}", url=f"{base}/forslag/{fid}"))
        ctx.log.info("lena.draft_written", visits=len(rows))
        return _recipient_outcome(d, ctx.settings, links, fid=fid)

    # -- report -----------------------------------------------------------------------------------

    async def report(self, ctx: Context[LenaSettings], run: RunReport) -> Report:
        return lena_report(run)


def _existing(ctx: Context[LenaSettings], d: LenaItem, there: tuple[dict[str, str], list[dict[str, str]]],
              links: list[Link], base: str, *, already: bool) -> Outcome:
    """An open proposal for the recipient and period: Lena's own is read back against the plan; anyone
    else's (or one for another period) is left for a person."""
    facts, rows = there
    fid, by, period = facts["Förslag"].strip(), facts["Skapat av"].strip(), facts["Period"].strip()
    if by != ctx.system(SYSTEM).username or period != f"{d.start} – {d.end}":
        return _waiting(d.model_copy(update={"waiting_draft": fid, "waiting_draft_by": by, "waiting_draft_period": period}),
                        links, base)
    _check_read_back(d, rows, fid)
    return _recipient_outcome(d, ctx.settings, [*links, Link(label=f"Förslag {fid}", url=f"{base}/forslag/{fid}")],
                              fid=fid, already=already)


# -- items ------------------------------------------------------------------------------------------


def _key(d: LenaItem) -> str:
    return f"brukare:{d.recipient}:{d.start}" if d.kind == "brukare" else f"grupp:{d.group}:{d.day}"


def _title(d: LenaItem, read: Read) -> str:
    if d.kind == "brukare":
        return f"Brukare {d.recipient}, {d.start} – {d.end}"
    return f"{read.groups[d.group].name}, {d.day}"


def _rows(d: LenaItem) -> list[Row]:
    weekly = set(d.weekly)
    out = [Row(p.need, p.need in weekly, p.date, p.start, tuple(p.staff)) for p in d.planned]
    out += [Row(u.need, u.need in weekly, reason=u.reason) for u in d.unplaced]
    return out


def _check_read_back(d: LenaItem, rows: list[dict[str, str]], fid: str) -> None:
    """The proposal in the system holds exactly the visits Lena planned (same day, start and staff)."""
    want = {(p.need, p.date, p.start, tuple(p.staff)) for p in d.planned}
    got = {(r["Besök"], r["Datum"], r["Tid"].split("–")[0], rd.listed(r["Personal"])) for r in rows}
    if want != got:
        raise BusinessError(
            "forslag_skiljer",
            f"Förslag {fid} i Hemtjänst skiljer sig från Lenas plan ({len(want - got)} besök saknas eller har "
            "ändrats); granska det innan det godkänns.")


# -- outcomes ---------------------------------------------------------------------------------------


def _waiting(d: LenaItem, links: list[Link], base: str) -> Outcome:
    fid = d.waiting_draft
    return Outcome.skipped(
        f"Förslag {fid} ({d.waiting_draft_period}) väntar på granskning; Lena gör inget nytt förslag förrän det är hanterat",
        findings=[Finding(code="forslag_vantar", severity=Severity.info,
                          message=f"Ett förslag från {d.waiting_draft_by} för {d.waiting_draft_period} är inte godkänt än.")],
        links=[*links, Link(label=f"Förslag {fid}", url=f"{base}/forslag/{fid}")],
        data=_data(d, fid=fid))


def _recipient_outcome(d: LenaItem, s: LenaSettings, links: list[Link], *, fid: str = "", already: bool = False,
                       dry_run: bool = False) -> Outcome:
    findings: list[Finding] = []
    for u in d.unplaced:
        findings.append(Finding(code="ej_planerat", severity=Severity.warning,
                                message=f"Ej planerat: {u.activity} {u.date} – {u.reason}."))
    deviation = R.deviation_percent(d.planned_minutes, d.granted_minutes)
    if deviation > s.deviation_percent:
        findings.append(Finding(code="avvikande_tid", severity=Severity.warning,
                                message=f"Planerad tid {number(d.planned_minutes)} min mot beviljad "
                                        f"{number(d.granted_minutes)} min ({str(deviation).replace('.', ',')} %)."))
    for why in d.reasons[:8]:
        findings.append(Finding(code="orsak", severity=Severity.info, message=f"Ny planering: {why}."))
    placed = f"{len(d.planned)} av {count(len(d.planned) + len(d.unplaced), 'besök', 'besök', space=' ')} planerade"
    if dry_run:
        summary = f"Provkörning: {placed}; inget förslag sparades"
    elif already:
        summary = f"Förslag {fid} fanns redan (sparat vid ett tidigare försök): {placed}"
    else:
        summary = f"Förslag {fid} sparat som utkast: {placed}"
    evidence = [Evidence(label="Beviljad tid i perioden", value=f"{number(d.granted_minutes)} min", source="Hemtjänst, besöksbehov"),
                Evidence(label="Planerad tid i förslaget", value=f"{number(d.planned_minutes)} min", source="Lena")]
    if d.continuity_before is not None:
        evidence.append(Evidence(label="Olika personal på 14 dagar, gällande plan", value=str(d.continuity_before),
                                 source="Hemtjänst, plan och historik"))
    if d.continuity_after is not None:
        evidence.append(Evidence(label="Olika personal på 14 dagar, förslaget", value=str(d.continuity_after), source="Lena"))
    attention = bool(d.unplaced) or deviation > s.deviation_percent
    status = Status.needs_attention if attention else Status.prepared
    return Outcome(status=status, summary=summary, findings=findings, evidence=evidence, links=links,
                   data=_data(d, fid=fid, deviation=deviation))


def _data(d: LenaItem, *, fid: str = "", deviation: float = 0.0) -> dict:
    """What the morning report shows of a recipient (ids and figures only)."""
    return {"kind": "brukare", "recipient": d.recipient, "group": d.group, "draft": fid,
            "planned": len(d.planned), "unplaced": [u.model_dump() for u in d.unplaced],
            "granted_minutes": d.granted_minutes, "planned_minutes": d.planned_minutes, "deviation": deviation,
            "continuity_before": d.continuity_before, "continuity_after": d.continuity_after, "measured": d.measured,
            "waiting_draft": d.waiting_draft}


def _day_outcome(d: LenaItem, absent: dict[str, str]) -> Outcome:
    """The group's day against its staff's time; staff the proposals use who are absent now (a sick call
    since the plan was made) are for the planner to see to."""
    load = R.DayLoad(granted=d.granted, planned=d.planned_day, travel=d.travel, available=d.available)
    share = str(load.travel_share).replace(".", ",")
    summary = (f"{number(d.planned_day)} av {number(d.granted)} beviljade minuter planerade, restid {share} %, "
               f"personalens tid {number(d.available)} min")
    findings = []
    if load.over_capacity:
        findings.append(Finding(code="over_kapacitet", severity=Severity.warning,
                                message=f"Beviljad tid och restid ({number(d.granted + d.travel)} min) är mer än "
                                        f"personalens tid ({number(d.available)} min)."))
    for sid, why in sorted(absent.items()):
        findings.append(Finding(code="franvaro_efter_planering", severity=Severity.warning,
                                message=f"{sid} är frånvarande ({why.lower()}) sedan natten planerades; förslagens "
                                        f"besök med {sid} den dagen behöver ny personal."))
    if d.unplaced_visits:
        findings.append(Finding(code="ej_planerade", severity=Severity.warning,
                                message=f"{count(d.unplaced_visits, 'besök', 'besök', space=' ')} fick inte plats."))
    data = {"kind": "dag", "group": d.group, "day": d.day, "granted": d.granted, "planned": d.planned_day,
            "travel": d.travel, "available": d.available, "unplaced": d.unplaced_visits,
            "travel_share": load.travel_share, "over_capacity": load.over_capacity, "absent": sorted(absent)}
    if findings:
        return Outcome.needs_attention(summary, findings=findings, data=data)
    return Outcome.prepared(summary, data=data)
