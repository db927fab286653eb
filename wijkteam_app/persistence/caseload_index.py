"""The caseload index: derived, local-only tables that make every caseload query an index
lookup (migration 0013), and a check that they agree with the records they derive from.

    caseload_index     household -> its most recent case and that case's status (and its
                       name and postcode: the status filter reads it in list order)
    household_workers  (worker, household): regisseur or case team of any of its cases
    household_urgency  (criterion, household): urgency of its most recent case
    search_names       every person's folded full name and every household's name, the
                       content of the trigram full-text index `search_names_fts` (FTS5)

SQL triggers on `households`, `persons` and `cases` keep them: the app never writes them, so
a save through the services and a record applied by the sync engine (ORM or Core insert)
keep them right alike. They are not `Entity` tables: no outbox, no audit, never synced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

TRIGGERS = frozenset({
    "search_names_ai", "search_names_ad",
    "persons_index_ai", "persons_index_au", "persons_index_ad",
    "households_index_ai", "households_index_au", "households_index_ad",
    "caseload_recompute_ai",
    "cases_index_ai", "cases_index_au", "cases_index_au_moved", "cases_index_ad",
})

# table -> (what the records say it must hold, what it holds)
_DERIVED = {
    "caseload_index": (
        "SELECT h.id, (SELECT id FROM cases WHERE household_id = h.id "
        "ORDER BY referral_date DESC, id LIMIT 1), (SELECT status FROM cases "
        "WHERE household_id = h.id ORDER BY referral_date DESC, id LIMIT 1), h.name, "
        "h.postcode FROM households AS h",
        "SELECT household_id, current_case_id, current_status, name, postcode "
        "FROM caseload_index",
    ),
    "household_workers": (
        "SELECT household_id, regisseur_id FROM cases WHERE regisseur_id IS NOT NULL UNION "
        "SELECT c.household_id, j.value FROM cases AS c, json_each(CASE WHEN "
        "json_valid(c.case_team_ids) THEN c.case_team_ids ELSE '[]' END) AS j "
        "WHERE j.value IS NOT NULL",
        "SELECT household_id, worker_id FROM household_workers",
    ),
    "household_urgency": (
        "SELECT DISTINCT h.id, j.value FROM households AS h JOIN cases AS c ON c.id = "
        "(SELECT id FROM cases WHERE household_id = h.id ORDER BY referral_date DESC, id "
        "LIMIT 1), json_each(CASE WHEN json_valid(c.urgency) THEN c.urgency ELSE '[]' END) "
        "AS j WHERE j.value IS NOT NULL",
        "SELECT household_id, code FROM household_urgency",
    ),
    "search_names": (
        "SELECT id, id, name FROM households UNION ALL "
        "SELECT id, household_id, search_name FROM persons",
        "SELECT source_id, household_id, name FROM search_names",
    ),
}


def _rows(conn: Connection, sql: str) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in conn.execute(text(sql))}


def problems(conn: Connection) -> list[str]:
    """What is wrong with the index (Dutch, for `wijkteam check`); empty when it is right."""
    found = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    out: list[str] = []
    missing = sorted(TRIGGERS - found)
    if missing:
        out.append(f"zoekindex: {len(missing)} trigger(s) ontbreken ({', '.join(missing)})")
    for table, (expected, actual) in _DERIVED.items():
        wrong = len(_rows(conn, expected) ^ _rows(conn, actual))
        if wrong:
            out.append(f"zoekindex: {table} wijkt af op {wrong} regel(s)")
    try:
        # FTS5's own check of the index against its content table; a command that only an
        # open (writable) connection accepts. `wijkteam check` opens the file read-only:
        # there the trigger and table checks above stand for it.
        conn.execute(text("INSERT INTO search_names_fts (search_names_fts, rank) "
                          "VALUES ('integrity-check', 1)"))
    except DBAPIError as exc:
        if "readonly" not in str(exc.orig).lower():
            out.append("zoekindex: de volledige-tekstindex klopt niet met search_names")
    return out
