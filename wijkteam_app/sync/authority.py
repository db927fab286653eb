"""Who may do what: the authorization matrix of Wijkteam, in one place.

The municipal server **enforces** these rules on every pushed change (it is the authority);
the app **mirrors** them, so a worker is never offered a step the server would refuse.
Both import this module (pure Python, no database, no HTTP, no Qt), so the two can never
disagree about the rules themselves; they differ only in where the facts come from (the
server's records or the laptop's case file).

The matrix is *role x relation to the household x action*:

- a person's **relations** to a household follow from their role and the household's live
  cases (`relations`): regisseur, member of the case team, teamcoach of the case's team,
  toetser of that team, or creator of a household that has no case yet;
- each **action** is allowed for a set of relations (`MATRIX`);
- some actions also need **evidence** in the records (a review with the matching outcome for
  an approval, a positive toets when the plan exceeds the regisseur's mandate, a signature for
  signing); the server checks those against its own records (`wijkteam_server.authorization`),
  the app's domain (`domain.plans.transition`) checks the same.

``docs/security.md`` ("Authorization matrix") prints the table; a test keeps it equal to
`MATRIX`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# --------------------------------------------------------------------------- who


class Relation(enum.StrEnum):
    REGISSEUR = "regisseur"  # the regisseur of a live case of the household
    CASE_TEAM = "case_team"  # in the case team of a live case
    COACH = "coach"  # teamcoach of the team of a live case
    TOETSER = "toetser"  # gemeentelijk toetser of the team of a live case
    CREATOR = "creator"  # registered the household, which has no case yet


CASE_ROLES = frozenset({"wijkwerker", "gezinsbegeleider", "teamcoach"})
"""Roles that can hold the regie or sit in a case team."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The person acting, as the authority knows them (never as a payload claims)."""

    id: str
    role: str
    team_id: str


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """What decides a person's relation to one household: its live (not deleted) cases."""

    has_case: bool = False
    regisseur_ids: frozenset[str] = frozenset()
    case_team_ids: frozenset[str] = frozenset()
    team_ids: frozenset[str] = frozenset()
    created_by: str | None = None

    @staticmethod
    def from_cases(cases: Iterable[Mapping[str, Any]],
                   created_by: str | None = None) -> HouseholdFacts:
        """From the cases' field values (JSON as synced; wrong types are ignored)."""
        regisseurs: set[str] = set()
        team: set[str] = set()
        teams: set[str] = set()
        count = 0
        for case in cases:
            count += 1
            if isinstance(case.get("regisseur_id"), str):
                regisseurs.add(case["regisseur_id"])
            members = case.get("case_team_ids")
            if isinstance(members, list):
                team.update(m for m in members if isinstance(m, str))
            if isinstance(case.get("team_id"), str):
                teams.add(case["team_id"])
        return HouseholdFacts(count > 0, frozenset(regisseurs), frozenset(team),
                              frozenset(teams), created_by)


def relations(actor: Actor, facts: HouseholdFacts) -> frozenset[Relation]:
    found: set[Relation] = set()
    if actor.role in CASE_ROLES:
        if actor.id in facts.regisseur_ids:
            found.add(Relation.REGISSEUR)
        if actor.id in facts.case_team_ids:
            found.add(Relation.CASE_TEAM)
        if not facts.has_case and facts.created_by == actor.id:
            found.add(Relation.CREATOR)
    if actor.role == "teamcoach" and actor.team_id in facts.team_ids:
        found.add(Relation.COACH)
    if actor.role == "toetser" and actor.team_id in facts.team_ids:
        found.add(Relation.TOETSER)
    return frozenset(found)


# --------------------------------------------------------------------------- what


class Action(enum.StrEnum):
    REGISTER = "register"  # a new household (intake)
    EDIT_CASE_DATA = "edit_case_data"  # household, members, network, case, contacts, ...
    CHANGE_REGISSEUR = "change_regisseur"  # hand the case to another worker
    MOVE_REGIE = "move_regie"  # opschalen / afschalen (regie event)
    PLAN_WRITE = "plan_write"  # start a plan, write a concept, make a new version
    PLAN_SUBMIT = "plan_submit"  # concept -> ter beoordeling
    PLAN_REVIEW = "plan_review"  # approve or return (teamcoach)
    PLAN_TOETS = "plan_toets"  # record the gemeentelijke toets (toetser)
    PLAN_TO_SIGNING = "plan_to_signing"  # approved -> ter ondertekening
    PLAN_SIGN = "plan_sign"  # record the signature
    PLAN_EXECUTE = "plan_execute"  # signed -> in uitvoering
    PLAN_EVALUATE = "plan_evaluate"  # evaluation per goal
    PLAN_CLOSE = "plan_close"


_WORKERS = frozenset({Relation.REGISSEUR, Relation.CASE_TEAM})

MATRIX: Mapping[Action, frozenset[Relation]] = {
    Action.REGISTER: frozenset(),  # any case role; no relation exists yet (see `may`)
    Action.EDIT_CASE_DATA: _WORKERS | {Relation.COACH, Relation.CREATOR},
    Action.CHANGE_REGISSEUR: frozenset({Relation.REGISSEUR, Relation.COACH,
                                        Relation.CREATOR}),
    Action.MOVE_REGIE: frozenset({Relation.REGISSEUR, Relation.COACH}),
    Action.PLAN_WRITE: _WORKERS,
    Action.PLAN_SUBMIT: _WORKERS,
    Action.PLAN_REVIEW: frozenset({Relation.COACH}),
    Action.PLAN_TOETS: frozenset({Relation.TOETSER}),
    Action.PLAN_TO_SIGNING: _WORKERS,
    Action.PLAN_SIGN: _WORKERS,
    Action.PLAN_EXECUTE: _WORKERS,
    Action.PLAN_EVALUATE: _WORKERS,
    Action.PLAN_CLOSE: _WORKERS,
}
"""Action -> the relations that allow it. Four eyes on top: the plan's own regisseur never
reviews or toetst it (`four_eyes`)."""

FOUR_EYES = frozenset({Action.PLAN_REVIEW, Action.PLAN_TOETS})

ENTITY_ACTION: Mapping[str, Action] = {
    "household": Action.EDIT_CASE_DATA,
    "person": Action.EDIT_CASE_DATA,
    "network_member": Action.EDIT_CASE_DATA,
    "professional": Action.EDIT_CASE_DATA,
    "case": Action.EDIT_CASE_DATA,
    "contact_moment": Action.EDIT_CASE_DATA,
    "consent": Action.EDIT_CASE_DATA,
    "assessment": Action.EDIT_CASE_DATA,
    "attachment": Action.EDIT_CASE_DATA,
    "plan_version": Action.PLAN_WRITE,
    "plan_review": Action.PLAN_REVIEW,
    "plan_toets": Action.PLAN_TOETS,
    "plan_signature": Action.PLAN_SIGN,
    "plan_evaluation": Action.PLAN_EVALUATE,
    "regie_event": Action.MOVE_REGIE,
}
"""The action that writing a record of each household entity is. On top of it the server
checks the special cases: a plan version's status change is the action of that transition
(`PLAN_TRANSITIONS`), a case's new regisseur is `CHANGE_REGISSEUR`, inserting a household
is `REGISTER`. A new synced entity must be added here (a test checks every entity of the
protocol is either here or server-owned)."""


def may(actor: Actor, facts: HouseholdFacts | None, action: Action) -> bool:
    """May ``actor`` do ``action`` on the household described by ``facts``?
    (``facts`` None: a household that does not exist yet.)"""
    if action is Action.REGISTER:
        return actor.role in CASE_ROLES
    if facts is None:
        return False
    return bool(relations(actor, facts) & MATRIX[action])


def four_eyes_ok(actor_id: str, plan_regisseur_id: str) -> bool:
    """A review or toets is never by the plan's own regisseur."""
    return actor_id != plan_regisseur_id


# --------------------------------------------------------------------------- refusals


class Refusal(enum.StrEnum):
    """Why the server refused a pushed change-set (``ChangeSetResult.reason``). The app shows
    each with its own Dutch text (``wijkteam_app.messages``)."""

    NOT_ALLOWED = "not_allowed"  # household outside the writer's scope
    SERVER_OWNED = "server_owned"  # directory, mandates, reference data
    ROLE_NOT_ALLOWED = "role_not_allowed"  # the matrix does not allow the action
    FORGED_ACTOR = "forged_actor"  # an actor/reviewer/toetser/... id is not the writer
    OWN_PLAN = "own_plan"  # four eyes: the regisseur reviews or toetst their own plan
    INVALID_TRANSITION = "invalid_transition"  # a status change the plan rules forbid
    REVIEW_MISSING = "review_missing"  # approval/return without the coach's review record
    TOETS_REQUIRED = "toets_required"  # above the mandate without a positive toets
    SIGNATURE_MISSING = "signature_missing"  # signed without the signature record
    EVALUATION_MISSING = "evaluation_missing"  # evaluated without one evaluation per goal
    HISTORY_REWRITTEN = "history_rewritten"  # the status history is append-only
    PLAN_EXISTS = "plan_exists"  # one household, one plan: another plan is on the server
    VERSION_EXISTS = "version_exists"  # this version number of the plan is taken


class Warning_(enum.StrEnum):  # noqa: N801 - "Warning" is a builtin
    """Accepted, but worth a person's attention (``ChangeSetResult.warnings``)."""

    BSN_ELSEWHERE = "bsn_elsewhere"  # the BSN is registered in another household too


# --------------------------------------------------------------------------- plan rules

PLAN_TRANSITIONS: Mapping[tuple[str, str], Action] = {
    ("concept", "ter_beoordeling"): Action.PLAN_SUBMIT,
    ("ter_beoordeling", "goedgekeurd"): Action.PLAN_REVIEW,
    ("ter_beoordeling", "teruggestuurd"): Action.PLAN_REVIEW,
    ("goedgekeurd", "ter_ondertekening"): Action.PLAN_TO_SIGNING,
    ("ter_ondertekening", "ondertekend"): Action.PLAN_SIGN,
    ("ondertekend", "in_uitvoering"): Action.PLAN_EXECUTE,
    ("in_uitvoering", "geevalueerd"): Action.PLAN_EVALUATE,
    ("geevalueerd", "afgesloten"): Action.PLAN_CLOSE,
}
"""Every status change a plan version may make, and the action it is (equal to the domain's
``ALLOWED_TRANSITIONS``; a test keeps them so)."""

REVIEW_OUTCOME_FOR = {"goedgekeurd": "goedkeuren", "teruggestuurd": "terugsturen"}
TOETS_STATUSES = frozenset({"ter_beoordeling", "goedgekeurd"})
"""A toets is recorded while the plan is under review or approved, not before or after."""


def transition_action(old: str, new: str) -> Action | None:
    return PLAN_TRANSITIONS.get((old, new))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def toets_needed(content: Mapping[str, Any], max_amount_cents: int,
                 product_codes: Iterable[str]) -> bool:
    """The same rule as ``domain.plans.needs_toets``, on a plan's content as JSON: any
    professional product outside the mandate, or a total above its amount."""
    allowed = set(product_codes)
    total = 0
    goals = content.get("goals")
    for goal in goals if isinstance(goals, list) else []:
        supports = goal.get("professioneel") if isinstance(goal, dict) else None
        for support in supports if isinstance(supports, list) else []:
            if not isinstance(support, dict):
                continue
            if support.get("product_code") not in allowed:
                return True
            total += _int(support.get("cost_cents"))
    return total > max_amount_cents


ACTOR_FIELDS: Mapping[str, tuple[str, ...]] = {
    "plan_review": ("reviewer_id",),
    "plan_toets": ("toetser_id",),
    "plan_evaluation": ("evaluator_id",),
    "regie_event": ("actor_id",),
    "consent": ("recorded_by",),
    "plan_version": ("created_by",),
}
"""Fields that name the person who made a record: on insert they must be the writer. (Who a
contact was with or who scored an assessment may be a colleague, so those are not here.)"""


__all__ = ["ACTOR_FIELDS", "ENTITY_ACTION", "MATRIX", "PLAN_TRANSITIONS", "Action", "Actor",
           "HouseholdFacts", "Refusal", "Relation", "Warning_", "four_eyes_ok", "may",
           "relations", "toets_needed", "transition_action"]
