"""The resident's voice: record client-experience answers per case, and the anonymous
summary over the case file.

`summary()` is the only aggregate and returns `domain.client_experience.ExperienceSummary`:
counts and averages, never an id, a name, a date or a comment (and no numbers at all for a
group smaller than `MIN_GROUP`). Individual answers are read per household only, by those
who work on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from wijkteam_app.domain.client_experience import (
    QUESTIONNAIRE_ID,
    QUESTIONS,
    Answer,
    ClientExperience,
    ExperienceSummary,
    Moment,
    summarize,
    validate_experience,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.rules import NotAllowed
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.domain.workers import Role
from wijkteam_app.errors import NotFound
from wijkteam_app.persistence import casework_repository as casework
from wijkteam_app.persistence.schema import CaseRecord
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.profile import Workspace

WRITER_ROLES = frozenset({Role.WIJKWERKER, Role.GEZINSBEGELEIDER, Role.TEAMCOACH})


class ClientExperienceService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def record(self, case_id: str, moment: Moment, scores: Mapping[str, int | None],
               comment: str = "", answered_on: date | None = None) -> ClientExperience:
        """Store the resident's answers (every question listed; None: not answered)."""
        if self._ws.worker.role not in WRITER_ROLES:
            raise NotAllowed("experience_role", "only a worker of the case records this")
        with self._db.read() as session:
            case = session.get(CaseRecord, case_id)
            if case is None:
                raise NotFound("case")
            household_id = case.household_id
        Authority(self._ws).require(household_id, Action.CLIENT_EXPERIENCE)
        experience = ClientExperience(
            id=new_id(), household_id=household_id, case_id=case_id, moment=moment,
            answered_on=answered_on or self._ws.today(), recorded_by=self._ws.actor_id,
            answers=tuple(Answer(q.code, scores.get(q.code)) for q in QUESTIONS)
            + tuple(Answer(code, score) for code, score in scores.items()
                    if code not in {q.code for q in QUESTIONS}),
            comment=comment.strip(), questionnaire=QUESTIONNAIRE_ID)
        errors = validate_experience(experience, self._ws.today())
        if errors:
            raise ValidationFailed(errors)
        with self._db.save(self._ws.actor_id, "klantervaring.vastleggen", "klantervaring",
                           experience.id) as ctx:
            casework.add_experience(ctx.session, experience)
        return experience

    def for_household(self, household_id: str) -> list[ClientExperience]:
        with self._db.read() as session:
            return casework.experiences_of(session, household_id)

    def summary(self) -> ExperienceSummary:
        """The anonymous aggregate over every answer in this case file."""
        with self._db.read() as session:
            return summarize(casework.experiences_of(session))
