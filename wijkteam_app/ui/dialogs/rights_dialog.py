"""'Rechten van de inwoner': an inzage export (PDF + JSON), a request to erase with the legal
exceptions shown and recorded, and a correction that leaves a trace; per person."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.people import Person
from wijkteam_app.domain.rights import (
    LEGAL_BASIS,
    ErasureException,
    Outcome,
    PrivacyRequest,
    RequestKind,
)
from wijkteam_app.domain.validation import ValidationFailed
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.rights import RightsService
from wijkteam_app.ui.dialogs.household_dialogs import PersonDialog
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import DateField

log = logging.getLogger(__name__)

_CONTEXT = "rights"


def exception_text(exception: ErasureException) -> str:
    tr = QCoreApplication.translate
    texts = {
        ErasureException.LOPENDE_ONDERSTEUNING: tr(
            _CONTEXT, "De ondersteuning loopt nog; de gegevens zijn daarvoor nodig."),
        ErasureException.WETTELIJKE_BEWAARPLICHT: tr(
            _CONTEXT, "Er is een ondertekend plan of besluit dat de gemeente wettelijk moet "
            "bewaren."),
        ErasureException.BELANG_ANDER: tr(
            _CONTEXT, "Bewaren is van aanmerkelijk belang voor een ander, bijvoorbeeld een "
            "minderjarige in het huishouden."),
        ErasureException.RECHTSVORDERING: tr(
            _CONTEXT, "De gegevens zijn nodig voor een rechtsvordering."),
    }
    return texts[exception]


class RectifyPersonDialog(PersonDialog):
    """The person form, saved as a correction on the resident's request (with a trace)."""

    def __init__(self, workspace: Workspace, person: Person, members: Sequence[Person],
                 note: str, parent: QWidget | None = None) -> None:
        super().__init__(workspace, person.household_id, members, person, parent)
        self.setWindowTitle(self.tr("Correctie op verzoek van de inwoner"))
        self._note = note
        self.request: PrivacyRequest | None = None

    def persist(self, value: Person) -> None:
        self.request = RightsService(self._ws).rectify(value, self._ws.today(), self._note)


class RightsDialog(QDialog):
    def __init__(self, workspace: Workspace, household_id: str, members: Sequence[Person],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._household_id = household_id
        self._members = list(members)
        self.service = RightsService(workspace)
        self.rectify_form: RectifyPersonDialog | None = None
        self.setWindowTitle(self.tr("Rechten van de inwoner"))
        self.setFixedWidth(760)

        self.person = QComboBox()
        for member in members:
            self.person.addItem(member.full_name, member.id)
        self.person.setAccessibleName(self.tr("Inwoner"))
        who = QLabel(self.tr("&Inwoner"))
        who.setBuddy(self.person)
        self.requested_on = DateField()
        self.requested_on.set_value(workspace.today())
        when = QLabel(self.tr("Verzoek &ontvangen op"))
        when.setBuddy(self.requested_on)
        form = QFormLayout()
        form.addRow(who, self.person)
        form.addRow(when, self.requested_on)

        # Inzage
        inzage = QGroupBox(self.tr("Inzage (binnen een maand)"))
        self.export_button = QPushButton(self.tr("Inzage-&export maken…"))
        self.export_button.clicked.connect(self.export)
        inzage_layout = QVBoxLayout(inzage)
        inzage_layout.addWidget(muted_label(self.tr(
            "Een leesbare PDF en een JSON-bestand met alles wat over deze inwoner is "
            "vastgelegd, ook wie het dossier heeft ingezien.")))
        inzage_layout.addWidget(self.export_button)

        # Erasure
        erase = QGroupBox(self.tr("Wissen op verzoek (binnen drie maanden)"))
        erase_layout = QVBoxLayout(erase)
        erase_layout.addWidget(muted_label(self.tr(
            "Vink aan welke wettelijke uitzondering geldt; het dossier stelt er zelf al voor. "
            "Geldt er geen, dan worden naam, geboortedatum, BSN en de eigen metingen en "
            "toestemmingen van deze inwoner gewist.")))
        self.exception_checks: dict[ErasureException, QCheckBox] = {}
        for exception in ErasureException:
            box = QCheckBox(exception_text(exception))
            box.setToolTip(LEGAL_BASIS[exception])
            self.exception_checks[exception] = box
            erase_layout.addWidget(box)
            basis = muted_label(LEGAL_BASIS[exception])
            basis.setContentsMargins(24, 0, 0, 2)
            erase_layout.addWidget(basis)
        note_label = QLabel(self.tr("&Toelichting voor de inwoner"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        note_label.setBuddy(self.note)
        erase_layout.addWidget(note_label)
        erase_layout.addWidget(self.note)
        self.erase_error = ErrorLabel()
        erase_layout.addWidget(self.erase_error)
        self.erase_button = QPushButton(self.tr("Verzoek tot &wissen afhandelen"))
        self.erase_button.clicked.connect(self.erase)
        erase_layout.addWidget(self.erase_button)

        # Rectification
        correct = QGroupBox(self.tr("Correctie"))
        correct_layout = QHBoxLayout(correct)
        self.correct_button = QPushButton(self.tr("&Correctie vastleggen…"))
        self.correct_button.clicked.connect(self.rectify)
        correct_layout.addWidget(muted_label(self.tr(
            "Wijzig de gegevens op verzoek; vastgelegd wordt welke velden zijn gecorrigeerd.")),
            1)
        correct_layout.addWidget(self.correct_button)

        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("rightsResult")
        self.outcome_label.setWordWrap(True)
        close = QPushButton(self.tr("&Sluiten"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.outcome_label, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading_label(self.tr("Rechten van de inwoner"), 3.0))
        layout.addLayout(form)
        layout.addWidget(inzage)
        layout.addWidget(erase)
        layout.addWidget(correct)
        layout.addLayout(bottom)
        self.person.currentIndexChanged.connect(lambda _i: self._suggest())
        self._suggest()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)

    def person_id(self) -> str:
        return str(self.person.currentData() or "")

    def _suggest(self) -> None:
        if not self.person_id():
            return
        suggested = set(self.service.suggestions(self.person_id()))
        for exception, box in self.exception_checks.items():
            box.setChecked(exception in suggested)

    def ask_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("Map voor de inzage-export"))

    def export(self) -> None:
        folder = self.ask_folder()
        if not folder:
            return
        requested = self.requested_on.value() or self._ws.today()
        export = self.service.export(self.person_id(), requested)
        stem = f"inzage-{self._ws.today().isoformat()}-{self.person_id()[:8]}"
        pdf, data = Path(folder) / f"{stem}.pdf", Path(folder) / f"{stem}.json"
        try:
            pdf.write_bytes(export.pdf_bytes)
            data.write_bytes(export.json_bytes)
        except OSError:
            self.outcome_label.setText(self.tr("De bestanden kunnen hier niet worden opgeslagen. "
                                        "Kies een andere map."))
            return
        self.outcome_label.setText(self.tr("Inzage-export opgeslagen: {pdf} en {json}. Het verzoek "
                                    "en de export zijn vastgelegd.").format(pdf=pdf.name,
                                                                           json=data.name))

    def erase(self) -> None:
        exceptions = tuple(e for e, box in self.exception_checks.items() if box.isChecked())
        requested = self.requested_on.value() or self._ws.today()
        try:
            request = self.service.erase(self.person_id(), requested, exceptions,
                                         self.note.toPlainText())
        except ValidationFailed as failed:
            fields = {e.field for e in failed.errors}
            self.erase_error.show_message(
                self.tr("Leg uit waarom niet wordt gewist; de inwoner krijgt deze toelichting.")
                if "note" in fields else self.tr("Controleer de datum van het verzoek."))
            return
        self.erase_error.clear_message()
        if request.outcome is Outcome.UITGEVOERD:
            self.outcome_label.setText(self.tr(
                "De gegevens van deze inwoner zijn gewist. Het verzoek is vastgelegd."))
            index = self.person.currentIndex()
            self.person.setItemText(index, self.service.person(request.person_id).full_name)
        else:
            self.outcome_label.setText(self.tr(
                "Niet gewist: de uitzonderingen en de toelichting zijn vastgelegd. Laat de "
                "inwoner dit schriftelijk weten."))

    def rectify(self) -> None:
        """Open the person form; saving it records the correction (see `_rectified`)."""
        person = self.service.person(self.person_id())
        note = self.note.toPlainText() or self.tr("Op verzoek van de inwoner")
        self.rectify_form = RectifyPersonDialog(self._ws, person, self._members, note, self)
        self.rectify_form.accepted.connect(self._rectified)
        self.rectify_form.open()

    def _rectified(self) -> None:
        request = self.rectify_form.request if self.rectify_form is not None else None
        if request is not None:
            self.outcome_label.setText(self.tr("Correctie vastgelegd ({fields}).").format(
                fields=", ".join(request.fields)))

    def handled(self) -> list[RequestKind]:
        return [r.kind for r in self.service.requests(self._household_id)]
