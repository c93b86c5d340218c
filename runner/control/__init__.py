"""The control room of the night: what operations see of the robots and what they may do with them.

- `metrics`: the ledger as Prometheus metrics (`/metrics` in the web app);
- `pausing`: robots paused by operations, kept in the ledger so every scheduler honours it;
- `actions`: run now, pause, resume, stop, retry failed items — one implementation for the web app's
  Drift page (runner.web.routes_drift) and the CLI (runner.commands.control), audited, refused with a Swedish reason;
- `progress`: a running run's items done and left, its rate and expected end;
- `presence`: whether a scheduler fires the nights, here or in another process.
"""
