"""Instellingen: what the printed plan shows in its header (the municipality's name and logo)
and whether the BSN is printed. Until the server provides the municipality's reference data,
this is where a worker or the functioneel beheerder sets it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.services.settings import AppSettings, SettingsService
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label

ChooseLogo = Callable[[QWidget], str]


def choose_logo(parent: QWidget) -> str:
    path, _filter = QFileDialog.getOpenFileName(
        parent, parent.tr("Logo van de gemeente kiezen"), "",
        parent.tr("Afbeeldingen (*.png *.jpg *.jpeg)"))
    return path


class SettingsDialog(QDialog):
    """Edits `AppSettings` through `SettingsService`; `saved` is True after a save."""

    def __init__(self, service: SettingsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.saved = False
        self.choose_logo: ChooseLogo = choose_logo
        current = service.get()
        self.setWindowTitle(self.tr("Instellingen"))
        self.name = QLineEdit(current.municipality_name if current.municipality_known else "")
        self.name.setAccessibleName(self.tr("Naam van de gemeente"))
        self.name.setPlaceholderText(self.tr("Bijvoorbeeld: Gemeente Voorbeeldstad"))
        name_label = QLabel(self.tr("&Naam van de gemeente"))
        name_label.setBuddy(self.name)
        self.logo = QLineEdit(current.logo_path)
        self.logo.setAccessibleName(self.tr("Logo (PNG of JPG)"))
        logo_label = QLabel(self.tr("&Logo"))
        logo_label.setBuddy(self.logo)
        browse = QPushButton(self.tr("&Kiezen…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.print_bsn = QCheckBox(self.tr("&BSN op het geprinte plan"))
        self.print_bsn.setChecked(current.print_bsn)
        self.error = ErrorLabel()
        save = QPushButton(self.tr("&Opslaan"))
        save.setDefault(True)
        save.clicked.connect(self.save)
        cancel = QPushButton(self.tr("&Annuleren"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(name_label, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 2)
        grid.addWidget(logo_label, 1, 0)
        grid.addWidget(self.logo, 1, 1)
        grid.addWidget(browse, 1, 2)
        grid.addWidget(self.print_bsn, 2, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Het geprinte plan"), 2.0))
        layout.addWidget(muted_label(self.tr(
            "De naam en het logo staan bovenaan elke pagina van het ondersteuningsplan. Zolang "
            "er geen naam is ingesteld, staat daar de naam van uw team.")))
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.name.setFocus()

    def _browse(self) -> None:
        path = self.choose_logo(self)
        if path:
            self.logo.setText(path)

    def save(self) -> bool:
        logo = self.logo.text().strip()
        if logo and not Path(logo).is_file():
            self.error.show_message(self.tr("Het logobestand bestaat niet."))
            self.logo.setFocus()
            return False
        self._service.set(AppSettings(municipality_name=self.name.text().strip(),
                                      logo_path=logo, print_bsn=self.print_bsn.isChecked()))
        self.saved = True
        self.accept()
        return True
