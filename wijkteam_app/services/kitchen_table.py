"""The verslag of the keukentafelgesprek as use cases: list the versions of a household,
record a version as given to the resident, and build its PDF.

Each recorded version is one save (record + outbox change-set + audit entry) and is never
changed afterwards: a correction is recorded as the next version.
"""

from __future__ import annotations

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.kitchen_table import (
    KitchenTableReport,
    ReportDraft,
    ReportReferences,
    fingerprint,
    next_number,
    validate_report,
)
from wijkteam_app.domain.rules import NotAllowed
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.domain.workers import Role
from wijkteam_app.errors import NotFound
from wijkteam_app.persistence import casework_repository as casework
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import CaseRecord, WorkerRecord
from wijkteam_app.reports.casework_documents import KitchenTableDocument
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace

WRITER_ROLES = frozenset({Role.WIJKWERKER, Role.GEZINSBEGELEIDER, Role.TEAMCOACH})


class KitchenTableService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def reports(self, household_id: str) -> list[KitchenTableReport]:
        """Every version of the household's reports, oldest first."""
        with self._db.read() as session:
            return casework.reports_of(session, household_id)

    def latest(self, household_id: str, case_id: str) -> KitchenTableReport | None:
        found = [r for r in self.reports(household_id) if r.case_id == case_id]
        return found[-1] if found else None

    def references(self, household_id: str, case_id: str) -> ReportReferences:
        detail = HouseholdService(self._ws).get(household_id)
        with self._db.read() as session:
            case = session.get(CaseRecord, case_id)
            if case is None or case.household_id != household_id:
                raise NotFound("case")
            referral = case.referral_date
        return ReportReferences(frozenset(p.id for p in detail.members),
                                frozenset(n.id for n in detail.network), referral)

    def record(self, household_id: str, case_id: str, draft: ReportDraft) -> KitchenTableReport:
        """Record the next version of the case's report, as given to the resident."""
        if self._ws.worker.role not in WRITER_ROLES:
            raise NotAllowed("report_role", "only a worker of the team writes this report")
        Authority(self._ws).require(household_id, Action.KITCHEN_TABLE_REPORT)
        existing = [r for r in self.reports(household_id) if r.case_id == case_id]
        report = KitchenTableReport(
            id=new_id(), household_id=household_id, case_id=case_id,
            number=next_number(existing), held_on=draft.held_on, location=draft.location,
            participants=draft.participants, content=draft.content, created_at=utcnow(),
            created_by=self._ws.actor_id, issued_on=draft.issued_on,
            issued_how=draft.issued_how,
            based_on_id=draft.based_on_id or (existing[-1].id if existing else None))
        errors = validate_report(report, self._ws.today(),
                                 self.references(household_id, case_id))
        if errors:
            raise ValidationFailed(errors)
        with self._db.save(self._ws.actor_id, "keukentafelverslag.vastleggen",
                           "keukentafelverslag", report.id) as ctx:
            casework.add_report(ctx.session, report)
        return report

    # --- the PDF ---------------------------------------------------------------------------

    def document(self, report: KitchenTableReport) -> KitchenTableDocument:
        page = HouseholdService(self._ws).page(report.household_id)
        detail = page.detail
        persons = {p.id: p.full_name for p in detail.members}
        network = {n.id: f"{n.name} ({n.relation})" for n in detail.network}
        names = [persons[i] for i in report.participants.person_ids if i in persons]
        names += [network[i] for i in report.participants.network_member_ids if i in network]
        if report.participants.others.strip():
            names.append(report.participants.others.strip())
        with self._db.read() as session:
            worker = session.get(WorkerRecord, report.created_by)
            case = session.get(CaseRecord, report.case_id)
            referral = case.referral_date if case else None
            previous = [r for r in casework.reports_of(session, report.household_id)
                        if r.id == report.based_on_id]
        h = detail.household
        a = h.address
        street = " ".join(p for p in (a.street, f"{a.house_number}{a.house_number_suffix}") if p)
        return KitchenTableDocument(
            household_name=h.name, address_lines=(street, f"{a.postcode}  {a.city}"),
            wijk=h.wijk, number=report.number, fingerprint=fingerprint(report),
            held_on=report.held_on, location=report.location,
            worker_name=worker.display_name if worker else "", participants=tuple(names),
            content=report.content, issued_on=report.issued_on, issued_how=report.issued_how,
            document_date=report.issued_on, referral_date=referral,
            based_on_number=previous[0].number if previous else None)

    def render_pdf(self, report: KitchenTableReport, settings: ReportSettings) -> bytes:
        from wijkteam_app.reports.casework_pdf import render_kitchen_table_pdf

        self._db.audit(self._ws.actor_id, "keukentafelverslag.pdf", "keukentafelverslag",
                       report.id)
        return render_kitchen_table_pdf(self.document(report), settings)


__all__ = ["KitchenTableService", "NotAllowed"]
