"""The server decides who may write what (issue: "the server is the authority").

For every pushed change-set, before anything of it is applied:

1. **Who acts.** The change-set's ``actor_id`` must be the logged-in user, or a user who was
   logged in on this same device before (a user switch on a team laptop: the previous worker's
   offline work still goes out, as theirs). Anything else is ``forged_actor``. All further
   checks use *that* person's role and team, taken from the server's user table — never a role
   from the payload.
2. **What it is.** Each change is an action of `wijkteam_app.sync.authority` (`ENTITY_ACTION`,
   with the special cases: inserting a household is ``register``, a new regisseur on a case is
   ``change_regisseur`` or, with a regie event, ``move_regie``, a plan status change is the
   action of that transition).
3. **May they.** `authority.may(actor, facts, action)` with the household's facts as the
   server holds them (its live cases) — the same function the app uses to hide what a role may
   not do.
4. **Is it legitimate.** The plan rules, checked against the server's own records: ids naming
   who made a record are the actor; the status history only grows, by the actor; an approval
   or return comes with the coach's review of that outcome; a toets is by a toetser on a plan
   under review or approved, never the regisseur's own; to signing needs a positive toets when
   the plan exceeds the **server's** mandate of the plan's regisseur; signing needs the
   signature of this exact content; evaluating needs one evaluation per goal; one household
   has one plan, and a version number is used once.

A refusal raises `Refused` with a code of `authority.Refusal`; the change-set is then
recorded as ``rejected`` (the server keeps its payload) and nothing of it is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.sync.authority import (
    ACTOR_FIELDS,
    ENTITY_ACTION,
    REVIEW_OUTCOME_FOR,
    TOETS_STATUSES,
    Action,
    Actor,
    HouseholdFacts,
    Refusal,
    four_eyes_ok,
    may,
    relations,
    toets_needed,
    transition_action,
)
from wijkteam_app.sync.protocol import ChangeSet, EntityChange
from wijkteam_server.models import Device, DeviceUser, EntityRow, Mandate, User

PLAN_STEP_FIELDS = frozenset({"status", "history"})
"""A plan version change of only these fields is a workflow step, not writing the plan."""


class Refused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def resolve_actor(session: Session, user: User, device: Device, actor_id: str) -> User:
    """The person a change-set is from: the logged-in user, or an earlier user of this very
    device (their offline work, pushed after a user switch)."""
    if actor_id == user.id:
        return user
    earlier = session.get(DeviceUser, (device.id, actor_id))
    person = session.get(User, actor_id) if earlier is not None else None
    if person is None:
        raise Refused(Refusal.FORGED_ACTOR)
    return person


def household_facts(session: Session, household_id: str) -> HouseholdFacts:
    cases = session.scalars(select(EntityRow.data).where(
        EntityRow.entity == "case", EntityRow.household_id == household_id,
        EntityRow.deleted.is_(False))).all()
    household = session.get(EntityRow, ("household", household_id))
    created_by = household.created_by if household is not None else None
    return HouseholdFacts.from_cases(cases, created_by)


def _new(change: EntityChange, name: str, default: Any = None) -> Any:
    fc = change.fields.get(name)
    return fc.new if fc is not None else default


def _old(change: EntityChange, name: str, default: Any = None) -> Any:
    fc = change.fields.get(name)
    return fc.old if fc is not None else default


@dataclass
class _Changes:
    """The change-set, indexed for the rules that look across records."""

    changes: list[EntityChange]
    inserts: dict[str, list[EntityChange]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for change in self.changes:
            if change.op == "insert":
                self.inserts.setdefault(change.entity, []).append(change)

    def inserted(self, entity: str, **where: Any) -> list[EntityChange]:
        return [c for c in self.inserts.get(entity, [])
                if all(_new(c, k) == v for k, v in where.items())]


class Authorizer:
    """Checks one change-set against the matrix and the plan rules (see module doc)."""

    def __init__(self, session: Session, user: User, device: Device,
                 changeset: ChangeSet,
                 held_by_device: Callable[[str], bool] = lambda _household: False) -> None:
        self.session = session
        self.changeset = changeset
        self.held_by_device = held_by_device
        person = resolve_actor(session, user, device, changeset.actor_id)
        self.actor = Actor(person.id, person.role, person.team_id)
        self.index = _Changes(list(changeset.changes))
        self._facts: dict[str, HouseholdFacts] = {}
        self.created = {
            c.id for c in changeset.changes
            if c.entity == "household" and c.op == "insert"
            and session.get(EntityRow, ("household", c.id)) is None
        }

    # ------------------------------------------------------------------ facts

    def facts(self, household_id: str) -> HouseholdFacts:
        if household_id in self.created:
            return HouseholdFacts(created_by=self.actor.id)
        if household_id not in self._facts:
            facts = household_facts(self.session, household_id)
            if not relations(self.actor, facts) and self.held_by_device(household_id):
                # The household left this worker's caseload after the device received it
                # (scope grace): work done before that still counts as case-team work.
                facts = replace(facts, case_team_ids=facts.case_team_ids | {self.actor.id})
            self._facts[household_id] = facts
        return self._facts[household_id]

    def _require(self, household_id: Any, action: Action) -> None:
        if action is Action.REGISTER:
            ok = may(self.actor, None, action)
        else:
            ok = isinstance(household_id, str) and may(self.actor, self.facts(household_id),
                                                      action)
        if not ok:
            raise Refused(Refusal.ROLE_NOT_ALLOWED)

    # ------------------------------------------------------------------ the check

    def check(self) -> None:
        for change in self.changeset.changes:
            row = self.session.get(EntityRow, (change.entity, change.id))
            self._check_change(change, row)

    def _household_of(self, change: EntityChange, row: EntityRow | None) -> Any:
        if change.entity == "household":
            return change.id
        if row is not None:
            return row.household_id
        return _new(change, "household_id")

    def _check_change(self, change: EntityChange, row: EntityRow | None) -> None:
        household = self._household_of(change, row)
        action = ENTITY_ACTION.get(change.entity)
        if action is None:
            raise Refused(Refusal.SERVER_OWNED)
        if change.entity == "household" and change.op == "insert" and row is None:
            action = Action.REGISTER
        status_step = (change.entity == "plan_version" and change.op == "update"
                       and set(change.fields) <= PLAN_STEP_FIELDS)
        if not status_step:  # a status step is authorized as its transition (below)
            self._require(household, action)
        if change.op == "insert" and row is None:
            for name in ACTOR_FIELDS.get(change.entity, ()):
                if _new(change, name) != self.actor.id:
                    raise Refused(Refusal.FORGED_ACTOR)
        elif change.op != "delete":
            for name in ACTOR_FIELDS.get(change.entity, ()):
                if name in change.fields and row is not None and \
                        change.fields[name].new != row.data.get(name):
                    raise Refused(Refusal.FORGED_ACTOR)
        special = getattr(self, f"_check_{change.entity}", None)
        if special is not None:
            special(change, row, household)

    # ------------------------------------------------------------------ per entity

    def _check_case(self, change: EntityChange, row: EntityRow | None, household: Any) -> None:
        if change.op != "update" or row is None or "regisseur_id" not in change.fields:
            return
        if change.fields["regisseur_id"].new == row.data.get("regisseur_id"):
            return
        moved = self.index.inserted("regie_event", household_id=household)
        self._require(household, Action.MOVE_REGIE if moved else Action.CHANGE_REGISSEUR)

    def _version_data(self, version_id: Any) -> dict[str, Any] | None:
        """A plan version as it will be after this change-set's own plan_version change."""
        if not isinstance(version_id, str):
            return None
        row = self.session.get(EntityRow, ("plan_version", version_id))
        data: dict[str, Any] = dict(row.data) if row is not None and not row.deleted else {}
        for change in self.index.changes:
            if change.entity == "plan_version" and change.id == version_id:
                data.update({n: fc.new for n, fc in change.fields.items()})
        return data or None

    def _stored_status(self, version_id: Any) -> Any:
        row = self.session.get(EntityRow, ("plan_version", version_id)) \
            if isinstance(version_id, str) else None
        return row.data.get("status") if row is not None and not row.deleted else None

    def _check_plan_version(self, change: EntityChange, row: EntityRow | None,
                            household: Any) -> None:
        if change.op == "delete":
            return
        if change.op == "insert" and row is None:
            self._check_new_version(change, household)
            return
        if row is None or "status" not in change.fields:
            history = change.fields.get("history")
            if row is not None and history is not None and \
                    history.new != row.data.get("history"):
                raise Refused(Refusal.HISTORY_REWRITTEN)  # it grows only with a status step
            return
        old = row.data.get("status")
        new = change.fields["status"].new
        if old == new:
            self._check_history(change, row)
            return
        action = transition_action(str(old), str(new))
        if action is None:
            raise Refused(Refusal.INVALID_TRANSITION)
        self._require(household, action)
        self._check_history(change, row)
        data = self._version_data(change.id) or {}
        content = data.get("content") if isinstance(data.get("content"), dict) else {}
        assert isinstance(content, dict)
        regisseur = content.get("regisseur_id")
        if action is Action.PLAN_REVIEW:
            if not four_eyes_ok(self.actor.id, str(regisseur)):
                raise Refused(Refusal.OWN_PLAN)
            reviews = self.index.inserted("plan_review", version_id=change.id,
                                          outcome=REVIEW_OUTCOME_FOR[str(new)])
            if not reviews:
                raise Refused(Refusal.REVIEW_MISSING)
        elif action is Action.PLAN_TO_SIGNING:
            mandate = self.session.get(Mandate, regisseur) if isinstance(regisseur, str) \
                else None
            amount = mandate.max_amount_cents if mandate is not None else 0
            codes = list(mandate.provisions) if mandate is not None else []
            if toets_needed(content, amount, codes) and not self._positive_toets(change.id):
                raise Refused(Refusal.TOETS_REQUIRED)
        elif action is Action.PLAN_SIGN:
            fingerprint = data.get("fingerprint")
            signed = [c for c in self.index.inserted("plan_signature", version_id=change.id)
                      if _new(c, "content_fingerprint") == fingerprint]
            if not signed and not self._stored("plan_signature", change.id,
                                               content_fingerprint=fingerprint):
                raise Refused(Refusal.SIGNATURE_MISSING)
        elif action is Action.PLAN_EVALUATE:
            goals = {g.get("id") for g in content.get("goals", []) if isinstance(g, dict)}
            done = {_new(c, "goal_id") for c in
                    self.index.inserted("plan_evaluation", version_id=change.id)}
            done |= {r.get("goal_id") for r in self._stored_records("plan_evaluation",
                                                                    change.id)}
            if not goals <= done:
                raise Refused(Refusal.EVALUATION_MISSING)

    def _check_new_version(self, change: EntityChange, household: Any) -> None:
        if _new(change, "status") != "concept":
            raise Refused(Refusal.INVALID_TRANSITION)
        self._check_history(change, None)
        plan_id = _new(change, "plan_id")
        others = self.session.scalars(select(EntityRow).where(
            EntityRow.entity == "plan_version", EntityRow.household_id == household,
            EntityRow.deleted.is_(False))).all()
        if any(o.data.get("plan_id") != plan_id for o in others):
            raise Refused(Refusal.PLAN_EXISTS)
        if any(o.data.get("number") == _new(change, "number") for o in others):
            raise Refused(Refusal.VERSION_EXISTS)

    def _check_history(self, change: EntityChange, row: EntityRow | None) -> None:
        """The status history only grows (from what the server holds), and what it gains is
        the actor's."""
        if "history" not in change.fields:
            return
        old = row.data.get("history", []) if row is not None else []
        new = change.fields["history"].new
        if not isinstance(new, list) or not isinstance(old, list) or new[:len(old)] != old:
            raise Refused(Refusal.HISTORY_REWRITTEN)
        for entry in new[len(old):]:
            if not isinstance(entry, dict) or entry.get("actor_id") != self.actor.id:
                raise Refused(Refusal.FORGED_ACTOR)

    def _check_plan_review(self, change: EntityChange, row: EntityRow | None,
                           household: Any) -> None:
        if change.op != "insert" or row is not None:
            return
        version_id = _new(change, "version_id")
        data = self._version_data(version_id) or {}
        content = data.get("content") if isinstance(data.get("content"), dict) else {}
        assert isinstance(content, dict)
        if not four_eyes_ok(self.actor.id, str(content.get("regisseur_id"))):
            raise Refused(Refusal.OWN_PLAN)
        expected = {v: k for k, v in REVIEW_OUTCOME_FOR.items()}.get(_new(change, "outcome"))
        if self._stored_status(version_id) != "ter_beoordeling" or data.get("status") != expected:
            raise Refused(Refusal.INVALID_TRANSITION)

    def _check_plan_toets(self, change: EntityChange, row: EntityRow | None,
                          household: Any) -> None:
        if change.op != "insert" or row is not None:
            return
        version_id = _new(change, "version_id")
        data = self._version_data(version_id) or {}
        content = data.get("content") if isinstance(data.get("content"), dict) else {}
        assert isinstance(content, dict)
        if not four_eyes_ok(self.actor.id, str(content.get("regisseur_id"))):
            raise Refused(Refusal.OWN_PLAN)
        if self._stored_status(version_id) not in TOETS_STATUSES:
            raise Refused(Refusal.INVALID_TRANSITION)

    def _check_plan_signature(self, change: EntityChange, row: EntityRow | None,
                              household: Any) -> None:
        if change.op != "insert" or row is not None:
            return
        data = self._version_data(_new(change, "version_id")) or {}
        content = data.get("content") if isinstance(data.get("content"), dict) else {}
        assert isinstance(content, dict)
        professionals = {self.actor.id, content.get("regisseur_id")}
        signers = _new(change, "signers", [])
        for signer in signers if isinstance(signers, list) else []:
            worker = signer.get("worker_id") if isinstance(signer, dict) else None
            if worker is not None and worker not in professionals:
                raise Refused(Refusal.FORGED_ACTOR)

    def _check_regie_event(self, change: EntityChange, row: EntityRow | None,
                           household: Any) -> None:
        if change.op != "insert" or row is not None or not isinstance(household, str):
            return
        if _new(change, "from_regisseur_id") not in self.facts(household).regisseur_ids:
            raise Refused(Refusal.INVALID_TRANSITION)

    # ------------------------------------------------------------------ stored evidence

    def _stored_records(self, entity: str, version_id: str) -> list[Mapping[str, Any]]:
        rows = self.session.scalars(select(EntityRow).where(
            EntityRow.entity == entity, EntityRow.deleted.is_(False),
            EntityRow.household_id == self._household_of_version(version_id))).all()
        return [r.data for r in rows if r.data.get("version_id") == version_id]

    def _household_of_version(self, version_id: str) -> str | None:
        row = self.session.get(EntityRow, ("plan_version", version_id))
        if row is not None:
            return row.household_id
        for change in self.index.changes:
            if change.entity == "plan_version" and change.id == version_id:
                value = _new(change, "household_id")
                return value if isinstance(value, str) else None
        return None

    def _stored(self, entity: str, version_id: str, **where: Any) -> bool:
        return any(all(r.get(k) == v for k, v in where.items())
                   for r in self._stored_records(entity, version_id))

    def _positive_toets(self, version_id: str) -> bool:
        """The latest toets of this version (stored, or in this change-set) is positive."""
        toetsen: Iterable[Mapping[str, Any]] = [
            *self._stored_records("plan_toets", version_id),
            *({n: fc.new for n, fc in c.fields.items()}
              for c in self.index.inserted("plan_toets", version_id=version_id)),
        ]
        latest = max(toetsen, key=lambda t: str(t.get("decided_at", "")), default=None)
        return latest is not None and latest.get("decision") == "positief"


__all__ = ["Authorizer", "Refused", "household_facts", "resolve_actor"]
