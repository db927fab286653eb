"""Reference data of the municipality, cached for offline use: the bundle's version and
municipality (name, logo, settings), the workers' mandates, the sociale kaart and licensed
instrument texts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_state",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("server_url", sa.String(500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("municipality_name", sa.String(200), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(32), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_state")),
    )
    op.create_table(
        "reference_mandates",
        sa.Column("worker_id", sa.String(36), nullable=False),
        sa.Column("max_amount_cents", sa.Integer(), nullable=False),
        sa.Column("product_codes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_reference_mandates")),
    )
    op.create_table(
        "reference_provisions",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("provider", sa.String(300), nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("wijken", sa.JSON(), nullable=False),
        sa.Column("cost_cents", sa.Integer(), nullable=True),
        sa.Column("within_mandate", sa.Boolean(), nullable=False),
        sa.Column("product_code", sa.String(64), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_provisions")),
    )
    op.create_table(
        "reference_instrument_texts",
        sa.Column("definition_id", sa.String(64), nullable=False),
        sa.Column("definition_version", sa.String(32), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("definition_id", "definition_version", "key",
                                name=op.f("pk_reference_instrument_texts")),
    )


def downgrade() -> None:
    op.drop_table("reference_instrument_texts")
    op.drop_table("reference_provisions")
    op.drop_table("reference_mandates")
    op.drop_table("reference_state")
