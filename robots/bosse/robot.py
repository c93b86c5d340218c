"""Bosse: fills vacant substitute shifts overnight within working-time, competence and LAS rules.

fetch   reads the vacant shifts of the coming days and the whole substitute pool from `bemanning`,
        plans the night at once (robots.bosse.planner, OR-Tools CP-SAT) and yields one item per shift
        with the chosen substitute and ranked alternates (or the reasons nobody may take it).
process books the shift through the booking form, or sends a request instead on weekends, public
        holidays and same-day shifts (settings); checks the substitute again against the rules with
        what the system shows now; falls back to the alternates; reads the booking back.
report  filled, requested and unfilled shifts with reasons, and the LAS list for HR.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from robots.bosse import las
from robots.bosse import rules as R
from robots.bosse.mode import BOOK, REQUEST, booking_mode
from robots.bosse.model import TZ, Competence, Shift
from robots.bosse.pages import SYSTEM, ShiftDetail, ShiftList, ShiftPage, SubstituteList, SubstitutePage
from robots.bosse.pages.shifts import SESSION_EXPIRED
from robots.bosse.planner import Plan, Preferences, plan_shifts
from robots.bosse.reading import PoolMember, shift_from_row, substitute_from_detail
from runner.api import (
    BusinessError,
    Context,
    Evidence,
    Finding,
    Link,
    Outcome,
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

    def rules(self) -> R.RuleSet:
        return R.RuleSet(
            daily_rest_minutes=round(self.daily_rest_hours * 60),
            weekly_rest_minutes=round(self.weekly_rest_hours * 60),
            monthly_cap_minutes=round(self.monthly_hour_cap * 60) if self.monthly_hour_cap else None,
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


class Bosse(Robot):
    name = "bosse"
    title = "Bosse – tillsättning av vikariepass"
    description = "Tillsätter vakanta vikariepass över natten enligt kompetens, arbetstidsregler och LAS."
    schedule = "0 1 * * *"
    minutes_saved_per_case = 7  # Laholm's "Mio": about 7 minutes per booked pass (domain brief §4.2)
    systems = (SYSTEM,)
    # An unfilled shift is tried again the next night: new availability may have come in.
    reprocess_statuses = frozenset({Status.waiting, Status.failed, Status.needs_attention})
    Settings = BosseSettings

    # -- fetch ------------------------------------------------------------------------------------

    async def fetch(self, ctx: Context) -> AsyncIterator[WorkItem]:
        s: BosseSettings = ctx.settings  # type: ignore[assignment]
        now = ctx.now()
        today = now.date()
        rows = await ShiftList(ctx).vacant(today, today + timedelta(days=s.days_ahead))
        earliest = now + timedelta(minutes=s.min_notice_minutes)
        shifts: list[Shift] = []
        labels: dict[str, tuple[str, str, str]] = {}
        too_soon = 0
        for row in rows:
            shift = shift_from_row(row)
            if shift.start < earliest:
                too_soon += 1  # started or about to: staff phone someone (TCP's assistant stops requests too)
                continue
            shifts.append(shift)
            labels[shift.id] = (row.unit, row.competence, row.skills)
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
        ctx.log.info(
            "plan.done",
            shifts=len(shifts),
            too_soon=too_soon,
            pool=len(pool),
            filled=plan.filled,
            status=plan.status,
            seconds=round(plan.seconds, 2),
        )
        for shift in shifts:
            unit, competence_label, skills_label = labels[shift.id]
            mode, why = s.mode(shift.start, shift.end, now)
            data: dict[str, Any] = {
                "shift": {
                    "id": shift.id,
                    "unit": shift.unit,
                    "unit_label": unit,
                    "start": shift.start.isoformat(),
                    "end": shift.end.isoformat(),
                    "competence": shift.competence.value,
                    "competence_label": competence_label,
                    "skills": sorted(shift.skills),
                    "skills_label": skills_label,
                },
                "mode": mode,
                "mode_reason": why,
                "plan": {"status": plan.status, "filled": plan.filled, "shifts": len(shifts)},
            }
            choice = plan.chosen.get(shift.id)
            if choice:
                m = pool[choice.substitute_id]
                data["chosen"] = _person(m, las_warning=choice.las_warning, foretradesratt=choice.foretradesratt)
                data["alternates"] = [_person(pool[a]) for a in choice.alternates]
            else:
                reasons = plan.unfilled.get(shift.id, Counter())
                data["reasons"] = dict(reasons)
                data["reasons_text"] = R.format_reasons(reasons) or "ingen vikarie i poolen"
            yield WorkItem(key=shift.id, title=f"{unit} {_when(shift)}", data=data)

    # -- process ----------------------------------------------------------------------------------

    async def process(self, ctx: Context, item: WorkItem) -> Outcome:
        s: BosseSettings = ctx.settings  # type: ignore[assignment]
        d = item.data
        shift = _shift_of(d)
        me = ctx.system(SYSTEM).username
        pages = ShiftPage(ctx)
        link = Link(label="Passet i Bemanning", url=f"{ctx.system(SYSTEM).url}/pass/{shift.id}")
        evidence = _shift_evidence(d, shift)

        if not d.get("chosen"):
            detail = await pages.open(shift.id)
            if not detail.vacant:  # filled by staff since the plan was made
                return _already_filled(detail, me, d, evidence, link)
            text = d.get("reasons_text", "")
            raise BusinessError(
                "ingen_behorig_vikarie",
                f"Ingen vikarie kan ta passet: {text}.",
                findings=[Finding(code="ej_tillsatt", message=f"Ej tillsatt: {text}.", severity=Severity.error)],
                evidence=[*evidence, Evidence(label="Skäl (antal vikarier per regel)", value=text, source="Bosse")],
                links=[link],
            )

        now = ctx.now()
        mode, why = s.mode(shift.start, shift.end, now)
        rules = s.rules()
        tried: list[str] = []
        for cand in [d["chosen"], *d.get("alternates", [])]:
            # One lock per substitute, across every worker and machine: never check-and-book one person twice.
            async with ctx.lock(f"vikarie:{cand['id']}"):
                member = substitute_from_detail(await SubstitutePage(ctx).read(cand["id"]), now.date(), skip_shift=shift.id)
                reason = R.reason_for(member.substitute, shift, rules)
                if reason:
                    tried.append(f"{_who(cand)}: {R.reason_sv(reason)}")
                    continue
                outcome_kw = dict(
                    cand=cand, member=member, mode=mode, why=why, tried=tried, evidence=evidence, link=link, settings=s
                )
                for _ in range(2):  # a second go only when the session ran out between opening and saving
                    detail = await pages.open(shift.id)  # check the shift right before writing: never twice
                    if not detail.vacant:
                        return _already_filled(detail, me, d, evidence, link)
                    if ctx.dry_run:
                        return _done(**outcome_kw, dry_run=True)
                    ctx.checkpoints.mark("skickat", {"vikarie": cand["id"], "typ": mode})
                    result = await pages.fill(shift.id, cand["id"], mode)
                    if result.errors != [SESSION_EXPIRED]:
                        break
                    ctx.log.info("session.expired_on_submit")
                # Read the booking back: from where the form landed, or afresh if that was not the shift page.
                detail = await pages.current(shift.id) if result.ok else await pages.open(shift.id)
                if not detail.vacant:
                    if detail.substitute == cand["id"] and detail.by == me:
                        ctx.log.info("shift.filled", mode=mode)
                        return _done(**outcome_kw, dry_run=False)
                    return _already_filled(detail, me, d, evidence, link)
                message = "; ".join(e for e in result.errors if e != SESSION_EXPIRED) or "systemet sparade inte"
                tried.append(f"{_who(cand)}: {message}")
        detail = await pages.open(shift.id)
        if not detail.vacant:  # e.g. an earlier attempt of ours got through before the machine stopped
            return _already_filled(detail, me, d, evidence, link)
        raise BusinessError(
            "ingen_kunde_bokas",
            "Ingen av de föreslagna vikarierna kunde ta passet: " + "; ".join(tried) + ".",
            findings=[Finding(code="ej_tillsatt", message="Ej tillsatt: " + "; ".join(tried) + ".", severity=Severity.error)],
            evidence=evidence,
            links=[link],
        )

    # -- report -----------------------------------------------------------------------------------

    async def report(self, ctx: Context, run: RunReport) -> dict[str, Any] | None:
        s: BosseSettings = ctx.settings  # type: ignore[assignment]
        booked, requested, unfilled, other = [], [], [], []
        for item, outcome in run.outcomes():
            row = {"pass": item.key, "pass_tid": item.title, "sammanfattning": outcome.summary}
            action = outcome.data.get("action")
            if outcome.status == Status.prepared and action == BOOK:
                booked.append(row)
            elif outcome.status == Status.prepared and action == REQUEST:
                requested.append(row)
            elif outcome.status == Status.needs_attention:
                unfilled.append(row)
            else:
                other.append({**row, "status": outcome.status.value})
        out: dict[str, Any] = {
            "sammanfattning": (
                f"{len(booked)} bokade, {len(requested)} förfrågningar, {len(unfilled)} ej tillsatta"
                + (f", {len(other)} övriga" if other else "")
                + (" (torrkörning: inget skrevs)" if run.dry_run else "")
            ),
            "tillsatta": booked,
            "forfragningar": requested,
            "ej_tillsatta": unfilled,
            "ovriga": other,
        }
        try:
            pool = await read_pool(ctx, ctx.now().date())
            out["las_lista"] = las_list(pool.values(), s.las_warning_days, s.las_report_margin_days)
        except Exception as exc:  # the list is a help for HR; the night's work is reported anyway
            ctx.log.warning("report.las_list_failed", error=type(exc).__name__)
            out["las_lista_fel"] = "LAS-listan kunde inte hämtas från Bemanning i natt."
        return out


# -- helpers ----------------------------------------------------------------------------------------


async def read_pool(ctx: Context, today: date) -> dict[str, PoolMember]:
    """Every substitute in the pool, read from their own page (competence, units, availability, bookings)."""
    pages = SubstitutePage(ctx)
    out: dict[str, PoolMember] = {}
    for sub_id in await SubstituteList(ctx).ids():
        out[sub_id] = substitute_from_detail(await pages.read(sub_id), today)
    return out


def las_list(pool: Any, warning_days: int, margin_days: int) -> list[dict[str, Any]]:
    """Substitutes near or past the conversion and företrädesrätt thresholds, most days first."""
    rows = []
    for m in pool:
        sub = m.substitute
        added = las.added_days(m.future_booked_dates)
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
            rows.append(
                {
                    "vikarie": sub.id,
                    "namn": m.name,
                    "las_dagar": row.las_days,
                    "las_dagar_med_bokade": row.projected,
                    "las_dagar_3ar": row.las_days_3y,
                    "las_dagar_3ar_med_bokade": row.projected_3y,
                    "foretradesratt": row.foretradesratt,
                    "noteringar": notes,
                }
            )
    rows.sort(key=lambda r: (-r["las_dagar_med_bokade"], r["vikarie"]))
    return rows


def _person(m: PoolMember, **extra: Any) -> dict[str, Any]:
    return {"id": m.substitute.id, "name": m.name, "las_days": m.substitute.las_days, **extra}


def _who(p: dict[str, Any]) -> str:
    return f"{p['id']} {p.get('name', '')}".strip()


def _when(shift: Shift) -> str:
    a, b = shift.start.astimezone(TZ), shift.end.astimezone(TZ)
    return f"{a:%Y-%m-%d} {a:%H:%M}–{b:%H:%M}"


def _shift_of(d: dict[str, Any]) -> Shift:
    s = d["shift"]
    return Shift(
        id=s["id"],
        unit=s["unit"],
        start=datetime.fromisoformat(s["start"]),
        end=datetime.fromisoformat(s["end"]),
        competence=Competence(s["competence"]),
        skills=frozenset(s["skills"]),
    )


def _shift_evidence(d: dict[str, Any], shift: Shift) -> list[Evidence]:
    s = d["shift"]
    return [
        Evidence(label="Pass", value=f"{shift.id}, {s['unit_label']}, {_when(shift)}", source="Bemanning, passlistan"),
        Evidence(label="Kompetenskrav", value=s["competence_label"] + (f"; {s['skills_label']}" if s["skills"] else ""), source="Bemanning"),
    ]


def _done(
    *,
    cand: dict[str, Any],
    member: PoolMember,
    mode: str,
    why: str,
    tried: list[str],
    evidence: list[Evidence],
    link: Link,
    settings: BosseSettings,
    dry_run: bool,
) -> Outcome:
    who = _who(cand)
    if mode == BOOK:
        summary = f"Bokad: {who}"
    else:
        summary = f"Förfrågan skickad till {who} ({why})"
    if dry_run:
        summary = "Torrkörning – skulle ha " + ("bokat " + who if mode == BOOK else f"skickat förfrågan till {who} ({why})")
    findings: list[Finding] = []
    sub = member.substitute
    if sub.las_days + 1 >= settings.las_warning_days:
        findings.append(
            Finding(
                code="las_varning",
                message=(
                    f"LAS: {who} har {sub.las_days} LAS-dagar och når {sub.las_days + 1} med passet "
                    f"(varningsnivå {settings.las_warning_days}, konvertering vid {las.CONVERSION_DAYS}). "
                    "Ingen annan behörig vikarie fanns; HR bör bedöma."
                ),
                severity=Severity.warning,
            )
        )
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
        data={"action": mode, "substitute": cand["id"], "las_warning": any(f.code == "las_varning" for f in findings), "dry_run": dry_run},
    )


def _already_filled(detail: ShiftDetail, me: str, d: dict[str, Any], evidence: list[Evidence], link: Link) -> Outcome:
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
