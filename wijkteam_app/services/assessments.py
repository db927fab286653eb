"""ZRM and participatieladder assessments: recording them and reading a person's history."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from sqlalchemy import select

from wijkteam_app.domain.instruments import (
    Assessment,
    InstrumentDefinition,
    validate_assessment,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError, ValidationFailed
from wijkteam_app.instruments import load_definitions
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import SaveResult
from wijkteam_app.persistence.schema import AssessmentRecord, HouseholdRecord, PersonRecord
from wijkteam_app.services.profile import Workspace

Definitions = Mapping[tuple[str, str], InstrumentDefinition]


@cache
def installed_definitions() -> Definitions:
    """The shipped instrument definitions, read once per process."""
    return MappingProxyType(load_definitions())


class AssessmentService:
    def __init__(self, workspace: Workspace, definitions: Definitions | None = None) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self._definitions = definitions

    @property
    def definitions(self) -> Definitions:
        """The instrument catalog, read on first use (not while the app starts)."""
        if self._definitions is None:
            self._definitions = installed_definitions()
        return self._definitions

    def definition_for(self, assessment: Assessment) -> InstrumentDefinition:
        defn = self.definitions.get(assessment.definition_key)
        if defn is None:
            raise ValidationFailed([FieldError("definition", ErrorCode.UNKNOWN_CHOICE)])
        return defn

    def record(self, assessment: Assessment) -> SaveResult:
        """Validate against its own definition version, then store it as one save."""
        defn = self.definition_for(assessment)
        with self._db.read() as session:
            if assessment.person_id:
                person = repo.require(session, PersonRecord, assessment.person_id)
                household_id = person.household_id
            else:
                household_id = assessment.household_id or ""
                repo.require(session, HouseholdRecord, household_id)
            has_children = any(
                p.is_minor_on(assessment.assessed_on)
                for p in (repo.person_from(r) for r in session.scalars(
                    select(PersonRecord).where(PersonRecord.household_id == household_id)))
            )
        errors = validate_assessment(defn, assessment, self._ws.today(), has_children)
        if errors:
            raise ValidationFailed(errors)
        with self._db.save(self._ws.actor_id, f"{defn.kind.value}.vastleggen", "meting",
                           assessment.id) as ctx:
            repo.save_assessment(ctx.session, assessment, household_id)
        assert ctx.result is not None
        return ctx.result

    def history(self, *, person_id: str | None = None,
                household_id: str | None = None) -> list[Assessment]:
        """All assessments of a person (or of a household as a whole), oldest first."""
        with self._db.read() as session:
            query = select(AssessmentRecord).order_by(AssessmentRecord.assessed_on)
            if person_id:
                query = query.where(AssessmentRecord.person_id == person_id)
            else:
                query = query.where(AssessmentRecord.household_id == household_id,
                                    AssessmentRecord.subject == "household")
            return [repo.assessment_from(r) for r in session.scalars(query)]
