"""Initial schema of the municipal server: teams, users, devices, refresh tokens, login
throttling, entities, the change feed, applied change-sets, conflicts, scope tables, mandates,
sociale kaart, instrument texts and attachments.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('chunk_size', sa.Integer(), nullable=False),
    sa.Column('received_chunks', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('uploaded_by', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_attachments_household_id'),
            ['household_id'],
            unique=False,
        )

    op.create_table('change_log',
    sa.Column('server_seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('changeset_id', sa.String(length=36), nullable=True),
    sa.Column('origin_device_id', sa.String(length=36), nullable=True),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('op', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('target_device_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('server_seq', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_change_log_changeset_id'),
            ['changeset_id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_change_log_household_seq',
            ['household_id', 'server_seq'],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f('ix_change_log_target_device_id'),
            ['target_device_id'],
            unique=False,
        )

    op.create_table('conflicts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('base_value', sa.JSON(), nullable=False),
    sa.Column('mine_value', sa.JSON(), nullable=False),
    sa.Column('mine_actor_id', sa.String(length=36), nullable=True),
    sa.Column('mine_device_id', sa.String(length=36), nullable=True),
    sa.Column('mine_at', sa.DateTime(), nullable=True),
    sa.Column('mine_changeset_id', sa.String(length=36), nullable=True),
    sa.Column('theirs_value', sa.JSON(), nullable=False),
    sa.Column('theirs_actor_id', sa.String(length=36), nullable=True),
    sa.Column('theirs_device_id', sa.String(length=36), nullable=True),
    sa.Column('theirs_at', sa.DateTime(), nullable=True),
    sa.Column('theirs_version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_by', sa.String(length=36), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution_value', sa.JSON(), nullable=False),
    sa.Column('resolution_changeset_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_conflicts_household_id'),
            ['household_id'],
            unique=False,
        )
        batch_op.create_index(batch_op.f('ix_conflicts_status'), ['status'], unique=False)

    op.create_table('device_entity_chain',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('local_version', sa.Integer(), nullable=False),
    sa.Column('effective_base', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'entity', 'entity_id', name=op.f('pk_device_entity_chain'))
    )
    op.create_table('device_households',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('entered_seq', sa.Integer(), nullable=False),
    sa.Column('left_seq', sa.Integer(), nullable=True),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('device_id', 'household_id', name=op.f('pk_device_households'))
    )
    op.create_table('entities',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('team_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_origins', sa.JSON(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', name=op.f('pk_entities'))
    )
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_entities_household_id'),
            ['household_id'],
            unique=False,
        )
        batch_op.create_index(batch_op.f('ix_entities_team_id'), ['team_id'], unique=False)

    op.create_table('household_access',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('principal', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('household_id', 'principal', name=op.f('pk_household_access'))
    )
    with op.batch_alter_table('household_access', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_household_access_principal'),
            ['principal'],
            unique=False,
        )

    op.create_table('instrument_texts',
    sa.Column('definition_id', sa.String(length=64), nullable=False),
    sa.Column('definition_version', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint(
        'definition_id',
        'definition_version',
        'key',
        name=op.f('pk_instrument_texts'),
    )
    )
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_table('sociale_kaart',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('wijken', sa.JSON(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sociale_kaart'))
    )
    op.create_table('teams',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_team_id'), ['team_id'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('directory_seq', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_devices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_user_id'), ['user_id'], unique=False)

    op.create_table('mandates',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('max_amount_cents', sa.Integer(), nullable=False),
    sa.Column('provisions', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mandates_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mandates'))
    )
    op.create_table('applied_changesets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('device_seq', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=True),
    sa.Column('conflict_ids', sa.JSON(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(
        ['device_id'],
        ['devices.id'],
        name=op.f('fk_applied_changesets_device_id_devices'),
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applied_changesets')),
    sa.UniqueConstraint('device_id', 'device_seq', name='device_seq')
    )
    op.create_table('refresh_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(
        ['device_id'],
        ['devices.id'],
        name=op.f('fk_refresh_tokens_device_id_devices'),
    ),
    sa.ForeignKeyConstraint(
        ['user_id'],
        ['users.id'],
        name=op.f('fk_refresh_tokens_user_id_users'),
    ),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_refresh_tokens'))
    )
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_refresh_tokens_device_id'),
            ['device_id'],
            unique=False,
        )



def downgrade() -> None:
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refresh_tokens_device_id'))

    op.drop_table('refresh_tokens')
    op.drop_table('applied_changesets')
    op.drop_table('mandates')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_devices_user_id'))

    op.drop_table('devices')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_team_id'))

    op.drop_table('users')
    op.drop_table('teams')
    op.drop_table('sociale_kaart')
    op.drop_table('login_throttle')
    op.drop_table('instrument_texts')
    with op.batch_alter_table('household_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_access_principal'))

    op.drop_table('household_access')
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entities_team_id'))
        batch_op.drop_index(batch_op.f('ix_entities_household_id'))

    op.drop_table('entities')
    op.drop_table('device_households')
    op.drop_table('device_entity_chain')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflicts_status'))
        batch_op.drop_index(batch_op.f('ix_conflicts_household_id'))

    op.drop_table('conflicts')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_target_device_id'))
        batch_op.drop_index('ix_change_log_household_seq')
        batch_op.drop_index(batch_op.f('ix_change_log_changeset_id'))

    op.drop_table('change_log')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_household_id'))

    op.drop_table('attachments')
