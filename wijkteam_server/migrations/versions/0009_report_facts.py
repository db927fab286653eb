"""Report facts: the few fields of case-file records that the municipal report reads, in
plain columns beside ``entities`` (the ``fact_*`` tables), kept up to date by the sync engine
on every applied write (`wijkteam_server.report_facts`), so a report no longer parses each
record's JSON (issue 12: the report over 50,000 households took 4-5 s on SQLite).

The tables are filled here once from the existing records, with a frozen copy of
`report_facts.facts_of` as it was at this revision (a later change to the facts brings its
own migration). ``tests/server/test_report_facts.py`` checks this fill equals a rebuild.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

FACT_TABLES = ('fact_households', 'fact_cases', 'fact_case_urgency', 'fact_contacts',
               'fact_assessments', 'fact_assessment_items', 'fact_plan_versions',
               'fact_plan_statuses', 'fact_plan_support', 'fact_signatures', 'fact_toetsen',
               'fact_regie_events', 'fact_experiences', 'fact_experience_answers')
ENTITIES = ('household', 'case', 'contact_moment', 'assessment', 'plan_version',
            'plan_signature', 'plan_toets', 'regie_event', 'client_experience')


def upgrade() -> None:
    op.create_table(
        'fact_households',
        sa.Column('household_id', sa.String(length=36), nullable=False),
        sa.Column('wijk', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('household_id', name=op.f('pk_fact_households')),
    )
    op.create_table(
        'fact_cases',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('team_id', sa.String(length=36), nullable=True),
        sa.Column('regisseur_id', sa.String(length=36), nullable=True),
        sa.Column('referral_date', sa.String(length=32), nullable=True),
        sa.Column('closed_on', sa.String(length=32), nullable=True),
        sa.Column('next_evaluation', sa.String(length=32), nullable=True),
        sa.Column('client_profile', sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_fact_cases')),
    )
    op.create_index(op.f('ix_fact_cases_household_id'), 'fact_cases', ['household_id'])
    op.create_table(
        'fact_case_urgency',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('criterion', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('case_id', 'criterion', name=op.f('pk_fact_case_urgency')),
    )
    op.create_table(
        'fact_contacts',
        sa.Column('contact_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('case_id', sa.String(length=36), nullable=True),
        sa.Column('day', sa.String(length=32), nullable=True),
        sa.Column('minutes', sa.Integer(), nullable=True),
        sa.Column('worker_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('contact_id', name=op.f('pk_fact_contacts')),
    )
    op.create_index(op.f('ix_fact_contacts_day'), 'fact_contacts', ['day'])
    op.create_index(op.f('ix_fact_contacts_household_id'), 'fact_contacts', ['household_id'])
    op.create_table(
        'fact_assessments',
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('person_id', sa.String(length=36), nullable=True),
        sa.Column('definition_id', sa.String(length=64), nullable=True),
        sa.Column('definition_version', sa.String(length=32), nullable=True),
        sa.Column('assessed_on', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('assessment_id', name=op.f('pk_fact_assessments')),
    )
    op.create_index(op.f('ix_fact_assessments_household_id'), 'fact_assessments', ['household_id'])
    op.create_table(
        'fact_assessment_items',
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=True),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('assessment_id', 'position', name=op.f('pk_fact_assessment_items')),
    )
    op.create_table(
        'fact_plan_versions',
        sa.Column('version_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('number', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.String(length=40), nullable=True),
        sa.Column('regisseur_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('version_id', name=op.f('pk_fact_plan_versions')),
    )
    op.create_index(op.f('ix_fact_plan_versions_household_id'), 'fact_plan_versions', ['household_id'])
    op.create_table(
        'fact_plan_statuses',
        sa.Column('version_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('to_status', sa.String(length=32), nullable=True),
        sa.Column('at', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_fact_plan_statuses')),
    )
    op.create_table(
        'fact_plan_support',
        sa.Column('version_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('product_code', sa.String(length=64), nullable=True),
        sa.Column('cost_cents', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.String(length=32), nullable=True),
        sa.Column('ends_on', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('version_id', 'position', name=op.f('pk_fact_plan_support')),
    )
    op.create_table(
        'fact_signatures',
        sa.Column('signature_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('version_id', sa.String(length=36), nullable=True),
        sa.Column('signed_on', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('signature_id', name=op.f('pk_fact_signatures')),
    )
    op.create_index(op.f('ix_fact_signatures_household_id'), 'fact_signatures', ['household_id'])
    op.create_index(op.f('ix_fact_signatures_version_id'), 'fact_signatures', ['version_id'])
    op.create_table(
        'fact_toetsen',
        sa.Column('toets_id', sa.String(length=36), nullable=False),
        sa.Column('version_id', sa.String(length=36), nullable=True),
        sa.Column('decided_at', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('toets_id', name=op.f('pk_fact_toetsen')),
    )
    op.create_index(op.f('ix_fact_toetsen_version_id'), 'fact_toetsen', ['version_id'])
    op.create_table(
        'fact_regie_events',
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('direction', sa.String(length=16), nullable=True),
        sa.Column('at', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_fact_regie_events')),
    )
    op.create_index(op.f('ix_fact_regie_events_household_id'), 'fact_regie_events', ['household_id'])
    op.create_table(
        'fact_experiences',
        sa.Column('experience_id', sa.String(length=36), nullable=False),
        sa.Column('household_id', sa.String(length=36), nullable=True),
        sa.Column('case_id', sa.String(length=36), nullable=True),
        sa.Column('questionnaire', sa.String(length=32), nullable=True),
        sa.Column('answered_on', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('experience_id', name=op.f('pk_fact_experiences')),
    )
    op.create_index(op.f('ix_fact_experiences_household_id'), 'fact_experiences', ['household_id'])
    op.create_table(
        'fact_experience_answers',
        sa.Column('experience_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('question', sa.String(length=64), nullable=True),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('experience_id', 'position', name=op.f('pk_fact_experience_answers')),
    )
    _fill(op.get_bind())


def downgrade() -> None:
    for name in reversed(FACT_TABLES):
        op.drop_table(name)


# --------------------------------------------------------------------------- the fill
# Frozen copy of wijkteam_server.report_facts.facts_of at revision 0009.


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _facts(rows: dict[str, list[dict[str, Any]]], entity: str, entity_id: str,
           household_id: str | None, data: dict[str, Any]) -> None:
    if entity == 'household':
        rows['fact_households'].append({'household_id': entity_id,
                                        'wijk': _text(data.get('wijk'))})
    elif entity == 'case':
        profile = _int(data.get('client_profile'))
        rows['fact_cases'].append({
            'case_id': entity_id, 'household_id': household_id,
            'team_id': _text(data.get('team_id')),
            'regisseur_id': _text(data.get('regisseur_id')),
            'referral_date': _text(data.get('referral_date')),
            'closed_on': _text(data.get('closed_on')),
            'next_evaluation': _text(data.get('next_evaluation')),
            'client_profile': None if profile is None else str(profile)})
        urgency = data.get('urgency')
        criteria = {c for c in urgency if isinstance(c, str)} if isinstance(urgency, list) \
            else set()
        rows['fact_case_urgency'].extend({'case_id': entity_id, 'criterion': c}
                                         for c in sorted(criteria))
    elif entity == 'contact_moment':
        rows['fact_contacts'].append({
            'contact_id': entity_id, 'household_id': household_id,
            'case_id': _text(data.get('case_id')), 'day': _text(data.get('on')),
            'minutes': _int(data.get('duration_minutes')),
            'worker_id': _text(data.get('worker_id'))})
    elif entity == 'assessment':
        rows['fact_assessments'].append({
            'assessment_id': entity_id, 'household_id': household_id,
            'person_id': _text(data.get('person_id')),
            'definition_id': _text(data.get('definition_id')),
            'definition_version': _text(data.get('definition_version')),
            'assessed_on': _text(data.get('assessed_on'))})
        rows['fact_assessment_items'].extend(
            {'assessment_id': entity_id, 'position': n, 'code': _text(item.get('code')),
             'score': _int(item.get('score'))}
            for n, item in enumerate(_dicts(data.get('items'))))
    elif entity == 'plan_version':
        content = data.get('content')
        content = content if isinstance(content, dict) else {}
        rows['fact_plan_versions'].append({
            'version_id': entity_id, 'household_id': household_id,
            'number': _int(data.get('number')), 'created_at': _text(data.get('created_at')),
            'regisseur_id': _text(content.get('regisseur_id'))})
        rows['fact_plan_statuses'].extend(
            {'version_id': entity_id, 'position': n,
             'to_status': _text(entry.get('to_status')), 'at': _text(entry.get('at'))}
            for n, entry in enumerate(_dicts(data.get('history'))))
        provisions = [p for goal in _dicts(content.get('goals'))
                      for p in _dicts(goal.get('professioneel'))]
        rows['fact_plan_support'].extend(
            {'version_id': entity_id, 'position': n,
             'product_code': _text(p.get('product_code')),
             'cost_cents': _int(p.get('cost_cents')), 'starts_on': _text(p.get('start')),
             'ends_on': _text(p.get('end'))}
            for n, p in enumerate(provisions))
    elif entity == 'plan_signature':
        rows['fact_signatures'].append({
            'signature_id': entity_id, 'household_id': household_id,
            'version_id': _text(data.get('version_id')),
            'signed_on': _text(data.get('signed_on'))})
    elif entity == 'plan_toets':
        rows['fact_toetsen'].append({
            'toets_id': entity_id, 'version_id': _text(data.get('version_id')),
            'decided_at': _text(data.get('decided_at'))})
    elif entity == 'regie_event':
        rows['fact_regie_events'].append({
            'event_id': entity_id, 'household_id': household_id,
            'direction': _text(data.get('direction')), 'at': _text(data.get('at'))})
    elif entity == 'client_experience':
        rows['fact_experiences'].append({
            'experience_id': entity_id, 'household_id': household_id,
            'case_id': _text(data.get('case_id')),
            'questionnaire': _text(data.get('questionnaire')),
            'answered_on': _text(data.get('answered_on'))})
        rows['fact_experience_answers'].extend(
            {'experience_id': entity_id, 'position': n,
             'question': _text(answer.get('question')), 'score': _int(answer.get('score'))}
            for n, answer in enumerate(_dicts(data.get('answers'))))


def _fill(conn: Any, batch: int = 5000) -> None:
    meta = sa.MetaData()
    meta.reflect(conn, only=FACT_TABLES)
    entities = sa.table('entities', sa.column('entity', sa.String()),
                        sa.column('entity_id', sa.String()),
                        sa.column('household_id', sa.String()),
                        sa.column('data', sa.JSON()), sa.column('deleted', sa.Boolean()))
    result = conn.execute(
        sa.select(entities.c.entity, entities.c.entity_id, entities.c.household_id,
                  entities.c.data)
        .where(entities.c.entity.in_(ENTITIES), entities.c.deleted.is_(False))
        .execution_options(yield_per=batch))
    for chunk in result.partitions(batch):
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entity, entity_id, household_id, data in chunk:
            _facts(rows, entity, entity_id, household_id, data or {})
        for name, values in rows.items():
            if values:
                conn.execute(meta.tables[name].insert(), values)
