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
