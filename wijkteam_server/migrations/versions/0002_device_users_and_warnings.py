"""Who has been logged in on each device (authorizing an earlier user's offline work after a
user switch), and the warnings given with a change-set's verdict.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'device_users',
        sa.Column('device_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=False),
        sa.Column('first_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['device_id'], ['devices.id'],
                                name=op.f('fk_device_users_device_id_devices')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_device_users_user_id_users')),
        sa.PrimaryKeyConstraint('device_id', 'user_id', name=op.f('pk_device_users')),
    )
    # Every device's current user has been logged in on it.
    op.execute(
        "INSERT INTO device_users (device_id, user_id, first_at) "
        "SELECT id, user_id, registered_at FROM devices"
    )
    with op.batch_alter_table('applied_changesets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warnings', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('applied_changesets', schema=None) as batch_op:
        batch_op.drop_column('warnings')
    op.drop_table('device_users')
