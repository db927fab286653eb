"""Reference data as one versioned bundle: the ``reference_state`` row (bundle version,
municipality name and logo, municipal settings) and the sociale kaart in the app's schema
(provider, level, cost, mandate flag, product code instead of a category and free ``extra``).

Existing kaart rows are converted: values the old loader kept in ``extra`` under the app's
names are taken over; a row without a valid level becomes ``algemeen`` (its old category is
kept at the end of the description, so nothing is lost).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Frozen copy of the level names at the time of this migration.
_LEVELS = ("algemeen", "collectief", "individueel_licht", "individueel_zwaar",
           "andere_instantie")


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _convert(category: str, extra: dict[str, Any], description: str) -> dict[str, Any]:
    level = extra.get("level", category)
    if level not in _LEVELS:
        level = "algemeen"
        if category:
            description = f"{description}\n(categorie: {category})".strip()
    cost = extra.get("cost_cents")
    mandate = extra.get("within_mandate", True)
    code = extra.get("product_code")
    return {
        "provider": str(extra.get("provider", ""))[:300],
        "level": level,
        "cost_cents": cost if isinstance(cost, int) and not isinstance(cost, bool)
        and cost >= 0 else None,
        "within_mandate": mandate if isinstance(mandate, bool) else True,
        "product_code": code[:64] if isinstance(code, str) and code.strip() else None,
        "description": description,
    }


def upgrade() -> None:
    op.create_table(
        'reference_state',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('municipality_name', sa.String(length=200), nullable=False),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=32), nullable=True),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('kaart_source', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_state')),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    state = sa.table('reference_state', sa.column('id', sa.Integer()),
                     sa.column('version', sa.String()), sa.column('updated_at', sa.DateTime()),
                     sa.column('municipality_name', sa.String()),
                     sa.column('settings', sa.JSON()), sa.column('kaart_source', sa.Text()))
    op.bulk_insert(state, [{"id": 1, "version": uuid.uuid4().hex, "updated_at": now,
                            "municipality_name": "", "settings": {}, "kaart_source": ""}])

    conn = op.get_bind()
    old_rows = conn.execute(sa.text(
        "SELECT id, category, extra, description FROM sociale_kaart")).all()
    with op.batch_alter_table('sociale_kaart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('level', sa.String(length=32), nullable=False,
                                      server_default='algemeen'))
        batch_op.add_column(sa.Column('cost_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('within_mandate', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('product_code', sa.String(length=64), nullable=True))
    kaart = sa.table('sociale_kaart', sa.column('id', sa.String()),
                     sa.column('provider', sa.String()), sa.column('level', sa.String()),
                     sa.column('cost_cents', sa.Integer()),
                     sa.column('within_mandate', sa.Boolean()),
                     sa.column('product_code', sa.String()),
                     sa.column('description', sa.Text()))
    for row_id, category, extra, description in old_rows:
        values = _convert(str(category or ""), _loads(extra) or {}, str(description or ""))
        conn.execute(kaart.update().where(kaart.c.id == row_id).values(**values))
    with op.batch_alter_table('sociale_kaart', schema=None) as batch_op:
        batch_op.alter_column('provider', server_default=None)
        batch_op.alter_column('level', server_default=None)
        batch_op.alter_column('within_mandate', server_default=None)
        batch_op.drop_column('category')
        batch_op.drop_column('extra')


def downgrade() -> None:
    with op.batch_alter_table('sociale_kaart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=False,
                                      server_default='{}'))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE sociale_kaart SET category = level"))
    with op.batch_alter_table('sociale_kaart', schema=None) as batch_op:
        batch_op.drop_column('product_code')
        batch_op.drop_column('within_mandate')
        batch_op.drop_column('cost_cents')
        batch_op.drop_column('level')
        batch_op.drop_column('provider')
    op.drop_table('reference_state')
