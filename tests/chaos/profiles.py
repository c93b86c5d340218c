"""What the chaos suite needs to know about each robot, and nothing robot-specific anywhere else.

A profile says which stand-in systems a robot works, how big a generated scenario must be for at least
200 items, the settings of a chaos run, and how to read the robot's writes out of the systems'
`/_admin/state`: one key per write a person would count (a journal note, a status change, a
registration, a booking). "Exactly once" is then a count of 1 per key.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runner.api import Outcome

States = dict[str, dict[str, Any]]  # system name -> its /_admin/state
WriteKey = tuple[str, ...]


@dataclass(frozen=True)
class RobotProfile:
    name: str
    systems: tuple[str, ...]
    #: the system whose writes the robot makes, and whose screens it depends on most
    main_system: str
    #: a page name for the systems' `changed_pages` fault that the robot reads for every item
    changed_page: str
    #: `fixtures generate --size` that gives at least 200 items (the transient-fault scenario)
    size: int
    #: a small scenario for the kill, down and changed-page checks
    small_size: int
    #: `[robots.<name>]` settings of every chaos run (the robot's own keys and the framework's)
    settings: dict[str, Any]
    #: (states, usernames) -> Counter of write keys made by the robot's accounts
    writes: Callable[[States, dict[str, str]], Counter[WriteKey]]
    #: what of an outcome must be the same as in a fault-free run
    comparable: Callable[[str, str], tuple[str, str]] = lambda status, summary: (status, summary)
    #: the case a write belongs to, and the case of an item key (to tie writes to items)
    write_case: Callable[[WriteKey], str] = lambda w: w[1]
    item_case: Callable[[str], str] = lambda key: key.split(":")[0]
    #: an outcome that shows staff a fault instead of a result (by design), given (status, summary)
    fault_outcome: Callable[[str, str], bool] = lambda status, summary: False
    #: what the transient-fault check may not compare exactly (see the robot's profile)
    notes: tuple[str, ...] = field(default_factory=tuple)


# -- Ronney: ekonomi (journal notes and status changes), ssbtek (read only) ---------------------------


def ronney_writes(states: States, users: dict[str, str]) -> Counter[WriteKey]:
    me = users["ekonomi"]
    out: Counter[WriteKey] = Counter()
    for case in states["ekonomi"]["cases"]:
        for note in case["notes"]:
            if note["author"] == me:
                out[("note", case["case_id"], note["title"])] += 1
        for app in case["applications"]:
            for change in app["status_changes"]:
                if change["by"] == me:
                    out[("status", case["case_id"], app["month"], change["new"])] += 1
    return out


RONNEY = RobotProfile(
    name="ronney",
    systems=("ekonomi", "ssbtek"),
    main_system="ekonomi",
    changed_page="ansokan",
    # 300 applications give about 210 items (the others are already decided or waiting for a decision)
    size=300,
    small_size=30,
    settings={},
    writes=ronney_writes,
    # SSBTEK still failing after its re-reads: by design (issue 4) the case goes to a caseworker with
    # "SSBTEK kunde inte läsas", no calculation, nothing written, status unchanged
    fault_outcome=lambda status, summary: status == "needs_attention" and summary.startswith("SSBTEK kunde inte läsas"),
    notes=("an application whose SSBTEK read still fails after the re-reads goes to a caseworker unwritten",),
)


# -- HaRry: schema (export, read only), personal (registrations) --------------------------------------


def harry_writes(states: States, users: dict[str, str]) -> Counter[WriteKey]:
    me = users["personal"]
    out: Counter[WriteKey] = Counter()
    for s in states["personal"]["schedules"]:
        if s.get("registered_by") == me:
            out[("registration", s["employee"], s.get("source_id", ""), str(s.get("version")))] += 1
    return out


_REGISTERED_ID = re.compile(r"\bP-\d+\b")


def harry_comparable(status: str, summary: str) -> tuple[str, str]:
    """The payroll system numbers registrations in the order they arrive, and concurrent workers under
    faults arrive in another order; a registration confirmed after a retry says so. Neither is a
    difference in what was done."""
    summary = _REGISTERED_ID.sub("P-…", summary).replace(" (bekräftat efter omstart)", "")
    return status, summary


HARRY = RobotProfile(
    name="harry",
    systems=("schema", "personal"),
    main_system="personal",
    changed_page="anstalld",
    size=205,  # one approved schedule per employee
    small_size=30,
    settings={},
    writes=harry_writes,
    comparable=harry_comparable,
    notes=("registration ids (P-…) depend on arrival order and are not compared",),
)


# -- Bosse: bemanning (bookings and requests) --------------------------------------------------------


def bosse_writes(states: States, users: dict[str, str]) -> Counter[WriteKey]:
    me = users["bemanning"]
    out: Counter[WriteKey] = Counter()
    for b in states["bemanning"]["bookings"]:
        if b.get("by") == me:
            out[("booking", b["shift"])] += 1  # one per shift, whoever it went to
    return out


_BOSSE_DONE = re.compile(r"^(Bokad:|Förfrågan skickad till) (\S+)")


def bosse_comparable(status: str, summary: str) -> tuple[str, str]:
    """A booking or request is compared by what was done, not to whom. A shift whose case failed in one
    run is planned again by the next run's fetch, together with the shifts still vacant and the bookings
    the first run made, and may rightly go to another substitute than on a fault-free night (seen in CI:
    one request of 157 went to another substitute). That each shift is booked or requested exactly once
    is checked on the system's own state (`bosse_writes`)."""
    done = _BOSSE_DONE.match(summary)
    return (status, done.group(1)) if done else (status, summary)


BOSSE = RobotProfile(
    name="bosse",
    systems=("bemanning",),
    main_system="bemanning",
    changed_page="pass",
    # shifts spread over three weeks (days_ahead 21 takes them all); 230 shifts, 216 of them vacant
    size=230,
    small_size=30,
    # one solver worker: CP-SAT with one worker is deterministic, so a fault-free run is a fair oracle
    settings={"days_ahead": 21, "solver_workers": 1, "solver_time_limit_seconds": 30},
    writes=bosse_writes,
    comparable=bosse_comparable,
    item_case=lambda key: key,
    notes=("shifts finished only in a later rerun are planned again and may go to another substitute",),
)

# -- Lena: hemtjanst (planning proposals) ---------------------------------------------------------------


def lena_writes(states: States, users: dict[str, str]) -> Counter[WriteKey]:
    me = users["hemtjanst"]
    out: Counter[WriteKey] = Counter()
    for d in states["hemtjanst"]["drafts"]:
        if d["by"] == me:
            out[("draft", d["recipient"], d["start"])] += 1  # one proposal per recipient and period
    return out


_DRAFT_ID = re.compile(r"\bF\d+\b")


def lena_comparable(status: str, summary: str) -> tuple[str, str]:
    """The system numbers proposals in the order they arrive (concurrent workers under faults arrive in
    another order), and a proposal found already written by an earlier attempt says so; neither is a
    difference in what was written."""
    summary = _DRAFT_ID.sub("F…", summary).replace(" fanns redan (sparat vid ett tidigare försök):", " sparat som utkast:")
    return status, summary


LENA = RobotProfile(
    name="lena",
    systems=("hemtjanst",),
    main_system="hemtjanst",
    changed_page="forslag",
    # nearly every recipient of a generated unit needs a new plan (the published one is a busy planner's,
    # made before the night's changes): 180 recipients give about 175 proposals and 28 group days
    size=180,
    small_size=12,
    # deterministic CP-SAT (its own work units, one worker): the same unit gives the same plan, so a
    # fault-free run is then a fair oracle. Five attempts: a proposal is one form of a week's visits whose
    # POST and answer page can each fail, and under 10-second sessions its filling can outlive the session;
    # with three attempts about one item in five was left for a rerun, which plans the rest again.
    settings={"solver_deterministic": True, "solver_time_limit_seconds": 1, "max_attempts": 5},
    writes=lena_writes,
    comparable=lena_comparable,
    write_case=lambda w: w[1],
    item_case=lambda key: key.split(":")[1],
    notes=("proposal ids (F…) depend on arrival order and are not compared",),
)

PROFILES: dict[str, RobotProfile] = {p.name: p for p in (RONNEY, HARRY, BOSSE, LENA)}


def outcome_key(outcome: Outcome, profile: RobotProfile) -> tuple[str, str]:
    return profile.comparable(outcome.status.value, outcome.summary)
