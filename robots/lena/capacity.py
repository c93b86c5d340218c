"""Why a visit was left out of a plan: the capacity check, written from the rules and not from the planner.

For a visit the plan did not place, every day it may be on and every minute its window allows a start is
tried against every staff member of the recipient's group: working the whole visit that day (absences are
days not worked), holding the delegation it needs that day, and — with the visit put into their day as the
plan has it — a day that can still be worked (`rules.day_problem`: travel from the group's base, visit by
visit, back before the pass ends, and the break in its allowed range). Two staff where two are granted, at
one start. The recipient's own visits may not overlap, and a weekly decision's occasions stay on different
days.

The result names the first thing that is missing, in Swedish, with the window, for the planner's morning
report:

- nobody of the group works in the window;
- nobody working then holds the delegation;
- fewer than two (with the delegation) work at one time, for a visit granted two;
- the recipient's other visits fill the window;
- everyone who could take it is booked through the window in the plan (visits, travel, the break);
- or there IS room: a staff member (two) free at some start. The planner should have placed it; the
  reason says so and names the room, and `bench/lena.py` counts it as a planner fault.

What it does not prove: that no other arrangement of the other visits would make room. "Booked through"
means booked in this plan; the planner's search is what tries other arrangements.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from robots.lena import rules as R
from robots.lena.model import DELEGATION_SV, Booked, Staff, Unit, Visit

#: what was missing, from the most to the least structural
NOBODY_WORKS = "ingen_arbetar"
NO_DELEGATION = "ingen_delegering"
TOO_FEW = "for_fa"
RECIPIENT_BUSY = "brukaren_upptagen"
NOT_HOME = "inte_hemma"
BOOKED = "fullbokad"
ROOM = "plats_finns"


@dataclass(frozen=True)
class Room:
    """A start at which the plan leaves enough qualified staff free for the visit."""

    day: date
    start: int
    staff: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    visit: str
    kind: str  # one of the constants above
    reason: str  # Swedish, for the planner
    room: Room | None = None

    @property
    def lacks_capacity(self) -> bool:
        return self.room is None


def window_text(v: Visit) -> str:
    """The visit's window as the decision gives it: earliest start to the latest end."""
    return f"{R._hhmm(v.earliest)}–{R._hhmm(v.latest + v.minutes)}"


class Check:
    """The plan's staff days and recipients' visits, ready for `verdict` on each visit left out."""

    def __init__(self, unit: Unit, booked: Iterable[Booked], travel: R.Travel) -> None:
        self.unit, self.travel = unit, travel
        period = set(unit.days)
        self.period = period
        self.places = {r.id: r.place for r in unit.recipients.values()}
        self.days: dict[tuple[str, date], list[Booked]] = defaultdict(list)
        self.own: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
        self.weekly_days: dict[str, set[date]] = defaultdict(set)
        for b in [*booked, *(f for f in unit.fixed if f.day in period)]:
            for sid in b.staff:
                self.days[sid, b.day].append(b)
            self.own[b.recipient, b.day].append((b.start, b.end))
            parts = b.visit.split("-")
            if len(parts) > 2 and "V" in parts[1]:
                self.weekly_days[b.visit.rsplit("-", 1)[0]].add(b.day)
        for lst in self.days.values():
            lst.sort(key=lambda b: (b.start, b.visit))
        self.starts = {k: [b.start for b in lst] for k, lst in self.days.items()}

    def _free(self, s: Staff, d: date, v: Visit, t: int) -> bool:
        """Whether `s`'s day `d` can still be worked with `v` started at `t` (rules.day_problem)."""
        shift = s.shifts[d]
        base = self.unit.groups[s.group].base
        route = self.days.get((s.id, d), [])
        pos = bisect_left(self.starts.get((s.id, d), []), t)
        here, tr = self.places[v.recipient], self.travel.minutes
        # a quick necessary condition first (the trips from the stop before and to the one after)
        prev_end, prev_place = (route[pos - 1].end, self.places[route[pos - 1].recipient]) if pos else (shift.start, base)
        nxt_start, nxt_place = (route[pos].start, self.places[route[pos].recipient]) if pos < len(route) else (shift.end, base)
        if t < prev_end + tr(prev_place, here) or t + v.minutes + tr(here, nxt_place) > nxt_start:
            return False
        b = Booked(v.id, v.recipient, d, t, v.minutes, (s.id,), v.insats)
        return R.day_problem([*route[:pos], b, *route[pos:]], shift, base, self.places, self.travel) is None

    def verdict(self, v: Visit) -> Verdict:
        """Try every day, start minute and staff member of the group for `v` (see the module's docstring)."""
        r = self.unit.recipients[v.recipient]
        staff = sorted((s for s in self.unit.staff.values() if s.group == r.group), key=lambda s: s.id)
        week = v.id.rsplit("-", 1)[0] if v.weekly else ""
        works = qualified = enough = home = recipient_free = False
        for d in v.dates:
            if d not in self.period or d in r.away:
                continue
            if week and d in self.weekly_days[week]:
                continue
            home = True
            working = [s for s in staff if d in s.shifts]
            busy = self.own.get((v.recipient, d), [])
            for t in range(v.earliest, v.latest + 1):
                on = [s for s in working if s.shifts[d].start <= t and t + v.minutes <= s.shifts[d].end]
                if not on:
                    continue
                works = True
                ok = [s for s in on if s.may(v.delegation, d)]
                if not ok:
                    continue
                qualified = True
                if len(ok) < v.staff:
                    continue
                enough = True
                if any(lo < t + v.minutes and t < hi for lo, hi in busy):
                    continue
                recipient_free = True
                free = [s.id for s in ok if self._free(s, d, v, t)]
                if len(free) >= v.staff:
                    room = Room(d, t, tuple(free[: v.staff]))
                    who = " och ".join(room.staff)
                    return Verdict(v.id, ROOM, f"ledig tid finns ({who} {d.isoformat()} {R._hhmm(t)}) men besöket "
                                               "planerades inte; planera det för hand", room)
        w = window_text(v)
        days = f" någon av de {len(v.dates)} dagarna" if len(v.dates) > 1 else ""
        holding = f" med giltig {DELEGATION_SV[v.delegation].lower()}" if v.delegation else ""
        if not home:
            if week and any(d in self.weekly_days[week] for d in v.dates):
                return Verdict(v.id, NOT_HOME, "veckans övriga tillfällen ligger redan på de dagar brukaren är hemma")
            return Verdict(v.id, NOT_HOME, "brukaren är inte hemma någon av dagarna besöket kan ligga")
        if not works:
            return Verdict(v.id, NOBODY_WORKS, f"ingen personal i gruppen arbetar {w}{days}")
        if not qualified:
            return Verdict(v.id, NO_DELEGATION, f"ingen personal{holding} arbetar {w}{days}")
        if not enough:
            return Verdict(v.id, TOO_FEW, f"dubbelbemanning: färre än två personal{holding} arbetar samtidigt {w}{days}")
        if not recipient_free:
            return Verdict(v.id, RECIPIENT_BUSY, f"brukarens andra besök fyller tidsfönstret {w}{days}")
        if v.staff > 1:
            return Verdict(v.id, BOOKED, f"dubbelbemanning: inte två personal{holding} lediga samtidigt {w}{days} "
                                         "(alla som arbetar då är bokade, med restid och rast)")
        return Verdict(v.id, BOOKED, f"ingen personal{holding} ledig {w}{days} "
                                     "(alla som arbetar då är bokade, med restid och rast)")


def check_unplaced(unit: Unit, booked: Iterable[Booked], travel: R.Travel, left: Iterable[str]) -> dict[str, Verdict]:
    """A verdict for every visit id in `left` (the visits the plan `booked` did not place)."""
    check = Check(unit, booked, travel)
    by_id = {v.id: v for v in unit.visits}
    return {vid: check.verdict(by_id[vid]) for vid in left}


__all__ = ["BOOKED", "NOBODY_WORKS", "NOT_HOME", "NO_DELEGATION", "RECIPIENT_BUSY", "ROOM", "TOO_FEW", "Check",
           "Room", "Verdict", "check_unplaced", "window_text"]
