"""Sync client: sync state, per-record server versions, verdicts, conflicts, households
leaving scope, and pending attachment uploads.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("team_id", sa.String(36), nullable=False),
        sa.Column("team_name", sa.String(200), nullable=False),
        sa.Column("logged_in", sa.Boolean(), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("pushed_seq", sa.Integer(), nullable=False),
        sa.Column("open_conflicts", sa.Integer(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(64), nullable=True),
        sa.Column("local_worker_id", sa.String(36), nullable=True),
        sa.Column("local_team_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_record_versions",
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_sync_record_versions")),
    )
    op.create_index("ix_sync_record_versions_household", "sync_record_versions",
                    ["household_id"])
    op.create_table(
        "sync_verdicts",
        sa.Column("changeset_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("conflict_ids", sa.JSON(), nullable=False),
        sa.Column("held", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("changeset_id", name=op.f("pk_sync_verdicts")),
    )
    op.create_index(op.f("ix_sync_verdicts_seq"), "sync_verdicts", ["seq"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("mine_actor_id", sa.String(36), nullable=True),
        sa.Column("mine_device_id", sa.String(36), nullable=True),
        sa.Column("mine_at", sa.DateTime(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("theirs_actor_id", sa.String(36), nullable=True),
        sa.Column("theirs_device_id", sa.String(36), nullable=True),
        sa.Column("theirs_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(36), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.Column("needs_refresh", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index(op.f("ix_sync_conflicts_household_id"), "sync_conflicts", ["household_id"])
    op.create_index(op.f("ix_sync_conflicts_status"), "sync_conflicts", ["status"])
    op.create_table(
        "sync_removals",
        sa.Column("household_id", sa.String(36), nullable=False),
        sa.Column("told_at", sa.DateTime(), nullable=False),
        sa.Column("told_cursor", sa.Integer(), nullable=False),
        sa.Column("blocked_reason", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_sync_removals")),
    )
    op.create_table(
        "sync_uploads",
        sa.Column("attachment_id", sa.String(36), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=False),
        sa.Column("server_id", sa.String(36), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunk_size", sa.Integer(), nullable=True),
        sa.Column("received_chunks", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_sync_uploads")),
    )


def downgrade() -> None:
    op.drop_table("sync_uploads")
    op.drop_table("sync_removals")
    op.drop_index(op.f("ix_sync_conflicts_status"), "sync_conflicts")
    op.drop_index(op.f("ix_sync_conflicts_household_id"), "sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_index(op.f("ix_sync_verdicts_seq"), "sync_verdicts")
    op.drop_table("sync_verdicts")
    op.drop_index("ix_sync_record_versions_household", "sync_record_versions")
    op.drop_table("sync_record_versions")
    op.drop_table("sync_state")
