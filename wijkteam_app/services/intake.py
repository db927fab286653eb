"""Intake: aanmelding → quickscan → keukentafelgesprek.

A new household, its members and its case are registered in ONE save, so a half-finished
intake never leaves a household without its case (or the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wijkteam_app.domain.cases import Case, validate_case
from wijkteam_app.domain.people import Household, Person, validate_household, validate_person
from wijkteam_app.domain.validation import FieldError, ValidationFailed
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import SaveResult, utcnow
from wijkteam_app.services.authority import Authority
from wijkteam_app.services.profile import Workspace


@dataclass(frozen=True, slots=True)
class Intake:
    household: Household
    members: tuple[Person, ...]
    case: Case


def validate_intake(intake: Intake, workspace: Workspace) -> list[FieldError]:
    today = workspace.today()
    errors = [e.prefixed("household") for e in validate_household(intake.household)]
    ids = {m.id for m in intake.members}
    for index, member in enumerate(intake.members):
        errors += [e.prefixed(f"members.{index}") for e in validate_person(member, today, ids)]
    errors += [e.prefixed("case") for e in validate_case(intake.case, today)]
    return errors


class IntakeService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self.authority = Authority(workspace)

    def may_register(self) -> bool:
        """May this worker do an intake (a wijkwerker, gezinsbegeleider or teamcoach)?"""
        return self.authority.may_register()

    def register(self, intake: Intake) -> SaveResult:
        self.authority.require_register()
        errors = validate_intake(intake, self._ws)
        if errors:
            raise ValidationFailed(errors)
        household = intake.household
        with self._db.save(self._ws.actor_id, "aanmelding.registreren", "huishouden",
                           household.id) as ctx:
            repo.save_household(ctx.session, household, utcnow())
            ctx.session.flush()
            for member in intake.members:
                repo.save_person(ctx.session, replace(member, household_id=household.id))
            ctx.session.flush()
            repo.save_case(ctx.session, replace(intake.case, household_id=household.id))
        assert ctx.result is not None
        return ctx.result
