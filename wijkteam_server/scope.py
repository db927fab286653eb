"""Who may see which household.

Access is materialised in ``household_access`` as (household, principal) pairs and recomputed
whenever a household, case or plan_version record of that household changes:
- while a household has no (live) case: ``user:<creator>``;
- for every live case: ``user:<regisseur>``, ``user:<each case team member>``,
  ``team:<case team_id>``;
- while the household has a live plan_version with status ``ter_beoordeling`` or
  ``goedgekeurd`` (a plan on its way to or through the toets): ``toets:<case team_id>`` for
  every live case;
- while the household has an open stuck flag (a live ``stuck_flag`` without a live
  ``stuck_decision`` for it): ``brandpunt:<case team_id>`` for every live case.
A user holds principals by role: a wijkwerker or gezinsbegeleider ``user:<id>``; a teamcoach
``user:<id>`` and ``team:<team>``; a toetser ``toets:<team>`` (the toetser of a team sees that
team's households while a plan is under review or approved, and nothing else; the push only
accepts ``plan_toets`` records from a toetser); a brandpuntfunctionaris ``brandpunt:<team>``
(the team's households while a case is flagged as stuck; the push only accepts
``stuck_decision`` records from them); a beheerder none (no case data at all).
The toets grant is per team rather than per toetser, so a toetser added later sees the same
households without a recomputation.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wijkteam_server.models import EntityRow, HouseholdAccess, User

CASE_ROLES = frozenset({"wijkwerker", "gezinsbegeleider"})
TOETS_STATUSES = ("ter_beoordeling", "goedgekeurd")
BRANDPUNT_ROLE = "brandpuntfunctionaris"


def principals(user: User) -> list[str]:
    if user.role in CASE_ROLES:
        return [f"user:{user.id}"]
    if user.role == "teamcoach":
        return [f"user:{user.id}", f"team:{user.team_id}"]
    if user.role == "toetser":
        return [f"toets:{user.team_id}"]
    if user.role == BRANDPUNT_ROLE:
        return [f"brandpunt:{user.team_id}"]
    return []


def household_principals(session: Session, household_id: str) -> set[str]:
    cases = session.scalars(
        select(EntityRow).where(
            EntityRow.entity == "case",
            EntityRow.household_id == household_id,
            EntityRow.deleted.is_(False),
        )
    ).all()
    result: set[str] = set()
    if not cases:
        household = session.get(EntityRow, ("household", household_id))
        if household is not None and not household.deleted and household.created_by:
            result.add(f"user:{household.created_by}")
        return result
    versions = session.scalars(
        select(EntityRow).where(
            EntityRow.entity == "plan_version",
            EntityRow.household_id == household_id,
            EntityRow.deleted.is_(False),
        )
    ).all()
    toets_open = any(v.data.get("status") in TOETS_STATUSES for v in versions)
    stuck = _has_open_stuck_flag(session, household_id)
    for case in cases:
        data = case.data
        if toets_open and isinstance(data.get("team_id"), str):
            result.add(f"toets:{data['team_id']}")
        if stuck and isinstance(data.get("team_id"), str):
            result.add(f"brandpunt:{data['team_id']}")
        if isinstance(data.get("regisseur_id"), str):
            result.add(f"user:{data['regisseur_id']}")
        team_ids = data.get("case_team_ids")
        if isinstance(team_ids, list):
            result.update(f"user:{member}" for member in team_ids if isinstance(member, str))
        if isinstance(data.get("team_id"), str):
            result.add(f"team:{data['team_id']}")
    return result


def _has_open_stuck_flag(session: Session, household_id: str) -> bool:
    def live(entity: str) -> list[EntityRow]:
        return list(session.scalars(select(EntityRow).where(
            EntityRow.entity == entity, EntityRow.household_id == household_id,
            EntityRow.deleted.is_(False))))

    flags = live("stuck_flag")
    if not flags:
        return False
    decided = {d.data.get("flag_id") for d in live("stuck_decision")}
    return any(f.entity_id not in decided for f in flags)


def recompute_access(session: Session, household_id: str) -> None:
    wanted = household_principals(session, household_id)
    current = set(
        session.scalars(
            select(HouseholdAccess.principal).where(HouseholdAccess.household_id == household_id)
        )
    )
    stale = current - wanted
    if stale:
        session.execute(
            delete(HouseholdAccess).where(
                HouseholdAccess.household_id == household_id,
                HouseholdAccess.principal.in_(stale),
            )
        )
    for principal in sorted(wanted - current):
        session.add(HouseholdAccess(household_id=household_id, principal=principal))
    session.flush()


def scope_households(session: Session, user: User) -> set[str]:
    held = principals(user)
    if not held:
        return set()
    return set(
        session.scalars(
            select(HouseholdAccess.household_id)
            .where(HouseholdAccess.principal.in_(held))
            .distinct()
        )
    )


def in_scope(session: Session, user: User, household_id: str | None) -> bool:
    held = principals(user)
    if not held or household_id is None:
        return False
    found = session.scalar(
        select(HouseholdAccess.household_id)
        .where(HouseholdAccess.household_id == household_id, HouseholdAccess.principal.in_(held))
        .limit(1)
    )
    return found is not None


def filter_in_scope(session: Session, user: User, household_ids: Collection[str]) -> set[str]:
    held = principals(user)
    if not held or not household_ids:
        return set()
    return set(
        session.scalars(
            select(HouseholdAccess.household_id)
            .where(
                HouseholdAccess.household_id.in_(list(household_ids)),
                HouseholdAccess.principal.in_(held),
            )
            .distinct()
        )
    )
