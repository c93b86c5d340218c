"""The ledger: the durable record of runs, items and outcomes (SQLAlchemy 2, Alembic migrations)."""
