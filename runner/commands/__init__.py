"""The commands of `nattskift`, one module per area; `runner/cli.py` lists them and builds the app.

Each module has `register(app)`. They share `runner.commands.common` (options, consoles, the error exit).
Start-up speed: `nattskift --help` imports every command module, so they import nothing heavy (pydantic,
SQLAlchemy, FastAPI, Playwright, the engine) at module level; each command imports what it needs when it
runs. Those function-level imports are for start-up time only; none of them dodges an import cycle
(tests/architecture/test_import_graph.py checks that runner/ has none, counting imports inside functions).
The other lazy imports in runner/, each for start-up time and commented where it is: the queue-mode
dispatch in `runner.engine.core` (procrastinate), Alembic in `runner.ledger.db.migrate` (only when the
ledger is behind).
"""
