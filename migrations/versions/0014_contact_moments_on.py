"""An index on the date of contact moments: the team dashboard reads the contacts of one
period (issue 12), which without it is a scan of every contact in the case file.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contact_moments_on", "contact_moments", ["on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contact_moments_on", table_name="contact_moments")
