"""The night scheduler: calendar-aware nightly runs that are never silently missed and never doubled.

    nattskift schedule          # the scheduler in the foreground (systemd)
    nattskift schedule --list   # each robot's cron, calendar and next three runs
    nattskift serve             # scheduler and morning report web app in one process

`service.NightScheduler` is the scheduler; `plan` says what should be scheduled and when
(`plan.next_runs`, `plan.PlannedSchedule` for a web app without a scheduler in its process).
"""
