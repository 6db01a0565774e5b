"""judged_contests, judged_entries: contest verdicts recorded by `judge run` for /judging

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-09 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "judged_contests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("judged_at", sa.DateTime(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("opens", sa.String(40)),
        sa.Column("closes", sa.String(40)),
        sa.Column("rules", sa.JSON()),
        sa.Column("counting_rule", sa.Text()),
        sa.Column("contest_file", sa.Text()),
        sa.Column("entries_file", sa.Text()),
        sa.Column("out_dir", sa.Text()),
        sa.Column("input_problems", sa.JSON()),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("report_csv", sa.LargeBinary()),
        sa.Column("report_xlsx", sa.LargeBinary()),
    )
    op.create_index("ix_judged_contests_name", "judged_contests", ["name"])
    op.create_table(
        "judged_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "contest_id",
            sa.Integer(),
            sa.ForeignKey("judged_contests.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("form_row", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("word_count", sa.Integer()),
        sa.Column("published_at", sa.String(40)),
        sa.Column("fails", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("number", sa.Integer()),
        sa.Column("snapshot_sha256", sa.String(64)),
        sa.Column("blind_text", sa.Text()),
        sa.Column("blind_title", sa.Text()),
        sa.Column("record", sa.JSON(), nullable=False),
    )
    op.create_index("ix_judged_entries_contest_id", "judged_entries", ["contest_id"])


def downgrade() -> None:
    op.drop_index("ix_judged_entries_contest_id", "judged_entries")
    op.drop_table("judged_entries")
    op.drop_index("ix_judged_contests_name", "judged_contests")
    op.drop_table("judged_contests")
