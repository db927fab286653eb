"""The household page: everything about one household on one screen.

Header: name, address, wijk and the case's urgency criteria as badges (crisis-sensitive ones
red). Tabs (Ctrl+1 … Ctrl+6): Overzicht (members, the case, its history), Netwerk,
Professionals (with their count in the tab title), Journaal (contact moments with the total
time per case), Toestemming, Metingen (a container the main window fills).

The frequent actions have shortcuts that work from every tab (`PAGE_SHORTCUTS`); unlike a
button's Alt+letter they act at once, and they go to the tab where the result shows.
The members table always has a selected person (the one chosen before a reload, else the
first), so ZRM and participatieladder need no extra key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import CaseStatus, Consent, ContactMoment, UrgencyCriterion
from wijkteam_app.domain.people import NetworkMember, Person, Professional
from wijkteam_app.errors import NotFound, StaleVersion
from wijkteam_app.services.households import CaseOverview, HouseholdService
from wijkteam_app.services.households import HouseholdPage as PageData
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.household_dialogs import (
    STALE,
    CaseDialog,
    ConsentDialog,
    ContactDialog,
    HouseholdDialog,
    NetworkMemberDialog,
    PersonDialog,
    ProfessionalDialog,
    RecordDialog,
)
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.labels import (
    client_profile_label,
    complexity_label,
    duration_label,
    house_number_text,
    problem_area_label,
    referral_label,
    status_label,
    urgency_label,
)
from wijkteam_app.ui.models.household_models import (
    CaseRow,
    CasesModel,
    ConsentsModel,
    ContactsModel,
    MembersModel,
    NetworkModel,
    ProfessionalsModel,
)
from wijkteam_app.ui.models.row_model import RowTableModel
from wijkteam_app.ui.widgets import RowDelegate, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import format_dutch_date

if TYPE_CHECKING:  # imported when the dialog opens: start-up time matters
    from wijkteam_app.ui.dialogs.share_dialog import ShareContactsDialog

log = logging.getLogger(__name__)

CRISIS_BADGE = "background: #b42318; color: #ffffff;"
URGENCY_BADGE = "background: #f5c451; color: #3d2c00;"

Confirm = Callable[[QWidget, str, str], bool]

# The page's own shortcuts (action name -> key). Ctrl+1..6 are the tabs; Ctrl+N, Ctrl+F,
# Ctrl+L, Ctrl+Q and F1 belong to the main window, Ctrl+S to the dialogs. Ctrl+Shift+N is
# "nieuwe persoon" in the intake wizard too.
PAGE_SHORTCUTS: dict[str, str] = {
    "add_person": "Ctrl+Shift+N",
    "zrm": "Ctrl+Shift+Z",
    "ladder": "Ctrl+Shift+P",
    "add_network_member": "Ctrl+Shift+E",
    "add_contact": "Ctrl+Shift+C",
}
TAB_OVERVIEW, TAB_NETWORK, TAB_JOURNAL = 0, 1, 3


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(parent.tr("&Ja"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(parent.tr("&Nee"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.exec()
    return box.clickedButton() is yes


class Badge(QLabel):
    """A small coloured label for one urgency criterion."""

    def __init__(self, criterion: UrgencyCriterion, parent: QWidget | None = None) -> None:
        super().__init__(urgency_label(criterion), parent)
        self.criterion = criterion
        colours = CRISIS_BADGE if criterion.crisis_sensitive else URGENCY_BADGE
        self.setStyleSheet(f"QLabel {{ {colours} border-radius: 9px; padding: 2px 10px;"
                           " font-weight: 600; }")
        if criterion.crisis_sensitive:
            self.setToolTip(self.tr("Crisisgevoelig urgentiecriterium"))
            self.setAccessibleName(self.tr("Urgentie, crisisgevoelig: %1")
                                   .replace("%1", urgency_label(criterion)))
        else:
            self.setAccessibleName(self.tr("Urgentie: %1").replace("%1", urgency_label(criterion)))


def _table(model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # No sort column until the person clicks a header: the service's order (oldest member
    # first, newest contact first) is the sensible default.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.setItemDelegate(RowDelegate(view))
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    # Columns as wide as their content; the last one (names of gezag holders, notes) takes
    # the rest, so a 1366-pixel screen needs no horizontal scrolling.
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setMinimumSectionSize(48)
    return view


def _button(text: str, accessible: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    if accessible:
        button.setAccessibleName(accessible)
    return button


def _button_row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(8)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def current_case(cases: tuple[CaseOverview, ...]) -> CaseOverview | None:
    """The open case (the newest one that is not closed), else the newest."""
    for overview in cases:
        if overview.case.status is not CaseStatus.AFGESLOTEN:
            return overview
    return cases[0] if cases else None


class HouseholdPage(QWidget):
    backRequested = Signal()  # noqa: N815 (Qt signal naming)
    zrmRequested = Signal(str, str)  # noqa: N815  person id ("" for the household), household id
    ladderRequested = Signal(str)  # noqa: N815  person id

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = HouseholdService(workspace)
        self.data: PageData | None = None
        self.household_id = ""
        self.active_dialog: RecordDialog | None = None
        self.share_dialog: ShareContactsDialog | None = None
        self._pending_select: tuple[QTableView, str] | None = None  # saved by a dialog
        self.may_edit = False  # asked from the service per household (the matrix)
        self.confirm: Confirm = ask_yes_no
        self.setAccessibleName(self.tr("Huishouden"))

        today = workspace.today()
        self.members_model = MembersModel(today=today, parent=self)
        self.cases_model = CasesModel(parent=self)
        self.network_model = NetworkModel(parent=self)
        self.professionals_model = ProfessionalsModel(parent=self)
        self.contacts_model = ContactsModel(parent=self)
        self.consents_model = ConsentsModel(today=today, parent=self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_header())
        self.notice = QLabel()
        self.notice.setObjectName("pageNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel#pageNotice { background: #fff7e0; border: 1px solid"
                                  " #e0b44c; border-radius: 4px; padding: 6px 10px; }")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Onderdelen van het huishouden"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_overview(), self.tr("Overzicht"))
        self.tabs.addTab(self._build_network(), self.tr("Netwerk"))
        self.tabs.addTab(self._build_professionals(), self.tr("Professionals"))
        self.tabs.addTab(self._build_journal(), self.tr("Journaal"))
        self.tabs.addTab(self._build_consents(), self.tr("Toestemming"))
        self.assessments_tab = QWidget()
        tab_layout = QVBoxLayout(self.assessments_tab)
        tab_layout.setContentsMargins(0, 8, 0, 0)
        self.assessments_container = QWidget()
        self.assessments_container.setAccessibleName(self.tr("Metingen"))
        tab_layout.addWidget(self.assessments_container)
        self.tabs.addTab(self.assessments_tab, self.tr("Metingen"))
        for n in range(self.tabs.count()):
            self.tabs.setTabToolTip(n, self.tr("Ctrl+%1").replace("%1", str(n + 1)))
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=n: self._go_to_tab(n))
        layout.addWidget(self.tabs, 1)
        # Alt+Left (back to the list) is the main window's shortcut; a second one here would
        # make it ambiguous.
        self._build_shortcuts()

    def _build_shortcuts(self) -> None:
        """QShortcuts for the frequent actions, shown in the buttons' tooltips."""
        actions: dict[str, tuple[Callable[[], None], QPushButton]] = {
            "add_person": (self.add_person_by_key, self.add_person_button),
            "zrm": (self.zrm_by_key, self.zrm_button),
            "ladder": (self.ladder_by_key, self.ladder_button),
            "add_network_member": (self.add_network_member_by_key, self.add_network_button),
            "add_contact": (self.add_contact_by_key, self.add_contact_button),
        }
        self.shortcuts: dict[str, QShortcut] = {}
        for name, (slot, button) in actions.items():
            keys = QKeySequence(PAGE_SHORTCUTS[name])
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[name] = shortcut
            text = keys.toString(QKeySequence.SequenceFormat.NativeText)
            caption = button.accessibleName() or button.text().replace("&", "")
            button.setToolTip(self.tr("%1 (%2)").replace("%1", caption).replace("%2", text))
            button.setAccessibleDescription(self.tr("Sneltoets %1").replace("%1", text))

    # --- building ---------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        self.back_button = _button(self.tr("← &Terug"), self.tr("Terug naar de lijst"))
        self.back_button.clicked.connect(self.backRequested.emit)
        self.title = heading_label("", 6.0)
        self.title.setAccessibleName(self.tr("Naam huishouden"))
        self.address_label = QLabel()
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badges = QWidget()
        self.badges_layout = QHBoxLayout(self.badges)
        self.badges_layout.setContentsMargins(0, 2, 0, 0)
        self.badges_layout.setSpacing(6)
        self.edit_household_button = _button(self.tr("Huishouden &wijzigen"))
        self.edit_household_button.clicked.connect(self.edit_household)
        self.household_zrm_button = _button(self.tr("ZRM h&uishouden"),
                                            self.tr("ZRM-Huishoudens invullen"))
        self.household_zrm_button.clicked.connect(
            lambda: self.zrmRequested.emit("", self.household_id))

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.address_label)
        text.addWidget(self.badges)
        self.read_only_label = muted_label(error_text("not_allowed.edit_case_data"))
        self.read_only_label.setObjectName("readOnlyHousehold")
        self.read_only_label.setVisible(False)
        text.addWidget(self.read_only_label)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.edit_household_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.household_zrm_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _build_overview(self) -> QWidget:
        page = QWidget()
        self.members_table = _table(self.members_model, self.tr("Leden van het huishouden"))
        self.members_table.doubleClicked.connect(lambda _i: self.edit_person())
        self.add_person_button = _button(self.tr("Persoon toe&voegen"))
        self.add_person_button.clicked.connect(self.add_person)
        self.edit_person_button = _button(self.tr("Persoon wij&zigen"))
        self.edit_person_button.clicked.connect(self.edit_person)
        self.zrm_button = _button(self.tr("Z&RM"), self.tr("ZRM van de gekozen persoon"))
        self.zrm_button.clicked.connect(self._request_zrm)
        self.ladder_button = _button(self.tr("&Participatieladder"),
                                     self.tr("Participatieladder van de gekozen persoon"))
        self.ladder_button.clicked.connect(self._request_ladder)
        self.cases_table = _table(self.cases_model, self.tr("Casusgeschiedenis"))

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(heading_label(self.tr("Leden"), 1.5))
        left.addLayout(_button_row(self.add_person_button, self.edit_person_button,
                                   self.zrm_button, self.ladder_button))
        left.addWidget(self.members_table, 3)
        left.addWidget(heading_label(self.tr("Casusgeschiedenis"), 1.5))
        left.addWidget(self.cases_table, 2)

        self.case_form = QGridLayout()
        self.case_form.setHorizontalSpacing(14)
        self.case_form.setVerticalSpacing(6)
        self.case_form.setColumnStretch(1, 1)
        self.case_fields: dict[str, QLabel] = {}
        rows = [
            ("status", self.tr("Status")), ("complexity", self.tr("Triage")),
            ("regisseur", self.tr("Regisseur")), ("referral", self.tr("Aanmelding")),
            ("referral_note", self.tr("Toelichting")),
            ("client_profile", self.tr("Cliëntprofiel")),
            ("problem_areas", self.tr("Probleemgebieden")),
            ("next_evaluation", self.tr("Volgende evaluatie")),
            ("time", self.tr("Geregistreerde tijd")),
            ("quickscan_self", self.tr("Wat kunt u zelf?")),
            ("quickscan_arrange", self.tr("Wat kunt u zelf regelen?")),
            ("quickscan_help", self.tr("Waarbij heeft u hulp nodig?")),
        ]
        for row, (key, caption) in enumerate(rows):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            label = QLabel(caption)
            label.setStyleSheet("color: #52606d;")
            self.case_fields[key] = value
            top = Qt.AlignmentFlag.AlignTop
            self.case_form.addWidget(label, row, 0, top | Qt.AlignmentFlag.AlignLeft)
            self.case_form.addWidget(value, row, 1, top)
        self.edit_case_button = _button(self.tr("&Casus wijzigen"))
        self.edit_case_button.clicked.connect(self.edit_case)
        self.no_case_label = muted_label(self.tr("Dit huishouden heeft nog geen casus."))

        case_box = QFrame()
        case_box.setObjectName("casePanel")
        case_box.setStyleSheet("QFrame#casePanel { background: #ffffff; border: 1px solid"
                               " #d3dae1; border-radius: 4px; }")
        case_layout = QVBoxLayout(case_box)
        case_layout.setContentsMargins(14, 10, 14, 10)
        head = QHBoxLayout()
        head.addWidget(heading_label(self.tr("Casus"), 1.5), 1)
        head.addWidget(self.edit_case_button)
        case_layout.addLayout(head)
        case_layout.addWidget(self.no_case_label)
        case_layout.addLayout(self.case_form)
        # The main window puts more about the case here (stuck case, client experience).
        self.case_extras = QVBoxLayout()
        self.case_extras.setContentsMargins(0, 0, 0, 0)
        case_layout.addLayout(self.case_extras)
        case_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(case_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(340)

        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(left, 3)
        layout.addWidget(scroll, 2)
        return page

    def _build_network(self) -> QWidget:
        page = QWidget()
        self.network_table = _table(self.network_model, self.tr("Netwerk"))
        self.network_table.doubleClicked.connect(lambda _i: self.edit_network_member())
        self.add_network_button = _button(self.tr("Netwerklid toe&voegen"))
        self.add_network_button.clicked.connect(self.add_network_member)
        self.edit_network_button = _button(self.tr("Wij&zigen"), self.tr("Netwerklid wijzigen"))
        self.edit_network_button.clicked.connect(self.edit_network_member)
        self.remove_network_button = _button(self.tr("Verwij&deren"),
                                             self.tr("Netwerklid verwijderen"))
        self.remove_network_button.clicked.connect(self.remove_network_member)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(muted_label(self.tr(
            "Familie, buren, vrienden en vrijwilligers: wie helpt al, of zou kunnen helpen?")))
        layout.addLayout(_button_row(self.add_network_button, self.edit_network_button,
                                     self.remove_network_button))
        layout.addWidget(self.network_table, 1)
        return page

    def _build_professionals(self) -> QWidget:
        page = QWidget()
        self.professionals_table = _table(self.professionals_model,
                                          self.tr("Betrokken professionals"))
        self.professionals_table.doubleClicked.connect(lambda _i: self.edit_professional())
        self.add_professional_button = _button(self.tr("Professional toe&voegen"))
        self.add_professional_button.clicked.connect(self.add_professional)
        self.edit_professional_button = _button(self.tr("Wij&zigen"),
                                                self.tr("Professional wijzigen"))
        self.edit_professional_button.clicked.connect(self.edit_professional)
        self.remove_professional_button = _button(self.tr("Verwij&deren"),
                                                  self.tr("Professional verwijderen"))
        self.remove_professional_button.clicked.connect(self.remove_professional)
        self.share_contacts_button = _button(
            self.tr("&Contactgegevens delen…"),
            self.tr("Contactgegevens van de betrokken professionals delen"))
        self.share_contacts_button.clicked.connect(self.share_contacts)
        buttons = _button_row(self.add_professional_button, self.edit_professional_button,
                              self.remove_professional_button)
        buttons.addWidget(self.share_contacts_button)  # on the right, after the stretch
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(muted_label(self.tr(
            "Organisaties en hulpverleners die al bij dit huishouden betrokken zijn.")))
        layout.addLayout(buttons)
        layout.addWidget(self.professionals_table, 1)
        return page

    def _build_journal(self) -> QWidget:
        page = QWidget()
        self.case_combo = QComboBox()
        self.case_combo.setAccessibleName(self.tr("Casus"))
        self.case_combo.setMinimumContentsLength(30)
        self.case_combo.currentIndexChanged.connect(self._show_contacts)
        case_label = QLabel(self.tr("&Casus"))
        case_label.setBuddy(self.case_combo)
        self.total_label = QLabel()
        self.total_label.setAccessibleName(self.tr("Totale tijd van de casus"))
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)
        self.contacts_table = _table(self.contacts_model, self.tr("Journaal"))
        self.contacts_table.doubleClicked.connect(lambda _i: self.edit_contact())
        self.add_contact_button = _button(self.tr("Contact toe&voegen"))
        self.add_contact_button.clicked.connect(self.add_contact)
        self.edit_contact_button = _button(self.tr("Wij&zigen"), self.tr("Contact wijzigen"))
        self.edit_contact_button.clicked.connect(self.edit_contact)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(case_label)
        top.addWidget(self.case_combo)
        top.addStretch(1)
        top.addWidget(self.total_label)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addLayout(_button_row(self.add_contact_button, self.edit_contact_button))
        layout.addWidget(self.contacts_table, 1)
        return page

    def _build_consents(self) -> QWidget:
        page = QWidget()
        self.consents_table = _table(self.consents_model, self.tr("Toestemmingen"))
        self.add_consent_button = _button(self.tr("Toestemming toe&voegen"))
        self.add_consent_button.clicked.connect(self.add_consent)
        self.withdraw_consent_button = _button(self.tr("&Intrekken"),
                                               self.tr("Toestemming intrekken"))
        self.withdraw_consent_button.clicked.connect(self.withdraw_consent)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(muted_label(self.tr(
            "Toestemming om gegevens te delen, per ontvanger en doel. Een ingetrokken "
            "toestemming blijft zichtbaar.")))
        layout.addLayout(_button_row(self.add_consent_button, self.withdraw_consent_button))
        layout.addWidget(self.consents_table, 1)
        return page

    # --- showing ----------------------------------------------------------------------------

    def current_household_id(self) -> str:
        """The household shown now; empty before the first `show_household`."""
        return self.household_id

    def show_household(self, household_id: str) -> None:
        """Show a household; shown again (after a ZRM or ladder), the same person stays
        selected."""
        if household_id != self.household_id:
            self.members_table.clearSelection()
        self.household_id = household_id
        self.notice.setVisible(False)
        self.reload()
        self.tabs.setCurrentIndex(0)
        self.members_table.setFocus()

    def live_reload(self) -> None:
        """Show what a sync or a save elsewhere changed: read again, keeping the selected
        rows (as `reload` does) and where each list was scrolled."""
        bars = [table.verticalScrollBar() for table, _model in self._tables()]
        positions = [bar.value() for bar in bars]
        self.reload()
        for bar, value in zip(bars, positions, strict=True):
            bar.setValue(value)
        if self.share_dialog is not None:  # a withdrawal the sync brought blocks at once
            self.share_dialog.refresh()

    def reload(self) -> None:
        if not self.household_id:
            return
        self.loaded_at = time.monotonic()  # what was saved before this is shown
        try:
            data = self.service.page(self.household_id, with_assessments=False)
        except NotFound:
            self._say(error_text("not_found"))
            return
        self.data = data
        keep = self._selected_ids()
        detail = data.detail
        h = detail.household
        today = self._ws.today()
        self.title.setText(h.name)
        a = h.address
        number = house_number_text(a.house_number, a.house_number_suffix)
        self.address_label.setText(self.tr("%1 %2, %3 %4 · Wijk %5")
                                   .replace("%1", a.street).replace("%2", number)
                                   .replace("%3", a.postcode).replace("%4", a.city)
                                   .replace("%5", h.wijk)
                                   + (self.tr(" · Stadsdeel %1").replace("%1", h.stadsdeel)
                                      if h.stadsdeel else ""))
        self.address_label.setAccessibleName(self.address_label.text())

        self.members_model.set_today(today)
        self.members_model.set_rows(detail.members)
        self.network_model.set_rows(detail.network)
        self.professionals_model.set_rows(detail.professionals)
        self.cases_model.set_worker_names(data.worker_names)
        self.cases_model.set_rows([CaseRow(c.case, c.total_minutes) for c in data.cases])
        self.consents_model.set_context({p.id: p.full_name for p in detail.members}, today)
        self.consents_model.set_rows(data.consents)
        self.contacts_model.set_worker_names(data.worker_names)

        self.tabs.setTabText(1, self.tr("Netwerk (%1)").replace("%1", str(len(detail.network))))
        self.tabs.setTabText(2, self.tr("Professionals (%1)")
                             .replace("%1", str(len(detail.professionals))))
        self.tabs.setTabText(3, self.tr("Journaal"))
        active = sum(1 for c in data.consents if c.active_on(today))
        self.tabs.setTabText(4, self.tr("Toestemming (%1)").replace("%1", str(active)))

        self._show_case(current_case(data.cases))
        self._fill_case_combo()
        self._restore_selection(keep)
        self._update_buttons()
        self._apply_permission(self.service.may_edit(self.household_id))

    def edit_buttons(self) -> list[QPushButton]:
        """The buttons that change the household's data (hidden for who may only look)."""
        return [self.edit_household_button, self.household_zrm_button, self.add_person_button,
                self.edit_person_button, self.zrm_button, self.ladder_button,
                self.edit_case_button, self.add_network_button, self.edit_network_button,
                self.remove_network_button, self.add_professional_button,
                self.edit_professional_button, self.remove_professional_button,
                self.add_contact_button, self.edit_contact_button, self.add_consent_button,
                self.withdraw_consent_button]

    def _apply_permission(self, may_edit: bool) -> None:
        """Who may not change this household (a toetser, a colleague outside the case team)
        sees it without the buttons and shortcuts that would change it."""
        self.may_edit = may_edit
        for button in self.edit_buttons():
            button.setVisible(may_edit)
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(may_edit)
        # Sharing is the case team's step (as the plan's "Delen met…"), not of who may only
        # look; it changes nothing, so it is not among the edit buttons.
        self.share_contacts_button.setVisible(may_edit)
        self.read_only_label.setVisible(not may_edit)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def _show_case(self, overview: CaseOverview | None) -> None:
        self._case = overview
        self._clear_badges()
        self.edit_case_button.setEnabled(overview is not None)
        self.no_case_label.setVisible(overview is None)
        if overview is None:
            for label in self.case_fields.values():
                label.setText("")
            return
        case = overview.case
        for criterion in sorted(case.urgency, key=lambda c: not c.crisis_sensitive):
            self.badges_layout.addWidget(Badge(criterion))
        self.badges_layout.addStretch(1)
        self.badges.setVisible(bool(case.urgency))
        names = self.data.worker_names if self.data else {}
        dash = "—"
        profile_text = client_profile_label(case.client_profile)
        values = {
            "status": status_label(case.status),
            "complexity": complexity_label(case.complexity),
            "regisseur": names.get(case.regisseur_id, dash),
            "referral": self.tr("%1, %2").replace("%1", referral_label(case.referral_source))
            .replace("%2", format_dutch_date(case.referral_date)),
            "referral_note": case.referral_note or dash,
            "client_profile": profile_text,
            "problem_areas": ", ".join(problem_area_label(p) for p in case.problem_areas)
            or dash,
            "next_evaluation": format_dutch_date(case.next_evaluation) or dash,
            "time": duration_label(overview.total_minutes),
            "quickscan_self": case.quickscan.self_ or dash,
            "quickscan_arrange": case.quickscan.arrange or dash,
            "quickscan_help": case.quickscan.help or dash,
        }
        for key, text in values.items():
            self.case_fields[key].setText(text)

    def _clear_badges(self) -> None:
        while self.badges_layout.count():
            item = self.badges_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.badges.setVisible(False)

    def badge_texts(self) -> list[str]:
        """The urgency badges now shown in the header, in order."""
        return [b.text() for b in self.live_badges()]

    def live_badges(self) -> list[Badge]:
        out = []
        for n in range(self.badges_layout.count()):
            item = self.badges_layout.itemAt(n)
            widget = item.widget() if item is not None else None
            if isinstance(widget, Badge):
                out.append(widget)
        return out

    def _fill_case_combo(self) -> None:
        keep = self.case_combo.currentData()
        self.case_combo.blockSignals(True)
        self.case_combo.clear()
        cases = self.data.cases if self.data else ()
        for overview in cases:
            c = overview.case
            self.case_combo.addItem(
                self.tr("Aangemeld %1 — %2").replace("%1", format_dutch_date(c.referral_date))
                .replace("%2", status_label(c.status)), c.id)
        index = self.case_combo.findData(keep) if keep else -1
        if index < 0 and self._case is not None:
            index = self.case_combo.findData(self._case.case.id)
        self.case_combo.setCurrentIndex(max(index, 0) if cases else -1)
        self.case_combo.setEnabled(len(cases) > 1)
        self.case_combo.blockSignals(False)
        self._show_contacts()

    def journal_case(self) -> CaseOverview | None:
        case_id = self.case_combo.currentData()
        for overview in self.data.cases if self.data else ():
            if overview.case.id == case_id:
                return overview
        return None

    def _show_contacts(self) -> None:
        overview = self.journal_case()
        self.contacts_model.set_rows(overview.contacts if overview else ())
        minutes = overview.total_minutes if overview else 0
        self.total_label.setText(self.tr("Totaal: %1").replace("%1", duration_label(minutes)))
        self.add_contact_button.setEnabled(overview is not None)
        self.edit_contact_button.setEnabled(overview is not None and bool(overview.contacts))

    def _update_buttons(self) -> None:
        has_members = self.members_model.rowCount() > 0
        for button in (self.edit_person_button, self.zrm_button, self.ladder_button,
                       self.add_consent_button):
            button.setEnabled(has_members)
        self.edit_network_button.setEnabled(self.network_model.rowCount() > 0)
        self.remove_network_button.setEnabled(self.network_model.rowCount() > 0)
        self.edit_professional_button.setEnabled(self.professionals_model.rowCount() > 0)
        self.remove_professional_button.setEnabled(self.professionals_model.rowCount() > 0)
        has_professionals = self.professionals_model.rowCount() > 0
        self.share_contacts_button.setEnabled(has_professionals)
        self.share_contacts_button.setToolTip(
            self.tr("De contactgegevens van de betrokken professionals delen met een "
                    "ontvanger, voor zover de toestemming van de bewoners dat toelaat.")
            if has_professionals else
            self.tr("Er zijn nog geen betrokken professionals vastgelegd, dus geen "
                    "contactgegevens om te delen."))
        self.withdraw_consent_button.setEnabled(self.consents_model.rowCount() > 0)

    def _go_to_tab(self, n: int) -> None:
        self.tabs.setCurrentIndex(n)
        page = self.tabs.currentWidget()
        table = page.findChild(QTableView) if page is not None else None
        if table is not None:
            table.setFocus()
            if not table.currentIndex().isValid() and table.model().rowCount() > 0:
                table.selectRow(0)

    # --- selection helpers -------------------------------------------------------------------

    def _tables(self) -> list[tuple[QTableView, RowTableModel[Any]]]:
        return [(self.members_table, self.members_model),
                (self.network_table, self.network_model),
                (self.professionals_table, self.professionals_model),
                (self.contacts_table, self.contacts_model),
                (self.consents_table, self.consents_model)]

    def _selected_ids(self) -> dict[QTableView, str]:
        """The id of the selected row of each table (before a reload resets the models)."""
        out: dict[QTableView, str] = {}
        for table, model in self._tables():
            row = self._selected_row(table)
            if 0 <= row < model.rowCount():
                out[table] = model.object_id(model.item(row))
        return out

    def _restore_selection(self, keep: dict[QTableView, str]) -> None:
        """Select the same objects again; the members table selects its first person when
        the one selected before is gone (or none was), so a ZRM needs no extra key."""
        if self._pending_select is not None:
            table, object_id = self._pending_select
            keep[table] = object_id
            self._pending_select = None
        for table, model in self._tables():
            row = model.row_of(keep[table]) if table in keep else -1
            if row < 0 and table is self.members_table and model.rowCount() > 0:
                row = 0
            if row >= 0:
                self.select_row(table, row)

    @staticmethod
    def select_row(table: QTableView, row: int) -> None:
        """Make `row` the current and the selected row (as the arrow keys do)."""
        model = table.model()
        selection = table.selectionModel()
        if selection is None or not 0 <= row < model.rowCount():
            return
        index = model.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
        table.scrollTo(index)

    def _selected_row(self, table: QTableView) -> int:
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if rows:
            return rows[0].row()
        index: QModelIndex = table.currentIndex()
        if index.isValid():
            return index.row()
        return 0 if table.model().rowCount() == 1 else -1

    def selected_person(self) -> Person | None:
        row = self._selected_row(self.members_table)
        return self.members_model.item(row) if row >= 0 else None

    def _members(self) -> tuple[Person, ...]:
        return self.data.detail.members if self.data else ()

    # --- actions -------------------------------------------------------------------------------

    def _open(self, dialog: RecordDialog, table: QTableView | None = None) -> RecordDialog:
        """Open an editing dialog (window-modal, not blocking); reload when it closes. What
        it saved is then selected in `table`."""
        if not self.may_edit:  # e.g. a double click by someone who may only look
            dialog.deleteLater()
            return dialog
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if table is not None:
            dialog.saved.connect(lambda object_id: self._select_after_reload(table, object_id))
        dialog.finished.connect(self._dialog_finished)
        dialog.open()
        return dialog

    def _select_after_reload(self, table: QTableView, object_id: str) -> None:
        self._pending_select = (table, object_id)

    def _dialog_finished(self, result: int) -> None:
        self.active_dialog = None
        if result == STALE:
            self._say(error_text("stale_version"))
        elif result == QDialog.DialogCode.Accepted:
            self.notice.setVisible(False)
        self.reload()

    def edit_household(self) -> None:
        if self.data is not None:
            self._open(HouseholdDialog(self._ws, self.data.detail.household, self))

    def add_person(self) -> None:
        if self.data is not None:
            self._open(PersonDialog(self._ws, self.household_id, self._members(), None, self),
                       self.members_table)

    def edit_person(self) -> None:
        person = self.selected_person()
        if person is not None:
            self._open(PersonDialog(self._ws, self.household_id, self._members(), person, self),
                       self.members_table)

    def _request_zrm(self) -> None:
        person = self.selected_person()
        if person is not None and self.may_edit:
            self.zrmRequested.emit(person.id, self.household_id)

    def _request_ladder(self) -> None:
        person = self.selected_person()
        if person is not None and self.may_edit:
            self.ladderRequested.emit(person.id)

    def edit_case(self) -> None:
        if self._case is not None:
            self._open(CaseDialog(self._ws, self._case.case, self))

    def _selected_network_member(self) -> NetworkMember | None:
        row = self._selected_row(self.network_table)
        return self.network_model.item(row) if row >= 0 else None

    def add_network_member(self) -> None:
        self._open(NetworkMemberDialog(self._ws, self.household_id, self._members(), None, self),
                   self.network_table)

    def edit_network_member(self) -> None:
        member = self._selected_network_member()
        if member is not None:
            self._open(NetworkMemberDialog(self._ws, self.household_id, self._members(),
                                           member, self), self.network_table)

    def remove_network_member(self) -> None:
        member = self._selected_network_member()
        if member is None or not self.may_edit:
            return
        if self.confirm(self, self.tr("Netwerklid verwijderen"),
                        self.tr("%1 uit het netwerk verwijderen?").replace("%1", member.name)):
            self._guarded(lambda: self.service.remove_network_member(member))

    def _selected_professional(self) -> Professional | None:
        row = self._selected_row(self.professionals_table)
        return self.professionals_model.item(row) if row >= 0 else None

    def add_professional(self) -> None:
        self._open(ProfessionalDialog(self._ws, self.household_id, None, self),
                   self.professionals_table)

    def edit_professional(self) -> None:
        pro = self._selected_professional()
        if pro is not None:
            self._open(ProfessionalDialog(self._ws, self.household_id, pro, self),
                       self.professionals_table)

    def remove_professional(self) -> None:
        pro = self._selected_professional()
        if pro is None or not self.may_edit:
            return
        name = pro.organisation + (f" ({pro.name})" if pro.name else "")
        if self.confirm(self, self.tr("Professional verwijderen"),
                        self.tr("%1 verwijderen uit de betrokken professionals?")
                        .replace("%1", name)):
            self._guarded(lambda: self.service.remove_professional(pro))

    def share_contacts(self) -> None:
        """Share the professionals' contact details with a recipient, only where consent
        covers it (the dialog says whose consent is missing, and why)."""
        from wijkteam_app.ui.dialogs.share_dialog import ShareContactsDialog

        if self.data is None or not self.may_edit or not self.data.detail.professionals \
                or self.share_dialog is not None:
            return
        dialog = ShareContactsDialog(self._ws, self.household_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._share_finished)
        self.share_dialog = dialog
        dialog.open()

    def _share_finished(self, _result: int) -> None:
        self.share_dialog = None

    def _selected_contact(self) -> ContactMoment | None:
        row = self._selected_row(self.contacts_table)
        return self.contacts_model.item(row) if row >= 0 else None

    def add_contact(self) -> None:
        overview = self.journal_case()
        if overview is not None:
            self._open(ContactDialog(self._ws, overview.case.id, None, self),
                       self.contacts_table)

    def edit_contact(self) -> None:
        overview = self.journal_case()
        contact = self._selected_contact()
        if overview is not None and contact is not None:
            self._open(ContactDialog(self._ws, overview.case.id, contact, self),
                       self.contacts_table)

    def add_consent(self) -> None:
        if self._members():
            self._open(ConsentDialog(self._ws, self.household_id, self._members(), self))

    def _selected_consent(self) -> Consent | None:
        row = self._selected_row(self.consents_table)
        return self.consents_model.item(row) if row >= 0 else None

    def withdraw_consent(self) -> None:
        consent = self._selected_consent()
        if consent is None or not self.may_edit:
            return
        if consent.withdrawn_on is not None:
            self._say(self.tr("Deze toestemming is al ingetrokken."))
            return
        if self.confirm(self, self.tr("Toestemming intrekken"),
                        self.tr("De toestemming voor %1 intrekken per vandaag?")
                        .replace("%1", consent.recipient)):
            today = self._ws.today()
            self._guarded(lambda: self.service.save_consent(
                replace(consent, withdrawn_on=max(today, consent.given_on))))

    # --- shortcuts (PAGE_SHORTCUTS): to the tab where the result shows, then the action -----

    def add_person_by_key(self) -> None:
        if self.data is not None and self.active_dialog is None:
            self._go_to_tab(TAB_OVERVIEW)
            self.add_person()

    def zrm_by_key(self) -> None:
        if self.active_dialog is None:
            self._request_zrm()

    def ladder_by_key(self) -> None:
        if self.active_dialog is None:
            self._request_ladder()

    def add_network_member_by_key(self) -> None:
        if self.data is not None and self.active_dialog is None:
            self._go_to_tab(TAB_NETWORK)
            self.add_network_member()

    def add_contact_by_key(self) -> None:
        if self.data is None or self.active_dialog is not None:
            return
        self._go_to_tab(TAB_JOURNAL)
        if self.journal_case() is None:
            self._say(self.tr("Dit huishouden heeft nog geen casus; een contact hoort bij "
                              "een casus."))
            return
        self.add_contact()

    def _guarded(self, action: Callable[[], object]) -> None:
        try:
            action()
        except StaleVersion:
            self._say(error_text("stale_version"))
        except NotFound:
            self._say(error_text("not_found"))
        else:
            self.notice.setVisible(False)
        self.reload()
