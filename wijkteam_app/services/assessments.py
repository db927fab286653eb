"""ZRM and participatieladder assessments: recording, correcting and withdrawing them, and
reading a person's history.

A stored assessment never changes. A correction is a new record that takes the old one's place
(`corrects_id`, with a reason); a withdrawal is a new record that takes it away (`withdrawn`,
no scores). Both are ordinary saves: one change-set that syncs like any record, one audit
entry. `history` gives the assessments that count; `records` everything, for the list.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    Assessment,
    InstrumentDefinition,
    effective_assessments,
    validate_assessment,
    validate_correction,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError, ValidationFailed
from wijkteam_app.instruments import load_definitions
from wijkteam_app.instruments.catalog import apply_official_texts
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.casefile import SaveResult
from wijkteam_app.persistence.schema import AssessmentRecord, HouseholdRecord, PersonRecord
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.reference import ReferenceService

log = logging.getLogger(__name__)

Definitions = Mapping[tuple[str, str], InstrumentDefinition]


@cache
def installed_definitions() -> Definitions:
    """The shipped instrument definitions, read once per process."""
    return MappingProxyType(load_definitions())


_WITH_TEXTS: dict[tuple[str, str], Definitions] = {}


def definitions_for(workspace: Workspace) -> Definitions:
    """The installed definitions, with the licensed instrument texts the municipality
    published (synced reference data) where it has any; cached per reference version."""
    reference = ReferenceService(workspace)
    version = reference.version()
    if version is None:
        return installed_definitions()
    key = (workspace.casefile.device_id, version)
    cached = _WITH_TEXTS.get(key)
    if cached is not None:
        return cached
    result = dict(installed_definitions())
    for defn_key, defn in result.items():
        texts = reference.instrument_texts(*defn_key)
        if texts:
            result[defn_key], skipped = apply_official_texts(defn, texts, "gemeente")
            if skipped:
                log.warning("%d licensed text(s) for %s %s do not fit the definition",
                            len(skipped), *defn_key)
    frozen: Definitions = MappingProxyType(result)
    if len(_WITH_TEXTS) > 8:
        _WITH_TEXTS.clear()
    _WITH_TEXTS[key] = frozen
    return frozen


class AssessmentService:
    def __init__(self, workspace: Workspace, definitions: Definitions | None = None) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self._definitions = definitions
        self.authority = Authority(workspace)

    @property
    def definitions(self) -> Definitions:
        """The instrument catalog, read on first use (not while the app starts)."""
        if self._definitions is None:
            self._definitions = definitions_for(self._ws)
        return self._definitions

    def definition_for(self, assessment: Assessment) -> InstrumentDefinition:
        defn = self.definitions.get(assessment.definition_key)
        if defn is None:
            raise ValidationFailed([FieldError("definition", ErrorCode.UNKNOWN_CHOICE)])
        return defn

    def record(self, assessment: Assessment) -> SaveResult:
        """Validate against its own definition version, then store it as one save."""
        return self._record(assessment, None)

    def correct(self, original: Assessment, corrected: Assessment) -> SaveResult:
        """Store `corrected` (with `corrects_id` = original's id and a reason) in the place of
        `original`, which is kept unchanged in the history."""
        return self._record(corrected, original)

    def withdraw(self, original: Assessment, reason: str) -> Assessment:
        """Take `original` out of what counts (charts, comparisons, the plan): a withdrawal
        record with the reason; `original` itself stays in the history."""
        withdrawal = replace(original, id=new_id(), items=(), zwaartefactoren=(),
                             assessor_id=self._ws.actor_id, target_date=None, notes="",
                             corrects_id=original.id, withdrawn=True,
                             correction_reason=reason.strip(), version=0)
        errors = validate_correction(original, withdrawal, self._siblings(original))
        if errors:
            raise ValidationFailed(errors)
        defn = self.definition_for(original)
        with self._db.read() as session:
            household_id = self._household_of(session, original)
        with self._db.save(self._ws.actor_id, f"{defn.kind.value}.intrekken", "meting",
                           withdrawal.id) as ctx:
            repo.save_assessment(ctx.session, withdrawal, household_id)
        return withdrawal

    def _siblings(self, assessment: Assessment) -> list[Assessment]:
        return self.records(person_id=assessment.person_id,
                            household_id=assessment.household_id)

    @staticmethod
    def _household_of(session: Session, assessment: Assessment) -> str:
        if assessment.person_id:
            return repo.require(session, PersonRecord, assessment.person_id).household_id
        household_id = assessment.household_id or ""
        repo.require(session, HouseholdRecord, household_id)
        return household_id

    def _record(self, assessment: Assessment, original: Assessment | None) -> SaveResult:
        defn = self.definition_for(assessment)
        correction_errors: list[FieldError] = []
        if original is not None:
            correction_errors = validate_correction(original, assessment,
                                                    self._siblings(original))
        elif assessment.corrects_id or assessment.withdrawn:
            correction_errors = [FieldError("corrects_id", ErrorCode.UNKNOWN_REFERENCE)]
        with self._db.read() as session:
            household_id = self._household_of(session, assessment)
            has_children = any(
                p.is_minor_on(assessment.assessed_on)
                for p in (repo.person_from(r) for r in session.scalars(
                    select(PersonRecord).where(PersonRecord.household_id == household_id)))
            )
        self.authority.require(household_id, Action.EDIT_CASE_DATA)
        errors = validate_assessment(defn, assessment, self._ws.today(), has_children)
        errors += correction_errors
        if errors:
            raise ValidationFailed(errors)
        action = "corrigeren" if original is not None else "vastleggen"
        with self._db.save(self._ws.actor_id, f"{defn.kind.value}.{action}", "meting",
                           assessment.id) as ctx:
            repo.save_assessment(ctx.session, assessment, household_id)
        assert ctx.result is not None
        return ctx.result

    def history(self, *, person_id: str | None = None,
                household_id: str | None = None) -> list[Assessment]:
        """The assessments of a person (or of a household as a whole) that count, oldest
        first: corrected records are replaced by their correction, withdrawn ones left out."""
        return effective_assessments(self.records(person_id=person_id,
                                                  household_id=household_id))

    def records(self, *, person_id: str | None = None,
                household_id: str | None = None) -> list[Assessment]:
        """Every stored record of a person (or household as a whole), oldest first,
        corrected, withdrawn and correcting ones included."""
        with self._db.read() as session:
            query = select(AssessmentRecord).order_by(AssessmentRecord.assessed_on)
            if person_id:
                query = query.where(AssessmentRecord.person_id == person_id)
            else:
                query = query.where(AssessmentRecord.household_id == household_id,
                                    AssessmentRecord.subject == "household")
            return [repo.assessment_from(r) for r in session.scalars(query)]
