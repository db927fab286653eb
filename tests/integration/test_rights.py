"""The resident's rights: an inzage export of everything about a person (readable PDF and
JSON, including who looked), erasure on request with the legal exceptions shown and recorded,
and rectification that leaves a trace."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.ui.test_household_page import make_family
from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.domain.rights import ErasureException, Outcome, RequestKind
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.persistence.schema import (
    AssessmentRecord,
    AuditRecord,
    ConsentRecord,
    OutboxRecord,
)
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.rights import ERASED_NAME, RightsService


def pdf_info(data: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    return info.stdout, text.stdout


def test_inzage_export_holds_everything_about_the_person(
        workspace: Workspace, tmp_path: Path) -> None:
    family = make_family(workspace)
    AccessLogService(workspace).viewed_household(family.household.id)
    service = RightsService(workspace)
    export = service.export(family.mother.id, workspace.today() - timedelta(days=3))

    data = json.loads(export.json_bytes)
    assert data["persoon"]["first_name"] == "Anouk"
    assert data["persoon"]["bsn"] == "999999990"
    assert data["huishouden"]["address"]["postcode"] == "1234 AB"
    assert [c["recipient"] for c in data["toestemmingen"]] == ["Huisarts"]
    assert len(data["zaken"][0]["contactmomenten"]) == 2
    assert "inzage.huishouden" in [e["wat"] for e in data["inzage_en_wijzigingen"]]
    assert data["verzoeken"][-1]["kind"] == "inzage"

    info, text = pdf_info(export.pdf_bytes, tmp_path)
    assert "Anouk" not in info and "Voorbeeld" not in info and "999999990" not in info
    assert "Inzage persoonsgegevens" in info
    assert "Anouk Voorbeeld" in text and "Wie heeft het dossier ingezien" in text
    assert "Dossier" not in info

    with workspace.casefile.read() as session:
        logged = session.scalars(select(AuditRecord).where(
            AuditRecord.action == "inzage.export")).all()
    assert [(r.household_id, r.purpose) for r in logged] == [
        (family.household.id, "Inzageverzoek (AVG art. 15)")]
    assert [r.kind for r in service.requests(family.household.id)] == [RequestKind.INZAGE]


def test_erasure_shows_the_exceptions_and_records_a_refusal(workspace: Workspace) -> None:
    family = make_family(workspace)
    service = RightsService(workspace)
    suggested = service.suggestions(family.mother.id)
    # The case runs, and there is a minor in the household.
    assert suggested == [ErasureException.LOPENDE_ONDERSTEUNING, ErasureException.BELANG_ANDER]
    with pytest.raises(ValidationFailed) as failed:
        service.erase(family.mother.id, workspace.today(), tuple(suggested), "")
    assert [e.field for e in failed.value.errors] == ["note"]
    refused = service.erase(family.mother.id, workspace.today(), tuple(suggested),
                            "De ondersteuning loopt nog; opnieuw bekijken na afsluiting.")
    assert refused.outcome is Outcome.GEWEIGERD
    assert service.person(family.mother.id).first_name == "Anouk"  # nothing erased
    [recorded] = [r for r in service.requests(family.household.id)
                  if r.kind is RequestKind.WISSEN]
    assert recorded.exceptions == tuple(suggested) and "loopt nog" in recorded.note


def test_erasure_without_exception_removes_the_person_identifying_data(
        workspace: Workspace) -> None:
    family = make_family(workspace)
    households = HouseholdService(workspace)
    households.save_case(dataclasses.replace(family.case, status=CaseStatus.AFGESLOTEN,
                                             closed_on=workspace.today(), version=1))
    service = RightsService(workspace)
    done = service.erase(family.father.id, workspace.today(), (), "")
    assert done.outcome is Outcome.UITGEVOERD
    father = service.person(family.father.id)
    assert (father.first_name, father.last_name, father.bsn, father.birth_date) == \
        (ERASED_NAME, "", "", None)
    with workspace.casefile.read() as session:
        assert not session.scalars(select(AssessmentRecord).where(
            AssessmentRecord.person_id == family.father.id)).all()
        assert not session.scalars(select(ConsentRecord).where(
            ConsentRecord.person_id == family.father.id)).all()
        last = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert last is not None and last.action == "gegevens.wissen"
        entities = {c["entity"] for c in last.changes}
    assert {"person", "privacy_request"} <= entities  # it travels to the server
    assert service.person(family.mother.id).first_name == "Anouk"  # others untouched


def test_rectification_leaves_a_trace(workspace: Workspace) -> None:
    family = make_family(workspace)
    service = RightsService(workspace)
    corrected = dataclasses.replace(service.person(family.mother.id), last_name="Voorbeelt")
    request = service.rectify(corrected, workspace.today(), "Achternaam verkeerd gespeld")
    assert request.fields == ("last_name",)
    assert service.person(family.mother.id).last_name == "Voorbeelt"
    with workspace.casefile.read() as session:
        last = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        assert last is not None and last.action == "gegevens.corrigeren"
        person_change = next(c for c in last.changes if c["entity"] == "person")
        assert person_change["fields"]["last_name"] == {"old": "Voorbeeld", "new": "Voorbeelt"}
        audit = session.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert audit is not None and audit.purpose == "Verzoek tot correctie (AVG art. 16)"
    with pytest.raises(ValidationFailed):  # nothing corrected is no correction
        service.rectify(service.person(family.mother.id), workspace.today(), "")
