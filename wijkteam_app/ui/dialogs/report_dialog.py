"""Making the half-year or annual report: period, per team or per wijk, PDF or CSV, file.

The file holds aggregates only (no names, BSN, addresses or birth dates; small counts shown
as "<5"), so it may leave the encrypted case file. It is written next to its final name and
then moved into place, so a half-written report never appears under that name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.steering import SteeringService
from wijkteam_app.sync import aggregates as agg
from wijkteam_app.sync.aggregates import Grouping
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label


def default_folder() -> Path:
    home = Path.home()
    for name in ("Documenten", "Documents"):
        if (home / name).is_dir():
            return home / name
    return home


def write_atomically(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(prefix=".rapportage-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class ReportDialog(QDialog):
    def __init__(self, service: SteeringService, settings: ReportSettings,
                 parent: QWidget | None = None, period_code: str | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.saved_to: Path | None = None
        self.setWindowTitle(self.tr("Rapportage maken"))
        self.setMinimumWidth(560)

        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Periode"))
        for period in service.periods():
            self.period.addItem(period.label[:1].upper() + period.label[1:], period.code)
        if period_code:
            self.period.setCurrentIndex(max(self.period.findData(period_code), 0))

        self.per_wijk = QRadioButton(self.tr("Per &wijk"))
        self.per_team = QRadioButton(self.tr("Per &team"))
        self.per_wijk.setChecked(True)
        per = QButtonGroup(self)
        per.addButton(self.per_wijk)
        per.addButton(self.per_team)
        per_row = QHBoxLayout()
        per_row.addWidget(self.per_wijk)
        per_row.addWidget(self.per_team)
        per_row.addStretch(1)

        self.as_pdf = QRadioButton(self.tr("&PDF (om te lezen en te versturen)"))
        self.as_csv = QRadioButton(self.tr("&CSV (voor een spreadsheet)"))
        self.as_pdf.setChecked(True)
        kind = QButtonGroup(self)
        kind.addButton(self.as_pdf)
        kind.addButton(self.as_csv)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.as_pdf)
        kind_row.addWidget(self.as_csv)
        kind_row.addStretch(1)

        self.path = QLineEdit()
        self.path.setAccessibleName(self.tr("Bestand"))
        self.browse = QPushButton(self.tr("Bla&deren…"))
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        self.error = ErrorLabel()

        form = QFormLayout()
        form.addRow(self.tr("P&eriode"), self.period)
        form.addRow(self.tr("Indeling"), per_row)
        form.addRow(self.tr("Formaat"), kind_row)
        path_label = QLabel(self.tr("&Bestand"))
        path_label.setBuddy(self.path)
        form.addRow(path_label, path_row)
        form.addRow("", self.error)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Opslaan"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        scope = (self.tr("de huishoudens van uw team") if service.team_scope
                 else self.tr("uw eigen caseload"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Halfjaar- of jaarrapportage"), 3.0))
        layout.addWidget(muted_label(self.tr(
            "Alleen geaggregeerde cijfers over {scope}: geen namen, adressen, BSN of "
            "geboortedata. Aantallen onder de 5 staan als ‘<5’. Met een verantwoording van "
            "de definities, de periode en de instrumentversies.").format(scope=scope)))
        layout.addLayout(form)
        layout.addWidget(buttons)

        for widget in (self.period, self.per_wijk, self.per_team, self.as_pdf, self.as_csv):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) \
                else widget.toggled
            signal.connect(self._suggest_path)
        self._suggest_path()
        self.period.setFocus()

    def _grouping(self) -> Grouping:
        return Grouping.TEAM if self.per_team.isChecked() else Grouping.WIJK

    def _suggest_path(self) -> None:
        extension = "pdf" if self.as_pdf.isChecked() else "csv"
        name = f"rapportage-{self.period.currentData()}-per-{self._grouping().value}.{extension}"
        current = Path(self.path.text()) if self.path.text().strip() else None
        folder = current.parent if current is not None and current.parent.is_dir() \
            else default_folder()
        self.path.setText(str(folder / name))

    def _browse(self) -> None:
        kind = self.tr("PDF (*.pdf)") if self.as_pdf.isChecked() else self.tr("CSV (*.csv)")
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("Rapportage opslaan"),
                                                      self.path.text(), kind)
        if chosen:
            self.path.setText(chosen)

    def save(self) -> None:
        self.error.clear_message()
        text = self.path.text().strip()
        if not text:
            self.error.show_message(self.tr("Kies een bestand om de rapportage in op te slaan."))
            self.path.setFocus()
            return
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            self.error.show_message(self.tr("De map {folder} bestaat niet.").format(
                folder=path.parent))
            self.path.setFocus()
            return
        period = agg.parse_period(self.period.currentData())
        if self.as_pdf.isChecked():
            data = self.service.report_pdf(period, self._grouping(), self.settings)
        else:
            data = self.service.report_csv(period, self._grouping())
        try:
            write_atomically(path, data)
        except OSError:
            self.error.show_message(self.tr(
                "De rapportage kon niet worden opgeslagen in {path}. Kies een andere plek."
            ).format(path=path))
            self.path.setFocus()
            return
        self.saved_to = path
        self.accept()
