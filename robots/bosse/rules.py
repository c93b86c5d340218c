"""The hard rules: who may take a shift. Pure functions, no I/O; the planner and process() share them.

Sources (domain brief §4): undersköterska is a protected title since 2023-07-01 (bevis from
Socialstyrelsen, or the transition right until 2033-06-30); TCP keeps introduced units and special
skills per substitute; ATL/AB: 11 h dygnsvila between shifts and 36 h veckovila in every week; local
monthly cap for hourly staff (Lund: 165 h).

Every rule has a code, and a Swedish phrase that reads after a count: "4 saknar USK-bevis".
When a substitute breaks several rules for one shift, the FIRST in `REASON_ORDER` is the one counted,
so the counts for a shift add up to the size of the pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from robots.bosse import las
from robots.bosse.model import TZ, Period, Shift, Substitute, minutes, skill_label

USK_TRANSITION_UNTIL = date(2033, 6, 30)


@dataclass(frozen=True)
class Minors:
    """Arbetsmiljöverket's rules for workers under 18 who have finished compulsory school (AFS 2012:3,
    since 2025 in the new structure; av.se "Arbetstider för minderåriga" [S]): no work between 22 and 06
    (or 23 and 07, the employer's choice), at most 8 h a day and 40 h a week, 12 h of nattvila, a rast of
    at least 30 minutes at the latest after 4½ hours of work. Younger than 16: only light, harmless work,
    which care work is not, so never booked."""

    adult_age: int = 18
    minimum_age: int = 16
    night_start_minutes: int = 22 * 60
    night_end_minutes: int = 6 * 60
    max_day_minutes: int = 8 * 60
    max_week_minutes: int = 40 * 60
    daily_rest_minutes: int = 12 * 60
    rast_after_minutes: int = 270
    min_rast_minutes: int = 30


@dataclass(frozen=True)
class RuleSet:
    """The limits the rules apply; from the robot's settings."""

    daily_rest_minutes: int = 11 * 60
    weekly_rest_minutes: int = 36 * 60
    monthly_cap_minutes: int | None = 165 * 60
    usk_transition_until: date = USK_TRANSITION_UNTIL
    tz: ZoneInfo = TZ
    minors: Minors = Minors()
    #: A booking that would take an hourly substitute's SÄVA days past the conversion threshold (LAS 5 a §)
    #: is the employer's decision: left to a person unless the municipality lets Bosse book it.
    book_past_conversion: bool = False
    #: Longest work in a row without rast in an ordered shift (ATL 15 §: 5 h): a shift breaking it is flagged.
    max_minutes_without_break: int = 5 * 60


# Reason codes in the order they are checked (and counted). "skill:<code>" is one code per skill.
COMPETENCE_USK = "saknar_usk_bevis"
COMPETENCE = "saknar_kompetens"
SKILL = "skill"
NOT_INTRODUCED = "ej_introducerad"
TOO_YOUNG = "under_16"
MINOR_NIGHT = "minderarig_natt"
MINOR_SHIFT = "minderarig_pass"
NOT_AVAILABLE = "ej_tillganglig"
OVERLAP = "redan_bokad"
DAILY_REST = "dygnsvila"
WEEKLY_REST = "veckovila"
MINOR_WEEK = "minderarig_vecka"
HOUR_CAP = "timtak"
LAS_CONVERSION = "las_konvertering"
NEEDED_ELSEWHERE = "annat_pass"  # only the planner: free on its own, but needed for other shifts tonight

REASON_ORDER = [
    COMPETENCE_USK,
    COMPETENCE,
    SKILL,
    NOT_INTRODUCED,
    TOO_YOUNG,
    MINOR_NIGHT,
    MINOR_SHIFT,
    NOT_AVAILABLE,
    OVERLAP,
    DAILY_REST,
    WEEKLY_REST,
    MINOR_WEEK,
    HOUR_CAP,
    LAS_CONVERSION,
    NEEDED_ELSEWHERE,
]

REASONS_SV = {
    COMPETENCE_USK: "saknar USK-bevis",
    COMPETENCE: "saknar rätt kompetens",
    NOT_INTRODUCED: "ej introducerad",
    TOO_YOUNG: "under 16 år",
    MINOR_NIGHT: "under 18 år: passet är på natten",
    MINOR_SHIFT: "under 18 år: passet är för långt eller saknar rast",
    NOT_AVAILABLE: "ej tillgänglig",
    OVERLAP: "redan bokad samtidigt",
    DAILY_REST: "för kort vila",
    WEEKLY_REST: "för kort veckovila",
    MINOR_WEEK: "under 18 år: över 40 timmar i veckan",
    HOUR_CAP: "över timtaket",
    LAS_CONVERSION: "skulle passera LAS-gränsen för konvertering",
    NEEDED_ELSEWHERE: "behövs till andra pass",
}


def reason_sv(code: str) -> str:
    if code.startswith(SKILL + ":"):
        return "saknar " + skill_label(code.split(":", 1)[1])
    return REASONS_SV.get(code, code)


def _order_key(code: str) -> int:
    return REASON_ORDER.index(SKILL if code.startswith(SKILL + ":") else code)


def format_reasons(counts: Counter[str] | dict[str, int]) -> str:
    """'4 saknar USK-bevis, 2 för kort vila, 1 ej introducerad': most common first, then rule order."""
    items = sorted(((c, n) for c, n in counts.items() if n), key=lambda cn: (-cn[1], _order_key(cn[0]), cn[0]))
    return ", ".join(f"{n} {reason_sv(c)}" for c, n in items)


# -- rules about the person and the shift alone ------------------------------------------------------


def may_use_usk_title(sub: Substitute, on: date, rules: RuleSet) -> bool:
    """Bevis from Socialstyrelsen, or the transition right (tillsvidare USK on 2023-07-01) until 2033-06-30."""
    return sub.usk_bevis or (sub.usk_overgang and on <= rules.usk_transition_until)


def competence_reason(sub: Substitute, shift: Shift, rules: RuleSet) -> str | None:
    if shift.competence.needs_title and not may_use_usk_title(sub, shift.local_date, rules):
        return COMPETENCE_USK
    if sub.competence.level < shift.competence.level:
        return COMPETENCE
    return None


def skill_reason(sub: Substitute, shift: Shift) -> str | None:
    missing = sorted(shift.skills - sub.skills)
    return f"{SKILL}:{missing[0]}" if missing else None


def available_for(sub: Substitute, shift: Period) -> bool:
    """True when the substitute's availability covers the whole shift (touching windows join up)."""
    start, end = shift.start_min, shift.end_min
    return any(a <= start and end <= b for a, b in sub.available_spans)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def is_minor(sub: Substitute, shift: Period, rules: RuleSet) -> bool:
    age = sub.age_on(shift.start.astimezone(rules.tz).date())
    return age is not None and age < rules.minors.adult_age


def in_minor_night(shift: Period, rules: RuleSet) -> bool:
    """Does the shift touch the hours a minor may not work (22–06 by default), on any night it spans?"""
    m = rules.minors
    day = shift.start.astimezone(rules.tz).date() - timedelta(days=1)
    last = shift.end.astimezone(rules.tz).date()
    while day <= last:
        begin = datetime.combine(day, datetime.min.time(), tzinfo=rules.tz) + timedelta(minutes=m.night_start_minutes)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=rules.tz) + timedelta(
            minutes=m.night_end_minutes)
        if shift.start_min < minutes(end) and minutes(begin) < shift.end_min:
            return True
        day += timedelta(days=1)
    return False


def minor_reason(sub: Substitute, shift: Shift, rules: RuleSet) -> str | None:
    """AFS 2012:3 for a substitute under 18 on the shift's date (see `Minors`)."""
    if not is_minor(sub, shift, rules):
        return None
    m = rules.minors
    age = sub.age_on(shift.local_date)
    if age is not None and age < m.minimum_age:
        return TOO_YOUNG
    if in_minor_night(shift, rules):
        return MINOR_NIGHT
    if shift.work_min > m.max_day_minutes:
        return MINOR_SHIFT
    if shift.work_min > m.rast_after_minutes and (
        shift.break_minutes < m.min_rast_minutes or max(shift.stretches_min) > m.rast_after_minutes
    ):
        return MINOR_SHIFT
    return None


def break_problem(shift: Shift, rules: RuleSet) -> str | None:
    """Swedish text when the shift as ordered has more work in a row than ATL allows without a rast."""
    stretch = max(shift.stretches_min)
    if stretch <= rules.max_minutes_without_break:
        return None
    hours = f"{stretch / 60:.1f}".replace(".", ",")
    cap = f"{rules.max_minutes_without_break / 60:g}".replace(".", ",")
    if shift.break_minutes == 0:
        return f"Passet saknar rast: {hours} h i följd utan rast (högst {cap} h)"
    return f"Passet har {hours} h i följd utan rast med rasten där den ligger (högst {cap} h)"


def static_reason(sub: Substitute, shift: Shift, rules: RuleSet) -> str | None:
    """Rules that depend on nobody's other shifts: competence, skills, introduction, age, availability."""
    return (
        competence_reason(sub, shift, rules)
        or skill_reason(sub, shift)
        or (NOT_INTRODUCED if shift.unit not in sub.units else None)
        or minor_reason(sub, shift, rules)
        or (None if available_for(sub, shift) else NOT_AVAILABLE)
    )


# -- rules between shifts -----------------------------------------------------------------------------


def pair_reason(a: Period, b: Period, rules: RuleSet, rest_minutes: int | None = None) -> str | None:
    """Overlap, or less than the daily rest between the end of one and the start of the other."""
    if a.start_min < b.end_min and b.start_min < a.end_min:
        return OVERLAP
    gap = b.start_min - a.end_min if a.start_min < b.start_min else a.start_min - b.end_min
    return DAILY_REST if gap < (rules.daily_rest_minutes if rest_minutes is None else rest_minutes) else None


def rest_minutes_for(sub: Substitute, shift: Period, rules: RuleSet) -> int:
    """11 h of dygnsvila, 12 h of nattvila for a minor (AFS 2012:3)."""
    if is_minor(sub, shift, rules):
        return max(rules.daily_rest_minutes, rules.minors.daily_rest_minutes)
    return rules.daily_rest_minutes


def minor_week_over(sub: Substitute, periods: Sequence[Period], new: Sequence[Shift], rules: RuleSet) -> bool:
    """Over 40 h in a calendar week for a minor: the new shifts' working time plus the other bookings'."""
    for w in sorted({w for s in new for w in weeks_of(s, rules.tz)}):
        if not any(is_minor(sub, s, rules) for s in new if w in weeks_of(s, rules.tz)):
            continue
        lo, hi = week_bounds(w, rules.tz)
        total = 0
        for p in periods:
            a, b = max(p.start_min, lo), min(p.end_min, hi)
            if a < b:
                total += b - a - (p.break_minutes if isinstance(p, Shift) and (a, b) == (p.start_min, p.end_min) else 0)
        if total > rules.minors.max_week_minutes:
            return True
    return False


def las_conversion_reached(sub: Substitute, new: Sequence[Shift], rules: RuleSet) -> bool:
    """Would these bookings take an hourly substitute's SÄVA days to the conversion threshold?"""
    if rules.book_past_conversion or not sub.hourly or not new:
        return False
    dates = [p.start.astimezone(rules.tz).date() for p in [*sub.booked, *new]]
    on = max(dates)
    return las.conversion_count([*sub.history, *las.day_engagements(dates, sub.history)], on).days >= las.CONVERSION_DAYS


def week_start(dt: datetime, tz: ZoneInfo = TZ) -> datetime:
    """Monday 00:00 local time of the calendar week holding `dt`: veckovila is checked per calendar week."""
    local = dt.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=tz)


def weeks_of(period: Period, tz: ZoneInfo = TZ) -> list[datetime]:
    """Monday 00:00 of every calendar week the period touches."""
    first = week_start(period.start, tz)
    last = week_start(period.end - timedelta(minutes=1), tz)
    out = [first]
    while out[-1] < last:
        d = out[-1].date() + timedelta(days=7)
        out.append(datetime(d.year, d.month, d.day, tzinfo=tz))
    return out


def week_bounds(monday: datetime, tz: ZoneInfo = TZ) -> tuple[int, int]:
    """Epoch minutes of Monday 00:00 and the next Monday 00:00 (167, 168 or 169 real hours)."""
    d = monday.date() + timedelta(days=7)
    return minutes(monday), minutes(datetime(d.year, d.month, d.day, tzinfo=tz))


def longest_rest_in_week(periods: Iterable[Period], monday: datetime, tz: ZoneInfo = TZ) -> int:
    """The longest stretch without work inside the week [Monday 00:00, next Monday 00:00), in minutes."""
    lo, hi = week_bounds(monday, tz)
    busy = _merged((max(p.start_min, lo), min(p.end_min, hi)) for p in periods if p.start_min < hi and p.end_min > lo)
    longest, cursor = 0, lo
    for a, b in busy:
        longest = max(longest, a - cursor)
        cursor = max(cursor, b)
    return max(longest, hi - cursor)


def weekly_rest_ok(periods: Sequence[Period], monday: datetime, rules: RuleSet) -> bool:
    return longest_rest_in_week(periods, monday, rules.tz) >= rules.weekly_rest_minutes


def month_minutes_after(sub: Substitute, new: Iterable[Shift]) -> dict[str, int]:
    """Committed minutes per month once `new` shifts are added (a shift counts in the month it starts)."""
    out: dict[str, int] = {}
    for s in new:
        out[s.month] = out.get(s.month, sub.month_minutes.get(s.month, 0)) + s.work_min
    return out


def over_cap(sub: Substitute, new: Iterable[Shift], rules: RuleSet) -> bool:
    if not sub.hourly or rules.monthly_cap_minutes is None:
        return False
    return any(total > rules.monthly_cap_minutes for total in month_minutes_after(sub, new).values())


def reason_against(sub: Substitute, shift: Shift, others: Sequence[Shift], rules: RuleSet) -> str | None:
    """The first rule broken by giving `shift` to `sub`, who already has the bookings in `sub.booked`
    and (in a plan) the new shifts `others`. None: the shift may be given."""
    reason = static_reason(sub, shift, rules)
    if reason:
        return reason
    existing: list[Period] = [*sub.booked, *others]
    rest = rest_minutes_for(sub, shift, rules)
    pair = [pair_reason(shift, b, rules, rest) for b in existing]
    if OVERLAP in pair:
        return OVERLAP
    if DAILY_REST in pair:
        return DAILY_REST
    everything = [*existing, shift]
    if not all(weekly_rest_ok(everything, w, rules) for w in weeks_of(shift, rules.tz)):
        return WEEKLY_REST
    if minor_week_over(sub, everything, [*others, shift], rules):
        return MINOR_WEEK
    if over_cap(sub, [*others, shift], rules):
        return HOUR_CAP
    if las_conversion_reached(sub, [*others, shift], rules):
        return LAS_CONVERSION
    return None


def reason_for(sub: Substitute, shift: Shift, rules: RuleSet) -> str | None:
    """The first rule broken by giving `shift` to `sub` on top of their existing bookings alone."""
    return reason_against(sub, shift, (), rules)


def schedule_violations(sub: Substitute, new: Sequence[Shift], rules: RuleSet) -> list[tuple[str, str]]:
    """Every (shift id, rule) broken when `sub` gets all of `new` at once: the check a finished plan must pass.

    Written straight from the rules (not from the solver's encoding), so tests can use it as the referee.
    """
    bad: list[tuple[str, str]] = []
    for s in new:
        r = static_reason(sub, s, rules)
        if r:
            bad.append((s.id, r))
    periods: list[Period] = [*sub.booked, *new]
    for i, s in enumerate(new):
        for other in [*sub.booked, *new[:i]]:  # each pair once, reported on the later new shift
            r = pair_reason(s, other, rules, rest_minutes_for(sub, s, rules))
            if r:
                bad.append((s.id, r))
    weeks = sorted({w for s in new for w in weeks_of(s, rules.tz)})
    for w in weeks:
        if not weekly_rest_ok(periods, w, rules):
            bad.append((",".join(s.id for s in new if w in weeks_of(s, rules.tz)), WEEKLY_REST))
    if minor_week_over(sub, periods, new, rules):
        bad.append((",".join(s.id for s in new), MINOR_WEEK))
    if over_cap(sub, new, rules):
        bad.append((",".join(s.id for s in new), HOUR_CAP))
    if las_conversion_reached(sub, new, rules):
        bad.append((",".join(s.id for s in new), LAS_CONVERSION))
    return bad
