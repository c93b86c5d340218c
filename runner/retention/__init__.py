"""Gallring: personal data is kept only as long as it may be.

- `policy`:  how long each kind of data is kept (`[retention]`, `[robots.<name>.retention]`).
- `ledger`:  which cases are past their time, and the purge that empties them but keeps the statistics.
- `files`:   failure screenshots and traces, run logs and the service log's old lines.
- `gallring`: one pass over everything (`gallra`), planned first so that a dry run removes nothing.
- `command`: `nattskift gallra [--dry-run]`; `job`: the night scheduler's daily job.

A case that staff have not handled yet is never removed: it is listed for operations instead.
"""
