"""Whether a scheduler fires the nights, and where: what the Drift page says at its top.

`NightScheduler.presence()` (in `nattskift serve`) and `PlannedSchedule.presence()` (in `nattskift web`,
which asks the database's scheduler lock who holds it) both answer with a `SchedulerPresence`. Only
the NightScheduler is a `RunningScheduler`: it can start a run in this process at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class SchedulerPresence:
    #: a scheduler runs in this very process (so "run now" can start a run here)
    here: bool
    #: this process's scheduler holds the database's lock and fires the nights (False: standby or stopped)
    leading: bool = False
    #: this process's scheduler is shutting down
    stopping: bool = False
    #: who holds the scheduler lock when it is another process ("pid 4242 on host drift-01, since …")
    elsewhere: str | None = None

    @property
    def running(self) -> bool:
        """Some scheduler fires the nights: this one, or another process that holds the lock."""
        return (self.here and self.leading and not self.stopping) or self.elsewhere is not None


class HasPresence(Protocol):
    def presence(self) -> SchedulerPresence:
        """Whether a scheduler fires the nights: in this process, in another one, or nowhere."""
        ...


@runtime_checkable
class RunningScheduler(Protocol):
    """A scheduler running in this process (`nattskift serve`): it can start runs at once."""

    def presence(self) -> SchedulerPresence: ...

    def run_now(self, robot: str, *, dry_run: bool = False, limit: int | None = None) -> str | None:
        """Start a manual run; its id once it holds the robot's running run (None: still starting).
        Raises AlreadyRunning (runner.engine) when the robot runs already, SettingsError when it cannot."""
        ...

    def catch_up_paused(self, robot: str, since: datetime) -> datetime | None:
        """Run the latest night that fell due since `since` within its grace time; its time, or None."""
        ...
