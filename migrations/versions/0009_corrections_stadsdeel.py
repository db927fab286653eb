"""Assessments can be corrected or withdrawn by a later record (the history keeps both), and
a household has a stadsdeel beside its wijk.

- ``assessments.corrects_id``: this record corrects (replaces) or withdraws that earlier one;
- ``assessments.withdrawn``: true for a withdrawal (no scores, only the reason);
- ``assessments.correction_reason``: why, in the worker's words;
- ``households.stadsdeel``: the city district the wijk belongs to (empty when unknown).

Plain ADD COLUMN with server defaults: existing rows read as "not a correction" and "no
stadsdeel", and no table is rebuilt.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("corrects_id", sa.String(36), nullable=True))
    op.add_column("assessments", sa.Column("withdrawn", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
    op.add_column("assessments", sa.Column("correction_reason", sa.Text(), nullable=False,
                                           server_default=""))
    op.create_index("ix_assessments_corrects_id", "assessments", ["corrects_id"], unique=False)
    op.add_column("households", sa.Column("stadsdeel", sa.String(200), nullable=False,
                                          server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("households") as batch:
        batch.drop_column("stadsdeel")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_corrects_id")
        batch.drop_column("correction_reason")
        batch.drop_column("withdrawn")
        batch.drop_column("corrects_id")
