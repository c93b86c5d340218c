"""The control room of the night: what operations see of the robots (and, later, may do with them).

- `metrics`: the ledger as Prometheus metrics (`/metrics` in the web app).
"""
