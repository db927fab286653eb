"""Access log (NEN 7513) in the audit chain: the household an entry concerns and the purpose
where the worker was asked.

Revision ID: 0011
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("household_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("purpose", sa.String(500), nullable=True))
        batch.create_index("ix_audit_log_household_id", ["household_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_household_id")
        batch.drop_column("purpose")
        batch.drop_column("household_id")
