"""leases: items and runs are held under a renewed lease; one running run per robot

Revision ID: 0003_leases
Revises: 0002_web_sessions
Create Date: 2026-12-01

- items.lease / items.lease_until: the token of the current claim and until when it holds. Outcomes and
  checkpoints are written only `WHERE claimed_by = me AND lease = mine`.
- runs.owner / runs.lease_until: the process running the run ("host:pid") and its renewed lease.
- runs.stop_reason: asks every worker of the run to stop (circuit breaker, deadline, operator).
- runs.queued: the run's items are worked by procrastinate jobs (`nattskift worker`).
- outcomes.worker: which worker ("host:pid:slot") recorded the outcome.
- uq_runs_one_running: at most one `running` run per robot, enforced by the database.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_leases'
down_revision = '0002_web_sessions'
branch_labels = None
depends_on = None

CLOSED_BY_MIGRATION = ("Körningen avbröts oväntat; ärendena som inte hanns med tas i nästa körning")


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('claimed_by', existing_type=sa.String(length=128), type_=sa.String(length=255))
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=255), nullable=True))
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('stop_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('queued', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Ledgers from before kept every crashed run `running` until the next start closed it; two could be
    # left for one robot. All but the newest are closed, as the next start would have done.
    runs = sa.table('runs', sa.column('id', sa.String), sa.column('robot', sa.String), sa.column('status', sa.String),
                    sa.column('reason', sa.Text), sa.column('started_at', sa.DateTime(timezone=True)))
    conn = op.get_bind()
    newest: dict[str, str] = {}
    stale: list[str] = []
    for run_id, robot in conn.execute(
        sa.select(runs.c.id, runs.c.robot).where(runs.c.status == 'running').order_by(runs.c.started_at.desc(), runs.c.id.desc())
    ):
        if robot in newest:
            stale.append(run_id)
        else:
            newest[robot] = run_id
    if stale:
        conn.execute(runs.update().where(runs.c.id.in_(stale)).values(status='interrupted', reason=CLOSED_BY_MIGRATION))
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index('uq_runs_one_running', ['robot'], unique=True,
                              sqlite_where=sa.text("status = 'running'"), postgresql_where=sa.text("status = 'running'"))


def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index('uq_runs_one_running')
        batch_op.drop_column('queued')
        batch_op.drop_column('stop_reason')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('owner')
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_column('worker')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.alter_column('claimed_by', existing_type=sa.String(length=255), type_=sa.String(length=128))
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease')
