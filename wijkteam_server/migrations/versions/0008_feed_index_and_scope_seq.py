"""The feed: a covering index to choose a device's page without reading the payloads, and per
device how far its scope was reconciled (so a pull with nothing new reads no scope tables).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(
            'ix_change_log_feed',
            ['server_seq', 'kind', 'household_id', 'target_device_id'],
            unique=False,
        )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scope_key', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_column('scope_key')
        batch_op.drop_column('scope_seq')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_feed')
