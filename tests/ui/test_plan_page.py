"""The plan page, its editor and the plan dialogs, driven by keys and clicks: a plan with two
goals made in the editor, a submitted version that cannot be edited, the toets refused to
the regisseur, signing with the exact PDF, the version comparison, drafts, the PDF preview;
and every table model under Qt's model tester."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_household_page import Family, make_family
from tests.ui.test_household_page import click as click_now
from wijkteam_app.domain.cases import CaseStatus
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.plans import (
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    ImmutableVersion,
    NetworkAgreement,
    Participants,
    PlanContent,
    PlanSection,
    PlanStatus,
    PlanVersion,
    ProfessionalSupport,
    ProvisionAgreement,
    ResidentAgreement,
    ResidentView,
    ReviewOutcome,
    SectionComment,
    ToetsDecision,
    pdf_sha256,
    signature_valid,
)
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence.repositories import save_worker
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.plan_dialogs import (
    PdfPreviewDialog,
    RegieDialog,
    SigningDialog,
    ToetsDialog,
    default_report_settings,
    load_context,
)
from wijkteam_app.ui.pages.plan_page import (
    ChangesModel,
    PlanPage,
    SupportRow,
    VersionCompareDialog,
    VersionsModel,
    change_rows,
    draft_key,
)

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


# --- helpers -------------------------------------------------------------------------------

def add_worker(workspace: Workspace, role: Role, name: str) -> Worker:
    """A colleague in the same case file (there is no service for workers yet)."""
    worker = Worker(new_id(), name.lower().replace(" ", "."), name, role, workspace.team.id)
    with workspace.casefile.save(workspace.actor_id, "medewerker.test", "medewerker",
                                 worker.id) as ctx:
        save_worker(ctx.session, worker)
    return worker


@contextmanager
def acting_as(workspace: Workspace, worker: Worker) -> Iterator[None]:
    me = workspace.worker
    workspace.worker = worker
    try:
        yield
    finally:
        workspace.worker = me


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click once the layouts have given the button its size (rows are added live)."""
    QApplication.processEvents()
    click_now(qtbot, button)


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Pick an entry of a combo box with the arrow keys."""
    target = combo.findData(data)
    assert target >= 0, data
    combo.setFocus()
    for _ in range(200):
        if combo.currentIndex() == target:
            return
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    raise AssertionError(f"could not reach {data!r}")


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def valid_content(workspace: Workspace, family: Family, product: str = "L06SB1") -> PlanContent:
    today = workspace.today()
    oma = HouseholdService(workspace).get(family.household.id).network[0]
    goal = Goal(new_id(), "financien", "Schulden op een rij", 2, 4, Horizon.DRIE_MAANDEN,
                zelf="Anouk opent de post elke dag.",
                netwerk=(NetworkAgreement(oma.id, "Helpt met de administratie"),),
                voorzieningen=(ProvisionAgreement("vk-geldfit"),),
                professioneel=(ProfessionalSupport(product, "Budgetbegeleiding",
                                                   "Schuldhulp Verzinstad", 2, "04", "2",
                                                   today, today + timedelta(days=180),
                                                   120_000, Financing.ZORG_IN_NATURA,
                                                   EigenBijdrage.ABONNEMENTSTARIEF),))
    return PlanContent(
        participants=Participants(person_ids=(family.mother.id, family.father.id,
                                              family.child.id)),
        question="We willen weer rust in huis.",
        goals=(goal,), regisseur_id=workspace.actor_id,
        evaluation_dates=(today + timedelta(days=90),),
        resident_view=ResidentView(ResidentAgreement.AKKOORD))


def submitted_plan(workspace: Workspace, family: Family) -> PlanVersion:
    service = PlanService(workspace)
    version = service.start(family.household.id, valid_content(workspace, family))
    return service.submit(version)


def approved_plan(workspace: Workspace, family: Family, coach: Worker) -> PlanVersion:
    version = submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        return PlanService(workspace).review(version, ReviewOutcome.GOEDKEUREN)


@pytest.fixture
def family(workspace: Workspace) -> Family:
    return make_family(workspace)


@pytest.fixture
def coach(workspace: Workspace) -> Worker:
    return add_worker(workspace, Role.TEAMCOACH, "Coach Test")


@pytest.fixture
def page(qtbot: QtBot, workspace: Workspace, family: Family) -> PlanPage:
    widget = PlanPage(workspace)
    qtbot.addWidget(widget)
    widget.resize(1366, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_household(family.household.id)
    return widget


# --- the editor ----------------------------------------------------------------------------

def test_a_plan_with_two_goals_is_made_in_the_editor_and_saved(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    assert page.new_plan_button.isVisible()
    assert page.empty_label.isVisible()
    click(qtbot, page.new_plan_button)
    editor = page.editor
    assert editor is not None and editor.editable
    assert page.status_label.text().startswith("Versie 1 · Concept · vingerafdruk ")
    assert page.save_button.isVisible() and page.submit_button.isVisible()
    assert not page.read_only_banner.isVisible()

    click(qtbot, editor.person_checks[family.mother.id])
    click(qtbot, editor.person_checks[family.child.id])
    qtbot.keyClicks(editor.question, "Ik wil mijn geldzaken weer zelf kunnen regelen.")

    click(qtbot, editor.add_goal_button)
    click(qtbot, editor.add_goal_button)
    assert [g.title.text() for g in editor.goals] == ["Doel 1", "Doel 2"]
    first, second = editor.goals
    choose(qtbot, first.domain, "financien")
    qtbot.keyClicks(first.description, "Alle rekeningen op tijd betaald")
    retype(qtbot, first.target, "4")
    qtbot.keyClicks(first.zelf, "Elke maandag de post openen.")
    click(qtbot, first.netwerk.add_button)
    oma = HouseholdService(workspace).get(family.household.id).network[0]
    network_row = first.netwerk.rows[0]
    choose(qtbot, network_row.member, oma.id)  # type: ignore[attr-defined]
    qtbot.keyClicks(network_row.task, "Helpt bij het sorteren")  # type: ignore[attr-defined]
    click(qtbot, first.voorzieningen.add_button)
    choose(qtbot, first.voorzieningen.rows[0].provision, "vk-geldfit")  # type: ignore[attr-defined]

    choose(qtbot, second.domain, "huiselijke_relaties")
    qtbot.keyClicks(second.description, "Minder ruzie over geld")
    retype(qtbot, second.target, "4")
    choose(qtbot, second.horizon, Horizon.EEN_JAAR.value)
    click(qtbot, second.professioneel.add_button)
    support = second.professioneel.rows[0]
    assert isinstance(support, SupportRow)
    choose(qtbot, support.product, "L45JA2")  # outside any mandate: the worker has none
    assert support.unit.currentData() == "04"  # the product's default unit
    assert support.mandate_warning.isVisible()
    assert "toets nodig" in support.mandate_warning.text()
    assert editor.mandate_banner.isVisible()
    retype(qtbot, support.provider, "Jeugdhulp Noord")
    retype(qtbot, support.volume, "3")
    today = workspace.today()
    qtbot.keyClicks(support.start, today.strftime("%d-%m-%Y"))
    retype(qtbot, support.cost, "2400")

    # The end date is missing: refused at the field, nothing stored.
    click(qtbot, page.save_button)
    assert editor.errors.message_for("goals.1.professioneel.0.end") == "Vul een datum in."
    assert editor.errors.message_for("goals.1.professional.0.end") == "Vul een datum in."
    assert PlanService(workspace).current(family.household.id).content.goals == ()  # type: ignore[union-attr]

    # An end before the start: the domain's rule, in Dutch, at the field.
    qtbot.keyClicks(support.end, (today - timedelta(days=1)).strftime("%d-%m-%Y"))
    click(qtbot, page.save_button)
    assert editor.errors.message_for("goals.1.professional.0.end") == (
        "Deze datum ligt vóór de begindatum.")
    retype(qtbot, support.end, (today + timedelta(days=365)).strftime("%d-%m-%Y"))
    qtbot.keyClicks(editor.evaluation_fields[0],
                    (today + timedelta(days=90)).strftime("%d-%m-%Y"))

    click(qtbot, page.save_button)
    assert page.notice.text() == "Concept opgeslagen."
    stored = PlanService(workspace).current(family.household.id)
    assert stored is not None and stored.status is PlanStatus.CONCEPT
    content = stored.content
    assert content.participants.person_ids == (family.mother.id, family.child.id)
    assert content.question == "Ik wil mijn geldzaken weer zelf kunnen regelen."
    assert [g.description for g in content.goals] == [
        "Alle rekeningen op tijd betaald", "Minder ruzie over geld"]
    one, two = content.goals
    assert (one.domain_code, one.target_level, one.horizon) == (
        "financien", 4, Horizon.DRIE_MAANDEN)
    assert one.netwerk == (NetworkAgreement(oma.id, "Helpt bij het sorteren"),)
    assert one.voorzieningen == (ProvisionAgreement("vk-geldfit"),)
    assert two.horizon is Horizon.EEN_JAAR
    (pro,) = two.professioneel
    assert (pro.product_code, pro.provider, pro.volume, pro.cost_cents) == (
        "L45JA2", "Jeugdhulp Noord", 3, 240_000)
    assert content.evaluation_dates == (today + timedelta(days=90),)
    assert DraftService(workspace).get(draft_key(stored.id)) is None


def test_submitting_an_incomplete_plan_shows_what_is_missing(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    click(qtbot, page.new_plan_button)
    editor = page.editor
    assert editor is not None
    click(qtbot, page.submit_button)
    assert editor.errors.message_for("question") == "Dit veld is verplicht."
    assert editor.errors.message_for("participants") == "Dit veld is verplicht."
    assert editor.errors.message_for("goals") == "Dit veld is verplicht."
    assert editor.errors.message_for("evaluation_dates") == "Dit veld is verplicht."
    assert "gemarkeerde velden" in page.notice.text()
    current = PlanService(workspace).current(family.household.id)
    assert current is not None and current.status is PlanStatus.CONCEPT


def test_a_submitted_version_is_read_only(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    service = PlanService(workspace)
    version = service.start(family.household.id, valid_content(workspace, family))
    page.show_household(family.household.id)
    click(qtbot, page.submit_button)
    current = service.current(family.household.id)
    assert current is not None and current.status is PlanStatus.TER_BEOORDELING
    assert current.id == version.id

    editor = page.editor
    assert editor is not None and not editor.editable
    assert page.read_only_banner.isVisible()
    assert "Alleen-lezen" in page.read_only_banner.text()
    assert "ter beoordeling" in page.status_label.text().lower()
    assert not page.save_button.isVisible() and not page.submit_button.isVisible()
    assert not editor.add_goal_button.isVisible()
    assert editor.question.isReadOnly()
    before = editor.question.toPlainText()
    qtbot.keyClicks(editor.question, "extra")
    assert editor.question.toPlainText() == before
    assert not editor.goals[0].domain.isEnabled()
    assert editor.goals[0].target.isReadOnly()
    assert not editor.goals[0].remove_button.isVisible()
    # Ctrl+S does nothing, and the service refuses too.
    qtbot.keyClick(editor.question, Qt.Key.Key_S, CTRL)
    assert page.save_concept() is False
    with pytest.raises(ImmutableVersion):
        service.save_concept(current, replace(current.content, question="anders"))


def test_a_draft_is_kept_while_editing_and_offered_back(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    click(qtbot, page.new_plan_button)
    editor = page.editor
    assert editor is not None and page.keeper is not None
    version_id = page.shown.id  # type: ignore[union-attr]
    qtbot.keyClicks(editor.question, "Half getypt")
    page.keeper.flush()
    draft = DraftService(workspace).get(draft_key(version_id))
    assert draft is not None and draft.payload["content"]["question"] == "Half getypt"

    other = PlanPage(workspace)
    qtbot.addWidget(other)
    other.show()
    other.show_household(family.household.id)
    assert other.draft_offer.isVisible()
    assert other.editor is not None and other.editor.question.toPlainText() == ""
    click(qtbot, other.draft_offer.yes_button)
    assert other.editor.question.toPlainText() == "Half getypt"


# --- toets ---------------------------------------------------------------------------------

def test_the_toets_dialog_refuses_the_regisseur_and_records_the_toetser(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker) -> None:
    version = approved_plan(workspace, family, coach)
    service = PlanService(workspace)
    assert service.toets_needed(version)  # the worker has no mandate at all
    page.show_household(family.household.id)
    assert not page.toets_button.isVisible()  # the regisseur is not the toetser
    click(qtbot, page.to_signing_button)
    assert page.notice.text() == "Er is eerst een positieve gemeentelijke toets nodig."

    dialog = ToetsDialog(workspace, version)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.refused
    assert "Alleen een gemeentelijk toetser van het team" in dialog.refusal.text()
    assert not dialog.save_button.isEnabled()
    dialog.save()
    assert service.version(version.id).toets is None
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        click(qtbot, dialog.cancel_button)

    toetser = add_worker(workspace, Role.TOETSER, "Toetser Test")
    with acting_as(workspace, toetser):
        page.show_household(family.household.id)
        assert page.toets_button.isVisible()
        assert not page.to_signing_button.isVisible()
        click(qtbot, page.toets_button)
        toets = page.active_dialog
        assert isinstance(toets, ToetsDialog)
        assert not toets.refused
        click(qtbot, toets.negative)
        click(qtbot, toets.save_button)
        assert toets.errors.message_for("note") == "Licht een negatief besluit toe."
        click(qtbot, toets.positive)
        qtbot.keyClicks(toets.note, "Passend bij de vraag.")
        with qtbot.waitSignal(toets.finished, timeout=5_000):
            click(qtbot, toets.save_button)
    recorded = service.version(version.id).toets
    assert recorded is not None
    assert (recorded.toetser_id, recorded.decision) == (toetser.id, ToetsDecision.POSITIEF)

    page.show_household(family.household.id)
    click(qtbot, page.to_signing_button)
    assert service.version(version.id).status is PlanStatus.TER_ONDERTEKENING
    assert page.sign_button.isVisible()


# --- signing -------------------------------------------------------------------------------

def test_signing_records_signers_and_the_pdf_hash_and_a_change_needs_a_new_version(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family, coach: Worker,
        tmp_path: Path) -> None:
    service = PlanService(workspace)
    with workspace.casefile.save(workspace.actor_id, "mandaat.test", "mandaat", "m") as ctx:
        from wijkteam_app.domain.plans import Mandate
        from wijkteam_app.persistence.plan_repository import save_mandate

        save_mandate(ctx.session, new_id(), workspace.actor_id,
                     Mandate(500_000, frozenset({"L06SB1"})))
    version = approved_plan(workspace, family, coach)
    assert not service.toets_needed(version)
    page.show_household(family.household.id)
    assert not page.toets_button.isVisible()
    click(qtbot, page.to_signing_button)
    assert page.sign_button.isVisible()

    scan = tmp_path / "getekend.png"
    image = QImage(40, 60, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(scan))
    click(qtbot, page.sign_button)
    dialog = page.active_dialog
    assert isinstance(dialog, SigningDialog)
    dialog.choose_file = lambda _parent: str(scan)
    # Daan (9) does not sign himself: his parents with gezag do, and the regisseur.
    labels = [check.text() for check, _r in dialog.signer_checks]
    assert len(labels) == 3
    assert labels[0].startswith("Anouk Voorbeeld — inwoner, ouder/verzorger met gezag")
    assert "ook voor Daan Voorbeeld" in labels[0]
    assert labels[2].endswith("— regisseur")
    assert not any(label.startswith("Daan") for label in labels)
    assert dialog.pdf_bytes.startswith(b"%PDF")

    click(qtbot, dialog.save_button)  # nothing ticked, no scan
    assert dialog.errors.message_for("signers") == (
        "Iedereen die moet tekenen, moet hebben ondertekend.")
    assert dialog.errors.message_for("scan") == "Kies de gescande, ondertekende kopie."
    for check, _required in dialog.signer_checks:
        click(qtbot, check)
    click(qtbot, dialog.scan_button)
    assert dialog.scan_label.text() == "getekend.png"
    pdf = dialog.pdf_bytes
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        click(qtbot, dialog.save_button)

    signed = service.version(version.id)
    assert signed.status is PlanStatus.ONDERTEKEND
    signature = signed.signature
    assert signature is not None
    assert signature.pdf_sha256 == hashlib.sha256(pdf).hexdigest() == pdf_sha256(pdf)
    assert {s.person_id for s in signature.signers if s.person_id} == {
        family.mother.id, family.father.id}
    assert [s.worker_id for s in signature.signers if s.worker_id] == [workspace.actor_id]
    assert signature.place == "Verzinstad"
    assert service.signature_is_valid(signed, pdf)
    assert service.signed_pdf(signed) == pdf
    assert service.file(signature.scan_reference).data == scan.read_bytes()

    # The page: read-only, the signed PDF is the one shown, a change needs a new version.
    assert page.read_only_banner.isVisible()
    assert page.pdf_bytes(signed) == pdf
    assert page.new_version_button.isVisible() and page.execute_button.isVisible()
    click(qtbot, page.new_version_button)
    fresh = service.current(family.household.id)
    assert fresh is not None and fresh.number == 2 and fresh.status is PlanStatus.CONCEPT
    assert fresh.signature is None
    assert page.editor is not None and page.editor.editable
    retype(qtbot, page.editor.question, "Een andere vraag")
    assert page.save_concept()
    changed = service.version(fresh.id)
    assert not signature_valid(signature, changed, pdf)
    assert service.signature_is_valid(service.version(version.id), pdf)
    assert not service.signature_is_valid(service.version(version.id), pdf + b"\n")


# --- comparison, preview, regie ------------------------------------------------------------

def test_two_versions_are_compared_side_by_side(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker) -> None:
    service = PlanService(workspace)
    version = approved_plan(workspace, family, coach)
    fresh = service.new_version(version)
    content = fresh.content
    extra_goal = replace(content.goals[0], id=new_id(), description="Elke week sporten",
                         domain_code="lichamelijke_gezondheid", professioneel=(),
                         netwerk=(), voorzieningen=())
    service.save_concept(fresh, replace(content, question="Rust in huis en in mijn hoofd.",
                                        goals=(*content.goals, extra_goal)))
    page.show_household(family.household.id)
    assert page.compare_button.isVisible()
    click(qtbot, page.compare_button)
    dialog = page.active_dialog
    assert isinstance(dialog, VersionCompareDialog)
    model = dialog.model
    rows = [model.item(r) for r in range(model.rowCount())]
    question = next(r for r in rows if r.section is PlanSection.HULPVRAAG)
    assert (question.field_text, question.old, question.new) == (
        "Vraag in eigen woorden", "We willen weer rust in huis.",
        "Rust in huis en in mijn hoofd.")
    added = next(r for r in rows if r.field_text == "Doel “Elke week sporten”")
    assert (added.section_text, added.old, added.new) == (
        "Doelen en afspraken", "—", "Elke week sporten")
    assert dialog.summary.text() == f"{len(rows)} verschil(len)"
    choose(qtbot, dialog.old, fresh.id)
    assert dialog.model.rowCount() == 0
    assert dialog.summary.text() == "Geen verschillen in de inhoud."


def test_pdf_preview_prints_every_page_and_saves_the_bytes(
        qtbot: QtBot, workspace: Workspace, family: Family, tmp_path: Path) -> None:
    service = PlanService(workspace)
    version = service.start(family.household.id, valid_content(workspace, family))
    page = PlanPage(workspace)
    qtbot.addWidget(page)
    pdf = page.pdf_bytes(version)
    dialog = PdfPreviewDialog(pdf, "Plan", page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() >= 2
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "afdruk.pdf"))
    asked: list[QPrinter] = []

    def accept(p: QPrinter, _parent: QWidget) -> bool:
        asked.append(p)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(tmp_path / "afdruk.pdf"))
        p.setResolution(72)
        return True

    dialog.ask_printer = accept
    click(qtbot, dialog.print_button)
    assert asked
    assert (tmp_path / "afdruk.pdf").stat().st_size > 1000
    assert dialog.notice.text() == f"{dialog.page_count()} pagina's naar de printer gestuurd."
    dialog.ask_save_path = lambda _parent, _name: str(tmp_path / "kopie")
    click(qtbot, dialog.save_button)
    assert (tmp_path / "kopie.pdf").read_bytes() == pdf


def test_regie_dialog_moves_the_regie_with_a_reason(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    gezinsbegeleider = add_worker(workspace, Role.GEZINSBEGELEIDER, "Gerda Begeleider")
    service = PlanService(workspace)
    service.start(family.household.id, valid_content(workspace, family))
    page.show_household(family.household.id)

    click(qtbot, page.up_button)
    dialog = page.active_dialog
    assert isinstance(dialog, RegieDialog)
    click(qtbot, dialog.save_button)
    assert dialog.errors.message_for("worker") == "Kies de nieuwe regisseur."
    assert dialog.errors.message_for("reason") == "Geef een reden op."
    assert service.regie_level(family.household.id).value == "wijkteam"
    choose(qtbot, dialog.worker, gezinsbegeleider.id)
    qtbot.keyClicks(dialog.reason, "Zorgen over de veiligheid van Daan.")
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        click(qtbot, dialog.save_button)
    assert page.notice.text() == "De regie is overgedragen."
    assert service.regie_level(family.household.id).value == "gezinsbegeleiding"
    [overview] = HouseholdService(workspace).cases(family.household.id)
    assert overview.case.regisseur_id == gezinsbegeleider.id

    # The former regisseur (now in the case team) no longer moves the regie.
    assert not page.up_button.isVisible() and not page.down_button.isVisible()

    # A second opschalen by the new regisseur is refused by the rules, in Dutch; the dialog
    # stays open.
    with acting_as(workspace, gezinsbegeleider):
        page.show_household(family.household.id)
        assert page.up_button.isVisible()
        click(qtbot, page.up_button)
        again = page.active_dialog
        assert isinstance(again, RegieDialog)
        choose(qtbot, again.worker, gezinsbegeleider.id)
        qtbot.keyClicks(again.reason, "Nog eens")
        click(qtbot, again.save_button)
        assert again.isVisible()
        assert again.notice.text().startswith("Dit kan nu niet")


# --- models --------------------------------------------------------------------------------

def test_every_table_model_passes_the_model_tester(
        workspace: Workspace, family: Family, coach: Worker) -> None:
    service = PlanService(workspace)
    version = approved_plan(workspace, family, coach)
    fresh = service.new_version(version)
    fresh = service.save_concept(fresh, replace(fresh.content, question="Anders"))
    versions = service.versions(family.household.id)

    versions_model = VersionsModel()
    tester = QAbstractItemModelTester(versions_model,
                                      QAbstractItemModelTester.FailureReportingMode.Fatal)
    versions_model.set_rows(versions, HouseholdService(workspace).worker_names())
    assert versions_model.rowCount() == 2
    assert versions_model.index(0, 0).data() == "2"  # newest first
    assert versions_model.index(1, 1).data() == "Goedgekeurd"
    versions_model.set_rows([])
    versions_model.set_rows(versions)

    ctx = load_context(workspace, family.household.id)
    changes_model = ChangesModel()
    tester2 = QAbstractItemModelTester(changes_model,
                                       QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = change_rows(ctx, version, fresh)
    changes_model.set_rows(rows)
    assert changes_model.rowCount() == len(rows) == 1
    assert changes_model.index(0, 3).data() == "Anders"
    assert changes_model.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) is not None
    changes_model.set_rows([])
    assert tester is not None and tester2 is not None


def test_review_comments_of_a_returned_version_are_shown_with_the_new_concept(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker) -> None:
    service = PlanService(workspace)
    version = submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        service.review(version, ReviewOutcome.TERUGSTUREN,
                       [SectionComment(PlanSection.DOELEN, "Maak doel 1 concreter.")])
    page.show_household(family.household.id)
    assert page.comments_box.isVisible()
    assert "Maak doel 1 concreter." in page.comments_box.text()
    click(qtbot, page.new_version_button)
    assert page.shown is not None and page.shown.number == 2
    assert page.comments_box.isVisible()
    assert "Teruggestuurd door Coach Test (versie 1)" in page.comments_box.text()


# --- opening: read when the tab is shown, filled once, widgets reused ----------------------

def second_family(workspace: Workspace) -> tuple[str, PlanContent]:
    """Another household, in another wijk, with a one-goal plan in concept."""
    other = make_family(workspace)
    service = HouseholdService(workspace)
    household = service.get(other.household.id).household
    service.update(replace(household, name="Huishouden Anders", wijk="Zuid"))
    content = replace(valid_content(workspace, other),
                      question="Een eigen plek voor Daan.",
                      participants=Participants(person_ids=(other.child.id,)))
    content = replace(content, goals=(replace(content.goals[0], description="Rust op school",
                                               voorzieningen=()),))
    PlanService(workspace).start(other.household.id, content)
    return other.household.id, content


def test_the_plan_is_read_when_its_tab_is_shown_filled_once_and_its_editor_reused(
        qtbot: QtBot, workspace: Workspace, family: Family,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkteam_app.ui.main_window import MainWindow
    from wijkteam_app.ui.pages.plan_page import PlanEditor

    first = replace(valid_content(workspace, family), goals=(
        valid_content(workspace, family).goals[0],
        replace(valid_content(workspace, family).goals[0], id=new_id(),
                domain_code="huisvesting", description="Een huis zonder schimmel")))
    PlanService(workspace).start(family.household.id, first)
    other_id, other_content = second_family(workspace)
    fills: list[str] = []
    original = PlanEditor.set_content

    def counting(editor: PlanEditor, content: PlanContent) -> None:
        fills.append(content.question)
        original(editor, content)

    monkeypatch.setattr(PlanEditor, "set_content", counting)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()

    def plan_tab() -> None:  # Ctrl+7, as a person would
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_7, CTRL)

    window.open_household(family.household.id)
    assert fills == []  # the plan tab is not shown: nothing read or built
    plan_tab()
    assert window.household.tabs.currentWidget() is window.plan
    assert fills == [first.question]  # once, not once more for the selected row
    editor = window.plan.editor
    assert editor is not None
    assert [g.description.text() for g in editor.goals] == [
        "Schulden op een rij", "Een huis zonder schimmel"]

    window.show_caseload()
    window.open_household(other_id)
    plan_tab()
    assert fills == [first.question, other_content.question]
    assert window.plan.editor is editor  # the same widgets, filled with the other plan
    assert [g.description.text() for g in editor.goals] == ["Rust op school"]
    assert editor.question.toPlainText() == "Een eigen plek voor Daan."
    assert "wijk Zuid" in editor.goals[0].provisions_heading.text()
    assert editor.goals[0].voorzieningen.rows == []
    shown, _extra = editor.collect()
    assert shown.goals[0].description == "Rust op school"
    assert shown.participants.person_ids == other_content.participants.person_ids
    assert [replace(s, product_name="") for s in shown.goals[0].professioneel] == [
        replace(s, product_name="") for s in other_content.goals[0].professioneel]


def test_a_save_elsewhere_refreshes_the_open_plan_keeping_what_was_typed(
        qtbot: QtBot, workspace: Workspace, family: Family) -> None:
    from wijkteam_app.ui.main_window import MainWindow

    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.is_ready)
    window.open_household(family.household.id)
    window.show_plan_tab()
    editor = window.plan.editor
    assert editor is not None
    retype(qtbot, editor.question, "Nog niet opgeslagen")
    assert window.plan.has_unsaved_changes()

    # Another part of the app saves: the father's name is corrected.
    service = HouseholdService(workspace)
    father = next(p for p in service.get(family.household.id).members
                  if p.id == family.father.id)
    service.save_person(replace(father, first_name="Bram-Jan"))
    qtbot.waitUntil(lambda: editor.person_checks[father.id].text().startswith("Bram-Jan"))
    assert editor.question.toPlainText() == "Nog niet opgeslagen"
    assert window.plan.has_unsaved_changes()
    assert editor.person_checks[father.id].isChecked()  # as the worker had it


def test_saving_an_untouched_new_version_changes_nothing_in_its_content(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker) -> None:
    """Opening a version in the editor and saving must not reorder participants or rename
    products: a coach would see changes nobody made."""
    from wijkteam_app.domain.plans import diff_versions

    approved = approved_plan(workspace, family, coach)
    page.show_household(family.household.id)
    click(qtbot, page.new_version_button)
    click(qtbot, page.save_button)
    saved = PlanService(workspace).current(family.household.id)
    assert saved is not None and saved.number == 2
    assert [c.path for c in diff_versions(approved, saved)
            if not c.path.startswith("situatie.")] == []


def sign_through_the_service(workspace: Workspace, version: PlanVersion) -> PlanVersion:
    from wijkteam_app.domain.plans import Mandate, Signer
    from wijkteam_app.persistence.plan_repository import save_mandate

    service = PlanService(workspace)
    with workspace.casefile.save(workspace.actor_id, "mandaat.test", "mandaat", "m") as ctx:
        save_mandate(ctx.session, new_id(), workspace.actor_id,
                     Mandate(500_000, frozenset({"L06SB1"})))
    version = service.to_signing(service.version(version.id))
    pdf = service.render_pdf(version, default_report_settings(workspace))
    return service.record_signature(version, pdf, [Signer("Anouk Voorbeeld", "inwoner")],
                                    workspace.today(), "Verzinstad", b"%PDF scan",
                                    "scan.pdf", "application/pdf")


def test_the_return_banner_of_an_earlier_version_goes_once_the_rework_is_approved(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker) -> None:
    """Observed: the return banner of v1 still showed on the approved and signed v2."""
    service = PlanService(workspace)
    first = submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        service.review(first, ReviewOutcome.TERUGSTUREN,
                       [SectionComment(PlanSection.DOELEN, "Maak doel 1 concreter.")])
    second = service.submit(service.new_version(service.version(first.id)))
    page.show_household(family.household.id)
    assert not page.comments_box.isVisible()  # sent in: the coach has the comments now
    with acting_as(workspace, coach):
        service.review(second, ReviewOutcome.GOEDKEUREN)
    page.show_household(family.household.id)
    assert page.shown is not None and page.shown.status is PlanStatus.GOEDGEKEURD
    assert not page.comments_box.isVisible()
    sign_through_the_service(workspace, second)
    page.show_household(family.household.id)
    assert page.shown is not None and page.shown.status is PlanStatus.ONDERTEKEND
    assert not page.comments_box.isVisible()


def test_signing_moves_the_case_on_and_the_plans_consents_reach_the_toestemming_tab(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    """Observed: the case stayed "Keukentafelgesprek" after signing, and the consent in the
    plan did not show in the household's Toestemming tab."""
    from wijkteam_app.domain.plans import SharingConsent
    from wijkteam_app.ui.pages.household_page import HouseholdPage

    households = HouseholdService(workspace)
    case = households.cases(family.household.id)[0].case
    households.save_case(replace(case, status=CaseStatus.KEUKENTAFELGESPREK))
    service = PlanService(workspace)
    content = replace(valid_content(workspace, family), consents=(
        SharingConsent("Schuldhulp Verzinstad", "Aanmelding schuldhulp", family.mother.id),))
    version = service.submit(service.start(family.household.id, content))
    assert households.cases(family.household.id)[0].case.status is CaseStatus.PLAN
    with acting_as(workspace, coach):
        version = service.review(version, ReviewOutcome.GOEDKEUREN)
    sign_through_the_service(workspace, version)

    assert households.cases(family.household.id)[0].case.status is CaseStatus.UITVOERING
    page = HouseholdPage(workspace)
    qtbot.addWidget(page)
    page.show_household(family.household.id)
    assert page.case_fields["status"].text() == "Uitvoering"
    recipients = [c.recipient for c in page.consents_model.items()]
    assert "Schuldhulp Verzinstad" in recipients
    consent = next(c for c in page.consents_model.items()
                   if c.recipient == "Schuldhulp Verzinstad")
    assert consent.person_id == family.mother.id
    assert consent.form == "schriftelijk" and consent.given_on == workspace.today()
    assert page.tabs.tabText(4) == "Toestemming (2)"


def test_saving_keeps_the_editor_where_the_worker_was(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    """Observed: each save scrolled the editor back to the top."""
    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    page.show_household(family.household.id)
    bar = page.editor_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 400)
    bar.setValue(400)
    click(qtbot, page.save_button)
    assert page.notice.text() == "Concept opgeslagen."
    QApplication.processEvents()
    assert bar.value() == 400


def test_choosing_a_product_does_not_move_the_field_under_the_cursor(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family) -> None:
    """Observed: a product outside the mandate inserted a banner above the goal, moving the
    fields under the cursor."""
    PlanService(workspace).set_own_mandate(500_000, frozenset({"L06SB1"}))
    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    page.show_household(family.household.id)
    editor = page.editor
    assert editor is not None
    row = editor.goals[0].support_rows()[0]

    def where() -> int:
        for _ in range(5):
            QApplication.processEvents()
        return row.product.mapTo(editor, row.product.rect().topLeft()).y()

    before = where()
    assert not editor.toets_needed()
    choose(qtbot, row.product, "L45JA2")  # outside the mandate
    assert editor.toets_needed()
    assert "toets nodig" in editor.mandate_banner.text()
    assert where() == before


def test_the_banners_leave_the_editor_most_of_a_1366x768_screen(
        qtbot: QtBot, workspace: Workspace, family: Family, coach: Worker) -> None:
    """Observed: the editor was about 400 px high once the banners showed."""
    from wijkteam_app.ui.main_window import MainWindow

    service = PlanService(workspace)
    first = submitted_plan(workspace, family)
    with acting_as(workspace, coach):
        service.review(first, ReviewOutcome.TERUGSTUREN,
                       [SectionComment(PlanSection.DOELEN, "Maak doel 1 concreter.")])
    service.new_version(service.version(first.id))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(1366, 740)  # a 1366x768 screen minus the title bar
    window.show()
    qtbot.waitExposed(window)
    window.open_household(family.household.id)
    window.show_plan_tab()
    page = window.plan
    page._say("Versie 2 is gemaakt als concept, op basis van versie 1.")
    QApplication.processEvents()
    assert page.comments_box.isVisible()
    assert page.editor_scroll.viewport().height() >= 450


def test_a_goal_names_for_whom_it_is_and_the_review_and_pdf_say_so(
        qtbot: QtBot, page: PlanPage, workspace: Workspace, family: Family,
        coach: Worker, tmp_path: Path) -> None:
    """A goal can be for some members (Daan's school) rather than the whole household."""
    import subprocess

    from wijkteam_app.ui.pages.review_page import plan_html

    PlanService(workspace).start(family.household.id, valid_content(workspace, family))
    page.show_household(family.household.id)
    editor = page.editor
    assert editor is not None
    goal = editor.goals[0]
    assert "het hele huishouden" in goal.for_whom_note.text()
    click(qtbot, goal.for_whom_checks[family.child.id])
    click(qtbot, page.save_button)
    saved = PlanService(workspace).current(family.household.id)
    assert saved is not None
    assert saved.content.goals[0].for_person_ids == (family.child.id,)
    assert "voor Daan Voorbeeld" in plan_html(load_context(workspace, family.household.id),
                                              saved, [], None)
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(PlanService(workspace).render_pdf(saved, default_report_settings(workspace)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Voor: Daan Voorbeeld" in text
