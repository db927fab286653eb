"""The server's history after an erasure on request (AVG art. 17, Jeugdwet 7.3.9).

An erasure is made on a laptop (``wijkteam_app.services.rights``): it scrubs the household's
records and the laptop's own change-sets, and pushes the result as ordinary changes plus a
``privacy_request`` record (kind ``wissen``, outcome ``uitgevoerd``). The server's current
values then follow, but its history would still hold the person's data. So when the sync
engine applies such a request (`after_changeset`, called by
`wijkteam_server.sync_engine.process_changeset` in the push's own transaction, after the
change-set and its ``applied_changesets`` row), the household's history is scrubbed too:

- **who**: the person's name, BSN and birth date as the server's own history had them before
  the erasure (every version in ``change_log``, latest first), with the other members of the
  household protected exactly as on the laptop;
- **what**, for that household, with the laptop's classification
  (``wijkteam_app.services.erasure``): the values in ``change_log``, the pushed change-set
  payloads in ``applied_changesets`` (old and new values), the data of tombstones, the values
  of conflicts (base, mine, theirs, resolution) and, as a new server change that reaches
  every laptop, the current values of records the erasing laptop did not have yet;
- **the erased records** (the person's own assessments and the consents they gave, deleted by
  the erasure): their tombstone keeps only its keys (``household_id``, ``person_id``), their
  feed rows other than the deletion are removed (a laptop that never saw them learns only
  that they are gone), their payload entries keep only those keys, and their conflicts lose
  their values and are closed (resolving one would bring the record back without its data);
- **kept as they are**: the append-only records (``IMMUTABLE_ENTITIES``: reviews, toetsen,
  signatures, evaluations, regie events, keukentafel reports, stuck flags and decisions,
  client experiences, earlier requests, attachments) and plan versions that left concept and
  name the person — everything about them, history included.

Integrity: record versions, ``field_versions``/``field_origins`` and the feed's
``server_seq`` are never rewritten (removed feed rows leave a gap, as a retention purge does;
cursors are positions, not counts). The server hashes no change-set content: change-sets are
idempotent by id (a replayed push is answered from the stored verdict, the payload is not
compared), and the laptops' audit chains hash the change-set id, not its values. The one
content hash is a plan version's ``fingerprint`` (SHA-256 over the canonical JSON of its
content, `plan_fingerprint`): a concept whose content is scrubbed gets the fingerprint of its
scrubbed content, but only where the stored fingerprint is reproduced from the unscrubbed
content first (otherwise it is left, and counted); frozen versions are kept, so a signed
fingerprint never changes.

The text rules and the JSON walk are the laptop's own (``wijkteam_app.domain.erasure``:
``Scrubbers`` applies the rules of every identity the person had; and the plan fingerprint
of ``wijkteam_app.domain.plans``; pure domain code, the one exception to the import contract
besides the consent audit), so server and laptop scrub alike.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijkteam_app.domain.erasure import ERASED, Scrubbers
from wijkteam_app.domain.plans import plain_fingerprint as plan_fingerprint
from wijkteam_app.sync.entities import RECORDS
from wijkteam_app.sync.protocol import IMMUTABLE_ENTITIES, ChangeSet
from wijkteam_server import report_facts
from wijkteam_server.db import utcnow
from wijkteam_server.models import (
    AppliedChangeSet,
    ChangeLog,
    Conflict,
    Device,
    EntityRow,
    User,
)

log = logging.getLogger("wijkteam_server.erasure")

REQUEST_KIND = "wissen"
REQUEST_DONE = "uitgevoerd"

# --------------------------------------------------------------------------- classification
# As wijkteam_app.services.erasure, by the protocol's entity names.

TEXT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "household": ("name",),
    "person": ("gezag_note",),  # the other members; their names are never touched
    "network_member": ("name", "relation", "support"),
    "professional": ("organisation", "name", "discipline", "contact"),
    "case": ("referral_note", "quickscan_self", "quickscan_arrange", "quickscan_help"),
    "contact_moment": ("with_whom", "notes"),
    "consent": ("recipient", "purpose"),
    "assessment": ("notes", "correction_reason"),
    "case_conference": ("reason", "discussion"),
}
"""Free-text fields scrubbed, per record kind."""

STRUCTURED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "case_conference": ("participants", "agreements", "casemanager"),
    "plan_version": ("content", "history"),  # a plan version that is not kept
}
"""JSON fields whose free text (`TEXT_KEYS`) is scrubbed."""

KEPT_ENTITIES: frozenset[str] = IMMUTABLE_ENTITIES
"""Append-only records: never rewritten, history included."""

CONCEPT = "concept"

ERASED_WITH_PERSON: frozenset[str] = frozenset({"assessment", "consent"})
"""The person's own records the erasure deletes (their tombstones keep only `RECORD_KEYS`)."""

RECORD_KEYS: tuple[str, ...] = ("household_id", "person_id")

PERSON_ERASED: Mapping[str, Any] = {
    "first_name": ERASED, "name_prefix": "", "last_name": "", "search_name": ERASED,
    "birth_date": None, "bsn": "", "gezag_note": "",
}
"""The erased person's identifying fields as the laptop leaves them (``search_name`` is the
folded ``[gewist]``, which is itself)."""

@cache
def _max_length(entity: str, name: str) -> int | None:
    schema = RECORDS.get(entity)
    info = schema.model_fields.get(name) if schema is not None else None
    for meta in info.metadata if info is not None else ():
        length = getattr(meta, "max_length", None)
        if isinstance(length, int):
            return length
    return None


def _fit(entity: str, name: str, value: str) -> str:
    """A scrubbed value longer than the protocol allows (a short name replaced by the longer
    marker) is cut to that length, as the laptop cuts it to its column."""
    length = _max_length(entity, name)
    return value[:length] if length and len(value) > length else value


# --------------------------------------------------------------------------- the text rules


@dataclass(frozen=True, slots=True)
class Identity:
    """The names, BSN and birth date of one person (one version of their record)."""

    id: str
    first_name: str
    last_name: str
    name_prefix: str = ""
    bsn: str = ""
    birth_date: date | None = None


# --------------------------------------------------------------------------- the person


def _identity(person_id: str, data: Mapping[str, Any]) -> Identity | None:
    first = str(data.get("first_name") or "")
    if first.strip() == ERASED:
        return None
    born: date | None = None
    raw = data.get("birth_date")
    if isinstance(raw, str):
        try:
            born = date.fromisoformat(raw)
        except ValueError:
            born = None
    identity = Identity(person_id, first, str(data.get("last_name") or ""),
                        str(data.get("name_prefix") or ""), str(data.get("bsn") or ""), born)
    if not (identity.first_name.strip() or identity.last_name.strip() or identity.bsn
            or born):
        return None
    return identity


def _replay(person_id: str, rows: Iterable[Mapping[str, Any] | None]) -> list[Identity]:
    state: dict[str, Any] = {}
    seen: list[Identity] = []
    for fields in rows:
        state.update(fields or {})
        found = _identity(person_id, state)
        if found is not None and found not in seen:
            seen.append(found)
    return seen


def identities(session: Session, household_id: str, person: EntityRow) -> list[Identity]:
    """Every identity the person had on the server before the erasure, latest first: the
    record replayed through its ``change_log`` rows, plus its current data when it was not
    erased (the erasure's own change lost a conflict)."""
    query = select(ChangeLog.fields).where(
        ChangeLog.kind == "change", ChangeLog.entity == "person",
        ChangeLog.entity_id == person.entity_id).order_by(ChangeLog.server_seq)
    seen = _replay(person.entity_id, session.scalars(
        query.where(ChangeLog.household_id == household_id)).all())
    if not seen:  # moved here from another household unchanged: its whole feed (no index)
        seen = _replay(person.entity_id, session.scalars(query).all())
    current = _identity(person.entity_id, person.data)
    if current is not None and current not in seen:
        seen.append(current)
    return list(reversed(seen))


# --------------------------------------------------------------------------- the scrub


@dataclass
class HistoryScrub:
    """What the scrub did (counts only: this goes to the log)."""

    request_id: str
    identities: int = 0
    feed_rows: int = 0  # change_log rows rewritten
    feed_rows_removed: int = 0  # change_log rows of erased records removed
    changesets: int = 0  # applied_changesets payloads rewritten
    tombstones: int = 0
    conflicts: int = 0
    conflicts_closed: int = 0
    records: int = 0  # live records scrubbed by a server change
    kept: int = 0  # kept records that name the person
    fingerprints_unverified: int = 0
    server_changeset_id: str | None = None


@dataclass
class _Household:
    session: Session
    household_id: str
    person_id: str
    scrub: Scrubbers  # the laptop's text rules, for every identity the person had
    result: HistoryScrub
    entities: dict[str, str] = field(default_factory=dict)  # record id -> entity
    kept: set[str] = field(default_factory=set)
    erased: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ values

    def value(self, entity: str, entity_id: str, name: str, value: Any) -> Any:
        if entity == "person" and entity_id == self.person_id and name in PERSON_ERASED:
            return value if value in (None, "") else PERSON_ERASED[name]
        if name in TEXT_FIELDS.get(entity, ()) and isinstance(value, str):
            return _fit(entity, name, self.scrub.scrub(value))
        if name in STRUCTURED_FIELDS.get(entity, ()):
            return self.scrub.scrub_structured(value)
        return value

    def fields(self, entity: str, entity_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """A record's values ({field: value}) scrubbed; a new dict."""
        out = {n: self.value(entity, entity_id, n, v) for n, v in values.items()}
        if entity == "plan_version":
            self._refingerprint(values, out)
        return out

    def _refingerprint(self, before: Mapping[str, Any], after: dict[str, Any]) -> None:
        if after.get("content") == before.get("content") or not isinstance(
                before.get("fingerprint"), str):
            return
        if plan_fingerprint(before.get("content")) == before["fingerprint"]:
            after["fingerprint"] = plan_fingerprint(after.get("content"))
        else:
            self.result.fingerprints_unverified += 1

    def sides(self, entity: str, entity_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """A pushed change's fields ({field: {"old", "new"}}) scrubbed, side by side."""
        out: dict[str, Any] = {n: dict(v) if isinstance(v, dict) else v
                               for n, v in values.items()}
        for side in ("old", "new"):
            plain = {n: v.get(side) for n, v in out.items() if isinstance(v, dict)}
            for n, v in self.fields(entity, entity_id, plain).items():
                out[n][side] = v
        return out

    def is_kept(self, entity: str, entity_id: str) -> bool:
        return entity in KEPT_ENTITIES or entity_id in self.kept

    # ------------------------------------------------------------------ tables

    def feed(self) -> set[str]:
        """``change_log``; returns the change-set ids seen (for the payloads)."""
        changesets: set[str] = set()
        for row in self.session.scalars(select(ChangeLog).where(
                ChangeLog.household_id == self.household_id, ChangeLog.kind == "change")
                .order_by(ChangeLog.server_seq)).all():
            if row.changeset_id:
                changesets.add(row.changeset_id)
            if self.is_kept(row.entity, row.entity_id):
                continue
            if row.entity_id in self.erased:
                if row.op != "delete":
                    self.session.delete(row)
                    self.result.feed_rows_removed += 1
                continue
            scrubbed = self.fields(row.entity, row.entity_id, row.fields or {})
            if scrubbed != row.fields:
                row.fields = scrubbed
                self.result.feed_rows += 1
        return changesets

    def payloads(self, changeset_ids: set[str]) -> None:
        ids = sorted(changeset_ids)
        condition = AppliedChangeSet.household_id == self.household_id
        for start in range(0, len(ids), 500):
            condition = or_(condition, AppliedChangeSet.id.in_(ids[start:start + 500]))
        for row in self.session.scalars(select(AppliedChangeSet).where(condition)).all():
            payload = row.payload or {}
            changes = payload.get("changes")
            if not isinstance(changes, list):
                continue
            new_changes = [self._change(change, row.household_id) for change in changes]
            if new_changes != changes:
                row.payload = {**payload, "changes": new_changes}
                self.result.changesets += 1

    def _change(self, change: Any, changeset_household: str | None) -> Any:
        if not isinstance(change, dict) or not isinstance(change.get("fields"), dict):
            return change
        entity, entity_id = str(change.get("entity")), str(change.get("id"))
        known = self.entities.get(entity_id)
        if known is None and not (changeset_household == self.household_id and self.session.get(
                EntityRow, (entity, entity_id)) is None):
            return change  # a record of another household
        if self.is_kept(entity, entity_id):
            return change
        fields: dict[str, Any] = change["fields"]
        if entity_id in self.erased:
            return {**change, "fields": {k: v for k, v in fields.items() if k in RECORD_KEYS}}
        return {**change, "fields": self.sides(entity, entity_id, fields)}

    def conflicts(self, user: User, changeset_id: str, now: datetime) -> set[str]:
        """Returns the change-set ids the conflicts name (for the payloads)."""
        changesets: set[str] = set()
        for row in self.session.scalars(select(Conflict).where(
                Conflict.household_id == self.household_id)).all():
            changesets.update(c for c in (row.mine_changeset_id, row.resolution_changeset_id)
                              if c)
            if self.is_kept(row.entity, row.entity_id):
                continue
            if row.entity_id in self.erased:
                self._close(row, user, changeset_id, now)
                continue
            changed = False
            for attr in ("base_value", "mine_value", "theirs_value", "resolution_value"):
                before = getattr(row, attr)
                after = self.value(row.entity, row.entity_id, row.field, before)
                if after != before:
                    setattr(row, attr, after)
                    changed = True
            self.result.conflicts += changed
        return changesets

    def _close(self, row: Conflict, user: User, changeset_id: str, now: datetime) -> None:
        """A conflict about an erased record: its values go, and an open one is closed (the
        deletion stands; resolving it otherwise would bring back a record without data)."""
        if row.kind != "delete":
            row.base_value = row.mine_value = row.theirs_value = None
            row.resolution_value = None
            self.result.conflicts += 1
        if row.status == "open":
            row.status = "resolved"
            row.resolved_by = user.id
            row.resolved_at = now
            row.resolution_changeset_id = changeset_id
            self.result.conflicts_closed += 1

    def records(self, rows: Iterable[EntityRow], user: User, device: Device,
                now: datetime) -> None:
        """Tombstones in place; live records the erasing laptop did not scrub (it did not
        have them yet) by a server change in the feed, so every laptop gets it."""
        from wijkteam_server.sync_engine import _apply_fields, log_change  # the engine calls us

        origin = {"device": device.id, "actor": user.id, "at": now.isoformat()}
        for row in rows:
            if self.is_kept(row.entity, row.entity_id):
                continue
            data = row.data or {}
            if row.deleted:
                if row.entity_id in self.erased:
                    scrubbed = {k: v for k, v in data.items() if k in RECORD_KEYS}
                else:
                    scrubbed = self.fields(row.entity, row.entity_id, data)
                if scrubbed != data:
                    row.data = scrubbed
                    self.result.tombstones += 1
                continue
            scrubbed = self.fields(row.entity, row.entity_id, data)
            changed = {k: v for k, v in scrubbed.items() if data.get(k) != v}
            if not changed:
                continue
            if self.result.server_changeset_id is None:
                self.result.server_changeset_id = str(uuid.uuid4())
            _apply_fields(self.session, row, changed, origin, now)
            log_change(self.session, changeset_id=self.result.server_changeset_id,
                       origin_device_id=device.id, actor_id=user.id, entity=row.entity,
                       entity_id=row.entity_id, household_id=row.household_id, op="update",
                       version=row.version, fields=changed)
            report_facts.record(self.session, row)
            self.result.records += 1


def scrub_household(session: Session, household_id: str, person_id: str, request_id: str,
                    changeset_id: str, user: User, device: Device) -> HistoryScrub:
    """Scrub the server's history of one household for the erased person (see the module
    docstring), in the caller's transaction."""
    now = utcnow()
    result = HistoryScrub(request_id)
    rows = list(session.scalars(select(EntityRow).where(
        EntityRow.household_id == household_id)))
    person = next(r for r in rows if r.entity == "person" and r.entity_id == person_id)
    found = identities(session, household_id, person)
    result.identities = len(found)
    others = [o for o in (_identity(r.entity_id, r.data or {}) for r in rows
                          if r.entity == "person" and not r.deleted
                          and r.entity_id != person_id) if o is not None]
    work = _Household(session, household_id, person_id, Scrubbers(found, others), result)
    for row in rows:
        work.entities[row.entity_id] = row.entity
        data = row.data or {}
        if row.entity in KEPT_ENTITIES:
            result.kept += work.scrub.mentions_anywhere(
                [v for k, v in data.items() if k not in ("household_id",)])
        elif row.entity == "plan_version" and data.get("status") != CONCEPT and \
                work.scrub.mentions_anywhere([data.get("content"), data.get("history")]):
            work.kept.add(row.entity_id)
            result.kept += 1
        elif (row.entity in ERASED_WITH_PERSON and row.deleted
              and data.get("person_id") == person_id):
            work.erased.add(row.entity_id)
    changesets = work.feed()
    changesets |= work.conflicts(user, changeset_id, now)
    work.payloads(changesets)
    work.records(rows, user, device, now)
    session.flush()
    return result


def _executed_erasure(change: Any) -> bool:
    if change.entity != "privacy_request" or change.op != "insert":
        return False
    kind, outcome = change.fields.get("kind"), change.fields.get("outcome")
    return (kind is not None and kind.new == REQUEST_KIND
            and outcome is not None and outcome.new == REQUEST_DONE)


def after_changeset(session: Session, changeset: ChangeSet, user: User,
                    device: Device) -> list[HistoryScrub]:
    """The sync engine's hook, after a change-set is applied (same transaction): for every
    executed erasure request it inserted, scrub the household's history."""
    done: list[HistoryScrub] = []
    for change in changeset.changes:
        if not _executed_erasure(change):
            continue
        inserted = session.scalar(select(ChangeLog.server_seq).where(
            ChangeLog.changeset_id == changeset.id, ChangeLog.entity == "privacy_request",
            ChangeLog.entity_id == change.id, ChangeLog.op == "insert").limit(1))
        if inserted is None:
            continue  # not applied (refused, or an id the server had already: a conflict)
        request = session.get(EntityRow, ("privacy_request", change.id))
        household_id = request.household_id if request is not None else None
        person_id = (request.data or {}).get("person_id") if request is not None else None
        person = session.get(EntityRow, ("person", person_id)) \
            if isinstance(person_id, str) else None
        if household_id is None or person is None or person.household_id != household_id:
            log.warning("erasure request %s: the person is not a member of the household; "
                        "the server's history was not scrubbed", change.id)
            continue
        result = scrub_household(session, household_id, person.entity_id, change.id,
                                 changeset.id, user, device)
        log.warning(
            "erasure request %s (AVG art. 17): server history of the household scrubbed: "
            "%d feed rows rewritten, %d removed; %d change-set payloads; %d tombstones; "
            "%d conflicts (%d closed); %d current records changed by the server; "
            "%d kept records name the person; %d fingerprints left unverified",
            change.id, result.feed_rows, result.feed_rows_removed, result.changesets,
            result.tombstones, result.conflicts, result.conflicts_closed, result.records,
            result.kept, result.fingerprints_unverified)
        done.append(result)
    return done


__all__ = ["ERASED", "HistoryScrub", "Identity", "after_changeset",
           "identities", "plan_fingerprint", "scrub_household"]
