"""The rest of the way of working: keukentafel reports, case conferences, stuck flags and
their decisions, and client-experience answers. (Financing lives inside the plan content's
JSON and needs no column.)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _table(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.String(36), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f(f"fk_{name}_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_household_id"), name, ["household_id"])


def upgrade() -> None:
    _table(
        "kitchen_table_reports",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("based_on_id", sa.String(36), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_how", sa.String(16), nullable=False),
    )
    op.create_index("ix_kitchen_table_reports_case", "kitchen_table_reports",
                    ["case_id", "number"])
    _table(
        "case_conferences",
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=False),
        sa.Column("agreements", sa.JSON(), nullable=False),
        sa.Column("casemanager", sa.JSON(), nullable=True),
        sa.Column("recorded_by", sa.String(36), nullable=False),
    )
    _table(
        "stuck_flags",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("flagged_by", sa.String(36), nullable=False),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index(op.f("ix_stuck_flags_case_id"), "stuck_flags", ["case_id"])
    _table(
        "stuck_decisions",
        sa.Column("flag_id", sa.String(36), nullable=False),
        sa.Column("decided_by", sa.String(36), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("doorzettingsmacht", sa.Boolean(), nullable=False),
    )
    op.create_index(op.f("ix_stuck_decisions_flag_id"), "stuck_decisions", ["flag_id"])
    _table(
        "client_experiences",
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("questionnaire", sa.String(32), nullable=False),
        sa.Column("moment", sa.String(16), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(36), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    for name in ("client_experiences", "stuck_decisions", "stuck_flags", "case_conferences",
                 "kitchen_table_reports"):
        op.drop_table(name)
