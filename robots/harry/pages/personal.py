"""The payroll system's pages HaRry reads and writes: employee, registered schedule, register form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playwright.async_api import Page

from runner.api import PageChangedError

from robots.harry.model import WEEKDAYS_SV, Employment, Period, Schedule, Shift, hhmm, parse_hhmm
from robots.harry.pages.base import ensure, ensure_up, present, read_dl, read_table

SYSTEM = "personal"
OPEN_END = "tills vidare"


def employee_path(number: str) -> str:
    return f"/anstallda/{number}"


def schedule_path(schedule_id: str) -> str:
    return f"/scheman/{schedule_id}"


def register_path(number: str, cycle_weeks: int) -> str:
    return f"/scheman/nytt?anstallningsnummer={number}&veckor={cycle_weeks}"


def _date(text: str) -> date | None:
    t = text.strip()
    return None if not t or t.lower() == OPEN_END else date.fromisoformat(t)


def _percent(text: str) -> float:
    return float(text.replace("%", "").replace(",", ".").replace("\u00a0", "").strip())


@dataclass(frozen=True)
class RegisteredRow:
    """One row of the employee's registered schedules, enough to decide whether to open it."""

    schedule_id: str
    period: Period
    version: int
    source_id: str


class EmployeePage:
    """`/anstallda/<nr>`: the employee's employments and registered schedules (or "finns inte")."""

    NAME = "Anställd"
    EMPLOYMENT_COLUMNS = ("Från", "Till", "Sysselsättningsgrad", "Enhet", "Kategorikod")
    SCHEDULE_COLUMNS = ("Schema-ID", "Giltig från", "Giltig till", "Version", "Källa")

    def __init__(self, page: Page) -> None:
        self.page = page

    async def exists(self) -> bool:
        """False when the system says the employee does not exist; PageChangedError when neither shows."""
        status = await ensure_up(self.page, SYSTEM, self.NAME)
        if await self.page.locator("#not-found").count():
            return False
        if not await present(self.page, "#employments"):
            if status == 404:
                return False
            raise PageChangedError(SYSTEM, self.NAME, "#employments missing")
        await ensure(self.page, SYSTEM, self.NAME, "#registered-schedules")
        return True

    async def employments(self) -> list[Employment]:
        rows = await read_table(self.page, "#employments", SYSTEM, self.NAME, self.EMPLOYMENT_COLUMNS)
        out = []
        for r in rows:
            start = _date(r["Från"])
            if start is None:
                raise PageChangedError(SYSTEM, self.NAME, "an employment without a start date")
            out.append(
                Employment(
                    employment_id=r.get("Anställnings-ID", ""),
                    period=Period(start=start, end=_date(r["Till"])),
                    grade_percent=_percent(r["Sysselsättningsgrad"]),
                    unit=r["Enhet"],
                    category=r["Kategorikod"].strip().lower(),
                    category_label=r.get("Kategori", ""),
                )
            )
        return out

    async def registered(self) -> list[RegisteredRow]:
        rows = await read_table(self.page, "#registered-schedules", SYSTEM, self.NAME, self.SCHEDULE_COLUMNS)
        out = []
        for r in rows:
            start = _date(r["Giltig från"])
            if start is None:
                continue
            out.append(
                RegisteredRow(
                    schedule_id=r["Schema-ID"],
                    period=Period(start=start, end=_date(r["Giltig till"])),
                    version=int(r["Version"]),
                    source_id=r["Källa"],
                )
            )
        return out


class RegisteredSchedulePage:
    """`/scheman/<id>`: one registered schedule, read back field by field."""

    NAME = "Registrerat schema"
    FIELDS = ("Schema-ID", "Anställningsnr", "Giltig från", "Giltig till", "Version", "Cykel (veckor)", "Källa")
    SHIFT_COLUMNS = ("Vecka", "Veckodag", "Start", "Slut", "Rast (min)")

    def __init__(self, page: Page) -> None:
        self.page = page

    async def read(self) -> Schedule:
        await ensure(self.page, SYSTEM, self.NAME, "#schedule-details", "#shifts")
        fields = await read_dl(self.page, "#schedule-details", SYSTEM, self.NAME, self.FIELDS)
        rows = await read_table(self.page, "#shifts", SYSTEM, self.NAME, self.SHIFT_COLUMNS)
        start = _date(fields["Giltig från"])
        if start is None:
            raise PageChangedError(SYSTEM, self.NAME, "no start date")
        days = {name: i + 1 for i, name in enumerate(WEEKDAYS_SV)}
        shifts = tuple(
            Shift(
                week=int(r["Vecka"]),
                weekday=days[r["Veckodag"].strip().lower()],
                start=parse_hhmm(r["Start"]),
                end=parse_hhmm(r["Slut"]),
                break_minutes=int(r["Rast (min)"] or 0),
            )
            for r in rows
        )
        return Schedule(
            employee=fields["Anställningsnr"],
            period=Period(start=start, end=_date(fields["Giltig till"])),
            version=int(fields["Version"]),
            cycle_weeks=int(fields["Cykel (veckor)"]),
            shifts=shifts,
            schedule_id=fields["Schema-ID"],
            unit=fields.get("Enhet", ""),
        )

    async def source_id(self) -> str:
        fields = await read_dl(self.page, "#schedule-details", SYSTEM, self.NAME, ("Källa",))
        return fields["Källa"]


#: Sets each grid input as typing would (value, then input and change events); returns the ids not found.
_FILL_GRID_JS = """values => Object.entries(values).filter(([id, value]) => {
  const el = document.getElementById(id);
  if (!el) return true;
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return false;
}).map(([id]) => id)"""


@dataclass(frozen=True)
class Submitted:
    """What the form answered: the new schedule's id, or the system's own error messages."""

    schedule_id: str | None
    errors: tuple[str, ...] = ()


class RegisterForm:
    """`/scheman/nytt`: the form that registers a schedule (one grid row per day of the cycle)."""

    NAME = "Registrera schema"
    FORM = "#register-form"
    FIELDS = ("#employee", "#period-start", "#period-end", "#version", "#cycle-weeks", "#source-id")
    SUBMIT = "#register"
    _ID_IN_URL = re.compile(r"/scheman/([^/?#]+)")

    def __init__(self, page: Page) -> None:
        self.page = page

    async def check(self, cycle_weeks: int) -> RegisterForm:
        last_row = f"#v{cycle_weeks}-7-start"
        await ensure(self.page, SYSTEM, self.NAME, self.FORM, *self.FIELDS, "#v1-1-start", last_row, self.SUBMIT)
        return self

    async def fill(self, schedule: Schedule) -> None:
        """Type the header fields, then the passes into the grid (one round trip for the whole grid)."""
        await self.check(schedule.cycle_weeks)
        p = self.page
        weeks = await p.locator("#cycle-weeks").first.input_value()
        if weeks.strip() != str(schedule.cycle_weeks):
            raise PageChangedError(SYSTEM, self.NAME, f"the grid is for {weeks} weeks, not {schedule.cycle_weeks}")
        await p.fill("#employee", schedule.employee)
        await p.fill("#period-start", schedule.period.start.isoformat())
        await p.fill("#period-end", schedule.period.end.isoformat() if schedule.period.end else "")
        await p.fill("#version", str(schedule.version))
        await p.fill("#source-id", schedule.schedule_id)
        values = {}
        for s in schedule.shifts:
            row = f"v{s.week}-{s.weekday}"
            values[f"{row}-start"] = hhmm(s.start)
            values[f"{row}-end"] = hhmm(s.end)
            values[f"{row}-break"] = str(s.break_minutes)
        missing = await p.evaluate(_FILL_GRID_JS, values)
        if missing:
            raise PageChangedError(SYSTEM, self.NAME, "grid fields missing: " + ", ".join(missing[:3]))

    async def submit(self) -> Submitted:
        """Click "Registrera"; the answer is the new schedule's page or the form again with errors."""
        async with self.page.expect_navigation():
            await self.page.locator(self.SUBMIT).first.click()
        await ensure_up(self.page, SYSTEM, self.NAME)
        errors = [t.strip() for t in await self.page.locator("#form-errors li").all_inner_texts() if t.strip()]
        if errors:
            return Submitted(schedule_id=None, errors=tuple(errors))
        if await self.page.locator("#schedule-details").count():
            match = self._ID_IN_URL.search(self.page.url)
            if match and match.group(1) != "nytt":
                return Submitted(schedule_id=match.group(1))
        if await self.page.locator(self.FORM).count():
            raise PageChangedError(SYSTEM, self.NAME, "the form came back without a message")
        return Submitted(schedule_id=None)
