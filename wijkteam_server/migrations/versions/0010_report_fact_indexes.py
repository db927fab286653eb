"""Report facts: indexes that fit the report's reads (issue 12: the report over 50,000
households must take at most 2 s on SQLite).

Covering indexes, so the report reads index entries in order instead of looking up rows:
a household's cases by referral date (its latest running case), a household's contacts by
day with their minutes and worker, a case's contacts by day (its first contact), an
assessment's scores by item code, a plan version's status changes by moment. The
single-column indexes on ``fact_cases.household_id``, ``fact_contacts.household_id`` and
``fact_contacts.day`` are replaced (the first two are prefixes of the new ones; the day
index would only lead SQLite to a worse plan).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_fact_cases_household_id', table_name='fact_cases')
    op.create_index('ix_fact_cases_household_referral', 'fact_cases',
                    ['household_id', 'referral_date', 'case_id', 'closed_on'])
    op.drop_index('ix_fact_contacts_household_id', table_name='fact_contacts')
    op.drop_index('ix_fact_contacts_day', table_name='fact_contacts')
    op.create_index('ix_fact_contacts_household_day', 'fact_contacts',
                    ['household_id', 'day', 'minutes', 'worker_id'])
    op.create_index('ix_fact_contacts_case_day', 'fact_contacts',
                    ['case_id', 'day', 'household_id'])
    op.create_index('ix_fact_assessment_items_scores', 'fact_assessment_items',
                    ['assessment_id', 'code', 'score'])
    op.create_index('ix_fact_plan_statuses_at', 'fact_plan_statuses',
                    ['version_id', 'at', 'position', 'to_status'])


def downgrade() -> None:
    op.drop_index('ix_fact_plan_statuses_at', table_name='fact_plan_statuses')
    op.drop_index('ix_fact_assessment_items_scores', table_name='fact_assessment_items')
    op.drop_index('ix_fact_contacts_case_day', table_name='fact_contacts')
    op.drop_index('ix_fact_contacts_household_day', table_name='fact_contacts')
    op.create_index('ix_fact_contacts_day', 'fact_contacts', ['day'])
    op.create_index('ix_fact_contacts_household_id', 'fact_contacts', ['household_id'])
    op.drop_index('ix_fact_cases_household_referral', table_name='fact_cases')
    op.create_index('ix_fact_cases_household_id', 'fact_cases', ['household_id'])
