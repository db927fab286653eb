"""Persons get a folded search name (lower case, no accents) with an index, for fast search
on name without decrypting and scanning every row in Python. Existing rows are backfilled.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # Frozen copy of wijkteam_app.domain.search.fold as it was at this revision: a migration
    # must keep doing what it did, whatever the app's code becomes later.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: no table rebuild, so foreign keys stay untouched.
    op.add_column(
        "persons",
        sa.Column("search_name", sa.String(length=450), nullable=False, server_default=""),
    )
    op.create_index("ix_persons_search_name", "persons", ["search_name"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, first_name, name_prefix, last_name FROM persons"))
    for person_id, first, prefix, last in rows.fetchall():
        name = _fold(" ".join(p for p in (first, prefix, last) if p))
        conn.execute(
            sa.text("UPDATE persons SET search_name = :n WHERE id = :i"),
            {"n": name, "i": person_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_index("ix_persons_search_name")
        batch.drop_column("search_name")
