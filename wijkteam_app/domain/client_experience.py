"""The resident's voice: a short client-experience questionnaire (klantervaring).

Almere (seed 003) monitors "klantervaring" beside effectiveness and costs; Deventer (seed
001) plans satisfaction checks with the residents. At an evaluation and at closing the worker
asks a few fixed questions, each answered on a 1-5 scale (1 = helemaal oneens, 5 = helemaal
eens) or left open, plus the resident's own words. The answers are stored per case.

Anonymous in every aggregate (`summarize`): only counts, averages and the distribution per
question leave it; never a household, case, worker, date or comment, and nothing at all for
fewer than `MIN_GROUP` responses (a small group could be recognised).

Pure: no clock, no storage.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wijkteam_app.domain.validation import (
    MAX_NOTE,
    ErrorCode,
    FieldError,
    optional_text,
    past_date,
)

QUESTIONNAIRE_ID = "klantervaring/1"
SCALE = range(1, 6)
MIN_GROUP = 5
"""Fewer responses than this: an aggregate shows no numbers (small-number suppression)."""


class Moment(enum.StrEnum):
    EVALUATIE = "evaluatie"
    AFSLUITING = "afsluiting"


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    text: str


QUESTIONS: tuple[Question, ...] = (
    Question("gehoord", "Ik voelde me gehoord en serieus genomen."),
    Question("eigen_regie", "Ik heb zelf mee kunnen beslissen over de afspraken in mijn plan."),
    Question("netwerk", "De mensen om mij heen zijn betrokken zoals ik dat wilde."),
    Question("passend", "De ondersteuning past bij wat ik nodig heb."),
    Question("zelfredzaam", "Door de ondersteuning kan ik mijn zaken nu beter zelf regelen."),
)
"""The fixed questions of questionnaire `QUESTIONNAIRE_ID` (statements to agree with)."""

SCALE_LABELS: dict[int, str] = {
    1: "helemaal oneens", 2: "oneens", 3: "neutraal", 4: "eens", 5: "helemaal eens",
}


@dataclass(frozen=True, slots=True)
class Answer:
    question: str  # `Question.code`
    score: int | None  # 1..5; None: not answered


@dataclass(frozen=True, slots=True)
class ClientExperience:
    id: str
    household_id: str
    case_id: str
    moment: Moment
    answered_on: date
    recorded_by: str
    answers: tuple[Answer, ...]
    comment: str = ""
    questionnaire: str = QUESTIONNAIRE_ID
    version: int = 0


def validate_experience(experience: ClientExperience, today: date) -> list[FieldError]:
    """Codes per field:

    - ``answered_on``: REQUIRED / DATE_IN_FUTURE / DATE_TOO_OLD
    - ``questionnaire``: UNKNOWN_CHOICE
    - ``answers.<code>``: UNKNOWN_CHOICE (not a question), DUPLICATE, OUT_OF_RANGE (not 1-5),
      REQUIRED (a question missing: every question is listed, answered or not)
    - ``answers``: SCORE_REQUIRED when no question has a score
    - ``comment``: TOO_LONG
    """
    errors: list[FieldError] = []
    past_date(errors, "answered_on", experience.answered_on, today)
    if experience.questionnaire != QUESTIONNAIRE_ID:
        errors.append(FieldError("questionnaire", ErrorCode.UNKNOWN_CHOICE))
    codes = {q.code for q in QUESTIONS}
    seen: set[str] = set()
    for answer in experience.answers:
        path = f"answers.{answer.question}"
        if answer.question not in codes:
            errors.append(FieldError(path, ErrorCode.UNKNOWN_CHOICE))
        elif answer.question in seen:
            errors.append(FieldError(path, ErrorCode.DUPLICATE))
        elif answer.score is not None and answer.score not in SCALE:
            errors.append(FieldError(path, ErrorCode.OUT_OF_RANGE))
        seen.add(answer.question)
    errors += [FieldError(f"answers.{q.code}", ErrorCode.REQUIRED) for q in QUESTIONS
               if q.code not in seen]
    if not any(a.score is not None for a in experience.answers):
        errors.append(FieldError("answers", ErrorCode.SCORE_REQUIRED))
    optional_text(errors, "comment", experience.comment, MAX_NOTE)
    return errors


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    code: str
    text: str
    answered: int
    average: float | None
    distribution: tuple[int, int, int, int, int]  # how many answered 1, 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class ExperienceSummary:
    """An anonymous aggregate. `suppressed`: too few responses to show any number."""

    responses: int
    suppressed: bool
    questions: tuple[QuestionSummary, ...]


def summarize(experiences: Iterable[ClientExperience], minimum: int = MIN_GROUP
              ) -> ExperienceSummary:
    """Counts, averages and distributions per question, and nothing else. With fewer than
    `minimum` responses every number is withheld (`suppressed`); a question answered by fewer
than `minimum` shows only its count."""
    items = [e for e in experiences if e.questionnaire == QUESTIONNAIRE_ID]
    if len(items) < minimum:
        return ExperienceSummary(len(items), True, tuple(
            QuestionSummary(q.code, q.text, 0, None, (0, 0, 0, 0, 0)) for q in QUESTIONS))
    out = []
    for question in QUESTIONS:
        scores = [a.score for e in items for a in e.answers
                  if a.question == question.code and a.score in SCALE]
        if len(scores) < minimum:  # a question few answered is withheld on its own
            out.append(QuestionSummary(question.code, question.text, len(scores), None,
                                       (0, 0, 0, 0, 0)))
            continue
        counts = tuple(sum(1 for s in scores if s == n) for n in SCALE)
        average = round(sum(s for s in scores if s is not None) / len(scores), 1) \
            if scores else None
        out.append(QuestionSummary(question.code, question.text, len(scores), average,
                                   (counts[0], counts[1], counts[2], counts[3], counts[4])))
    return ExperienceSummary(len(items), False, tuple(out))
