"""Initial schema of the case file: households, persons, network, professionals, cases,
contact moments, consents, assessments, workers and teams, the outbox and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=36), nullable=False),
    sa.Column('result', sa.String(length=32), nullable=False),
    sa.Column('changeset_id', sa.String(length=36), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('households',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('house_number', sa.Integer(), nullable=False),
    sa.Column('house_number_suffix', sa.String(length=10), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('wijk', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    op.create_index(op.f('ix_households_postcode'), 'households', ['postcode'], unique=False)
    op.create_index(op.f('ix_households_wijk'), 'households', ['wijk'], unique=False)
    op.create_table('local_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_state'))
    )
    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('id', name=op.f('uq_outbox_id'))
    )
    op.create_index(op.f('ix_outbox_household_id'), 'outbox', ['household_id'], unique=False)
    op.create_table('teams',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('wijken', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams'))
    )
    op.create_table('persons',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('first_name', sa.String(length=200), nullable=False),
    sa.Column('name_prefix', sa.String(length=20), nullable=False),
    sa.Column('last_name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('household_role', sa.String(length=32), nullable=False),
    sa.Column('gezag_holder_ids', sa.JSON(), nullable=False),
    sa.Column('gezag_note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_persons_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    op.create_index(op.f('ix_persons_birth_date'), 'persons', ['birth_date'], unique=False)
    op.create_index(op.f('ix_persons_bsn'), 'persons', ['bsn'], unique=False)
    op.create_index(op.f('ix_persons_household_id'), 'persons', ['household_id'], unique=False)
    op.create_table('professionals',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('discipline', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_professionals_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_professionals'))
    )
    op.create_index(op.f('ix_professionals_household_id'), 'professionals', ['household_id'], unique=False)
    op.create_table('workers',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_workers_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workers')),
    sa.UniqueConstraint('username', name=op.f('uq_workers_username'))
    )
    op.create_table('assessments',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('definition_id', sa.String(length=64), nullable=False),
    sa.Column('definition_version', sa.String(length=32), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.String(length=36), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('zwaartefactoren', sa.JSON(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessor_id'], ['workers.id'], name=op.f('fk_assessments_assessor_id_workers')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_assessments_household_id_households')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_assessments_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    op.create_index(op.f('ix_assessments_household_id'), 'assessments', ['household_id'], unique=False)
    op.create_index('ix_assessments_person_date', 'assessments', ['person_id', 'assessed_on'], unique=False)
    op.create_table('cases',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('team_id', sa.String(length=36), nullable=False),
    sa.Column('regisseur_id', sa.String(length=36), nullable=False),
    sa.Column('case_team_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('referral_source', sa.String(length=32), nullable=False),
    sa.Column('referral_date', sa.Date(), nullable=False),
    sa.Column('referral_note', sa.Text(), nullable=False),
    sa.Column('complexity', sa.String(length=16), nullable=True),
    sa.Column('urgency', sa.JSON(), nullable=False),
    sa.Column('client_profile', sa.Integer(), nullable=True),
    sa.Column('problem_areas', sa.JSON(), nullable=False),
    sa.Column('next_evaluation', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('client_profile IS NULL OR client_profile BETWEEN 1 AND 5', name=op.f('ck_cases_profile')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_cases_household_id_households')),
    sa.ForeignKeyConstraint(['regisseur_id'], ['workers.id'], name=op.f('fk_cases_regisseur_id_workers')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_cases_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    op.create_index(op.f('ix_cases_household_id'), 'cases', ['household_id'], unique=False)
    op.create_index(op.f('ix_cases_regisseur_id'), 'cases', ['regisseur_id'], unique=False)
    op.create_index(op.f('ix_cases_team_id'), 'cases', ['team_id'], unique=False)
    op.create_table('consents',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.String(length=36), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_consents_household_id_households')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_consents_person_id_persons')),
    sa.ForeignKeyConstraint(['recorded_by'], ['workers.id'], name=op.f('fk_consents_recorded_by_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    op.create_index(op.f('ix_consents_household_id'), 'consents', ['household_id'], unique=False)
    op.create_table('network_members',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relation', sa.String(length=200), nullable=False),
    sa.Column('support', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_network_members_household_id_households')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_network_members_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members'))
    )
    op.create_index(op.f('ix_network_members_household_id'), 'network_members', ['household_id'], unique=False)
    op.create_table('contact_moments',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('worker_id', sa.String(length=36), nullable=False),
    sa.Column('with_whom', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_contact_moments_case_id_cases')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_contact_moments_household_id_households')),
    sa.ForeignKeyConstraint(['worker_id'], ['workers.id'], name=op.f('fk_contact_moments_worker_id_workers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_moments'))
    )
    op.create_index(op.f('ix_contact_moments_case_id'), 'contact_moments', ['case_id'], unique=False)
    op.create_index(op.f('ix_contact_moments_household_id'), 'contact_moments', ['household_id'], unique=False)


def downgrade() -> None:
    op.drop_table('contact_moments')
    op.drop_table('network_members')
    op.drop_table('consents')
    op.drop_table('cases')
    op.drop_table('assessments')
    op.drop_table('workers')
    op.drop_table('professionals')
    op.drop_table('persons')
    op.drop_table('teams')
    op.drop_table('outbox')
    op.drop_table('local_state')
    op.drop_table('households')
    op.drop_table('audit_log')
