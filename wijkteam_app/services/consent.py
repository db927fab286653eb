"""Sharing only where consent covers it (domain/consent.py): the ondersteuningsplan and the
contact details of the professionals involved, per recipient, with every share logged in the
access log (``gegevens.delen``) with its recipient and purpose.

A refusal raises `ConsentMissing` carrying the decision, so the UI can say exactly whose
consent is missing and why (never given, withdrawn on a day, a minor without a recorded
holder of gezag). Only who works the case shares (`NotAllowed` otherwise). The check reads
the consent records as this laptop holds them: a withdrawal made elsewhere counts from the
sync that brings it.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkteam_app.domain.consent import STANDARD_PURPOSE, Decision, Use, decide
from wijkteam_app.domain.people import Person, Professional
from wijkteam_app.domain.plans import PlanVersion
from wijkteam_app.errors import WijkteamError
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.authority import Action
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace

SHARE_ACTION = "gegevens.delen"


class ConsentMissing(WijkteamError):
    code = "consent_missing"

    def __init__(self, decision: Decision) -> None:
        super().__init__("consent missing")
        self.decision = decision


@dataclass(frozen=True, slots=True)
class ShareCheck:
    decision: Decision
    subjects: tuple[Person, ...]
    people: dict[str, Person]  # everyone of the household, by id (for the explanation)


class ConsentService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._households = HouseholdService(workspace)
        self._log = AccessLogService(workspace)

    def recipients(self, household_id: str) -> list[str]:
        """Suggestions: the professionals involved and every recipient consented to."""
        detail = self._households.get(household_id)
        names = [p.organisation + (f" ({p.name})" if p.name else "")
                 for p in detail.professionals]
        names += [c.recipient for c in self._households.consents(household_id)]
        return sorted(dict.fromkeys(n for n in names if n.strip()), key=str.casefold)

    def check(self, household_id: str, recipient: str, use: Use,
              subject_ids: tuple[str, ...] = ()) -> ShareCheck:
        """Whose consent is needed for information about the subjects (default: everyone
        in the household) to go to `recipient` for `use`, and whether it is there today."""
        detail = self._households.get(household_id)
        people = {p.id: p for p in detail.members}
        subjects = tuple(people[i] for i in subject_ids if i in people) or detail.members
        decision = decide(subjects, self._households.consents(household_id), recipient, use,
                          self._ws.today())
        return ShareCheck(decision, subjects, people)

    def plan_subjects(self, version: PlanVersion) -> tuple[str, ...]:
        return tuple(version.content.participants.person_ids)

    def _require_case_team(self, household_id: str) -> None:
        """Sharing is the step of who works the case (the rule that lets them change its
        data): a toetser or a colleague outside the case team may look, not pass it on.
        The UI hides the buttons; this refuses the step itself (`NotAllowed`)."""
        self._households.authority.require(household_id, Action.EDIT_CASE_DATA)

    def share_plan(self, version: PlanVersion, recipient: str,
                   settings: ReportSettings) -> bytes:
        """The plan as a PDF for `recipient`, if every needed consent is there; logged."""
        self._require_case_team(version.household_id)
        check = self.check(version.household_id, recipient, Use.PLAN,
                           self.plan_subjects(version))
        if not check.decision.allowed:
            raise ConsentMissing(check.decision)
        plans = PlanService(self._ws)
        data = (plans.signed_pdf(version) if version.signature is not None else None) \
            or plans.render_pdf(version, settings)
        self._log.record(SHARE_ACTION, "planversie", version.id, version.household_id,
                         f"{STANDARD_PURPOSE[Use.PLAN]} met {recipient}"[:500])
        return data

    def share_contacts(self, household_id: str, recipient: str) -> list[Professional]:
        """The professionals' contact details for `recipient`, if consent covers it; logged."""
        self._require_case_team(household_id)
        check = self.check(household_id, recipient, Use.CONTACT)
        if not check.decision.allowed:
            raise ConsentMissing(check.decision)
        self._log.record(SHARE_ACTION, "professional", "", household_id,
                         f"{STANDARD_PURPOSE[Use.CONTACT]} met {recipient}"[:500])
        return list(self._households.get(household_id).professionals)
