"""Sharing with a recipient, only where consent covers it: the ondersteuningsplan
(`SharePlanDialog`) and the contact details of the professionals involved with a household
(`ShareContactsDialog`). The worker sees, before trying, whose consent is there and whose is
missing, and why; a consent withdrawn meanwhile (brought by a sync) blocks at the click too."""

from __future__ import annotations

import logging
import math
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.consent import STANDARD_PURPOSE, Gap, Missing, Use
from wijkteam_app.domain.people import Person, Professional
from wijkteam_app.domain.plans import PlanVersion
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.consent import ConsentMissing, ConsentService, ShareCheck
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label

log = logging.getLogger(__name__)

_CONTEXT = "share"
DETAIL_LINES = 14  # the contact details show this many lines at most before they scroll


def explain(missing: Missing, people: dict[str, Person], recipient: str, use: Use,
            today_age: dict[str, int | None]) -> str:
    """One Dutch sentence: whose consent is missing and why."""
    tr = QCoreApplication.translate
    subject = people.get(missing.subject_id)
    subject_name = subject.full_name if subject else tr(_CONTEXT, "een gezinslid")
    giver = people.get(missing.giver_id or "")
    what = (tr(_CONTEXT, "het plan") if use is Use.PLAN
            else tr(_CONTEXT, "contactgegevens van professionals"))
    age = today_age.get(missing.subject_id)
    if missing.gap is Gap.NO_GEZAG_HOLDER:
        return tr(_CONTEXT, "Voor {subject} ({age} jaar) is toestemming van de gezaghebbende "
                  "nodig, maar er is geen gezaghebbende vastgelegd.").format(
                      subject=subject_name, age=age)
    giver_name = giver.full_name if giver else tr(_CONTEXT, "een gezaghebbende (buiten het "
                                                           "huishouden)")
    on_behalf = ""
    if missing.giver_id != missing.subject_id:
        on_behalf = tr(_CONTEXT, " (gezaghebbende van {subject}, {age} jaar)").format(
            subject=subject_name, age=age)
    elif age is not None and age < 16:
        on_behalf = tr(_CONTEXT, " ({age} jaar: ook de gezaghebbenden moeten toestemmen)") \
            .format(age=age)
    if missing.gap is Gap.WITHDRAWN and missing.withdrawn_on is not None:
        return tr(_CONTEXT, "{giver}{behalf} heeft de toestemming om {what} te delen met "
                  "{recipient} ingetrokken op {day}.").format(
                      giver=giver_name, behalf=on_behalf, what=what, recipient=recipient,
                      day=missing.withdrawn_on.strftime("%d-%m-%Y"))
    if missing.gap is Gap.NOT_YET:
        return tr(_CONTEXT, "De toestemming van {giver}{behalf} gaat pas later in.").format(
            giver=giver_name, behalf=on_behalf)
    return tr(_CONTEXT, "{giver}{behalf} heeft geen toestemming gegeven om {what} te delen "
              "met {recipient}.").format(giver=giver_name, behalf=on_behalf, what=what,
                                          recipient=recipient)


class _ShareDialog(QDialog):
    """Base: pick a recipient and see, before trying, whether consent covers `use` for them
    (or whose consent is missing, and why); one action button that is enabled only then.

    A subclass puts its own widgets under the verdict (`_lay_out`), says what is checked
    (`_check`), what the verdict says, and what the action does (`share`)."""

    use: Use

    def __init__(self, workspace: Workspace, household_id: str, title: str, heading: str,
                 intro: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._household_id = household_id
        self.service = ConsentService(workspace)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self.title = heading_label(heading, 3.0)
        self.intro = muted_label(intro)
        self.caption = QLabel(self.tr("&Ontvanger"))
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient.addItems(self.service.recipients(household_id))
        self.recipient.setCurrentIndex(-1)
        self.recipient.setAccessibleName(self.tr("Ontvanger"))
        self.caption.setBuddy(self.recipient)
        self.verdict = QLabel()
        self.verdict.setObjectName("shareVerdict")
        self.verdict.setWordWrap(True)
        self.reasons = ErrorLabel()
        self.share_button = QPushButton(action)
        self.share_button.setEnabled(False)
        self.share_button.clicked.connect(self.share)
        self.close_button = QPushButton(self.tr("&Sluiten"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.accept)

    def _lay_out(self, extra: QWidget | None = None) -> None:
        """Lay the dialog out (with `extra` under the verdict, taking the room) and show the
        verdict for the empty recipient; called at the end of a subclass's __init__."""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.share_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addWidget(self.caption)
        layout.addWidget(self.recipient)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        if extra is not None:
            layout.addWidget(extra, 1)
        layout.addStretch(0)  # takes the room only while `extra` is hidden
        layout.addLayout(buttons)
        self.recipient.editTextChanged.connect(lambda _t: self.refresh())
        self.refresh()

    def current_recipient(self) -> str:
        return self.recipient.currentText().strip()

    def refresh(self) -> ShareCheck | None:
        """Check the consent for the recipient as the laptop holds it now, and say so."""
        recipient = self.current_recipient()
        check: ShareCheck | None = None
        if not recipient:
            self.verdict.setText(self.tr("Kies of typ de ontvanger."))
            self.reasons.clear_message()
            self.share_button.setEnabled(False)
        else:
            check = self._check(recipient)
            self._show(check, recipient)
        self._checked(check, recipient)
        return check

    def _check(self, recipient: str) -> ShareCheck:
        return self.service.check(self._household_id, recipient, self.use)

    def _checked(self, check: ShareCheck | None, recipient: str) -> None:
        """After every check (None: no recipient yet)."""

    def _allowed_text(self, recipient: str) -> str:
        raise NotImplementedError

    def _blocked_text(self, recipient: str) -> str:
        raise NotImplementedError

    def _show(self, check: ShareCheck, recipient: str) -> None:
        today = self._ws.today()
        ages = {p.id: p.age_on(today) for p in check.people.values()}
        if check.decision.allowed:
            self.verdict.setText(self._allowed_text(recipient))
            self.reasons.clear_message()
        else:
            self.verdict.setText(self._blocked_text(recipient))
            self.reasons.show_message("\n".join(
                "• " + explain(m, check.people, recipient, self.use, ages)
                for m in check.decision.missing))
        self.share_button.setEnabled(check.decision.allowed)

    def share(self) -> None:
        raise NotImplementedError



class SharePlanDialog(_ShareDialog):
    """Pick a recipient; see the consent situation; save the plan's PDF for them."""

    use = Use.PLAN

    def __init__(self, workspace: Workspace, version: PlanVersion, settings: ReportSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            workspace, version.household_id, self.tr("Plan delen"),
            self.tr("Plan delen met een professional"),
            self.tr("Het plan gaat alleen naar een ontvanger waarvoor toestemming is vastgelegd "
                    "met het doel \u2018{purpose}\u2019: van iedere betrokkene van 16 jaar of "
                    "ouder zelf, van 12 tot 16 jaar van de jongere én de gezaghebbenden, onder "
                    "de 12 van de gezaghebbenden (Jeugdwet). Toestemming vastleggen of intrekken "
                    "doet u op het tabblad Toestemming.").format(
                        purpose=STANDARD_PURPOSE[Use.PLAN]),
            self.tr("PDF voor deze ontvanger &opslaan…"), parent)
        self._version = version
        self._settings = settings
        self.shared_path: Path | None = None
        self._lay_out()

    def _check(self, recipient: str) -> ShareCheck:
        return self.service.check(self._household_id, recipient, Use.PLAN,
                                  self.service.plan_subjects(self._version))

    def _allowed_text(self, recipient: str) -> str:
        return self.tr("Toestemming is vastgelegd voor alle betrokkenen: het plan mag naar "
                       "{recipient}.").format(recipient=recipient)

    def _blocked_text(self, recipient: str) -> str:
        return self.tr("Het plan kan niet naar {recipient}:").format(recipient=recipient)

    def ask_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("PDF opslaan als"),
                                                    suggested, self.tr("PDF-bestanden (*.pdf)"))
        return path

    def share(self) -> None:
        recipient = self.current_recipient()
        try:
            data = self.service.share_plan(self._version, recipient, self._settings)
        except ConsentMissing:
            self.refresh()  # a withdrawal arrived meanwhile: say why
            return
        path = self.ask_path(f"ondersteuningsplan-v{self._version.number}.pdf")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        try:
            target.write_bytes(data)
        except OSError:
            self.reasons.show_message(self.tr("Het bestand kan hier niet worden opgeslagen. "
                                              "Kies een andere map."))
            return
        self.shared_path = target
        self.verdict.setText(self.tr("Opgeslagen als {name}, voor {recipient}. Het delen is "
                                     "vastgelegd in het logboek.").format(
                                         name=target.name, recipient=recipient))


def contact_text(professionals: list[Professional]) -> str:
    """The professionals' contact details as plain text, one block per professional."""
    tr = QCoreApplication.translate
    if not professionals:
        return tr(_CONTEXT, "Bij dit huishouden zijn geen professionals vastgelegd.")
    blocks = []
    for pro in professionals:
        lines = [pro.organisation]
        if pro.name:
            lines.append(tr(_CONTEXT, "Naam: {name}").format(name=pro.name))
        if pro.discipline:
            lines.append(tr(_CONTEXT, "Functie/discipline: {discipline}").format(
                discipline=pro.discipline))
        lines.append(tr(_CONTEXT, "Telefoon/e-mail: {contact}").format(
            contact=pro.contact or tr(_CONTEXT, "niet vastgelegd")))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class ShareContactsDialog(_ShareDialog):
    """Pick a recipient; see the consent situation; show (and copy) the contact details of
    the professionals involved, for that recipient. Showing them is what is logged."""

    use = Use.CONTACT

    def __init__(self, workspace: Workspace, household_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            workspace, household_id, self.tr("Contactgegevens delen"),
            self.tr("Contactgegevens van de betrokken professionals delen"),
            self.tr("De contactgegevens van de professionals die bij dit huishouden betrokken "
                    "zijn, gaan alleen naar een ontvanger waarvoor toestemming is vastgelegd "
                    "met het doel \u2018{purpose}\u2019: van iedere bewoner van 16 jaar of "
                    "ouder zelf, van 12 tot 16 jaar van de jongere én de gezaghebbenden, onder "
                    "de 12 van de gezaghebbenden (Jeugdwet). Toestemming vastleggen of intrekken "
                    "doet u op het tabblad Toestemming.").format(
                        purpose=STANDARD_PURPOSE[Use.CONTACT]),
            self.tr("Contactgegevens &tonen"), parent)
        self.shown_for = ""  # the recipient the details are shown for ("" while hidden)
        self.details_caption = QLabel()
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName(self.tr("Contactgegevens van de betrokken professionals"))
        self.details_caption.setBuddy(self.details)
        self.copy_button = QPushButton(self.tr("&Kopiëren"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip(self.tr("De contactgegevens naar het klembord kopiëren"))
        self.copy_button.clicked.connect(self.copy)
        self.copied = muted_label("")
        copy_row = QHBoxLayout()
        copy_row.setContentsMargins(0, 0, 0, 0)
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copied, 1)
        self.details_panel = QWidget()
        panel = QVBoxLayout(self.details_panel)
        panel.setContentsMargins(0, 8, 0, 0)
        panel.addWidget(self.details_caption)
        panel.addWidget(self.details, 1)
        panel.addLayout(copy_row)
        self.details_panel.setVisible(False)
        self._lay_out(self.details_panel)

    def _allowed_text(self, recipient: str) -> str:
        return self.tr("Toestemming is vastgelegd voor alle bewoners: de contactgegevens van "
                       "de betrokken professionals mogen naar {recipient}.").format(
                           recipient=recipient)

    def _blocked_text(self, recipient: str) -> str:
        return self.tr("De contactgegevens van de professionals kunnen niet naar "
                       "{recipient}:").format(recipient=recipient)

    def _shown_text(self, recipient: str) -> str:
        return self.tr("Gedeeld met {recipient}. Het delen is vastgelegd in het logboek; geef "
                       "de gegevens alleen aan deze ontvanger.").format(recipient=recipient)

    def _checked(self, check: ShareCheck | None, recipient: str) -> None:
        # Another recipient, or consent no longer there (a sync brought a withdrawal): the
        # details shown for the one before are hidden again.
        if check is not None and check.decision.allowed and recipient == self.shown_for:
            self.verdict.setText(self._shown_text(recipient))
            self.share_button.setEnabled(False)  # shown already
        else:
            self.hide_details()

    def hide_details(self) -> None:
        self.shown_for = ""
        self.details.clear()
        self.copied.setText("")
        self.details_panel.setVisible(False)

    def share(self) -> None:
        recipient = self.current_recipient()
        try:
            professionals = self.service.share_contacts(self._household_id, recipient)
        except ConsentMissing:
            check = self.refresh()  # a withdrawal arrived meanwhile: say why
            if check is not None and not check.decision.allowed:
                self.verdict.setText(self.tr(
                    "De toestemming is intussen gewijzigd. De contactgegevens van de "
                    "professionals kunnen niet naar {recipient}:").format(recipient=recipient))
            return
        self.shown_for = recipient
        self.details_caption.setText(self.tr("&Contactgegevens voor {recipient}").format(
            recipient=recipient.replace("&", "&&")))
        text = contact_text(professionals)
        self.details.setPlainText(text)
        # As high as the text (up to DETAIL_LINES lines): all of it at a glance.
        lines = min(text.count("\n") + 1, DETAIL_LINES)
        line = self.details.blockBoundingRect(self.details.document().firstBlock()).height()
        margins = self.details.contentsMargins()
        self.details.setMinimumHeight(math.ceil(
            lines * line + 2 * self.details.document().documentMargin()
            + margins.top() + margins.bottom()))
        self.copy_button.setEnabled(bool(professionals))
        self.copied.setText("")
        self.details_panel.setVisible(True)
        self.verdict.setText(self._shown_text(recipient))
        self.share_button.setEnabled(False)  # shown already; another recipient enables it
        if self.height() < self.sizeHint().height():
            self.resize(self.width(), self.sizeHint().height())
        self.details.setFocus()

    def copy(self) -> None:
        if not self.shown_for:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details.toPlainText())
        self.copied.setText(self.tr("Gekopieerd naar het klembord."))
