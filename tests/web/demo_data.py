"""Realistic demo rows for the morning report, written straight into the ledger.

Names and personnummer are made up by a seeded generator (valid check digit, never a listed person on
purpose) and are never printed: tests compare them as booleans.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from runner.ledger.models import Item, Outcome, Run

TZ = ZoneInfo("Europe/Stockholm")
FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Ahmed", "Fatima", "Mikael", "Elin", "Oskar", "Leila", "Nils"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Hassan", "Lindqvist"]


def luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


class People:
    """Seeded fake people: `(name, personnummer)` with a valid check digit, all distinct."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def person(self, born_from: int = 1955, born_to: int = 2003) -> tuple[str, str]:
        while True:
            year = self.rng.randint(born_from, born_to)
            month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
            serial = f"{self.rng.randint(0, 999):03d}"
            nine = f"{year % 100:02d}{month:02d}{day:02d}{serial}"
            pnr = f"{year}{month:02d}{day:02d}-{serial}{luhn_digit(nine)}"
            if pnr not in self.seen:
                self.seen.add(pnr)
                return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", pnr


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


@dataclass
class Demo:
    """What the tests need to find again (ids, and the people's data to compare, never to print)."""

    runs: dict[str, str] = field(default_factory=dict)  # label -> run id
    items: dict[str, int] = field(default_factory=dict)  # label -> item id
    outcomes: dict[str, int] = field(default_factory=dict)  # label -> outcome id
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (name, personnummer)
    keys: dict[str, str] = field(default_factory=dict)  # label -> item key


class _Writer:
    def __init__(self, s: Session, demo: Demo) -> None:
        self.s, self.demo = s, demo
        self.items: dict[tuple[str, str], Item] = {}

    def run(self, label: str, robot: str, status: str, start: datetime, minutes: float | None, *, dry_run: bool = False,
            reason: str | None = None, trigger: str = "schedule", report: dict[str, Any] | None = None) -> Run:
        run = Run(
            id=f"{start.strftime('%Y%m%d%H%M%S')}-{robot[:4]}{len(self.demo.runs):04d}",
            robot=robot, status=status, reason=reason, trigger=trigger, dry_run=dry_run,
            started_at=start, ended_at=start + timedelta(minutes=minutes) if minutes is not None else None,
            scheduled_for=start if trigger == "schedule" else None, counts={}, report=report, host="nattskift-01", pid=4242,
        )
        self.s.add(run)
        self.s.flush()
        self.demo.runs[label] = run.id
        return run

    def item(self, label: str, robot: str, key: str, title: str, run: Run, *, state: str = "done",
             status: str | None = None, attempts: int = 1) -> Item:
        it = self.items.get((robot, key))
        if it is None:
            it = Item(robot=robot, key=key, title=title, data={}, state=state, status=status, attempts=attempts,
                      checkpoints={}, run_id=run.id, created_at=run.started_at, updated_at=run.started_at)
            self.s.add(it)
            self.s.flush()
            self.items[(robot, key)] = it
        it.run_id, it.state, it.status, it.updated_at = run.id, state, status, run.started_at
        self.demo.items[label] = it.id
        self.demo.keys[label] = key
        return it

    def outcome(self, label: str, run: Run, robot: str, key: str, title: str, status: str, summary: str,
                minute: int, **extra: Any) -> Outcome:
        it = self.item(label, robot, key, title, run, status=status)
        o = Outcome(run_id=run.id, item_id=it.id, robot=robot, key=key, title=title, status=status, summary=summary,
                    findings=extra.get("findings", []), evidence=extra.get("evidence", []), links=extra.get("links", []),
                    data={}, artifacts=extra.get("artifacts", []), attempts=extra.get("attempts", 1),
                    error=extra.get("error"), recorded_at=run.started_at + timedelta(minutes=minute))
        self.s.add(o)
        self.s.flush()
        self.demo.outcomes[label] = o.id
        return o

    def close(self, run: Run) -> None:
        from runner.web.queries import run_counts

        self.s.flush()
        run.counts = run_counts(self.s, run.id)


EKONOMI = "http://127.0.0.1:8101"


def _ronney_prepared(people: People, demo: Demo, label: str, case_no: int, rent: int, income: int) -> dict[str, Any]:
    name, pnr = people.person()
    demo.people[label] = (name, pnr)
    # bistånd = riksnorm (3 910 personal + 1 270 household, 2025) + rent + el 350 + hemförsäkring 150 - income
    amount = 3910 + 1270 + rent + 350 + 150 - income
    fmt = lambda n: f"{n:,}".replace(",", "\u00a0") + " kr"  # noqa: E731
    return {
        "key": f"EB-2025-{case_no:04d}:2025-11",
        "title": f"Ansökan november 2025 – {name}, {pnr}",
        "summary": f"Klar för beslut: {fmt(amount)} för november 2025 ({name}, {pnr}).",
        "findings": [{"code": "incomes_match", "message": "Inkomsterna enligt SSBTEK stämmer med ansökan.", "severity": "info"}],
        "evidence": [
            {"label": "Riksnorm, ensamstående (personliga kostnader)", "value": fmt(3910), "source": "Socialtjänstförordningen 12 kap. 2 §, 2025"},
            {"label": "Hushållsgemensamma kostnader, 1 person", "value": fmt(1270), "source": "Socialtjänstförordningen 12 kap. 2 §, 2025"},
            {"label": "Boendekostnad (hyra)", "value": fmt(rent), "source": "Ansökan, bifogat hyresavtal"},
            {"label": "Hushållsel", "value": fmt(350), "source": "Ansökan, elräkning oktober"},
            {"label": "Hemförsäkring", "value": fmt(150), "source": "Ansökan"},
            {"label": "Aktivitetsstöd (Försäkringskassan)", "value": "−" + fmt(income), "source": "SSBTEK, Försäkringskassan, november 2025"},
            {"label": "Beräknat försörjningsstöd", "value": fmt(amount), "source": "Beräknat av Ronney"},
        ],
        "links": [{"label": "Öppna ärendet i Ekonomiskt bistånd", "url": f"{EKONOMI}/arenden/EB-2025-{case_no:04d}"}],
    }


def write_failure_artifacts(data_dir: Path, run_id: str, item_id: int, screenshot_png: bytes) -> list[str]:
    folder = data_dir / "artifacts" / run_id / f"item-{item_id}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "attempt-3-ekonomi.png").write_bytes(screenshot_png)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("trace.trace", "{}\n")
    (folder / "attempt-3-trace.zip").write_bytes(buf.getvalue())
    return [str((folder / n).relative_to(data_dir)) for n in ("attempt-3-ekonomi.png", "attempt-3-trace.zip")]


def seed(sessions: sessionmaker[Session], data_dir: Path, screenshot_png: bytes) -> Demo:
    """Three robots over November 2025; "now" in the demo is Monday 2025-11-24 07:30."""
    demo = Demo()
    people = People(seed=20251124)
    with sessions.begin() as s:
        w = _Writer(s, demo)

        # -- Ronney -----------------------------------------------------------------------------
        old = w.run("ronney_oct", "ronney", "completed", local(2025, 10, 31, 1, 30), 14)
        for i in range(4):
            c = _ronney_prepared(people, demo, f"r_oct{i}", 300 + i, 5200 + 100 * i, 2000)
            w.outcome(f"r_oct{i}", old, "ronney", c.pop("key"), c.pop("title"), "prepared", c.pop("summary"), 2 + i, **c)
        w.close(old)

        early = w.run("ronney_nov10", "ronney", "completed", local(2025, 11, 10, 1, 30), 16)
        for i in range(5):
            c = _ronney_prepared(people, demo, f"r_n10_{i}", 350 + i, 5600, 1500 + 200 * i)
            w.outcome(f"r_n10_{i}", early, "ronney", c.pop("key"), c.pop("title"), "prepared", c.pop("summary"), 2 + i, **c)
        w.close(early)

        prev = w.run("ronney_prev", "ronney", "completed", local(2025, 11, 23, 1, 30), 11)
        hist = _ronney_prepared(people, demo, "r_history", 412, 6450, 6100)
        w.outcome("r_history", prev, "ronney", hist["key"], hist["title"], "waiting",
                  "Väntar på komplettering: kontoutdrag för oktober saknas.", 3,
                  findings=[{"code": "supplement_missing", "message": "Begärd komplettering (kontoutdrag oktober) har inte kommit in.", "severity": "warning"}],
                  links=hist["links"])
        for i in range(2):
            c = _ronney_prepared(people, demo, f"r_prev{i}", 420 + i, 5900, 3000)
            w.outcome(f"r_prev{i}", prev, "ronney", c.pop("key"), c.pop("title"), "prepared", c.pop("summary"), 5 + i, **c)
        w.close(prev)

        night = w.run("ronney", "ronney", "completed", local(2025, 11, 24, 1, 30), 22, report={"Förberedda belopp": "4 ärenden"})
        # the case from the night before: the supplement came in, now prepared
        w.outcome("r_history", night, "ronney", hist["key"], hist["title"], "prepared", hist["summary"], 2,
                  findings=hist["findings"], evidence=hist["evidence"], links=hist["links"])
        for i in range(3):
            c = _ronney_prepared(people, demo, f"r_prep{i}", 430 + i, 5400 + 250 * i, 2500 + 300 * i)
            w.outcome(f"r_prep{i}", night, "ronney", c.pop("key"), c.pop("title"), "prepared", c.pop("summary"), 4 + i, **c)
        for i, (code, message) in enumerate([
            ("income_mismatch", "Inkomst från Arbetsförmedlingen (aktivitetsstöd 6 100 kr) finns i SSBTEK men saknas i ansökan."),
            ("rent_above_local_max", "Hyran 9 800 kr är högre än kommunens riktlinje 7 500 kr för en person."),
        ]):
            name, pnr = people.person()
            demo.people[f"r_attn{i}"] = (name, pnr)
            w.outcome(f"r_attn{i}", night, "ronney", f"EB-2025-{440 + i:04d}:2025-11", f"Ansökan november 2025 – {name}, {pnr}",
                      "needs_attention", message, 8 + i,
                      findings=[{"code": code, "message": message, "severity": "error"}],
                      evidence=[{"label": "Uppgift i ansökan", "value": "0 kr" if i == 0 else "9\u00a0800 kr", "source": "Ansökan"},
                                {"label": "Uppgift i källan", "value": "6\u00a0100 kr" if i == 0 else "7\u00a0500 kr",
                                 "source": "SSBTEK, Arbetsförmedlingen" if i == 0 else "Kommunens riktlinjer 2025"}],
                      links=[{"label": "Öppna ärendet i Ekonomiskt bistånd", "url": f"{EKONOMI}/arenden/EB-2025-{440 + i:04d}"}])
        name, pnr = people.person()
        demo.people["r_wait"] = (name, pnr)
        w.outcome("r_wait", night, "ronney", "EB-2025-0450:2025-11", f"Ansökan november 2025 – {name}, {pnr}", "waiting",
                  "Väntar på komplettering: lönespecifikation för oktober.", 12,
                  findings=[{"code": "supplement_missing", "message": "Lönespecifikation för oktober har begärts men inte kommit in.", "severity": "warning"}])
        name, pnr = people.person()
        demo.people["r_fail"] = (name, pnr)
        failed = w.outcome("r_fail", night, "ronney", "EB-2025-0451:2025-11", f"Ansökan november 2025 – {name}, {pnr}", "failed",
                           "Roboten kunde inte göra klart ärendet eftersom systemet ekonomi svarade inte i tid. Roboten försöker igen "
                           "med ärendet vid nästa körning. Behöver ärendet hanteras innan dess kan du handlägga det som vanligt i ekonomi.", 18, attempts=3,
                           error="TimeoutError: Timeout 15000ms exceeded waiting for #hushall")
        failed.artifacts = write_failure_artifacts(data_dir, night.id, failed.item_id, screenshot_png)
        w.close(night)

        dry = w.run("ronney_dry", "ronney", "completed", local(2025, 11, 24, 3, 0), 5, dry_run=True, trigger="manual")
        c = _ronney_prepared(people, demo, "r_dry", 460, 5000, 0)
        w.outcome("r_dry", dry, "ronney", c.pop("key"), c.pop("title"), "prepared", c.pop("summary"), 1, **c)
        w.close(dry)

        # -- HaRry: interrupted by a changed page, two schedules left for tonight ---------------------
        harry = w.run("harry", "harry", "interrupted", local(2025, 11, 24, 2, 0), 6,
                      reason="Sidan ”Registrera schema” i systemet lön har ändrats; roboten stoppades.")
        for i, status in enumerate(["prepared", "prepared", "skipped"]):
            name, pnr = people.person()
            demo.people[f"h{i}"] = (name, pnr)
            summary = "Schemat registrerat i lönesystemet, vecka 49–52." if status == "prepared" else "Schemat fanns redan registrerat."
            w.outcome(f"h{i}", harry, "harry", f"SCH-2025-49-{1100 + i}", f"Schema v. 49–52 – {name}, {pnr}", status, summary, 1 + i,
                      evidence=[{"label": "Schemarader", "value": "20", "source": "Schemaexport från Time Care"}])
        for i in range(2):
            name, pnr = people.person()
            demo.people[f"h_left{i}"] = (name, pnr)
            w.item(f"h_left{i}", "harry", f"SCH-2025-49-{1200 + i}", f"Schema v. 49–52 – {name}, {pnr}", harry, state="new")
        w.close(harry)

        # -- Bosse: ran the night before, missed tonight ------------------------------------------------
        bosse_prev = w.run("bosse_prev", "bosse", "completed", local(2025, 11, 23, 3, 0), 9,
                           report={"LAS-dagar nära gränsen": [{"Vikarie": "V-0193", "Dagar": 318}, {"Vikarie": "V-0207", "Dagar": 301}]})
        for i, status in enumerate(["prepared", "prepared", "prepared", "needs_attention", "skipped"]):
            w.outcome(f"b{i}", bosse_prev, "bosse", f"PASS-2025-11-24-HT{i + 1}", f"Hemtjänst Kuggeboda, 24 nov 07–16, pass {i + 1}", status,
                      {"prepared": "Passet tillsatt med vikarie V-0193.", "needs_attention": "Ingen ledig vikarie med delegering för insulin.",
                       "skipped": "Passet var redan tillsatt."}[status], 1 + i)
        w.close(bosse_prev)
        missed = Run(id="20251124030000-boss9999", robot="bosse", status="missed",
                     reason="Körningen startade inte: datorn var avstängd längre än 3 timmar efter planerad start.",
                     trigger="schedule", dry_run=False, started_at=local(2025, 11, 24, 6, 5), ended_at=local(2025, 11, 24, 6, 5),
                     scheduled_for=local(2025, 11, 24, 3, 0), counts={})
        s.add(missed)
        demo.runs["bosse_missed"] = missed.id
    return demo
