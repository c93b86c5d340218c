"""Bosse: fills vacant substitute shifts overnight within working-time, competence and LAS rules.

fetch   reads the vacant shifts of the coming days and the whole substitute pool from `bemanning`,
        plans the night at once (robots.bosse.planner, OR-Tools CP-SAT) and yields one item per shift
        with the chosen substitute and ranked alternates (or the reasons nobody may take it).
process books the shift through the booking form, or sends a request instead on weekends, public
        holidays and same-day shifts (settings); checks the substitute again against the rules with
        what the system shows now; falls back to the alternates; reads the booking back.
report  filled, requested and unfilled shifts with reasons, and the LAS list for HR (robots.bosse.report).

The item (robots.bosse.item.ShiftItem) is checked at yield and given back parsed to `process`; a session
that ends mid-step is the engine's to retry (the step reads the shift again before it writes).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from robots.bosse import las
from robots.bosse import rules as R
from robots.bosse.item import Person, PlanSummary, ShiftFacts, ShiftItem
from robots.bosse.mode import BOOK, REQUEST, booking_mode
from robots.bosse.pages import SYSTEM, ShiftDetail, ShiftPage, open_shift, read_substitute, substitute_ids, vacant_shifts
from robots.bosse.planner import Plan, Preferences, plan_shifts
from robots.bosse.reading import PoolMember, ranked, shift_from_row, substitute_from_detail
from robots.bosse.report import las_section, morning_report
from runner.api import (
    BusinessError,
    Context,
    Evidence,
    Finding,
    Link,
    Outcome,
    Report,
    Robot,
    RunReport,
    Severity,
    Status,
    WorkItem,
)

MODE_SV = {BOOK: "Direktbokning", REQUEST: "Förfrågan"}


class BosseSettings(BaseModel):
    """Bosse's own settings, in `[robots.bosse]`."""

    model_config = ConfigDict(extra="forbid")

    days_ahead: int = Field(default=14, ge=1, le=60, description="how many days ahead to fill vacant shifts")
    monthly_hour_cap: float | None = Field(default=165, ge=1, le=300, description="hours per month for hourly staff; empty: none")
    las_warning_days: int = Field(default=330, ge=1, le=361, description="LAS days at which a booking is flagged for HR")
    las_report_margin_days: int = Field(default=30, ge=0, le=180, description="'near a threshold' in the LAS list")
    request_on_weekends: bool = True
    request_on_public_holidays: bool = True
    request_same_day: bool = True
    request_if_shorter_than_hours: float = Field(default=0, ge=0, le=24, description="0: off")
    min_notice_minutes: int = Field(default=30, ge=0, description="shifts starting sooner than this are left to staff")
    daily_rest_hours: float = Field(default=11, ge=0, le=24)
    weekly_rest_hours: float = Field(default=36, ge=0, le=72)
    solver_time_limit_seconds: float = Field(default=10, gt=0, le=600)
    solver_workers: int = Field(default=2, ge=1, le=64)
    alternates: int = Field(default=5, ge=0, le=20)
    book_past_conversion: bool = Field(default=False, description="book an hourly substitute past the LAS conversion threshold; off: left to a person")
    minor_night_starts_at: int = Field(default=22, ge=22, le=23, description="a minor's night: 22–06 or 23–07 (AFS 2012:3, the employer's choice)")
    max_hours_without_rast: float = Field(default=5, gt=0, le=12, description="work in a row without rast before a shift is flagged (ATL 15 §)")
    rast_recorded: bool = Field(default=False, description="the units record each shift's rast in Bemanning: a long shift shown without one is flagged")

    def rules(self) -> R.RuleSet:
        start = self.minor_night_starts_at * 60
        return R.RuleSet(
            daily_rest_minutes=round(self.daily_rest_hours * 60),
            weekly_rest_minutes=round(self.weekly_rest_hours * 60),
            monthly_cap_minutes=round(self.monthly_hour_cap * 60) if self.monthly_hour_cap else None,
            minors=R.Minors(night_start_minutes=start, night_end_minutes=start - 16 * 60),
            book_past_conversion=self.book_past_conversion,
            max_minutes_without_break=round(self.max_hours_without_rast * 60),
        )

    def preferences(self) -> Preferences:
        return Preferences(las_warning_days=self.las_warning_days, alternates=self.alternates)

    def mode(self, start: datetime, end: datetime, now: datetime) -> tuple[str, str]:
        return booking_mode(
            start,
            end,
            now,
            weekends=self.request_on_weekends,
            public_holidays=self.request_on_public_holidays,
            same_day=self.request_same_day,
            shorter_than_hours=self.request_if_shorter_than_hours,
        )


class Bosse(Robot[BosseSettings, ShiftItem]):
    name = "bosse"
    title = "Bosse – tillsättning av vikariepass"
    description = "Tillsätter vakanta vikariepass över natten enligt kompetens, arbetstidsregler och LAS."
    schedule = "0 1 * * *"
    minutes_saved_per_case = 7  # Laholm's "Mio": about 7 minutes per booked pass (domain brief §4.2)
    systems = (SYSTEM,)
    # An unfilled shift is tried again the next night: new availability may have come in.
    reprocess_statuses = frozenset({Status.waiting, Status.failed, Status.needs_attention})

    # -- fetch ------------------------------------------------------------------------------------

    async def fetch(self, ctx: Context[BosseSettings]) -> AsyncIterator[WorkItem[ShiftItem]]:
        s = ctx.settings
        now = ctx.now()
        today = now.date()
        earliest = now + timedelta(minutes=s.min_notice_minutes)
        shifts: list[ShiftFacts] = []
        too_soon = 0
        for row in await vacant_shifts(ctx, today, today + timedelta(days=s.days_ahead)):
            shift = ShiftFacts.of(shift_from_row(row), row)
            if shift.start < earliest:
                too_soon += 1  # started or about to: staff phone someone (TCP's assistant stops requests too)
                continue
            shifts.append(shift)
        pool = await read_pool(ctx, today)
        plan: Plan = await asyncio.to_thread(
            plan_shifts,
            shifts,
            [m.substitute for m in pool.values()],
            s.rules(),
            s.preferences(),
            time_limit=s.solver_time_limit_seconds,
            workers=s.solver_workers,
        )
        ctx.log.info("plan.done", shifts=len(shifts), too_soon=too_soon, pool=len(pool), filled=plan.filled,
                     status=plan.status, seconds=round(plan.seconds, 2))
        summary = PlanSummary(status=plan.status, filled=plan.filled, shifts=len(shifts))
        for shift in shifts:
            mode, why = s.mode(shift.start, shift.end, now)
            item = ShiftItem(shift=shift, mode=mode, mode_reason=why, plan=summary)
            choice = plan.chosen.get(shift.id)
            if choice:
                item.chosen = _person(pool[choice.substitute_id], las_warning=choice.las_warning,
                                      foretradesratt=choice.foretradesratt)
                item.alternates = [_person(pool[a]) for a in choice.alternates]
            else:
                item.reasons = dict(plan.unfilled.get(shift.id, Counter()))
                item.reasons_text = R.format_reasons(item.reasons) or "ingen vikarie i poolen"
            yield WorkItem(key=shift.id, title=f"{shift.unit_label} {shift.when}", data=item)

    # -- process ----------------------------------------------------------------------------------

    async def process(self, ctx: Context[BosseSettings], item: WorkItem[ShiftItem]) -> Outcome:
        s, d = ctx.settings, item.data
        shift = d.shift
        me = ctx.system(SYSTEM).username
        link = Link(label="Passet i Bemanning", url=f"{ctx.system(SYSTEM).url}/pass/{shift.id}")
        evidence = _shift_evidence(shift)

        if d.chosen is None:
            detail = await open_shift(ctx, shift.id)
            if not detail.vacant:  # filled by staff since the plan was made
                return _already_filled(detail, me, evidence, link)
            raise BusinessError(
                "ingen_behorig_vikarie",
                f"Ingen vikarie kan ta passet: {d.reasons_text}.",
                findings=[Finding(code="ej_tillsatt", message=f"Ej tillsatt: {d.reasons_text}.", severity=Severity.error)],
                evidence=[*evidence, Evidence(label="Skäl (antal vikarier per regel)", value=d.reasons_text, source="Bosse")],
                links=[link],
            )

        now = ctx.now()
        mode, why = s.mode(shift.start, shift.end, now)
        rules = s.rules()
        tried: list[str] = []
        for cand in [d.chosen, *d.alternates]:
            # One lock per substitute, across every worker and machine: never check-and-book one person twice.
            async with ctx.lock(f"vikarie:{cand.id}"):
                member = substitute_from_detail(await read_substitute(ctx, cand.id), now.date(), skip_shift=shift.id)
                reason = R.reason_for(member.substitute, shift, rules)
                if reason:
                    tried.append(f"{cand.who}: {R.reason_sv(reason)}")
                    continue
                # Check the shift right before writing: never twice. A session that ends on the way is the
                # engine's (SessionExpiredError: a new login, and this step again from the top).
                page = await ShiftPage.open(ctx, shift_id=shift.id)
                detail = await page.detail(shift.id)
                if not detail.vacant:
                    return _already_filled(detail, me, evidence, link)
                done = dict(shift=shift, cand=cand, member=member, mode=mode, why=why, tried=tried, evidence=evidence, link=link,
                            settings=s)
                if ctx.dry_run:
                    return _done(**done, dry_run=True)
                errors = await page.fill(cand.id, mode)
                # Read the booking back: from where the form landed, or afresh if it was refused.
                if errors:
                    page = await ShiftPage.open(ctx, shift_id=shift.id)
                else:
                    await page.verify()
                detail = await page.detail(shift.id)
                if not detail.vacant:
                    if detail.substitute == cand.id and detail.by == me:
                        ctx.log.info("shift.filled", mode=mode)
                        return _done(**done, dry_run=False)
                    return _already_filled(detail, me, evidence, link)
                tried.append(f"{cand.who}: {'; '.join(errors) or 'systemet sparade inte'}")
        detail = await open_shift(ctx, shift.id)
        if not detail.vacant:  # e.g. an earlier attempt of ours got through before the machine stopped
            return _already_filled(detail, me, evidence, link)
        raise BusinessError(
            "ingen_kunde_bokas",
            "Ingen av de föreslagna vikarierna kunde ta passet: " + "; ".join(tried) + ".",
            findings=[Finding(code="ej_tillsatt", message="Ej tillsatt: " + "; ".join(tried) + ".", severity=Severity.error)],
            evidence=evidence,
            links=[link],
        )

    # -- report -----------------------------------------------------------------------------------

    async def report(self, ctx: Context[BosseSettings], run: RunReport) -> Report:
        s = ctx.settings
        pool: list[PoolMember] | None
        try:
            pool = list((await read_pool(ctx, ctx.now().date())).values())
        except Exception as exc:  # the list is a help for HR; the night's work is reported anyway
            ctx.log.warning("report.las_list_failed", error=type(exc).__name__)
            pool = None
        return morning_report(run, las_section(pool, s.las_warning_days, s.las_report_margin_days))


# -- helpers ----------------------------------------------------------------------------------------


async def read_pool(ctx: Context[BosseSettings], today: date) -> dict[str, PoolMember]:
    """Every substitute in the pool, read from their own page (competence, units, availability, bookings,
    birth date, employment history), holders of företrädesrätt in their order (LAS 26 §)."""
    pool = {sub_id: substitute_from_detail(await read_substitute(ctx, sub_id), today) for sub_id in await substitute_ids(ctx)}
    return ranked(pool)


def _person(m: PoolMember, *, las_warning: bool = False, foretradesratt: bool = False) -> Person:
    return Person(id=m.substitute.id, name=m.name, las_days=m.substitute.las_days, las_warning=las_warning,
                  foretradesratt=foretradesratt)


def _shift_evidence(shift: ShiftFacts) -> list[Evidence]:
    return [
        Evidence(label="Pass", value=f"{shift.id}, {shift.unit_label}, {shift.when}", source="Bemanning, passlistan"),
        Evidence(label="Kompetenskrav", value=shift.competence_label + (f"; {shift.skills_label}" if shift.skills else ""),
                 source="Bemanning"),
    ]


def _done(
    *,
    shift: ShiftFacts,
    cand: Person,
    member: PoolMember,
    mode: str,
    why: str,
    tried: list[str],
    evidence: list[Evidence],
    link: Link,
    settings: BosseSettings,
    dry_run: bool,
) -> Outcome:
    who = cand.who
    if mode == BOOK:
        summary = f"Bokad: {who}"
    else:
        summary = f"Förfrågan skickad till {who} ({why})"
    if dry_run:
        summary = "Torrkörning – skulle ha " + ("bokat " + who if mode == BOOK else f"skickat förfrågan till {who} ({why})")
    findings: list[Finding] = []
    sub = member.substitute
    # Counted like the LAS list: this shift and the person's other booked shifts ahead, with the rule on
    # three or more SÄVA in one calendar month (LAS 3 §): one booking can add more than one day.
    ahead = sorted({*member.future_booked_dates, shift.local_date})
    reaches = sub.las_days + las.added_days(ahead, sub.history)
    if reaches >= settings.las_warning_days:
        also = f" och {len(ahead) - 1} bokade pass" if len(ahead) > 1 else ""
        findings.append(
            Finding(
                code="las_varning",
                message=(
                    f"LAS: {who} har {sub.las_days} LAS-dagar och når {reaches} med passet{also} "
                    f"(varningsnivå {settings.las_warning_days}, konvertering vid {las.CONVERSION_DAYS}). "
                    "Ingen annan behörig vikarie fanns; HR bör bedöma."
                ),
                severity=Severity.warning,
            )
        )
    rast = R.break_problem(shift, settings.rules())
    if rast and (shift.break_minutes or settings.rast_recorded):
        findings.append(Finding(code="rast", message=rast + ". Enheten bör se över rasten.", severity=Severity.warning))
    if tried:
        findings.append(
            Finding(code="alternativ", message="Planerad vikarie kunde inte tas: " + "; ".join(tried) + f". Tog {who}.", severity=Severity.info)
        )
    if sub.foretradesratt:
        findings.append(Finding(code="foretradesratt", message=f"{who} har företrädesrätt (LAS 25 §).", severity=Severity.info))
    ev = [
        *evidence,
        Evidence(label="Vikarie", value=who, source="Bemanning, vikariens sida"),
        Evidence(label="Bokningssätt", value=f"{MODE_SV[mode]} ({why})", source="Bosses inställningar"),
        Evidence(label="LAS-dagar (5 år / 3 år)", value=f"{sub.las_days} / {sub.las_days_3y}", source="Bemanning"),
    ]
    return Outcome.prepared(
        summary,
        findings=findings,
        evidence=ev,
        links=[link],
        data={"action": mode, "substitute": cand.id, "las_warning": any(f.code == "las_varning" for f in findings)},
    )


def _already_filled(detail: ShiftDetail, me: str, evidence: list[Evidence], link: Link) -> Outcome:
    kind = detail.kind or ""
    action = REQUEST if kind.startswith("Förfrågan") else BOOK
    if detail.by == me:  # our own write from an earlier attempt (e.g. the machine stopped right after it)
        verb = "Bokad:" if action == BOOK else "Förfrågan skickad till"
        return Outcome.prepared(
            f"{verb} {detail.substitute} (gjort i ett tidigare försök)",
            evidence=[*evidence, Evidence(label="Vikarie", value=detail.substitute or "", source="Bemanning, passets sida")],
            links=[link],
            data={"action": action, "substitute": detail.substitute, "earlier": True},
        )
    return Outcome.skipped(
        f"Passet är redan tillsatt ({kind.lower() or 'bokat'}, {detail.substitute}) av {detail.by}",
        evidence=[*evidence, Evidence(label="Tillsatt av", value=detail.by or "", source="Bemanning, passets sida")],
        links=[link],
        data={"action": "redan_tillsatt", "substitute": detail.substitute},
    )
