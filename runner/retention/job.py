"""Gallring as a daily job of the night scheduler (`[retention] schedule`, `enabled`).

The job lives in the scheduler's job store beside the robots' jobs, under its own id (`gallring`, not
`robot:…`): the scheduler's missed-run bookkeeping is for robots' nights only. A gallring missed while the
machine was down runs once when it is back (coalesced), up to half a day late; the next day's pass catches
up whatever a later one would have found anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import structlog
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from runner.retention.gallring import gallra
from runner.scheduler.job import NotInScheduler, active
from runner.settings import Settings

JOB_ID = "gallring"
FUNC_REF = "runner.retention.job:scheduled_gallring"
GRACE_SECONDS = 12 * 3600

log = structlog.get_logger("runner.retention")


def trigger_for(settings: Settings) -> CronTrigger:
    return CronTrigger.from_crontab(settings.retention.schedule, timezone=settings.scheduler.timezone)


def next_times(settings: Settings, n: int, now: datetime) -> list[datetime]:
    """The next `n` gallring passes after `now` (none when `[retention] enabled = false`)."""
    if not settings.retention.enabled:
        return []
    trigger, times, last = trigger_for(settings), [], None
    at = now
    while len(times) < n:
        nxt = trigger.get_next_fire_time(last, at)
        if nxt is None:
            break
        times.append(nxt)
        last, at = nxt, nxt
    return times


def scheduled_gallring() -> dict[str, Any]:
    """APScheduler's job: one gallring pass with the settings of the scheduler that fires it."""
    scheduler = active()
    if scheduler is None:
        raise NotInScheduler("the gallring job runs only inside `nattskift schedule` or `nattskift serve`")
    return gallra(scheduler.settings, trigger="schedule").figures()


def sync_job(scheduler: BaseScheduler, settings: Settings, now: datetime) -> str | None:
    """Bring the gallring job in line with `[retention]`: "added", "updated", "removed" or None."""
    job = scheduler.get_job(JOB_ID)
    if not settings.retention.enabled:
        if job is None:
            return None
        scheduler.remove_job(JOB_ID)
        log.info("scheduler.job_removed", job=JOB_ID)
        return "removed"
    trigger = trigger_for(settings)
    if job is None:
        scheduler.add_job(scheduled_gallring, trigger=trigger, id=JOB_ID, name="gallring (daglig)",
                          next_run_time=trigger.get_next_fire_time(None, now), replace_existing=False,
                          coalesce=True, max_instances=1, misfire_grace_time=GRACE_SECONDS)
        log.info("scheduler.job_added", job=JOB_ID, cron=settings.retention.schedule)
        return "added"
    if repr(job.trigger) == repr(trigger) and job.func_ref == FUNC_REF:
        return None
    scheduler.modify_job(JOB_ID, func=scheduled_gallring, trigger=trigger,
                         next_run_time=trigger.get_next_fire_time(None, now))
    log.info("scheduler.job_updated", job=JOB_ID, cron=settings.retention.schedule)
    return "updated"
