"""'Wie heeft dit dossier ingezien': every view, print, export and change of one household's
file (NEN 7513), from this laptop at once and from the server (other devices) when online."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.messages import describe_action
from wijkteam_app.services.access_log import AccessEntry, AccessLogService
from wijkteam_app.ui.i18n import MESSAGES_CONTEXT
from wijkteam_app.ui.models.row_model import ColumnSpec, RowTableModel
from wijkteam_app.ui.widgets import heading_label, muted_label

log = logging.getLogger(__name__)

_CONTEXT = "access_log"

# Fetches the server's entries in the background and calls back with them (or None).
RemoteFetch = Callable[[Callable[[Any], None], Callable[[str], None]], None]


def action_text(action: str) -> str:
    """A Dutch description of an audit action (the catalogue in `messages`, translated)."""
    return QCoreApplication.translate(MESSAGES_CONTEXT, describe_action(action))


def local_time(moment: datetime) -> str:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone().strftime("%d-%m-%Y %H:%M")


class AccessLogModel(RowTableModel[AccessEntry]):
    id_role = None

    def columns(self) -> Sequence[ColumnSpec[AccessEntry]]:
        tr = QCoreApplication.translate
        return [
            ColumnSpec(tr(_CONTEXT, "Wanneer"), lambda e: local_time(e.at), lambda e: e.at),
            ColumnSpec(tr(_CONTEXT, "Wie"),
                       lambda e: e.actor_name or tr(_CONTEXT, "onbekende medewerker"),
                       lambda e: e.actor_name.casefold()),
            ColumnSpec(tr(_CONTEXT, "Wat"), lambda e: action_text(e.action),
                       lambda e: e.action),
            ColumnSpec(tr(_CONTEXT, "Doel"), lambda e: e.purpose or "",
                       lambda e: e.purpose or ""),
            ColumnSpec(tr(_CONTEXT, "Apparaat"),
                       lambda e: tr(_CONTEXT, "deze laptop") if e.this_device
                       else tr(_CONTEXT, "ander apparaat") + f" ({e.device_id[:8]})",
                       lambda e: e.this_device, muted=lambda e: not e.this_device),
        ]


class AccessLogDialog(QDialog):
    """The log of one household, newest first."""

    def __init__(self, service: AccessLogService, household_id: str, household_name: str,
                 fetch_remote: RemoteFetch | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._household_id = household_id
        self.setWindowTitle(self.tr("Wie heeft dit dossier ingezien"))
        self.resize(940, 540)
        title = heading_label(self.tr("Wie heeft dit dossier ingezien"), 4.0)
        intro = muted_label(self.tr(
            "Elke keer dat het dossier van {name} is bekeken, afgedrukt, geëxporteerd of "
            "gewijzigd, met wie, wanneer, op welk apparaat en waarvoor (als dat is gevraagd). "
            "Dit logboek kan niet worden gewijzigd; de inwoner mag het inzien.")
            .format(name=household_name))
        self.status = muted_label("")
        self.status.setObjectName("accessLogStatus")
        self.model = AccessLogModel(service.merged(household_id), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Logboek van inzage en wijzigingen"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the purpose
        close = QPushButton(self.tr("&Sluiten"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        if fetch_remote is not None:
            self.status.setText(self.tr("Ook de andere apparaten worden opgehaald bij de "
                                        "server…"))
            fetch_remote(self._remote_arrived, self._remote_failed)
        else:
            self.status.setText(self.tr("Alleen wat op deze laptop is vastgelegd (niet "
                                        "aangemeld bij de server)."))

    def _remote_arrived(self, entries: Any) -> None:
        self.model.set_rows(self._service.merged(self._household_id, entries))
        self.status.setText(self.tr("Van alle apparaten (opgehaald bij de server)."))

    def _remote_failed(self, _name: str) -> None:
        self.status.setText(self.tr("De server is niet bereikbaar: alleen wat op deze laptop "
                                    "is vastgelegd. Andere apparaten ziet u na de volgende "
                                    "synchronisatie."))
