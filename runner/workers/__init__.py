"""More than one machine: a run's items as procrastinate jobs that `nattskift worker` processes take.

Who does what (none of it is a timer of ours):

- **procrastinate** (a task queue in PostgreSQL): one job per item, on the robot's queue
  (`nattskift.<robot>`); workers take jobs (`FOR UPDATE SKIP LOCKED`), LISTEN/NOTIFY wakes them; each
  worker sends a heartbeat, and a worker that stops sending it is *stalled*: the run's dispatcher asks
  procrastinate for stalled jobs and retries them on another worker. A per-item job `lock` keeps two jobs
  of one item from ever running at once; job retries (with backoff) cover a worker whose job failed for
  a reason of its own (its browser died, the database was away).
- **PostgreSQL**: one `running` run per robot (a partial unique index); the database clock judges every
  lease; advisory locks for the scheduler and for `ctx.lock` (Bosse's per-substitute lock).
- **ours** (the ledger): every item is in the ledger before any job exists; an item is worked under a
  lease (`claimed_by` = "host:pid:slot", a token, and an expiry renewed every third of it), and an outcome
  or a checkpoint is recorded only `WHERE claimed_by = me AND lease = mine`. Every request of a worker's
  browser that could write into a target system first checks (and renews) that lease, so a worker that
  froze past its lease and wakes up stops before its next write.
"""
