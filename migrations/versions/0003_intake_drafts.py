"""Intake and drafts: the quickscan's three answers on the case, a team setting for the ZRM
version, and a table of form drafts (typed but not yet saved) that survive a crash.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("quickscan_self", "quickscan_arrange", "quickscan_help"):
        op.add_column("cases", sa.Column(column, sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "teams",
        sa.Column("prefers_zrm_2013", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The caseload lists households by name (case-insensitive) and looks up each one's most
    # recent case: both need an index to stay fast with tens of thousands of persons.
    op.create_index("ix_households_name_nocase", "households",
                    [sa.text("name COLLATE NOCASE")])
    op.create_index("ix_cases_household_recent", "cases", ["household_id", "referral_date"])
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_drafts")),
    )


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_index("ix_cases_household_recent", "cases")
    op.drop_index("ix_households_name_nocase", "households")
    op.drop_column("teams", "prefers_zrm_2013")
    for column in ("quickscan_help", "quickscan_arrange", "quickscan_self"):
        op.drop_column("cases", column)
