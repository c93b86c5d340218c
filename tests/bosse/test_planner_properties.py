"""Property test over random pools: whatever the pool, no planned booking ever breaks a hard rule.

The referee is `rules.schedule_violations`, written straight from the rules, not from the solver's
encoding; the solver must also never fill fewer shifts than the first-come greedy.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robots.bosse import rules as R
from robots.bosse.model import Competence, Period, Shift, Substitute
from robots.bosse.planner import plan_greedy, plan_shifts
from tests.bosse.helpers import at, period

RULES = R.RuleSet()
# 2026-03-26 .. 04-05: crosses a week boundary (Mon 03-30), the spring-forward night (03-29) and a
# month boundary (hour cap per month).
DAYS = [date(2026, 3, 26) + timedelta(days=i) for i in range(11)]
TEMPLATES = [("07:00", "16:00"), ("13:30", "21:30"), ("21:00", "07:00"), ("08:00", "12:00"), ("06:00", "14:00")]
UNITS = ["SOL", "ROS"]
SKILLS = ["korkort_b", "delegering_lakemedel"]


def _period(day: date, tpl: tuple[str, str]) -> Period:
    return period(f"{day.isoformat()} {tpl[0]}", tpl[1])


shifts_st = st.lists(
    st.builds(
        lambda i, d, t, u, c, sk: (d, t, u, c, sk),
        st.just(0),
        st.sampled_from(DAYS),
        st.sampled_from(TEMPLATES),
        st.sampled_from(UNITS),
        st.sampled_from(list(Competence)),
        st.sets(st.sampled_from(SKILLS), max_size=1),
    ),
    min_size=1,
    max_size=10,
)

person_st = st.fixed_dictionaries(
    {
        "competence": st.sampled_from(list(Competence)),
        "usk_bevis": st.booleans(),
        "usk_overgang": st.booleans(),
        "skills": st.sets(st.sampled_from(SKILLS)),
        "units": st.sets(st.sampled_from(UNITS), min_size=1),
        "hourly": st.booleans(),
        "march_hours": st.integers(0, 165),
        "las_days": st.integers(0, 400),
        "foretradesratt": st.booleans(),
        "booked": st.lists(st.tuples(st.sampled_from(DAYS), st.sampled_from(TEMPLATES)), max_size=3),
        "away": st.lists(st.sampled_from(DAYS), max_size=3),  # days without availability
    }
)


def _build(raw_shifts, raw_people) -> tuple[list[Shift], list[Substitute]]:
    shifts = []
    for i, (d, t, u, c, sk) in enumerate(raw_shifts):
        p = _period(d, t)
        shifts.append(Shift(id=f"P{i}", unit=u, start=p.start, end=p.end, competence=c, skills=frozenset(sk)))
    people = []
    for i, r in enumerate(raw_people):
        booked: list[Period] = []
        for d, t in r["booked"]:
            b = _period(d, t)
            if all(R.pair_reason(b, o, RULES) is None for o in booked):  # a consistent existing schedule
                booked.append(b)
        avail = []
        for d in [DAYS[0] - timedelta(days=1), *DAYS, DAYS[-1] + timedelta(days=1)]:
            if d not in r["away"]:
                avail.append(Period(start=at(f"{d.isoformat()} 00:00"), end=at(f"{(d + timedelta(days=1)).isoformat()} 00:00")))
        people.append(
            Substitute(
                id=f"V{i}",
                competence=r["competence"],
                usk_bevis=r["usk_bevis"],
                usk_overgang=r["usk_overgang"],
                skills=frozenset(r["skills"]),
                units=frozenset(r["units"]),
                availability=tuple(avail),
                booked=tuple(booked),
                month_minutes={"2026-03": r["march_hours"] * 60},
                hourly=r["hourly"],
                las_days=r["las_days"],
                foretradesratt=r["foretradesratt"],
            )
        )
    return shifts, people


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shifts_st, st.lists(person_st, min_size=1, max_size=6))
def test_no_planned_booking_breaks_a_hard_rule(raw_shifts, raw_people):
    shifts, people = _build(raw_shifts, raw_people)
    plan = plan_shifts(shifts, people, RULES, time_limit=5.0, workers=2)
    by_id = {p.id: p for p in people}
    shift_by_id = {s.id: s for s in shifts}

    mine: dict[str, list[Shift]] = defaultdict(list)
    for sid, choice in plan.chosen.items():
        mine[choice.substitute_id].append(shift_by_id[sid])
    for pid, taken in mine.items():
        assert R.schedule_violations(by_id[pid], taken, RULES) == []

    # Every shift is either filled or explained, with every person counted once.
    assert set(plan.chosen) | set(plan.unfilled) == set(shift_by_id)
    assert not set(plan.chosen) & set(plan.unfilled)
    for counts in plan.unfilled.values():
        assert sum(counts.values()) == len(people)

    # Alternates could step in without breaking their own planned shifts.
    for sid, choice in plan.chosen.items():
        for alt in choice.alternates:
            assert alt != choice.substitute_id
            assert R.reason_against(by_id[alt], shift_by_id[sid], mine.get(alt, []), RULES) is None

    # Never worse than first come, first served.
    if plan.status == "OPTIMAL":
        assert plan.filled >= len(plan_greedy(shifts, people, RULES))
