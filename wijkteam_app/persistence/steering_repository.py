"""Reading the facts the steering indicators need (`domain.indicators.Facts`).

The dashboard must stay quick on a case file with thousands of households, so this reads
only what the indicators use, as plain rows on the driver's own connection (no ORM objects,
no names or notes), and lets SQLite take apart the large JSON documents (a plan's content,
``json_each``) rather than decoding them in Python; small JSON lists whose every element is
used (an assessment's items, a plan version's history) are read as text and parsed here,
which is quicker than one SQL row per element:

- contacts of the period only (every use of a contact in the indicators lies in it; an index
  on their date);
- of the ZRM and ladder assessments only the first and the latest of each client and
  instrument version, and only for series with two or more measurements whose latest lies
  in the period (the indicators compare exactly those two), with their scores;
- of each plan version its number, dates, regisseur, status history and professional
  support;
- klantervaring questionnaires answered in the period, with their scores (no comments).

Every function takes a DB-API connection (`CaseFile.snapshot`, or a session's own), so the
read may run on a background thread. Dates are stored as ISO text (SQLAlchemy's SQLite
format) and parsed with `fromisoformat`.

A whole read scans each table once; a read of some households (after a save) looks them up by
index. The queries are written once with ``IN_SCOPE(column)`` where the household filter
goes, and turned into those two variants by `_scoped` (fixed text only: the households are
always a bound parameter).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

from wijkteam_app.domain.indicators import (
    ZRM_PREFIX,
    AssessmentFact,
    CaseFact,
    ContactFact,
    ExperienceFact,
    Facts,
    HouseholdFact,
    PlanVersionFact,
    RegieFact,
    SignatureFact,
    ToetsFact,
)
from wijkteam_app.domain.instruments import PARTICIPATIELADDER_ID
from wijkteam_app.domain.plans import (
    EscalationDirection,
    Mandate,
    PlanStatus,
    ProfessionalSupport,
)
from wijkteam_app.persistence.schema import Base, HouseholdRecord

_STATUS = {s.value: s for s in PlanStatus}
_DIRECTION = {d.value: d for d in EscalationDirection}


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value[:10])


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _list(value: str | None) -> tuple[str, ...]:
    if not value or value == "[]":
        return ()
    return tuple(json.loads(value))


def _parsed(texts: Iterable[str | None]) -> list[Any]:
    """Many JSON texts (a JSON column of many rows; NULL as an empty list) parsed in one
    call of the decoder: a call per text cost more than the parsing itself (~4 us each)."""
    return json.loads(f"[{','.join(t or '[]' for t in texts)}]")  # type: ignore[no-any-return]


def change_marker(conn: Any) -> int:
    """Grows with every change to the case file: each save and each applied sync page
    writes one audit entry (see `CaseFile.save` and the sync engine). Views, prints and
    exports write one as well; `changed_households` tells those apart."""
    marker: int = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    return marker


# Past these, reading everything again is about as quick as reading the changed households.
_MOST_ENTRIES = 2000
_MOST_HOUSEHOLDS = 200


@cache
def _household_entities() -> frozenset[str]:
    """The synced entities whose records belong to one household (a `household_id`
    column, or the household itself): a save of only these changes only that household's
    facts. Workers, teams and mandates change facts of many households."""
    names = {HouseholdRecord.__entity__}
    for mapper in Base.registry.mappers:
        entity = getattr(mapper.class_, "__entity__", "")
        if entity and "household_id" in mapper.columns:
            names.add(entity)
    return frozenset(names)


def changed_households(conn: Any, since: int) -> tuple[int, frozenset[str] | None]:
    """(the change marker now, the households whose facts may have changed since the
    marker `since`), from the audit entries written after it: a local save names its one
    household in the outbox (a save of several households, of a worker, team or mandate,
    an applied sync page, a removal: None, read everything again); a save that changed
    nothing, a view, a print, an export, locking and unlocking change no fact."""
    found = conn.execute(
        "SELECT a.id, a.action, a.changeset_id, o.household_id, o.changes "
        "FROM audit_log AS a LEFT JOIN outbox AS o ON o.id = a.changeset_id "
        "WHERE a.id > ? ORDER BY a.id LIMIT ?", (since, _MOST_ENTRIES + 1)).fetchall()
    if not found:
        return since, frozenset()
    if len(found) > _MOST_ENTRIES:
        return change_marker(conn), None
    households: set[str] = set()
    scoped = _household_entities()
    for _id, action, changeset_id, household, changes in found:
        if changeset_id is None:
            if action.startswith("sync."):  # written by the sync engine with its data
                return found[-1][0], None
            continue  # CaseFile.audit (no data) or a save without changes
        if household is None or changes is None:
            return found[-1][0], None
        if any(change.get("entity") not in scoped for change in json.loads(changes)):
            return found[-1][0], None
        households.add(household)
        if len(households) > _MOST_HOUSEHOLDS:
            return found[-1][0], None
    return found[-1][0], frozenset(households)


def worker_names(conn: Any) -> dict[str, str]:
    return dict(conn.execute("SELECT id, display_name FROM workers").fetchall())


_IN_SCOPE = re.compile(r"IN_SCOPE\(([\w.]+)\)")


@cache
def _scoped(sql: str, whole: bool) -> str:
    """`sql` with each ``IN_SCOPE(column)`` made "every row" (a whole read: a plain scan) or
    "the column is one of the JSON list :households" (an index lookup per household)."""
    return _IN_SCOPE.sub("1" if whole else r"\1 IN (SELECT value FROM json_each(:households))",
                         sql)


# What a whole read touches, each in one statement that SQLite answers in one step: the
# table's pages (count of a table scan; the text columns that run onto overflow pages) and
# the indexes the read uses. See `read_ahead`.
_READ_AHEAD = (
    "SELECT count(*) FROM households NOT INDEXED",
    "SELECT count(*) FROM cases NOT INDEXED",
    "SELECT count(*) FROM contact_moments NOT INDEXED",
    'SELECT count(*) FROM contact_moments WHERE "on" >= \'\'',
    "SELECT sum(length(items)) FROM assessments",
    "SELECT count(*) FROM assessments WHERE id >= ''",
    "SELECT sum(length(content)) + sum(length(history)) FROM plan_versions",
    "SELECT count(*) FROM plan_signatures NOT INDEXED",
    "SELECT count(*) FROM regie_events NOT INDEXED",
)


def read_ahead(conn: Any) -> None:
    """Bring the pages a whole read needs into the connection's cache, decrypted, before
    `load_facts` reads them. Each statement is one step of SQLite's C code, during which the
    driver lets go of the interpreter; the rows of `load_facts` come one step at a time,
    taking the interpreter back for each. On a worker thread while the window builds the
    page (Python), the decryption (half of a cold read's SQL time: 64 of 130 ms at 5,000
    households) then runs beside it instead of taking turns with it, and the rows come from
    the cache. The work is the same; only when it happens changes."""
    for sql in _READ_AHEAD:
        conn.execute(sql).fetchone()


def load_facts(conn: Any, start: date, peil: date,
               households: Collection[str] | None = None) -> Facts:
    """The facts of the period; of `households` only when given (to replace theirs with
    `Facts.replacing` after they changed), with the mandates always."""
    params = {"start": start.isoformat(), "peil": peil.isoformat(), "zrm": ZRM_PREFIX,
              "ladder": PARTICIPATIELADDER_ID,
              "households": json.dumps(sorted(households or ()))}
    whole = households is None

    def rows(sql: str) -> list[Any]:
        result: list[Any] = conn.execute(_scoped(sql, whole), params).fetchall()
        return result

    found_households = [HouseholdFact(i, w) for i, w in rows(
        "SELECT id, wijk FROM households WHERE IN_SCOPE(id)")]
    found_cases = rows(
        "SELECT id, household_id, team_id, regisseur_id, referral_date, closed_on, "
        "client_profile, next_evaluation, case_team_ids, urgency FROM cases "
        "WHERE referral_date <= :peil AND IN_SCOPE(household_id)")
    lists = _parsed(text for row in found_cases for text in row[8:])
    cases = [
        CaseFact(i, h, team, regisseur, date.fromisoformat(referral), _day(closed),
                 tuple(lists[2 * n]), profile, tuple(lists[2 * n + 1]), _day(evaluation))
        for n, (i, h, team, regisseur, referral, closed, profile, evaluation, _m, _u)
        in enumerate(found_cases)
    ]
    contacts = [
        ContactFact(c, h, date.fromisoformat(on), minutes, worker)
        for c, h, on, minutes, worker in rows(
            'SELECT case_id, household_id, "on", duration_minutes, worker_id '
            'FROM contact_moments WHERE "on" BETWEEN :start AND :peil AND '
            'IN_SCOPE(household_id)')
    ]
    return Facts(
        households=found_households,
        cases=cases,
        contacts=contacts,
        assessments=_assessments(rows),
        plan_versions=_plan_versions(rows),
        signatures=[SignatureFact(v, h, date.fromisoformat(on)) for v, h, on in rows(
            "SELECT version_id, household_id, signed_on FROM plan_signatures "
            "WHERE signed_on <= :peil AND IN_SCOPE(household_id)")],
        toetsen=[ToetsFact(v, _moment(at), h) for v, at, h in rows(
            "SELECT version_id, decided_at, household_id FROM plan_toetsen WHERE "
            "IN_SCOPE(household_id)")],
        regie_events=[RegieFact(i, h, _DIRECTION[d], _moment(at)) for i, h, d, at in
                      rows("SELECT id, household_id, direction, at FROM regie_events WHERE "
                           "IN_SCOPE(household_id)")],
        mandates={w: Mandate(m, frozenset(_list(codes))) for w, m, codes in rows(
            # A profile of the municipal server uses the municipality's (synced) mandates,
            # like the plan and the toets rule do; a local-only profile its own.
            "SELECT worker_id, max_amount_cents, product_codes FROM reference_mandates "
            "WHERE EXISTS (SELECT 1 FROM sync_state) UNION ALL "
            "SELECT worker_id, max_amount_cents, product_codes FROM mandates "
            "WHERE NOT EXISTS (SELECT 1 FROM sync_state)")},
        experiences=_experiences(rows),
    )


# The first and the latest assessment of each series (client, instrument, version) that has
# two or more by the peildatum and whose latest lies in the period. ISO date + id sorts as
# (date, id), so min/max of their concatenation names the first and the latest; their items
# are then read for those assessments only, as their JSON text: parsed in Python that is
# half the time of one SQL row per item (json_each), 60 instead of 115 ms at 5,000
# households.
_PAIRS = """
WITH pairs AS (
    SELECT substr(min(assessed_on || id), 11) AS first_id,
           substr(max(assessed_on || id), 11) AS last_id
    FROM assessments
    WHERE assessed_on <= :peil
      AND IN_SCOPE(household_id)
      AND (substr(definition_id, 1, length(:zrm)) = :zrm
           OR (definition_id = :ladder AND person_id IS NOT NULL))
    GROUP BY coalesce(person_id, 'huishouden:' || household_id), definition_id,
             definition_version
    HAVING count(*) >= 2 AND max(assessed_on) >= :start
), chosen AS (
    SELECT first_id AS id FROM pairs UNION SELECT last_id FROM pairs
)
SELECT a.id, a.household_id, a.person_id, a.definition_id, a.definition_version,
       a.assessed_on, a.items
FROM chosen JOIN assessments AS a ON a.id = chosen.id
ORDER BY a.id
"""


def _grouped(found: list[Any], width: int) -> list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Rows ordered by their first `width` columns (a record and, per row, one element of
    a JSON list), as (record columns, [the other columns of each element]); a record whose
    list is empty comes with no elements (its row has NULLs there)."""
    out: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]] = []
    for row in found:
        head, rest = tuple(row[:width]), tuple(row[width:])
        if not out or out[-1][0][0] != head[0]:
            out.append((head, []))
        if any(value is not None for value in rest):
            out[-1][1].append(rest)
    return out


def _assessments(rows: Any) -> list[AssessmentFact]:
    found = rows(_PAIRS)
    return [
        AssessmentFact(i, h, person, definition, version, date.fromisoformat(on),
                       tuple([(item.get("code"), item.get("score")) for item in items or ()]))
        for (i, h, person, definition, version, on, _), items
        in zip(found, _parsed(row[6] for row in found), strict=True)
    ]


def _plan_versions(rows: Any) -> list[PlanVersionFact]:
    support: dict[str, list[ProfessionalSupport]] = {}
    for version_id, code, cents, begin, end in rows(
            "SELECT v.id, json_extract(p.value, '$.product_code'), "
            "json_extract(p.value, '$.cost_cents'), json_extract(p.value, '$.start'), "
            "json_extract(p.value, '$.end') FROM plan_versions AS v, "
            "json_each(v.content, '$.goals') AS g, json_each(g.value, '$.professioneel') AS p "
            "WHERE v.created_at < date(:peil, '+1 day') AND "
            "IN_SCOPE(v.household_id)"):
        support.setdefault(version_id, []).append(ProfessionalSupport(
            str(code), "", "", 1, "", "", date.fromisoformat(begin), date.fromisoformat(end),
            int(cents)))
    found = rows(  # the status history as its JSON text, like the assessments' items
        "SELECT v.id, v.household_id, v.number, v.created_at, "
        "json_extract(v.content, '$.regisseur_id'), v.history "
        "FROM plan_versions AS v "
        "WHERE v.created_at < date(:peil, '+1 day') AND "
        "IN_SCOPE(v.household_id) ORDER BY v.id")
    return [
        PlanVersionFact(vid, household, number, _moment(created),
                        tuple([(_STATUS[step["to_status"]], _moment(step["at"]))
                               for step in history or ()]),
                        str(regisseur or ""), tuple(support.get(vid, ())))
        for (vid, household, number, created, regisseur, _), history
        in zip(found, _parsed(row[5] for row in found), strict=True)
    ]


def _experiences(rows: Any) -> list[ExperienceFact]:
    found = rows(
        "SELECT e.id, e.household_id, e.answered_on, e.questionnaire, "
        "json_extract(a.value, '$.question'), json_extract(a.value, '$.score') "
        "FROM client_experiences AS e LEFT JOIN json_each(e.answers) AS a "
        "WHERE e.answered_on BETWEEN :start AND :peil AND "
        "IN_SCOPE(e.household_id) ORDER BY e.id, a.key")
    return [
        ExperienceFact(i, h, date.fromisoformat(on), tuple(answers), questionnaire)
        for (i, h, on, questionnaire), answers in _grouped(found, 4)
    ]
