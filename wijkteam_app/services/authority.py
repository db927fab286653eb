"""Who may do what on this laptop: the shared authorization matrix (`sync.authority`, the
same module the server enforces) applied to facts read from the case file.

The rules are not repeated here. This module only finds the facts — the household's live
cases (regisseur, case team, team) and, for a household without a case, who registered it —
and asks `sync.authority.may`. The services call `require` before every save (a refused step
raises `NotAllowed` and changes nothing); the UI asks `may` / `allowed` to hide or disable
what the worker may not do, so nobody is offered a step the server would refuse.

A local-only profile (never logged in) has one worker, a wijkwerker who is the regisseur of
every case they register and the creator of every household without a case: everything
keeps working for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.domain.plans import PlanRuleViolation
from wijkteam_app.errors import NotFound, WijkteamError
from wijkteam_app.persistence.schema import (
    CaseRecord,
    HouseholdRecord,
    OutboxRecord,
)
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.authority import (
    Action,
    Actor,
    HouseholdFacts,
    four_eyes_ok,
    may,
)

__all__ = ["Action", "Authority", "NotAllowed", "household_facts", "not_allowed_code"]

OWN_PLAN_REVIEW = "review_own_plan"
OWN_PLAN_TOETS = "toets_by_regisseur"


def not_allowed_code(action: Action) -> str:
    """The message code (`wijkteam_app.messages`) for "your role or relation to this household
    does not allow this action"."""
    return f"not_allowed.{action.value}"


class NotAllowed(PlanRuleViolation, WijkteamError):
    """The acting worker may not do this step on this household (the authorization matrix).
    Nothing was changed. ``reason`` (= ``code``) is a message code of
    `wijkteam_app.messages`: ``not_allowed.<action>``, or a four-eyes code."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason, message or reason)
        self.code = reason


def household_facts(session: Session, household_id: str,
                    current_worker_id: str) -> HouseholdFacts | None:
    """What decides a person's relation to the household, from the case file; None when the
    household is not on this laptop.

    The cases are the household's live cases (a deleted case is gone from the case file).
    Without a case, the creator is whoever registered the household on this laptop (its first
    change-set); a caseless household that arrived through the sync was sent here because
    this worker created it (the server shows such a household to its creator only)."""
    if session.get(HouseholdRecord, household_id) is None:
        return None
    rows = session.execute(
        select(CaseRecord.regisseur_id, CaseRecord.case_team_ids, CaseRecord.team_id)
        .where(CaseRecord.household_id == household_id)).all()
    cases = [{"regisseur_id": r.regisseur_id, "case_team_ids": r.case_team_ids,
              "team_id": r.team_id} for r in rows]
    created_by = None if cases else (_registered_by(session, household_id)
                                     or current_worker_id)
    return HouseholdFacts.from_cases(cases, created_by)


def _registered_by(session: Session, household_id: str) -> str | None:
    first = session.scalars(
        select(OutboxRecord).where(OutboxRecord.household_id == household_id)
        .order_by(OutboxRecord.seq).limit(1)).first()
    if first is None:
        return None
    inserted = any(c.get("entity") == "household" and c.get("op") == "insert"
                   and c.get("id") == household_id for c in first.changes)
    return first.actor_id if inserted else None


class Authority:
    """The matrix for the worker of one workspace (read again on every call: a login may
    replace the worker)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def actor(self) -> Actor:
        worker = self._ws.worker
        return Actor(worker.id, worker.role.value, worker.team_id)

    def facts(self, household_id: str) -> HouseholdFacts | None:
        with self._ws.casefile.read() as session:
            return household_facts(session, household_id, self._ws.actor_id)

    # --- asking ----------------------------------------------------------------------------

    def may_register(self) -> bool:
        """May this worker register a new household (intake)?"""
        return may(self.actor, None, Action.REGISTER)

    def refusal(self, household_id: str, action: Action,
                plan_regisseur_id: str | None = None,
                facts: HouseholdFacts | None = None) -> str | None:
        """Why the worker may not do ``action`` on the household (a message code; ``not_found``
        when the household is not on this laptop), or None when they may. With
        ``plan_regisseur_id`` a review or toets is also checked for four eyes (never by the
        plan's own regisseur)."""
        actor = self.actor
        if action is Action.REGISTER:
            return None if may(actor, None, action) else not_allowed_code(action)
        if facts is None:
            facts = self.facts(household_id)
            if facts is None:
                return NotFound.code
        if not may(actor, facts, action):
            return not_allowed_code(action)
        if plan_regisseur_id is not None and not four_eyes_ok(actor.id, plan_regisseur_id):
            if action is Action.PLAN_REVIEW:
                return OWN_PLAN_REVIEW
            if action is Action.PLAN_TOETS:
                return OWN_PLAN_TOETS
        return None

    def may(self, household_id: str, action: Action) -> bool:
        return self.refusal(household_id, action) is None

    def allowed(self, household_id: str, actions: Iterable[Action] = tuple(Action),
                plan_regisseur_id: str | None = None) -> frozenset[Action]:
        """The actions of ``actions`` the worker may do on this household (one read)."""
        facts = self.facts(household_id)
        return frozenset(a for a in actions if a is not Action.REGISTER and self.refusal(
            household_id, a, plan_regisseur_id, facts or _NO_FACTS) is None)

    def require(self, household_id: str, action: Action,
                plan_regisseur_id: str | None = None) -> None:
        """Raise `NotAllowed` unless the worker may do ``action`` on the household."""
        reason = self.refusal(household_id, action, plan_regisseur_id)
        if reason == NotFound.code:
            raise NotFound("household")
        if reason is not None:
            raise NotAllowed(reason, f"{self.actor.role} may not {action.value} here")

    def require_register(self) -> None:
        if not self.may_register():
            raise NotAllowed(not_allowed_code(Action.REGISTER),
                             f"{self.actor.role} may not register a household")


_NO_FACTS = HouseholdFacts()
"""A household that is not on this laptop: no relation, so nothing is allowed."""
