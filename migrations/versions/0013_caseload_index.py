"""A caseload index kept by the database itself: each household's current case and status,
its workers and urgency criteria, and a trigram full-text index over person and household
names. Local only (never synced, never in the outbox); filled from the existing rows.

The derived tables are maintained by SQL triggers on `households`, `persons` and `cases`, so
every path that writes those tables keeps them right: the services' ORM saves and the sync
engine's apply alike, whether through the ORM or Core inserts. Every trigger recomputes from
the source rows (delete, then insert), never increments, and uses no conflict clause, so an
outer `INSERT OR REPLACE` cannot leave them half done. SQL only, no formatting: what runs is
what is written here.

A later migration that rebuilds `households`, `persons` or `cases` (batch mode) drops their
triggers with the table: it must create them again (`wijkteam check` reports missing ones).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Each trigger on `cases` asks for one household to be recomputed by inserting its id here;
# the trigger on this (always empty) table does the work and removes the request. So the
# rules below exist once, whichever event asked.
_RECOMPUTE = """
CREATE TRIGGER caseload_recompute_ai AFTER INSERT ON caseload_recompute BEGIN
    DELETE FROM caseload_index WHERE household_id = NEW.household_id;
    INSERT INTO caseload_index (household_id, current_case_id, current_status, name, postcode)
    VALUES (
        NEW.household_id,
        (SELECT id FROM cases WHERE household_id = NEW.household_id
         ORDER BY referral_date DESC, id LIMIT 1),
        (SELECT status FROM cases WHERE household_id = NEW.household_id
         ORDER BY referral_date DESC, id LIMIT 1),
        (SELECT name FROM households WHERE id = NEW.household_id),
        (SELECT postcode FROM households WHERE id = NEW.household_id));
    DELETE FROM household_urgency WHERE household_id = NEW.household_id;
    INSERT INTO household_urgency (household_id, code)
    SELECT DISTINCT NEW.household_id, j.value
    FROM cases AS c,
         json_each(CASE WHEN json_valid(c.urgency) THEN c.urgency ELSE '[]' END) AS j
    WHERE c.id = (SELECT current_case_id FROM caseload_index
                  WHERE household_id = NEW.household_id)
      AND j.value IS NOT NULL;
    DELETE FROM household_workers WHERE household_id = NEW.household_id;
    INSERT INTO household_workers (household_id, worker_id)
    SELECT NEW.household_id, regisseur_id FROM cases
    WHERE household_id = NEW.household_id AND regisseur_id IS NOT NULL
    UNION
    SELECT NEW.household_id, j.value
    FROM cases AS c,
         json_each(CASE WHEN json_valid(c.case_team_ids) THEN c.case_team_ids
                   ELSE '[]' END) AS j
    WHERE c.household_id = NEW.household_id AND j.value IS NOT NULL;
    DELETE FROM caseload_recompute WHERE household_id = NEW.household_id;
END
"""

# Everything a trigger creates; a JSON list column that is not valid JSON counts as empty
# (a trigger must never make a write fail), missing names as empty text.
TRIGGERS = [
    # The full-text index follows its content table.
    """CREATE TRIGGER search_names_ai AFTER INSERT ON search_names BEGIN
    INSERT INTO search_names_fts (rowid, name) VALUES (NEW.id, NEW.name);
END""",
    """CREATE TRIGGER search_names_ad AFTER DELETE ON search_names BEGIN
    INSERT INTO search_names_fts (search_names_fts, rowid, name)
    VALUES ('delete', OLD.id, OLD.name);
END""",
    # Persons: their folded full name.
    """CREATE TRIGGER persons_index_ai AFTER INSERT ON persons BEGIN
    DELETE FROM search_names WHERE source_id = NEW.id;
    INSERT INTO search_names (source_id, household_id, name)
    VALUES (NEW.id, coalesce(NEW.household_id, ''), coalesce(NEW.search_name, ''));
END""",
    """CREATE TRIGGER persons_index_au AFTER UPDATE OF search_name, household_id ON persons
BEGIN
    DELETE FROM search_names WHERE source_id = NEW.id;
    INSERT INTO search_names (source_id, household_id, name)
    VALUES (NEW.id, coalesce(NEW.household_id, ''), coalesce(NEW.search_name, ''));
END""",
    """CREATE TRIGGER persons_index_ad AFTER DELETE ON persons BEGIN
    DELETE FROM search_names WHERE source_id = OLD.id;
END""",
    # Households: their name; an index row even before the first case (a feed page may
    # bring the case first: then the row exists already and gets the name).
    """CREATE TRIGGER households_index_ai AFTER INSERT ON households BEGIN
    DELETE FROM search_names WHERE source_id = NEW.id;
    INSERT INTO search_names (source_id, household_id, name)
    VALUES (NEW.id, NEW.id, coalesce(NEW.name, ''));
    UPDATE caseload_index SET name = NEW.name, postcode = NEW.postcode
    WHERE household_id = NEW.id;
    INSERT INTO caseload_index (household_id, current_case_id, current_status, name, postcode)
    SELECT NEW.id, NULL, NULL, NEW.name, NEW.postcode
    WHERE NOT EXISTS (SELECT 1 FROM caseload_index WHERE household_id = NEW.id);
END""",
    """CREATE TRIGGER households_index_au AFTER UPDATE OF name, postcode ON households BEGIN
    DELETE FROM search_names WHERE source_id = NEW.id;
    INSERT INTO search_names (source_id, household_id, name)
    VALUES (NEW.id, NEW.id, coalesce(NEW.name, ''));
    UPDATE caseload_index SET name = NEW.name, postcode = NEW.postcode
    WHERE household_id = NEW.id;
END""",
    """CREATE TRIGGER households_index_ad AFTER DELETE ON households BEGIN
    DELETE FROM search_names WHERE source_id = OLD.id;
    DELETE FROM caseload_index WHERE household_id = OLD.id;
    DELETE FROM household_urgency WHERE household_id = OLD.id;
    DELETE FROM household_workers WHERE household_id = OLD.id;
END""",
    # Cases: the current case, its status and urgency, and who works on the household.
    _RECOMPUTE,
    """CREATE TRIGGER cases_index_ai AFTER INSERT ON cases BEGIN
    INSERT INTO caseload_recompute (household_id) VALUES (NEW.household_id);
END""",
    """CREATE TRIGGER cases_index_au AFTER UPDATE OF household_id, referral_date, status,
    urgency, regisseur_id, case_team_ids ON cases BEGIN
    INSERT INTO caseload_recompute (household_id) VALUES (NEW.household_id);
END""",
    """CREATE TRIGGER cases_index_au_moved AFTER UPDATE OF household_id ON cases
WHEN OLD.household_id IS NOT NEW.household_id BEGIN
    INSERT INTO caseload_recompute (household_id) VALUES (OLD.household_id);
END""",
    """CREATE TRIGGER cases_index_ad AFTER DELETE ON cases BEGIN
    INSERT INTO caseload_recompute (household_id) VALUES (OLD.household_id);
END""",
]
TRIGGER_NAMES = [t.split()[2] for t in TRIGGERS]

_BACKFILL = [
    "INSERT INTO search_names (source_id, household_id, name) "
    "SELECT id, id, name FROM households",
    "INSERT INTO search_names (source_id, household_id, name) "
    "SELECT id, household_id, search_name FROM persons",
    # One recompute request per household that has a case; the triggers do the rest.
    "INSERT INTO caseload_recompute (household_id) SELECT DISTINCT household_id FROM cases",
    # Households without a case get their index row too.
    "INSERT INTO caseload_index (household_id, current_case_id, current_status, name, "
    "postcode) SELECT h.id, NULL, NULL, h.name, h.postcode FROM households AS h "
    "WHERE NOT EXISTS (SELECT 1 FROM caseload_index AS ci WHERE ci.household_id = h.id)",
]


def upgrade() -> None:
    op.create_table(
        "caseload_index",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("current_case_id", sa.String(length=36), nullable=True),
        sa.Column("current_status", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=7), nullable=True),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_caseload_index")),
    )
    # The status filter reads this index in list order (name, then postcode).
    op.execute("CREATE INDEX ix_caseload_index_status_name ON caseload_index "
               "(current_status, name COLLATE NOCASE, postcode)")
    # The caseload without a status filter: households in list order, ties by postcode.
    op.execute("DROP INDEX ix_households_name_nocase")
    op.execute("CREATE INDEX ix_households_name_nocase ON households "
               "(name COLLATE NOCASE, postcode)")
    op.create_table(
        "household_workers",
        sa.Column("worker_id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", "household_id", name=op.f("pk_household_workers")),
    )
    op.create_index("ix_household_workers_household_id", "household_workers", ["household_id"])
    op.create_table(
        "household_urgency",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("code", "household_id", name=op.f("pk_household_urgency")),
    )
    op.create_index("ix_household_urgency_household_id", "household_urgency", ["household_id"])
    op.create_table(
        "search_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=450), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_names")),
        sa.UniqueConstraint("source_id", name=op.f("uq_search_names_source_id")),
    )
    # Trigram: any three or more consecutive characters find a name (substring search, as
    # LIKE '%...%' did), from an index; case and accents do not matter.
    op.execute("CREATE VIRTUAL TABLE search_names_fts USING fts5(name, content='search_names', "
               "content_rowid='id', tokenize='trigram remove_diacritics 1')")
    op.create_table(
        "caseload_recompute",
        sa.Column("household_id", sa.String(length=36), nullable=False),
    )
    for trigger in TRIGGERS:
        op.execute(trigger)

    # Backfill from the rows already in the file (through the same triggers).
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute("DROP TRIGGER IF EXISTS " + name)
    op.execute("DROP TABLE IF EXISTS search_names_fts")
    op.drop_table("search_names")
    op.drop_table("caseload_recompute")
    op.drop_index("ix_household_urgency_household_id", table_name="household_urgency")
    op.drop_table("household_urgency")
    op.drop_index("ix_household_workers_household_id", table_name="household_workers")
    op.drop_table("household_workers")
    op.execute("DROP INDEX ix_caseload_index_status_name")
    op.drop_table("caseload_index")
    op.execute("DROP INDEX ix_households_name_nocase")
    op.execute("CREATE INDEX ix_households_name_nocase ON households (name COLLATE NOCASE)")
