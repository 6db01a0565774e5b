"""crawl_workers and crawl_runs.queue: a distributed crawl's run record and its workers

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue", sa.String(length=512), nullable=True))
    op.create_table(
        "crawl_workers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("crawl_workers", schema=None) as batch_op:
        batch_op.create_index("ix_crawl_workers_run_id", ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crawl_workers", schema=None) as batch_op:
        batch_op.drop_index("ix_crawl_workers_run_id")
    op.drop_table("crawl_workers")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("queue")
