"""The night scheduler: calendar-aware nightly runs that are never silently missed and never doubled.

    nattskift schedule          # the scheduler in the foreground (systemd)
    nattskift schedule --list   # each robot's cron, calendar and next three runs
    nattskift serve             # scheduler and morning report web app in one process

`next_runs(settings, robot, n=3)` gives the next start times for the web app.
"""

from runner.scheduler.lock import SchedulerLocked
from runner.scheduler.plan import next_runs

__all__ = ["NightScheduler", "SchedulerLocked", "next_runs"]


def __getattr__(name: str):  # NightScheduler pulls in APScheduler and the ledger: load it on use
    if name == "NightScheduler":
        from runner.scheduler.service import NightScheduler

        return NightScheduler
    raise AttributeError(name)
