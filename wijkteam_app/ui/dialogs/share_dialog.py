"""Sharing the ondersteuningsplan with a recipient, only where consent covers it; the worker
sees, before trying, whose consent is there and whose is missing, and why."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.consent import STANDARD_PURPOSE, Gap, Missing, Use
from wijkteam_app.domain.people import Person
from wijkteam_app.domain.plans import PlanVersion
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.consent import ConsentMissing, ConsentService, ShareCheck
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label

log = logging.getLogger(__name__)

_CONTEXT = "share"


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


class SharePlanDialog(QDialog):
    """Pick a recipient; see the consent situation; save the plan's PDF for them."""

    def __init__(self, workspace: Workspace, version: PlanVersion, settings: ReportSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._version = version
        self._settings = settings
        self.service = ConsentService(workspace)
        self.shared_path: Path | None = None
        self.setWindowTitle(self.tr("Plan delen"))
        self.setMinimumWidth(620)
        title = heading_label(self.tr("Plan delen met een professional"), 3.0)
        intro = muted_label(self.tr(
            "Het plan gaat alleen naar een ontvanger waarvoor toestemming is vastgelegd met "
            "het doel \u2018{purpose}\u2019: van iedere betrokkene van 16 jaar of ouder zelf, "
            "van 12 tot 16 jaar van de jongere én de gezaghebbenden, onder de 12 van de "
            "gezaghebbenden (Jeugdwet). Toestemming vastleggen of intrekken doet u op het "
            "tabblad Toestemming.").format(purpose=STANDARD_PURPOSE[Use.PLAN]))
        caption = QLabel(self.tr("&Ontvanger"))
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient.addItems(self.service.recipients(version.household_id))
        self.recipient.setCurrentIndex(-1)
        self.recipient.setAccessibleName(self.tr("Ontvanger"))
        caption.setBuddy(self.recipient)
        self.verdict = QLabel()
        self.verdict.setObjectName("shareVerdict")
        self.verdict.setWordWrap(True)
        self.reasons = ErrorLabel()
        self.share_button = QPushButton(self.tr("PDF voor deze ontvanger &opslaan…"))
        self.share_button.setEnabled(False)
        self.share_button.clicked.connect(self.share)
        close = QPushButton(self.tr("&Sluiten"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.share_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(caption)
        layout.addWidget(self.recipient)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.recipient.editTextChanged.connect(lambda _t: self.refresh())
        self.refresh()

    def current_recipient(self) -> str:
        return self.recipient.currentText().strip()

    def refresh(self) -> ShareCheck | None:
        recipient = self.current_recipient()
        if not recipient:
            self.verdict.setText(self.tr("Kies of typ de ontvanger."))
            self.reasons.clear_message()
            self.share_button.setEnabled(False)
            return None
        check = self.service.check(self._version.household_id, recipient, Use.PLAN,
                                   self.service.plan_subjects(self._version))
        self._show(check, recipient)
        return check

    def _show(self, check: ShareCheck, recipient: str) -> None:
        today = self._ws.today()
        ages = {p.id: p.age_on(today) for p in check.people.values()}
        if check.decision.allowed:
            self.verdict.setText(self.tr("Toestemming is vastgelegd voor alle betrokkenen: "
                                         "het plan mag naar {recipient}.").format(
                                             recipient=recipient))
            self.reasons.clear_message()
        else:
            self.verdict.setText(self.tr("Het plan kan niet naar {recipient}:").format(
                recipient=recipient))
            self.reasons.show_message("\n".join(
                "• " + explain(m, check.people, recipient, Use.PLAN, ages)
                for m in check.decision.missing))
        self.share_button.setEnabled(check.decision.allowed)

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
