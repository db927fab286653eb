"""Sync client: a quarantine for pulled records that cannot be applied, the server's warnings
kept with each verdict, a flag for attachments still to download, and indexes so that a sync
with nothing to do reads no table that grows with the case file.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_quarantine",
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("problem", sa.String(200), nullable=False),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_sync_quarantine")),
    )
    op.create_index("ix_sync_quarantine_household", "sync_quarantine", ["household_id"])
    op.create_index("ix_sync_quarantine_entity_id", "sync_quarantine", ["entity_id"])
    with op.batch_alter_table("sync_verdicts") as batch:
        batch.add_column(sa.Column("warnings", sa.JSON(), nullable=False,
                                   server_default=sa.text("'[]'")))
        batch.create_index(batch.f("ix_sync_verdicts_status"), ["status"])
    with op.batch_alter_table("sync_state") as batch:
        # True until a sync found every attachment's bytes here (existing files: check once).
        batch.add_column(sa.Column("download_pending", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table("sync_uploads") as batch:
        batch.create_index(batch.f("ix_sync_uploads_status"), ["status"])


def downgrade() -> None:
    with op.batch_alter_table("sync_uploads") as batch:
        batch.drop_index(batch.f("ix_sync_uploads_status"))
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("download_pending")
    with op.batch_alter_table("sync_verdicts") as batch:
        batch.drop_index(batch.f("ix_sync_verdicts_status"))
        batch.drop_column("warnings")
    op.drop_index("ix_sync_quarantine_entity_id", "sync_quarantine")
    op.drop_index("ix_sync_quarantine_household", "sync_quarantine")
    op.drop_table("sync_quarantine")
