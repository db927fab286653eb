"""Conflicts: a field changed on two sides. Per conflict the dialog shows my value, their
value and the common base, each with who and when; the worker keeps one, or types a merged
value. The choice goes to the server through `SyncService.resolve`, which writes it as a new
change-set that reaches every device (and this laptop pulls it at once)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.services.sync import ConflictView, SyncService
from wijkteam_app.sync.state import ConflictSideView
from wijkteam_app.ui.controllers.sync_controller import SyncController

Choice = Literal["mine", "theirs", "value"]

FIELD_LABELS = {
    "name": "Naam", "street": "Straat", "house_number": "Huisnummer",
    "house_number_suffix": "Toevoeging", "postcode": "Postcode", "city": "Plaats",
    "wijk": "Wijk", "first_name": "Voornaam", "last_name": "Achternaam",
    "name_prefix": "Tussenvoegsel", "birth_date": "Geboortedatum", "bsn": "BSN",
    "status": "Status", "regisseur_id": "Regisseur", "case_team_ids": "Casusteam",
    "notes": "Notities", "referral_note": "Toelichting aanmelding", "_deleted": "Verwijderd",
    "content": "Inhoud van het plan", "fingerprint": "Vingerafdruk van het plan",
    "history": "Statusgeschiedenis",
}
ENTITY_LABELS = {
    "household": "Huishouden", "person": "Persoon", "network_member": "Netwerklid",
    "professional": "Professional", "case": "Casus", "contact_moment": "Contactmoment",
    "consent": "Toestemming", "assessment": "Meting",
    "plan_version": "Planversie", "plan_review": "Beoordeling plan",
    "plan_toets": "Toets plan", "plan_signature": "Ondertekening plan",
    "plan_evaluation": "Evaluatie plan", "regie_event": "Op-/afschaling regie",
    "attachment": "Bijlage",
}


def value_text(value: Any) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_typed(text: str, example: Any) -> Any:
    """The typed value in the shape of the field (text stays text; numbers, booleans and
    lists are read as JSON when the field holds those)."""
    if isinstance(example, str) or example is None:
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


class ConflictDialog(QDialog):
    def __init__(self, service: SyncService, controller: SyncController | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.controller = controller
        self.setWindowTitle(self.tr("Conflicten"))
        self.resize(760, 440)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Open conflicten"))
        self.list.currentItemChanged.connect(self._show_current)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.mine = QRadioButton()
        self.theirs = QRadioButton()
        self.own = QRadioButton(self.tr("Eigen waarde (samengevoegd):"))
        self.base_label = QLabel()
        self.base_label.setWordWrap(True)
        self.typed = QLineEdit()
        self.typed.setAccessibleName(self.tr("Samengevoegde waarde"))
        self.typed.textEdited.connect(lambda _t: self.own.setChecked(True))
        self.group = QButtonGroup(self)
        for button in (self.mine, self.theirs, self.own):
            self.group.addButton(button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Keuze opslaan"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.resolve_current)

        detail = QGridLayout()
        detail.addWidget(self.title, 0, 0, 1, 2)
        detail.addWidget(QLabel(self.tr("Mijn waarde:")), 1, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.mine, 1, 1)
        detail.addWidget(QLabel(self.tr("Hun waarde:")), 2, 0, Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.theirs, 2, 1)
        detail.addWidget(QLabel(self.tr("Basis (voor beide wijzigingen):")), 3, 0,
                         Qt.AlignmentFlag.AlignTop)
        detail.addWidget(self.base_label, 3, 1)
        detail.addWidget(self.own, 4, 0)
        detail.addWidget(self.typed, 4, 1)
        detail.addWidget(self.message, 5, 0, 1, 2)
        detail.setColumnStretch(1, 1)
        detail.setRowStretch(6, 1)
        right = QWidget()
        right.setLayout(detail)

        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addWidget(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.conflicts: list[ConflictView] = []
        self.reload()

    # ------------------------------------------------------------------ content

    def reload(self) -> None:
        self.conflicts = self.service.conflicts()
        self.list.clear()
        for conflict in self.conflicts:
            label = self.tr("{what}: {field} — {household}").format(
                what=ENTITY_LABELS.get(conflict.entity, conflict.entity),
                field=FIELD_LABELS.get(conflict.field, conflict.field),
                household=conflict.household_name or self.tr("onbekend huishouden"))
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, conflict.id)
            self.list.addItem(item)
        empty = not self.conflicts
        self.save_button.setEnabled(not empty)
        if empty:
            self.title.setText(self.tr("Er zijn geen open conflicten."))
            for widget in (self.mine, self.theirs):
                widget.setText("")
            self.base_label.setText("")
        else:
            self.list.setCurrentRow(0)

    def _side(self, side: ConflictSideView) -> str:
        who = side.actor_name or self.tr("onbekende medewerker")
        when = _moment(side.at)
        return self.tr("{value}\n({who}, {when})").format(value=value_text(side.value),
                                                          who=who, when=when)

    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _show_current(self, *_args: object) -> None:
        conflict = self.current()
        if conflict is None:
            return
        field = FIELD_LABELS.get(conflict.field, conflict.field)
        if conflict.kind == "delete":
            note = self.tr("U heeft dit gegeven verwijderd; iemand anders heeft het intussen "
                           "gewijzigd. Kies 'ja' om te verwijderen, 'nee' om te bewaren.")
        elif conflict.kind == "deleted":
            note = self.tr("U heeft dit gegeven gewijzigd; iemand anders heeft het intussen "
                           "verwijderd.")
        else:
            note = self.tr("Dit veld is op twee plaatsen gewijzigd. Niets is verloren: kies "
                           "welke waarde blijft, of typ een samengevoegde waarde.")
        self.title.setText(self.tr("<b>{field}</b> — {household}<br>{note}").format(
            field=field, household=conflict.household_name or "", note=note))
        self.mine.setText(self._side(conflict.mine))
        self.theirs.setText(self._side(conflict.theirs))
        self.base_label.setText(value_text(conflict.base))
        self.typed.setText(value_text(conflict.mine.value) if conflict.mine.value is not None
                           else "")
        self.mine.setChecked(True)
        self.message.setText("")

    # ------------------------------------------------------------------ choosing

    def choice(self) -> tuple[Choice, Any]:
        conflict = self.current()
        assert conflict is not None
        if self.theirs.isChecked():
            return "theirs", None
        if self.own.isChecked():
            return "value", parse_typed(self.typed.text(), conflict.mine.value
                                        if conflict.mine.value is not None
                                        else conflict.theirs.value)
        return "mine", None

    def resolve_current(self) -> None:
        conflict = self.current()
        if conflict is None:
            return
        choice, value = self.choice()
        self.save_button.setEnabled(False)
        self.message.setText(self.tr("Bezig met opslaan…"))

        def call() -> object:
            return self.service.resolve(conflict.id, value, choice)

        if self.controller is None:
            try:
                call()
            except Exception as exc:  # shown to the worker, never swallowed silently
                self._failed(type(exc).__name__, exc)
                return
            self._done(None)
        else:
            self.controller.run_job(call, self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.message.setText(self.tr("Uw keuze is opgeslagen en gaat naar iedereen."))
        self.reload()

    def _failed(self, _name: str, exc: Exception | None = None) -> None:
        text = getattr(exc, "message", None) if exc is not None else None
        self.message.setText(text or self.tr(
            "De keuze kon niet worden opgeslagen (geen verbinding?). Probeer het later "
            "opnieuw; er is niets verloren."))
        self.save_button.setEnabled(True)


def _moment(value: datetime | None) -> str:
    return value.strftime("%d-%m-%Y %H:%M UTC") if value is not None else "onbekend"
