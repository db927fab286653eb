"""The report's facts: the few fields of case-file records the municipal report reads, kept
in plain columns beside ``entities`` (the ``fact_*`` tables of `wijkteam_server.models`).

Why: a report over 50,000 households would otherwise parse the JSON of some 600,000 records
each time (seconds; see docs/performance.md). Instead every applied write keeps the facts of
that one record up to date (`record`, called by the sync engine once per record it inserts,
changes, deletes or brings back), and `wijkteam_server.reporting` reads only these narrow,
indexed tables.

What is kept is exactly what the report's SQL reads, as the records carry it (ids, ISO
dates and moments as text, numbers as integers): never a name, address, BSN, birth date,
note or comment. A deleted record has no facts. `rebuild` refills every table from
``entities`` (tests, the benchmark, and repairs: ``wijkteam-server report --rebuild``);
migration 0009 fills them once for an existing server with a frozen copy of `facts_of`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Table, delete, select
from sqlalchemy.orm import Session

from wijkteam_server.models import (
    EntityRow,
    FactAssessment,
    FactAssessmentItem,
    FactCase,
    FactCaseUrgency,
    FactContact,
    FactExperience,
    FactExperienceAnswer,
    FactHousehold,
    FactPlanStatus,
    FactPlanSupport,
    FactPlanVersion,
    FactRegieEvent,
    FactSignature,
    FactToets,
)

Rows = dict[Table, list[dict[str, Any]]]


def _t(cls: Any) -> Table:
    table: Table = cls.__table__
    return table


HOUSEHOLDS, CASES, URGENCY = _t(FactHousehold), _t(FactCase), _t(FactCaseUrgency)
CONTACTS, ASSESSMENTS, ITEMS = _t(FactContact), _t(FactAssessment), _t(FactAssessmentItem)
VERSIONS, STATUSES, SUPPORT = _t(FactPlanVersion), _t(FactPlanStatus), _t(FactPlanSupport)
SIGNATURES, TOETSEN, REGIE = _t(FactSignature), _t(FactToets), _t(FactRegieEvent)
EXPERIENCES, ANSWERS = _t(FactExperience), _t(FactExperienceAnswer)

# Per entity: its own table (keyed by the record's id, first column) and its child tables
# (keyed by the record's id in their first column).
TABLES: dict[str, tuple[Table, ...]] = {
    "household": (HOUSEHOLDS,),
    "case": (CASES, URGENCY),
    "contact_moment": (CONTACTS,),
    "assessment": (ASSESSMENTS, ITEMS),
    "plan_version": (VERSIONS, STATUSES, SUPPORT),
    "plan_signature": (SIGNATURES,),
    "plan_toets": (TOETSEN,),
    "regie_event": (REGIE,),
    "client_experience": (EXPERIENCES, ANSWERS),
}
ALL_TABLES: tuple[Table, ...] = tuple(t for tables in TABLES.values() for t in tables)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def facts_of(entity: str, entity_id: str, household_id: str | None,
             data: dict[str, Any]) -> Rows:
    """The fact rows of one live record (empty for an entity the report does not read).
    `household_id` is the record's household as the server files it (``entities``)."""
    rows: Rows = defaultdict(list)
    if entity == "household":
        rows[HOUSEHOLDS].append({"household_id": entity_id, "wijk": _text(data.get("wijk"))})
    elif entity == "case":
        profile = _int(data.get("client_profile"))
        rows[CASES].append({
            "case_id": entity_id, "household_id": household_id,
            "team_id": _text(data.get("team_id")),
            "regisseur_id": _text(data.get("regisseur_id")),
            "referral_date": _text(data.get("referral_date")),
            "closed_on": _text(data.get("closed_on")),
            "next_evaluation": _text(data.get("next_evaluation")),
            "client_profile": None if profile is None else str(profile)})
        urgency = data.get("urgency")
        criteria = {c for c in urgency if isinstance(c, str)} if isinstance(urgency, list) \
            else set()
        rows[URGENCY].extend({"case_id": entity_id, "criterion": c} for c in sorted(criteria))
    elif entity == "contact_moment":
        rows[CONTACTS].append({
            "contact_id": entity_id, "household_id": household_id,
            "case_id": _text(data.get("case_id")), "day": _text(data.get("on")),
            "minutes": _int(data.get("duration_minutes")),
            "worker_id": _text(data.get("worker_id"))})
    elif entity == "assessment":
        rows[ASSESSMENTS].append({
            "assessment_id": entity_id, "household_id": household_id,
            "person_id": _text(data.get("person_id")),
            "definition_id": _text(data.get("definition_id")),
            "definition_version": _text(data.get("definition_version")),
            "assessed_on": _text(data.get("assessed_on"))})
        rows[ITEMS].extend(
            {"assessment_id": entity_id, "position": n, "code": _text(item.get("code")),
             "score": _int(item.get("score"))}
            for n, item in enumerate(_dicts(data.get("items"))))
    elif entity == "plan_version":
        content = data.get("content")
        content = content if isinstance(content, dict) else {}
        rows[VERSIONS].append({
            "version_id": entity_id, "household_id": household_id,
            "number": _int(data.get("number")), "created_at": _text(data.get("created_at")),
            "regisseur_id": _text(content.get("regisseur_id"))})
        rows[STATUSES].extend(
            {"version_id": entity_id, "position": n,
             "to_status": _text(entry.get("to_status")), "at": _text(entry.get("at"))}
            for n, entry in enumerate(_dicts(data.get("history"))))
        provisions = [p for goal in _dicts(content.get("goals"))
                      for p in _dicts(goal.get("professioneel"))]
        rows[SUPPORT].extend(
            {"version_id": entity_id, "position": n,
             "product_code": _text(p.get("product_code")),
             "cost_cents": _int(p.get("cost_cents")), "starts_on": _text(p.get("start")),
             "ends_on": _text(p.get("end"))}
            for n, p in enumerate(provisions))
    elif entity == "plan_signature":
        rows[SIGNATURES].append({
            "signature_id": entity_id, "household_id": household_id,
            "version_id": _text(data.get("version_id")),
            "signed_on": _text(data.get("signed_on"))})
    elif entity == "plan_toets":
        rows[TOETSEN].append({
            "toets_id": entity_id, "version_id": _text(data.get("version_id")),
            "decided_at": _text(data.get("decided_at"))})
    elif entity == "regie_event":
        rows[REGIE].append({
            "event_id": entity_id, "household_id": household_id,
            "direction": _text(data.get("direction")), "at": _text(data.get("at"))})
    elif entity == "client_experience":
        rows[EXPERIENCES].append({
            "experience_id": entity_id, "household_id": household_id,
            "case_id": _text(data.get("case_id")),
            "questionnaire": _text(data.get("questionnaire")),
            "answered_on": _text(data.get("answered_on"))})
        rows[ANSWERS].extend(
            {"experience_id": entity_id, "position": n,
             "question": _text(answer.get("question")), "score": _int(answer.get("score"))}
            for n, answer in enumerate(_dicts(data.get("answers"))))
    return rows


def _key(table: Table) -> Any:
    return next(iter(table.primary_key.columns))


def record(session: Session, row: EntityRow) -> None:
    """Bring the facts of one record in line with its current state (after an insert, an
    update, a deletion or a record brought back). Part of the caller's transaction."""
    tables = TABLES.get(row.entity)
    if tables is None:
        return
    for table in tables:
        session.execute(delete(table).where(_key(table) == row.entity_id))
    if row.deleted:
        return
    for table, values in facts_of(row.entity, row.entity_id, row.household_id,
                                  row.data).items():
        if values:
            session.execute(table.insert(), values)


def forget(session: Session, entity: str, entity_id: str) -> None:
    """Remove the facts of a record that is destroyed (the end of its retention term)."""
    for table in TABLES.get(entity, ()):
        session.execute(delete(table).where(_key(table) == entity_id))


def _live_records(conn: Connection, batch: int) -> Iterator[list[Any]]:
    query = (select(EntityRow.entity, EntityRow.entity_id, EntityRow.household_id,
                    EntityRow.data)
             .where(EntityRow.entity.in_(tuple(TABLES)), EntityRow.deleted.is_(False))
             .execution_options(yield_per=batch))
    for part in conn.execute(query).partitions(batch):
        yield list(part)


def rebuild(conn: Connection, batch: int = 5000) -> int:
    """Refill every fact table from ``entities``; returns the number of records read."""
    for table in ALL_TABLES:
        conn.execute(delete(table))
    count = 0
    for chunk in _live_records(conn, batch):
        pending: Rows = defaultdict(list)
        for entity, entity_id, household_id, data in chunk:
            for table, values in facts_of(entity, entity_id, household_id, data).items():
                pending[table].extend(values)
        _insert(conn, pending.items())
        count += len(chunk)
    return count


def _insert(conn: Connection, rows: Iterable[tuple[Table, list[dict[str, Any]]]]) -> None:
    for table, values in rows:
        if values:
            conn.execute(table.insert(), values)


__all__ = ["ALL_TABLES", "TABLES", "facts_of", "rebuild", "record"]
