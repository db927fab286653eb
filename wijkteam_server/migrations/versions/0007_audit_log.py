"""The laptops' audit chains (NEN 7513 access log included) and the retention purge log,
both append-only.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION wijkteam_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=36), nullable=False),
    sa.Column('result', sa.String(length=32), nullable=False),
    sa.Column('changeset_id', sa.String(length=36), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('purpose', sa.String(length=500), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('device_id', 'local_id', name='device_local_id'),
    )
    op.create_index('ix_audit_log_household_at', 'audit_log', ['household_id', 'at'],
                    unique=False)
    op.create_index(op.f('ix_audit_log_object_id'), 'audit_log', ['object_id'], unique=False)
    op.create_table('purge_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('regime', sa.String(length=16), nullable=False),
    sa.Column('term_years', sa.Integer(), nullable=False),
    sa.Column('case_end', sa.DateTime(), nullable=False),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purge_log')),
    )
    op.create_index(op.f('ix_purge_log_household_id'), 'purge_log', ['household_id'],
                    unique=False)
    for table in ('audit_log', 'purge_log'):
        if op.get_bind().dialect.name == 'postgresql':
            op.execute(_PG_FUNCTION)
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION wijkteam_audit_append_only()")
        else:
            for event in ('UPDATE', 'DELETE'):
                op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON "
                           f"{table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS purge_log_append_only ON purge_log")
        op.execute("DROP FUNCTION IF EXISTS wijkteam_audit_append_only()")
    op.drop_index(op.f('ix_purge_log_household_id'), table_name='purge_log')
    op.drop_table('purge_log')
    op.drop_index(op.f('ix_audit_log_object_id'), table_name='audit_log')
    op.drop_index('ix_audit_log_household_at', table_name='audit_log')
    op.drop_table('audit_log')
