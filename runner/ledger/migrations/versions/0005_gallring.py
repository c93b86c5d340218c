"""gallring: when a case's personal data was removed

Revision ID: 0005_gallring
Revises: 0004_control_room
Create Date: 2026-12-02

- items.purged_at / outcomes.purged_at: set by gallring (runner.retention) when it emptied the row's
  personal data (title, data, summary, findings, evidence, links, error). The row itself stays: its
  status, times and counts are the statistics and the audit trail. A purged item fetched again is live
  again (purged_at back to NULL).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_gallring'
down_revision = '0004_control_room'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
