"""The ledger's migrations form one line: helpers adding revisions in parallel must chain them."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from runner.ledger.db import MIGRATIONS_DIR
from alembic.config import Config


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
