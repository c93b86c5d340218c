"""The capacity check (robots/lena/capacity.py) on a tiny unit worked by hand: for a visit left out it names
what is missing, or finds the room a planner should have used. The plans here are written by hand, not by
the planner, so the check is tested on its own.

The unit: group NORR's base at BASE; every recipient lives at NEAR, 4 minutes from the base:
0.0016° north (0.0016 × 111.2 = 0.178 km) and 0.002° east (0.002 × 111.32 × cos 56.21° = 0.124 km) is
0.217 km, × 1.3 / 30 km/h × 60 = 0.56 min + 3 min to park and get in = 3.56 → 4 minutes. Between two
recipients at the same address: 0 minutes.
"""

from __future__ import annotations

from robots.lena import capacity as C
from robots.lena import rules as R
from robots.lena.model import Booked, Recipient
from tests.lena.test_planner import BASE, DAY, NEAR, TRAVEL, _staff, _unit, _visit, hm

B = [Recipient(f"B{i}", "NORR", NEAR) for i in range(4)]


def _booked(vid: str, rid: str, start: str, minutes: int, *staff: str) -> Booked:
    return Booked(vid, rid, DAY, hm(start), minutes, staff)


def _verdict(visit, staff, booked=(), fixed=()) -> C.Verdict:  # noqa: ANN001
    unit = _unit([visit], staff, B, fixed=fixed)
    return C.check_unplaced(unit, booked, TRAVEL, [visit.id])[visit.id]


def test_the_travel_of_the_tiny_unit():
    assert TRAVEL.minutes(BASE, NEAR) == 4 and TRAVEL.minutes(NEAR, NEAR) == 0


def test_nobody_with_the_delegation_works_in_the_window():
    # P1 works 07:00–16:00 but holds no insulin delegation; P2 holds it but works 14:00–22:00
    v = _visit("D1-20261124-1", "B0", window=("07:00", "09:00"), minutes=10, delegation="insulin")
    staff = [_staff("P1"), _staff("P2", "14:00", "22:00", window=("17:00", "19:00"), delegations=("insulin",))]
    verdict = _verdict(v, staff)
    assert (verdict.kind, verdict.room) == (C.NO_DELEGATION, None)
    assert verdict.reason == "ingen personal med giltig insulindelegering arbetar 07:00–09:00"


def test_nobody_of_the_group_works_in_the_window():
    verdict = _verdict(_visit("D1-20261124-1", "B0", window=("19:00", "21:00")), [_staff("P1")])  # P1 07:00–16:00
    assert verdict.kind == C.NOBODY_WORKS
    assert verdict.reason == "ingen personal i gruppen arbetar 19:00–21:00"


def test_a_double_visit_with_one_person_working():
    # granted two staff 10:00–12:00; only P1 works (P2 is off that day: no pass)
    staff = [_staff("P1"), _staff("P2", days=())]
    verdict = _verdict(_visit("D1-20261124-1", "B0", window=("10:00", "12:00"), staff=2), staff)
    assert verdict.kind == C.TOO_FEW
    assert verdict.reason == "dubbelbemanning: färre än två personal arbetar samtidigt 10:00–12:00"


def test_everyone_is_booked_through_the_window():
    # P1 works 07:00–09:00 without a break: 120 minutes, less 4 out and 4 back = 112 minutes at NEAR.
    # Two 45-minute visits are planned 07:04–07:49 and 07:49–08:34; a third 45 minutes would need
    # 3 × 45 = 135 > 112: at no start 07:00–08:15 does P1's day still hold.
    staff = [_staff("P1", end="09:00", brk=0)]
    booked = [_booked("D1-20261124-1", "B1", "07:04", 45, "P1"), _booked("D2-20261124-1", "B2", "07:49", 45, "P1")]
    verdict = _verdict(_visit("D3-20261124-1", "B0", minutes=45), staff, booked)
    assert verdict.kind == C.BOOKED and verdict.room is None
    assert verdict.reason == "ingen personal ledig 07:00–09:00 (alla som arbetar då är bokade, med restid och rast)"


def test_the_break_takes_the_only_room():
    # P1 works 07:00–16:00 with nothing planned, a 30-minute break in the schedule's window 11:00–13:30:
    # start 11:00–13:00, and by the five-hour rule no later than 07:00 + 5 h = 12:00 and no earlier than
    # 16:00 − 5 h − 30 min = 10:30: start 11:00–12:00.
    staff = [_staff("P1", brk=30, window=("11:00", "13:30"))]
    assert R.break_range(staff[0].shifts[DAY]) == (hm("11:00"), hm("12:00"))
    # A 120-minute visit 11:00–13:30 starts 11:00–11:30. The break before it would end by the start less
    # 4 minutes back out: start ≤ 11:30 − 4 − 30 = 10:56 < 11:00. After it: back at the base at the
    # earliest 11:00 + 120 + 4 = 13:04 > 12:00. Neither: no room, though P1 has no visit at all.
    verdict = _verdict(_visit("D1-20261124-1", "B0", window=("11:00", "13:30"), minutes=120), staff)
    assert verdict.kind == C.BOOKED and verdict.room is None
    # A 90-minute visit in the same window starts 11:00–12:00. The break after it: back at the base at
    # the earliest 11:00 + 90 + 4 = 12:34 > 12:00, never. Before it: the break from 11:00, 30 minutes, 4
    # minutes out: the visit at 11:34 or later. The first start with room is 11:34.
    verdict = _verdict(_visit("D2-20261124-1", "B0", window=("11:00", "13:30"), minutes=90), staff)
    assert verdict.kind == C.ROOM and verdict.room == C.Room(DAY, hm("11:34"), ("P1",))


def test_a_double_visit_when_one_of_two_is_booked():
    # P1 and P2 07:00–09:00 without a break; P2 has a 90-minute visit 07:04–08:34 (the room P1 has is
    # 07:04–08:56). A double visit of 45 minutes 07:00–09:00 would need P2 at 07:04 (busy until 08:34) or
    # at 08:34 (ends 09:19, back 09:19 > 09:00): never both at one start.
    staff = [_staff("P1", end="09:00", brk=0), _staff("P2", end="09:00", brk=0)]
    booked = [_booked("D1-20261124-1", "B1", "07:04", 90, "P2")]
    verdict = _verdict(_visit("D2-20261124-1", "B0", minutes=45, staff=2), staff, booked)
    assert verdict.kind == C.BOOKED
    assert verdict.reason.startswith("dubbelbemanning: inte två personal lediga samtidigt 07:00–09:00")


def test_the_recipients_own_visits_fill_the_window():
    # B0 has a 120-minute visit 07:00–09:00 with P2; another of B0's visits in the same window cannot be
    # at the same time, although P1 is free
    staff = [_staff("P1"), _staff("P2")]
    fixed = [_booked("D1-20261124-1", "B0", "07:00", 120, "P2")]
    verdict = _verdict(_visit("D2-20261124-1", "B0", minutes=30), staff, fixed=fixed)
    assert verdict.kind == C.RECIPIENT_BUSY
    assert verdict.reason == "brukarens andra besök fyller tidsfönstret 07:00–09:00"


def test_room_left_in_the_plan_is_found_and_named():
    # P1 07:00–12:00 without a break has one visit 07:04–07:34; a 30-minute visit 09:00–10:00 fits at
    # 09:00 (from B1 at NEAR to B0 at NEAR: 0 minutes; back at the base 09:34 ≤ 12:00)
    staff = [_staff("P1", end="12:00", brk=0)]
    booked = [_booked("D1-20261124-1", "B1", "07:04", 30, "P1")]
    verdict = _verdict(_visit("D2-20261124-1", "B0", window=("09:00", "10:00")), staff, booked)
    assert verdict.kind == C.ROOM and not verdict.lacks_capacity
    assert verdict.room == C.Room(DAY, hm("09:00"), ("P1",))
    assert verdict.reason == "ledig tid finns (P1 2026-11-24 09:00) men besöket planerades inte; planera det för hand"
