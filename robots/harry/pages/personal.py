"""The payroll system's screens HaRry reads and writes: employee, registered schedule, register form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from runner.api import http_status
from runner.pages import Screen

from robots.harry.model import ABSENCE_SV, WEEKDAYS_SV, Absence, Employment, Period, Schedule, Shift, hhmm, parse_hhmm

SYSTEM = "personal"
OPEN_END = "tills vidare"
#: The payroll system's label of a schedule kind ("Grundschema") → HaRry's code.
KINDS = {"grundschema": "grundschema", "placeringsschema": "placeringsschema"}
#: The payroll system's label of an absence kind ("Föräldraledighet", "Annan frånvaro") → HaRry's code.
ABSENCE_CODES = {label: code for code, label in ABSENCE_SV.items()}


def employee_path(number: str) -> str:
    return EmployeePage.path.format(number=number)


def schedule_path(schedule_id: str) -> str:
    return RegisteredSchedulePage.path.format(schedule_id=schedule_id)


def register_path(number: str, cycle_weeks: int) -> str:
    return RegisterForm.path.format(number=number, weeks=cycle_weeks)


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


class EmployeePage(Screen):
    """`/anstallda/<nr>`: the employee's employments, registered schedules and absence (or "finns inte")."""

    system = SYSTEM
    name = "Anställd"
    path = "/anstallda/{number}"
    EMPLOYMENT_COLUMNS = ("Från", "Till", "Sysselsättningsgrad", "Enhet", "Kategorikod")
    SCHEDULE_COLUMNS = ("Schema-ID", "Giltig från", "Giltig till", "Version", "Källa")
    ABSENCE_COLUMNS = ("Typ", "Från", "Till", "Omfattning")

    async def exists(self) -> bool:
        """False when the system says the employee does not exist; PageChangedError when neither shows."""
        await self.verify()
        if await self.page.locator("#not-found").count():
            return False
        if not await self.present("#employments"):
            if await http_status(self.page) == 404:
                return False
            await self.verify("#employments")  # the login form (session ended) or a changed screen
        await self.verify("#registered-schedules")
        return True

    async def employments(self) -> list[Employment]:
        out = []
        for r in await self.table("#employments", self.EMPLOYMENT_COLUMNS):
            start = _date(r["Från"])
            if start is None:
                raise self.changed("an employment without a start date")
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
        out = []
        for r in await self.table("#registered-schedules", self.SCHEDULE_COLUMNS):
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

    async def absences(self) -> list[Absence]:
        """Registered absence (föräldraledighet, sjukfrånvaro …) with its period and share of the time."""
        out = []
        for r in await self.table("#absences", self.ABSENCE_COLUMNS):
            start = _date(r["Från"])
            if start is None:
                raise self.changed("an absence without a start date")
            label = r["Typ"].strip().lower()
            out.append(Absence(kind=ABSENCE_CODES.get(label, label), period=Period(start=start, end=_date(r["Till"])),
                               percent=_percent(r["Omfattning"])))
        return out


class RegisteredSchedulePage(Screen):
    """`/scheman/<id>`: one registered schedule, read back field by field."""

    system = SYSTEM
    name = "Registrerat schema"
    path = "/scheman/{schedule_id}"
    requires = ("#schedule-details", "#shifts")
    FIELDS = ("Schema-ID", "Anställningsnr", "Giltig från", "Giltig till", "Version", "Cykel (veckor)", "Källa")
    SHIFT_COLUMNS = ("Vecka", "Veckodag", "Start", "Slut", "Rast (min)")

    async def read(self) -> Schedule:
        await self.verify()
        snap = await self.snapshot()
        fields = snap.fields("schedule-details", self.FIELDS)
        rows = snap.table("shifts", self.SHIFT_COLUMNS)
        start = _date(fields["Giltig från"])
        if start is None:
            raise self.changed("no start date")
        kind = KINDS.get(fields.get("Schematyp", "grundschema").strip().lower())
        if kind is None:
            raise self.changed(f"unknown schedule kind {fields['Schematyp']!r}")
        days = {name: i + 1 for i, name in enumerate(WEEKDAYS_SV)}
        shifts = tuple(
            Shift(
                week=int(r["Vecka"]),
                weekday=days[r["Veckodag"].strip().lower()],
                start=parse_hhmm(r["Start"]),
                end=parse_hhmm(r["Slut"]),
                break_minutes=int(r["Rast (min)"] or 0),
                break_start=_time_or_none(r.get("Rast start", "")),
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
            kind=kind,  # type: ignore[arg-type]
        )


def _time_or_none(text: str) -> str | None:
    """'11:00' → '11:00'; the page's '–' or an empty cell (no placed rast) → None."""
    t = text.strip()
    return None if t in ("", "–", "-") else t


@dataclass(frozen=True)
class Submitted:
    """What the form answered: the new schedule's id, or the system's own error messages."""

    schedule_id: str | None
    errors: tuple[str, ...] = ()


#: The grid's second row of a day (a delad tur) has ids v<week>-<day>-2-<part>.
SECOND_PASS = "-2"


class RegisterForm(Screen):
    """`/scheman/nytt`: the form that registers a schedule (two grid rows per day of the cycle)."""

    system = SYSTEM
    name = "Registrera schema"
    path = "/scheman/nytt?anstallningsnummer={number}&veckor={weeks}"
    FORM = "#register-form"
    FIELDS = ("#employee", "#period-start", "#period-end", "#version", "#cycle-weeks", "#source-id")
    SUBMIT = "#register"
    _ID_IN_URL = re.compile(r"/scheman/([^/?#]+)")

    async def check(self, cycle_weeks: int) -> RegisterForm:
        """The form is there with a grid for `cycle_weeks` weeks (a dry run stops here)."""
        await self.verify(self.FORM, *self.FIELDS, "#v1-1-start", f"#v{cycle_weeks}-7-start", self.SUBMIT)
        return self

    async def fill(self, schedule: Schedule) -> None:
        """Type the header fields, then the passes into the grid: the first pass of a day in its first
        row, a second pass (delad tur) in its second, a placed rast's start beside its length."""
        await self.check(schedule.cycle_weeks)
        weeks = await self.page.locator("#cycle-weeks").first.input_value()
        if weeks.strip() != str(schedule.cycle_weeks):
            raise self.changed(f"the grid is for {weeks} weeks, not {schedule.cycle_weeks}")
        header = {
            "#employee": schedule.employee,
            "#period-start": schedule.period.start.isoformat(),
            "#period-end": schedule.period.end.isoformat() if schedule.period.end else "",
            "#version": str(schedule.version),
            "#source-id": schedule.schedule_id,
        }
        values: dict[str, str] = {k.lstrip("#"): v for k, v in header.items()}
        slot: dict[tuple[int, int], int] = {}
        for s in schedule.shifts:
            n = slot[s.day_key] = slot.get(s.day_key, 0) + 1
            row = f"v{s.week}-{s.weekday}" + (SECOND_PASS if n == 2 else "")
            values[f"{row}-start"] = hhmm(s.start)
            values[f"{row}-end"] = hhmm(s.end)
            values[f"{row}-break"] = str(s.break_minutes)
            values[f"{row}-break-start"] = hhmm(s.break_start) if s.break_start else ""
        if schedule.kind != "grundschema" or await self.present("#schedule-kind"):
            await self.verify("#schedule-kind")
            await self.page.select_option("#schedule-kind", value=schedule.kind)
        missing = await self.page.evaluate(_FILL_JS, values)
        if missing:
            raise self.changed("grid fields missing: " + ", ".join(missing[:3]))

    async def send(self) -> Submitted:
        """Click "Registrera"; the answer is the new schedule's page or the form again with errors."""
        errors = await self.submit(self.FORM, button=self.SUBMIT)
        if errors:
            return Submitted(schedule_id=None, errors=tuple(errors))
        if await self.page.locator("#schedule-details").count():
            match = self._ID_IN_URL.search(self.page.url)
            if match and match.group(1) != "nytt":
                return Submitted(schedule_id=match.group(1))
        if await self.page.locator(self.FORM).count():
            raise self.changed("the form came back without a message")
        return Submitted(schedule_id=None)


#: Sets each input as typing would (value, then input and change events); returns the ids not found.
_FILL_JS = """values => Object.entries(values).filter(([id, value]) => {
  const el = document.getElementById(id);
  if (!el) return true;
  el.value = value;
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return false;
}).map(([id]) => id)"""
