"""The "Te doen" list on the caseload page: what is overdue or due soon in my caseload.

Its own module because the caseload is the first screen: this imports only the deadline
rules and their service, not the household's casework pages (the plan page, reportlab, the
sync stack), which are loaded when a household is first opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.deadlines import DeadlineKind
from wijkteam_app.errors import NotFound, WijkteamError
from wijkteam_app.services.deadlines import Cancelled, DeadlineService, TodoItem
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.casework_labels import deadline_label
from wijkteam_app.ui.controllers.background import Background
from wijkteam_app.ui.widgets import heading_label, muted_label
from wijkteam_app.ui.widgets.fields import format_dutch_date

log = logging.getLogger(__name__)

OVERDUE = QColor("#b42318")

Marker = tuple[object, ...]  # DeadlineService.marker


def _t(text: str) -> str:
    return QCoreApplication.translate("casework", text)


def todo_text(item: TodoItem, today: date) -> str:
    d = item.deadline
    days = d.days_left(today)
    if days < 0:
        when = _t("%1 dagen te laat").replace("%1", str(-days))
    elif days == 0:
        when = _t("vandaag")
    else:
        when = _t("over %1 dagen").replace("%1", str(days))
    detail = f" ({d.detail})" if d.detail and d.kind is DeadlineKind.AFSPRAAK else ""
    return (f"{format_dutch_date(d.due)} · {item.household_name} · {deadline_label(d.kind)}"
            f"{detail} — {when}")


class TodoPanel(QFrame):
    """"Te doen": what is overdue or due within two weeks in my caseload (for the teamcoach
    and the brandpuntfunctionaris also the stuck cases), computed from the case file."""

    householdActivated = Signal(str)  # noqa: N815 (Qt signal naming)
    updated = Signal()  # the list shows what is due now

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = DeadlineService(workspace)
        self.setObjectName("todoPanel")
        self.setStyleSheet("QFrame#todoPanel { background: #ffffff; border: 1px solid #d3dae1;"
                           " border-radius: 4px; }")
        self.setMaximumHeight(176)
        self.title = heading_label(self.tr("Te doen"), 1.5)
        self.count = muted_label("")
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Te doen"))
        self.list.setAlternatingRowColors(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.itemActivated.connect(self._activated)
        self.empty = muted_label(self.tr("Niets dat binnen twee weken moet: alle termijnen zijn "
                                         "op orde."))
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.title)
        head.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.empty.setVisible(False)  # not "alles op orde" before the list is worked out
        self.items: list[TodoItem] = []
        self._background = Background(self)
        self._again = False
        self._stopped = False
        # Off screen (another page is shown): a running work-out stops between chunks and
        # nothing new starts, so it does not take the CPU from what the worker looks at
        # (the Team dashboard computes at the same time after a save); shown again, the
        # list is brought up to date.
        self._off_screen = False
        self._marker: Marker | None = None  # of the list on screen

    @property
    def pending(self) -> bool:
        """True while the list is being worked out (it then still shows the last one)."""
        return self._background.busy or self._again

    def refresh(self) -> None:
        """Work the list out again on a worker thread if anything it depends on changed
        (`DeadlineService.marker`: a save, a pulled sync page, another day): for a big
        caseload it takes a while (docs/performance.md), and the caseload is on screen and
        usable meanwhile. A refresh asked while one runs is done once more after it (it may
        have missed a save)."""
        if self._stopped or self._off_screen:
            return
        if self._background.busy:
            self._again = True
            return
        self._again = False
        try:
            marker = self.service.marker()
        except WijkteamError as exc:  # e.g. locked: the refresh after unlocking does it
            log.warning("todo marker failed: %s", exc.code)
            return
        if marker == self._marker:
            return  # nothing changed since the list on screen was worked out
        if not self.items:
            self.count.setText(self.tr("wordt bijgewerkt…"))
        self._background.run(lambda: self._work_out(marker), self._done, self._failed)

    def stop(self) -> None:
        """No more refreshes; waits for a running one (before locking or closing)."""
        self._stopped = True
        self._again = False
        self._background.wait()

    def resume(self) -> None:
        self._stopped = False

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        if not event.spontaneous():  # another page, not a minimised window
            self._off_screen = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._off_screen:
            self._off_screen = False
            self.refresh()

    def _work_out(self, marker: Marker) -> tuple[Marker, list[TodoItem]] | None:
        try:
            return marker, self.service.todo(
                cancelled=lambda: self._stopped or self._off_screen)
        except NotFound:
            return marker, []
        except Cancelled:
            return None

    def _done(self, result: object) -> None:
        if self._stopped or result is None:  # stopped, or cancelled off screen: the
            return  # marker is unchanged, so the next refresh works it out again
        assert isinstance(result, tuple)
        self._marker, self.items = result
        self._fill(self.items)
        if self._again:
            self.refresh()
        else:
            self.updated.emit()

    def _failed(self, exc: Exception) -> None:  # e.g. locked meanwhile: the next refresh
        log.warning("todo list failed: %s", type(exc).__name__)
        self._again = False
        if not self._stopped:
            self.updated.emit()

    def _fill(self, items: Iterable[TodoItem]) -> None:
        today = self._ws.today()
        self.list.clear()
        late = 0
        for todo in items:
            entry = QListWidgetItem(todo_text(todo, today))
            entry.setData(Qt.ItemDataRole.UserRole, todo.deadline.household_id)
            if todo.deadline.overdue(today):
                late += 1
                entry.setForeground(OVERDUE)
                entry.setText("⚠ " + entry.text())
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, entry.text())
            self.list.addItem(entry)
        total = self.list.count()
        self.count.setText(self.tr("%1 te laat, %2 binnenkort").replace("%1", str(late))
                           .replace("%2", str(total - late)) if total else "")
        self.list.setVisible(bool(total))
        self.empty.setVisible(not total)

    def _activated(self, item: QListWidgetItem) -> None:
        household_id = item.data(Qt.ItemDataRole.UserRole)
        if household_id:
            self.householdActivated.emit(str(household_id))


__all__ = ["TodoPanel", "todo_text"]
