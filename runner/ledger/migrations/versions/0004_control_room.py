"""control room: why a run stopped, and robots paused by operations

Revision ID: 0004_control_room
Revises: 0003_leases
Create Date: 2026-12-02

- runs.stop_cause: why a run stopped before its end ("system_down" is the circuit breaker, "operator",
  "signal", "deadline", …), so monitoring can count breaker trips without reading Swedish reasons.
- robot_controls: one row per robot that operations paused (and resumed): the scheduler starts no
  scheduled run of a paused robot, also after a restart; who and when, for the Drift page.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_control_room'
down_revision = '0003_leases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stop_cause', sa.String(length=32), nullable=True))
    op.create_table(
        'robot_controls',
        sa.Column('robot', sa.String(length=64), nullable=False),
        sa.Column('paused', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('changed_by', sa.String(length=128), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('robot'),
    )


def downgrade() -> None:
    op.drop_table('robot_controls')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_column('stop_cause')
