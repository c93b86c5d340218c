"""What the morning report asks of the scheduler, handed to `create_app(settings, scheduler=...)`.

The web app never imports the scheduler: whoever puts the process together passes one in.

- `nattskift serve` passes its running `NightScheduler` (runner.scheduler.service), the object that
  fires the nights, so the pages show what this very process is going to do;
- `nattskift web` (the web app alone; the scheduler runs in another process or on another machine)
  passes a `PlannedSchedule` (runner.scheduler.plan): the start times that the settings, the robots'
  defaults and their calendars give, without a job store;
- without one (`scheduler=None`, some tests) the pages show no next start times ("–").

The Drift page (runner.web.routes_drift) also asks `presence()`: whether a scheduler fires the nights,
here or in another process. Only a scheduler in this process (`RunningScheduler`, runner.control.presence: the NightScheduler)
can start a run at once: "run now" and catching up a paused robot's night.

The app keeps it as `app.state.web.scheduler` (`WebState.scheduler`), and pages use only what
`Scheduler` lists. A page that needs more of a running scheduler (the operations control room: whether
this process leads, its jobs, "run now") adds those methods to this Protocol and to `NightScheduler`
together; a `PlannedSchedule` stands for "no scheduler in this process" and does not have them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from runner.control.presence import RunningScheduler, SchedulerPresence

__all__ = ["RunningScheduler", "Scheduler", "SchedulerPresence"]


class Scheduler(Protocol):
    def next_runs(self, robot: str, n: int = 3) -> list[datetime]:
        """The next `n` start times of `robot`, aware and local; [] when the robot is disabled.

        Raises SettingsError (runner.settings) when its schedule or calendar setting is wrong, and
        RobotNotFound (runner.plugins) when neither the settings nor an installed robot give a schedule.
        """
        ...

    def presence(self) -> SchedulerPresence:
        """Whether a scheduler fires the nights: in this process, in another one, or nowhere."""
        ...

