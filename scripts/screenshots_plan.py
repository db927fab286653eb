"""Screenshots of the ondersteuningsplan UI into docs/screenshots/ at 1366x768: the editor, the
read-only submitted version, the coach's review (with comments, and with the changes since the
approved version), the version comparison, the toets and signing dialogs and the PDF preview.

Uses a throw-away profile in a temporary folder with an in-memory keyring and a fast key
derivation, filled with the invented demo households (`services.demo.fill_demo`); a plan with
four goals is made through `PlanService`. Nothing touches the real profile or keyring.

    python scripts/screenshots_plan.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import _screens
from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtWidgets import QWidget

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import InstrumentKind
from wijkteam_app.domain.plans import (
    DomainSituation,
    EigenBijdrage,
    Financing,
    Goal,
    Horizon,
    NetworkAgreement,
    Participants,
    PlanContent,
    PlanSection,
    ProfessionalSupport,
    ProvisionAgreement,
    ResidentAgreement,
    ResidentView,
    ReviewOutcome,
    SharingConsent,
    Situation,
)
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.persistence.repositories import save_worker
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.assessments import installed_definitions
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.plan_dialogs import PdfPreviewDialog, SigningDialog, ToetsDialog
from wijkteam_app.ui.pages.plan_page import PlanPage, VersionCompareDialog
from wijkteam_app.ui.pages.review_page import ReviewPage

SCREEN = (1366, 768)


def settle(widget: QWidget) -> None:
    _screens.settle(widget, rounds=8)


def shoot(widget: QWidget, out: Path, name: str) -> None:
    _screens.save(widget, out, name, rounds=8)


def scroll_to(page: PlanPage, widget: QWidget, above: int = 70) -> None:
    """Scroll the editor so `widget` starts near the top (`above` pixels of context)."""
    settle(page)
    editor = page.editor
    assert editor is not None
    top = widget.mapTo(editor, QPoint(0, 0)).y()
    page.editor_scroll.verticalScrollBar().setValue(max(top - above, 0))


@contextmanager
def acting_as(workspace: Workspace, worker: Worker) -> Iterator[None]:
    me = workspace.worker
    workspace.worker = worker
    try:
        yield
    finally:
        workspace.worker = me


def colleague(workspace: Workspace, role: Role, name: str) -> Worker:
    worker = Worker(new_id(), name.split()[0].lower(), name, role, workspace.team.id)
    with workspace.casefile.save(workspace.actor_id, "medewerker.demo", "medewerker",
                                 worker.id) as ctx:
        save_worker(ctx.session, worker)
    return worker


def pick_household(workspace: Workspace) -> str:
    """A demo household without a plan yet, with the most members, network and ZRMs."""
    households = HouseholdService(workspace)
    plans = PlanService(workspace)
    definitions = installed_definitions()
    best: tuple[int, str] | None = None
    for summary in households.list():
        if plans.versions(summary.id):
            continue
        data = households.page(summary.id)
        zrms = sum(1 for a in data.assessments
                   if (d := definitions.get(a.definition_key)) and d.kind is InstrumentKind.ZRM)
        score = len(data.detail.members) * 2 + len(data.detail.network) + zrms * 3
        if data.detail.network and (best is None or score > best[0]):
            best = (score, summary.id)
    if best is None:
        raise SystemExit("no suitable demo household")
    return best[1]


def plan_content(workspace: Workspace, household_id: str) -> PlanContent:
    """Four concrete goals in the eigen-kracht order, one item outside the mandate."""
    data = HouseholdService(workspace).page(household_id)
    detail = data.detail
    today = workspace.today()
    adults = [p for p in detail.members if not p.is_minor_on(today)] or list(detail.members)
    main = adults[0]
    network = detail.network
    helper = network[0].id
    second_helper = network[1].id if len(network) > 1 else helper

    def support(code: str, name: str, provider: str, volume: int, unit: str, freq: str,
                days: int, cents: int,
                financing: Financing = Financing.ZORG_IN_NATURA) -> ProfessionalSupport:
        contribution = (EigenBijdrage.GEEN if code.startswith("L4")
                        else EigenBijdrage.ABONNEMENTSTARIEF)
        return ProfessionalSupport(code, name, provider, volume, unit, freq, today,
                                   today + timedelta(days=days), cents, financing,
                                   contribution)

    goals = (
        Goal(new_id(), "financien", "Alle vaste lasten worden op tijd betaald", 2, 4,
             Horizon.DRIE_MAANDEN, zelf="Elke maandag de post openen en in de map doen.",
             netwerk=(NetworkAgreement(helper, "Helpt één avond per week met de map."),),
             voorzieningen=(ProvisionAgreement("vk-formulierenhulp", "Eerste afspraak "
                                               "binnen twee weken."),
                            ProvisionAgreement("vk-geldfit")),
             professioneel=(support("L06SB1", "Schuldhulpverlening en budgetbegeleiding",
                                    "Stadsbank Voorbeeldstad", 24, "04", "6", 365, 180_000),)),
        Goal(new_id(), "huisvesting", "Huurachterstand is geregeld met de corporatie", 2, 3,
             Horizon.EERSTE_STAP, zelf="Zelf de corporatie bellen voor een afspraak.",
             netwerk=(NetworkAgreement(second_helper, "Gaat mee naar het gesprek."),)),
        Goal(new_id(), "sociaal_netwerk", "Twee keer per week iets buiten de deur", 2, 4,
             Horizon.DRIE_MAANDEN, zelf="Op dinsdag naar de inloop.",
             voorzieningen=(ProvisionAgreement("vk-maatjes"),)),
        Goal(new_id(), "huiselijke_relaties", "Rustiger in huis, minder ruzie over geld", 2, 4,
             Horizon.EEN_JAAR, zelf="Samen elke zondag de week doornemen.",
             professioneel=(support("L45JA2", "Jeugdhulp ambulant gezinsbehandeling",
                                    "Jeugdhulp Noord", 3, "04", "2", 180, 420_000,
                                    Financing.PGB),)),
    )
    return PlanContent(
        participants=Participants(tuple(p.id for p in adults),
                                  (helper,), tuple(p.id for p in detail.professionals[:1]),
                                  "cliëntondersteuner MEE"),
        question="Ik wil weer overzicht over mijn geld en rust in huis. Ik weet niet waar "
                 "ik moet beginnen.",
        situation=Situation((
            DomainSituation("financien", "Achterstanden bij energie en zorgverzekeraar; post "
                            "blijft ongeopend liggen."),
            DomainSituation("huisvesting", "Twee maanden huurachterstand; brief van de "
                            "corporatie ontvangen."),
            DomainSituation("huiselijke_relaties", "Veel spanning tussen de ouders over geld."),
        )),
        goals=goals,
        regisseur_id=workspace.actor_id,
        evaluation_dates=(today + timedelta(days=90), today + timedelta(days=180)),
        resident_view=ResidentView(ResidentAgreement.AKKOORD_ONDER_PROTEST,
                                   "Ik vind de budgetbegeleiding spannend, maar wil het "
                                   "proberen."),
        consents=(SharingConsent("Stadsbank Voorbeeldstad", "Aanmelding schuldhulp",
                                 main.id),
                  SharingConsent("Huisarts", "Afstemmen over spanning en slaap", main.id)),
    )


def main(out: Path) -> None:
    _screens.use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = _screens.new_workspace(tmp, wijken=("Noord", "Centrum"))
        try:
            run(workspace, out, tmp)
        finally:
            workspace.close()
    del app


def run(workspace: Workspace, out: Path, tmp: str) -> None:
    fill_demo(workspace, households=8)
    coach = colleague(workspace, Role.TEAMCOACH, "Karin de Coach")
    toetser = colleague(workspace, Role.TOETSER, "Tom Toetser")
    service = PlanService(workspace)
    household_id = pick_household(workspace)
    first = service.start(household_id, plan_content(workspace, household_id))

    page = PlanPage(workspace)
    page.report_settings = ReportSettings("Gemeente Voorbeeldstad",
                                          author=workspace.worker.display_name)
    page.resize(*SCREEN)
    page.show_household(household_id)
    shoot(page, out, "plan-01-editor.png")
    editor = page.editor
    assert editor is not None
    scroll_to(page, editor.goals[0])
    shoot(page, out, "plan-02-editor-doelen.png")
    scroll_to(page, editor.goals[3], 120)
    shoot(page, out, "plan-03-editor-mandaat.png")

    # Messages at the fields: an end date before the start.
    row = editor.goals[0].support_rows()[0]
    row.end.setText("01-01-2020")
    page.save_concept()
    scroll_to(page, row, 200)
    shoot(page, out, "plan-04-editor-fout.png")
    page.show_household(household_id)

    submitted = service.submit(service.version(first.id))
    page.show_household(household_id)
    shoot(page, out, "plan-05-ingediend-alleen-lezen.png")

    # The coach returns it with comments.
    with acting_as(workspace, coach):
        review = ReviewPage(workspace)
        review.resize(*SCREEN)
        review.reload()
        target = next(r for r in range(review.model.rowCount())
                      if review.model.item(r).version.id == submitted.id)
        review.table.selectRow(target)
        review.open_row(target)
        review.comment_edits[PlanSection.HULPVRAAG].setPlainText(
            "Mooi in eigen woorden. Wat is voor haar de eerste stap?")
        review.comment_edits[PlanSection.DOELEN].setPlainText(
            "Doel 4: maak concreet wat ‘rustiger’ is, en kijk of het opvoedspreekuur eerst "
            "kan.")
        shoot(review, out, "plan-06-beoordeling-opmerkingen.png")
        review.decide(ReviewOutcome.TERUGSTUREN)

    # The worker makes version 2 with the comments in view.
    second = service.new_version(service.version(first.id))
    content = second.content
    goals = list(content.goals)
    goals[3] = replace(goals[3], description="Eén rustig gesprek per week over geld, zonder "
                       "ruzie", voorzieningen=(ProvisionAgreement("vk-opvoedpunt"),))
    second = service.save_concept(second, replace(
        content, question=content.question + " Eerst wil ik de huurachterstand regelen.",
        goals=tuple(goals)))
    page.show_household(household_id)
    shoot(page, out, "plan-07-nieuwe-versie-met-opmerkingen.png")

    compare = VersionCompareDialog(page.ctx, service.versions(household_id),  # type: ignore[arg-type]
                                   first.id, second.id, page)
    compare.resize(1300, 600)
    shoot(compare, out, "plan-08-versies-vergelijken.png")
    compare.close()

    second = service.submit(second)
    with acting_as(workspace, coach):
        approved = service.review(second, ReviewOutcome.GOEDKEUREN)
    # Version 3 after approval: the coach sees what changed since the approved version.
    third = service.new_version(approved)
    third = service.save_concept(third, replace(
        third.content, evaluation_dates=(workspace.today() + timedelta(days=60),
                                         workspace.today() + timedelta(days=180))))
    third = service.submit(third)
    with acting_as(workspace, coach):
        review = ReviewPage(workspace)
        review.resize(*SCREEN)
        review.reload()
        target = next(r for r in range(review.model.rowCount())
                      if review.model.item(r).version.id == third.id)
        review.table.selectRow(target)
        review.open_row(target)
        shoot(review, out, "plan-09-beoordeling-wijzigingen.png")
        approved = service.review(third, ReviewOutcome.GOEDKEUREN)

    toets = ToetsDialog(workspace, approved, page)
    shoot(toets, out, "plan-10-toets-geweigerd-regisseur.png")
    toets.close()
    with acting_as(workspace, toetser):
        toets = ToetsDialog(workspace, approved, page)
        toets.note.setPlainText("Gezinsbehandeling past bij de vraag; duur beperkt tot een "
                                "half jaar.")
        shoot(toets, out, "plan-11-toets.png")
        toets.save()
    ready = service.to_signing(service.version(approved.id))

    page.show_household(household_id)
    signing = SigningDialog(workspace, ready, page.report_settings, page, context=page.ctx)
    for check, _required in signing.signer_checks:
        check.setChecked(True)
    scan = Path(tmp) / "ondertekend-plan.pdf"
    scan.write_bytes(signing.pdf_bytes)
    signing.choose_file = lambda _parent: str(scan)
    signing.pick_scan()
    shoot(signing, out, "plan-12-ondertekenen.png")

    preview = PdfPreviewDialog(signing.pdf_bytes, "Ondersteuningsplan versie "
                               f"{ready.number}", page)
    preview.resize(*SCREEN)
    settle(preview)
    for _ in range(40):  # QPdfView renders pages in the background
        time.sleep(0.05)
        QCoreApplication.processEvents()
    shoot(preview, out, "plan-13-pdf-voorbeeld.png")
    preview.close()
    signing.save()
    signing.close()
    page.show_household(household_id)
    shoot(page, out, "plan-14-ondertekend.png")


if __name__ == "__main__":
    main(_screens.output_folder(sys.argv[1] if len(sys.argv) > 1 else None))
