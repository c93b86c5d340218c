"""Alembic environment: runs against the connection the ledger hands over (never reads alembic.ini)."""

from alembic import context

from runner.ledger.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is run by hand
    raise RuntimeError("run migrations through runner.ledger.db.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
