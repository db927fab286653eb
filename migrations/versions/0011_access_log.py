"""Privacy: the access log (NEN 7513) in the audit chain (the household an entry concerns and
the purpose where the worker was asked) and the residents' handled requests (inzage, erasure,
rectification).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("household_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("purpose", sa.String(500), nullable=True))
        batch.create_index("ix_audit_log_household_id", ["household_id"])
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("handled_on", sa.Date(), nullable=False),
        sa.Column("handled_by", sa.String(36), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("exceptions", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_privacy_requests_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    op.create_index(op.f("ix_privacy_requests_household_id"), "privacy_requests",
                    ["household_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_privacy_requests_household_id"), table_name="privacy_requests")
    op.drop_table("privacy_requests")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_household_id")
        batch.drop_column("purpose")
        batch.drop_column("household_id")
