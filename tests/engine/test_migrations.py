"""The ledger's migrations form one line: helpers adding revisions in parallel must chain them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from runner.ledger.db import MIGRATIONS_DIR, alembic_config, close_database, head_revision, make_engine, open_database


def test_the_migrations_have_one_head() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; chain the newest revision after the one before it"


def test_a_migrated_ledger_has_the_columns_the_models_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from runner.ledger.db import make_engine, migrate
    from runner.ledger.models import Base

    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if d[0] in ("add_column", "add_table", "remove_column")] == []


def test_the_fast_head_check_reads_the_head_alembic_reads(tmp_path) -> None:
    """`open_database` skips Alembic when the ledger is at `head_revision()`: it must be Alembic's head,
    and a ledger one revision behind must still be upgraded."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(cfg)
    assert head_revision() == script.get_current_head()

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        behind = alembic_config(engine)
        behind.attributes["connection"] = conn
        command.upgrade(behind, script.get_revision(head_revision()).down_revision or "base")
    engine.dispose()
    opened, _ = open_database(url)
    try:
        with opened.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        close_database(url)
