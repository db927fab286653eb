"""The ondersteuningsplan: versions (content frozen once out of concept), coach reviews,
gemeentelijke toets, signatures with their scanned copy, evaluations, regie changes, mandates,
and encrypted attachments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _entity(*columns: sa.Column[object]) -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *columns,
    ]


def upgrade() -> None:
    op.create_table(
        "plan_versions",
        *_entity(
            sa.Column("household_id", sa.String(36), nullable=False),
            sa.Column("plan_id", sa.String(36), nullable=False),
            sa.Column("number", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(32), nullable=False),
            sa.Column("content", sa.JSON(), nullable=False),
            sa.Column("fingerprint", sa.String(64), nullable=False),
            sa.Column("based_on_id", sa.String(36), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("created_by", sa.String(36), nullable=False),
            sa.Column("history", sa.JSON(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_plan_versions_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_versions_plan_id")),
    )
    op.create_index(op.f("ix_plan_versions_household_id"), "plan_versions", ["household_id"])
    for table, extra in {
        "plan_reviews": [
            sa.Column("reviewer_id", sa.String(36), nullable=False),
            sa.Column("decided_at", sa.DateTime(), nullable=False),
            sa.Column("outcome", sa.String(16), nullable=False),
            sa.Column("comments", sa.JSON(), nullable=False),
        ],
        "plan_toetsen": [
            sa.Column("toetser_id", sa.String(36), nullable=False),
            sa.Column("decided_at", sa.DateTime(), nullable=False),
            sa.Column("decision", sa.String(16), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
        ],
        "plan_signatures": [
            sa.Column("content_fingerprint", sa.String(64), nullable=False),
            sa.Column("signers", sa.JSON(), nullable=False),
            sa.Column("signed_on", sa.Date(), nullable=False),
            sa.Column("place", sa.String(200), nullable=False),
            sa.Column("pdf_sha256", sa.String(64), nullable=False),
            sa.Column("scan_attachment_id", sa.String(36), nullable=True),
            sa.Column("signed_pdf_attachment_id", sa.String(36), nullable=True),
        ],
        "plan_evaluations": [
            sa.Column("goal_id", sa.String(36), nullable=False),
            sa.Column("result", sa.String(16), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("zrm_assessment_id", sa.String(36), nullable=False),
            sa.Column("evaluated_on", sa.Date(), nullable=False),
            sa.Column("evaluator_id", sa.String(36), nullable=False),
        ],
    }.items():
        op.create_table(
            table,
            *_entity(
                sa.Column("household_id", sa.String(36), nullable=False),
                sa.Column("version_id", sa.String(36), nullable=False),
                *extra,
            ),
            sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                    name=op.f(f"fk_{table}_household_id_households")),
            sa.ForeignKeyConstraint(["version_id"], ["plan_versions.id"],
                                    name=op.f(f"fk_{table}_version_id_plan_versions")),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_version_id"), table, ["version_id"])
    op.create_table(
        "regie_events",
        *_entity(
            sa.Column("household_id", sa.String(36), nullable=False),
            sa.Column("direction", sa.String(16), nullable=False),
            sa.Column("from_regisseur_id", sa.String(36), nullable=False),
            sa.Column("to_regisseur_id", sa.String(36), nullable=False),
            sa.Column("from_mandate", sa.JSON(), nullable=False),
            sa.Column("to_mandate", sa.JSON(), nullable=False),
            sa.Column("actor_id", sa.String(36), nullable=False),
            sa.Column("at", sa.DateTime(), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_regie_events_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regie_events")),
    )
    op.create_index(op.f("ix_regie_events_household_id"), "regie_events", ["household_id"])
    op.create_table(
        "mandates",
        *_entity(
            sa.Column("worker_id", sa.String(36), nullable=False),
            sa.Column("max_amount_cents", sa.Integer(), nullable=False),
            sa.Column("product_codes", sa.JSON(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["worker_id"], ["workers.id"],
                                name=op.f("fk_mandates_worker_id_workers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandates")),
        sa.UniqueConstraint("worker_id", name=op.f("uq_mandates_worker_id")),
    )
    op.create_table(
        "attachments",
        *_entity(
            sa.Column("household_id", sa.String(36), nullable=False),
            sa.Column("kind", sa.String(32), nullable=False),
            sa.Column("filename", sa.String(200), nullable=False),
            sa.Column("mime", sa.String(100), nullable=False),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("size", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
        ),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_attachments_household_id_households")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_household_id"), "attachments", ["household_id"])
    op.create_table(
        "attachment_blobs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["attachments.id"],
                                name=op.f("fk_attachment_blobs_id_attachments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_blobs")),
    )


def downgrade() -> None:
    for table in ("attachment_blobs", "attachments", "mandates", "regie_events",
                  "plan_evaluations", "plan_signatures", "plan_toetsen", "plan_reviews",
                  "plan_versions"):
        op.drop_table(table)
