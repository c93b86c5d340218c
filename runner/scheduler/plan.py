"""What should be scheduled: one plan per enabled robot, read from the settings and the robot's class."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from runner.api import Robot
from runner.control.presence import SchedulerPresence
from runner.plugins import GROUP, add_robot_dirs, get_robot, load_robots
from runner.scheduler.calendars import parse_closed_dates
from runner.scheduler.lock import scheduler_holder
from runner.scheduler.trigger import NightlyTrigger
from runner.settings import Settings, SettingsError

JOB_PREFIX = "robot:"


def job_id(robot: str) -> str:
    return f"{JOB_PREFIX}{robot}"


def robot_of(job_id_: str) -> str:
    return job_id_.removeprefix(JOB_PREFIX)


@dataclass(frozen=True)
class RobotPlan:
    robot: str
    cron: str
    calendar: str
    closed_dates: frozenset[date]
    grace: timedelta
    deadline: time | None
    timezone: str

    def trigger(self) -> NightlyTrigger:
        return NightlyTrigger(self.cron, self.timezone, self.calendar, tuple(d.isoformat() for d in self.closed_dates))

    @property
    def grace_seconds(self) -> int:
        return max(1, int(self.grace.total_seconds()))


def robot_plan(settings: Settings, name: str, robot_cls: type[Robot] | None = None) -> RobotPlan:
    """The plan for `name`: cron from `[robots.<name>] schedule`, else the robot class's default."""
    rc = settings.robot_config(name)
    cron = rc.schedule
    if not cron:
        cls = robot_cls or get_robot(name)
        cron = cls.schedule
    plan = RobotPlan(
        robot=name,
        cron=cron,
        calendar=rc.calendar,
        closed_dates=parse_closed_dates(rc.closed_dates, name),
        grace=timedelta(hours=rc.grace_hours),
        deadline=rc.deadline,
        timezone=settings.scheduler.timezone,
    )
    try:
        plan.trigger()
    except ValueError as exc:
        where = f"robots.{name}.schedule" if rc.schedule else f"the default schedule of robot {name}"
        raise SettingsError(f"setting '{where}': {exc}") from None
    return plan


@dataclass
class Plans:
    """The robots to schedule, the ones switched off, and the ones that failed to load."""

    plans: dict[str, RobotPlan]
    disabled: set[str]
    unavailable: set[str]  # installed (an entry point) but failing to import: their jobs are kept
    errors: list[str]


def plan_robots(settings: Settings) -> Plans:
    add_robot_dirs(settings.robot_dirs)
    load_errors: list[str] = []
    installed = load_robots(load_errors)
    broken = {ep.name for ep in entry_points(group=GROUP)} - set(installed)
    listed = list(dict.fromkeys(settings.scheduler.robots))
    wanted = listed or sorted(installed)
    plans: dict[str, RobotPlan] = {}
    disabled: set[str] = {n for n, rc in settings.robots.items() if not rc.enabled}
    errors: list[str] = []
    for name in sorted(broken if not listed else broken & set(listed)):
        detail = next((m for m in load_errors if repr(name) in m), "")
        errors.append(f"robot {name!r} could not be loaded; its job is kept but will fail: {detail}".rstrip(": "))
    for name in wanted:
        if not settings.robot_config(name).enabled:
            disabled.add(name)
            continue
        if name in broken:
            continue
        cls = installed.get(name)
        if cls is None and not settings.robot_config(name).schedule:
            errors.append(f"robot {name!r} is listed in scheduler.robots but is not installed")
            continue
        plans[name] = robot_plan(settings, name, cls)
    unavailable = broken if not listed else broken & set(listed)
    return Plans(plans=plans, disabled=disabled, unavailable=unavailable, errors=errors)


def next_runs(settings: Settings, robot: str, n: int = 3, now: datetime | None = None) -> list[datetime]:
    """The next `n` times the scheduler will start `robot`, as aware local times, honouring the robot's
    calendar and closed dates (and the DST rules of NightlyTrigger). Empty when the robot is disabled.

    For `nattskift schedule --list` and the web app's scheduler (`PlannedSchedule`, `NightScheduler`). Real
    time by default (the `clock`
    setting freezes what robots see, not when they run).
    """
    if not settings.robot_config(robot).enabled:
        return []
    add_robot_dirs(settings.robot_dirs)
    plan = robot_plan(settings, robot)  # RobotNotFound when neither settings nor an installed robot say
    tz = ZoneInfo(settings.scheduler.timezone)
    trigger = plan.trigger()
    current = now.astimezone(tz) if now is not None else datetime.now(tz)
    out: list[datetime] = []
    t = trigger.get_next_fire_time(None, current)
    while t is not None and len(out) < n:
        out.append(t.astimezone(tz))
        t = trigger.get_next_fire_time(t, t)
    return out


@dataclass(frozen=True)
class PlannedSchedule:
    """The start times the settings give, without a running scheduler: what `nattskift web` hands the
    web app when the scheduler runs in another process (runner.web.scheduling)."""

    settings: Settings

    def next_runs(self, robot: str, n: int = 3) -> list[datetime]:
        return next_runs(self.settings, robot, n)

    def presence(self) -> SchedulerPresence:
        """No scheduler in this process; whether another one holds the database's scheduler lock."""
        return SchedulerPresence(here=False, elsewhere=scheduler_holder(self.settings.database_url()))
