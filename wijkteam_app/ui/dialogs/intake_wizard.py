"""The intake: aanmelding → huishouden → quickscan → samenvatting, saved in ONE step.

Built for a kitchen table: by keyboard (Enter moves to the next step, Ctrl+Enter too from a
text box, Ctrl+Shift+N adds a person, every label and button has a mnemonic), with the
Dutch message at the field when something is wrong, and a draft that is kept while typing
and offered back after a crash.

Nothing is stored until "Opslaan": then the household, its members and the case are
registered together through `IntakeService.register`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import (
    CLIENT_PROFILES,
    Case,
    CaseStatus,
    Complexity,
    ProblemArea,
    Quickscan,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person, age_on
from wijkteam_app.domain.validation import FieldError, ValidationFailed
from wijkteam_app.errors import WijkteamError
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.intake import Intake, IntakeService, validate_intake
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.dialogs.household_dialogs import (
    CRISIS_COLOUR,
    GroupCaption,
    WarningLabel,
    bsn_warning_text,
    parse_house_number,
    strip_mnemonic,
    tidy_bsn,
    tidy_postcode,
    wijk_combo,
)
from wijkteam_app.ui.drafts import DraftKeeper
from wijkteam_app.ui.form_drafts import DraftOfferBar, form_payload, restore_form, watch_changes
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.labels import (
    client_profile_label,
    complexity_hint,
    complexity_label,
    house_number_text,
    problem_area_label,
    referral_label,
    role_label,
    status_label,
    urgency_label,
    urgency_marked_label,
)
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import (
    DateField,
    FieldErrors,
    format_dutch_date,
    malformed_date_message,
)

log = logging.getLogger(__name__)

DRAFT_KEY = "intake:nieuw"
ADULT_AGE = 18

STEP_REFERRAL, STEP_HOUSEHOLD, STEP_QUICKSCAN, STEP_SUMMARY = range(4)


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeWizard", text)


def step_titles() -> list[str]:
    return [_tr("Aanmelding"), _tr("Huishouden"), _tr("Quickscan"), _tr("Samenvatting")]


def step_of(path: str) -> int:
    """Which step holds the field with this validation path."""
    if path.startswith(("household", "members")):
        return STEP_HOUSEHOLD
    if path.startswith(("case.quickscan", "case.urgency", "case.complexity",
                        "case.client_profile", "case.problem_areas")):
        return STEP_QUICKSCAN
    if path.startswith(("case.referral", "case")):
        return STEP_REFERRAL
    return STEP_SUMMARY


def household_name_for(prefix: str, last_name: str) -> str:
    parts = [p for p in (prefix.strip(), last_name.strip()) if p]
    return _tr("Huishouden %1").replace("%1", " ".join(parts)) if parts else ""


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    if not buddy.accessibleName():
        buddy.setAccessibleName(strip_mnemonic(text))
    return label


def _line(max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    return edit


def _text_box(height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


@dataclass(frozen=True, slots=True)
class Slot:
    """A field and the message label under it (for FieldErrors)."""

    path: str
    widget: QWidget
    label: ErrorLabel


class MemberRow(QFrame):
    """One member of the new household: name, birth date, BSN, role and (for a minor) gezag."""

    changed = Signal()
    removeRequested = Signal(object)  # noqa: N815 (Qt signal naming); the row itself

    def __init__(self, person_id: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id = person_id
        self._today = today
        self.setObjectName("memberRow")
        self.setStyleSheet("QFrame#memberRow { background: #ffffff; border: 1px solid #d3dae1;"
                           " border-radius: 4px; }")
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.remove_button = QPushButton(_tr("Verwij&deren"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self))

        self.first_name = _line()
        self.name_prefix = _line(20)
        self.name_prefix.setMaximumWidth(140)
        self.last_name = _line()
        self.birth_date = DateField()
        self.birth_date.setMaximumWidth(150)
        self.bsn = _line(11)
        self.bsn.setMaximumWidth(150)
        self.role = QComboBox()
        for role in HouseholdRole:
            self.role.addItem(role_label(role), role.value)

        self.slots: dict[str, tuple[QWidget, ErrorLabel]] = {}
        # Two lines of fields, so a message under a field has room to be read.
        lines: list[list[tuple[str, str, QWidget, int]]] = [
            [("first_name", _tr("&Voornaam"), self.first_name, 3),
             ("name_prefix", _tr("&Tussenvoegsel"), self.name_prefix, 1),
             ("last_name", _tr("A&chternaam"), self.last_name, 3)],
            [("birth_date", _tr("&Geboortedatum"), self.birth_date, 2),
             ("bsn", _tr("&BSN (optioneel)"), self.bsn, 2),
             ("household_role", _tr("&Rol"), self.role, 3)],
        ]
        grids: list[QGridLayout] = []
        for line in lines:
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(2)
            for column, (key, caption, widget, stretch) in enumerate(line):
                label = _caption(caption, widget)
                message = ErrorLabel()
                grid.addWidget(label, 0, column)
                grid.addWidget(widget, 1, column)
                grid.addWidget(message, 2, column, Qt.AlignmentFlag.AlignTop)
                grid.setColumnStretch(column, stretch)
                self.slots[key] = (widget, message)
            grids.append(grid)
        self.bsn.setAccessibleName(_tr("BSN"))
        # Under the BSN line, the width of the row: the note names other households.
        self.bsn_warning = WarningLabel()
        grids[1].addWidget(self.bsn_warning, 3, 0, 1, len(lines[1]))

        self.gezag_box = QWidget()
        gezag_layout = QHBoxLayout(self.gezag_box)
        gezag_layout.setContentsMargins(0, 4, 0, 0)
        gezag_layout.setSpacing(12)
        self.gezag_caption = GroupCaption(_tr("Ge&zag bij:"))
        gezag_layout.addWidget(self.gezag_caption)
        self.gezag_checks_layout = QHBoxLayout()
        self.gezag_checks_layout.setSpacing(12)
        gezag_layout.addLayout(self.gezag_checks_layout)
        self.no_adults = muted_label(_tr("Voeg eerst een volwassene toe."))
        gezag_layout.addWidget(self.no_adults)
        gezag_layout.addStretch(1)
        self.gezag_message = ErrorLabel()
        self.gezag_checks: dict[str, QCheckBox] = {}
        self._gezag_wanted: set[str] = set()

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addLayout(head)
        for grid in grids:
            layout.addLayout(grid)
        layout.addWidget(self.gezag_box)
        layout.addWidget(self.gezag_message)

        for edit in (self.first_name, self.name_prefix, self.last_name, self.bsn):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.default_role = HouseholdRole.HOOFDBEWONER
        self.role_chosen = False  # set once the person picks a role; then it is left alone
        self.role.activated.connect(self._role_picked)
        self.birth_date.dateChanged.connect(self._birth_date_changed)
        self.role.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.gezag_box.setVisible(False)

    def set_default_role(self, role: HouseholdRole) -> None:
        self.default_role = role
        self._suggest_role()

    def _role_picked(self, _index: int) -> None:
        self.role_chosen = True

    def _birth_date_changed(self) -> None:
        self._suggest_role()
        self.changed.emit()

    def _suggest_role(self) -> None:
        """A minor is most likely a child of the household, until the person says otherwise."""
        if self.role_chosen:
            return
        role = HouseholdRole.KIND if self.is_minor() else self.default_role
        self.role.setCurrentIndex(self.role.findData(role.value))

    def set_number(self, number: int) -> None:
        self.title.setText(_tr("Persoon %1").replace("%1", str(number)))
        self.remove_button.setAccessibleName(
            _tr("Persoon %1 verwijderen").replace("%1", str(number)))

    def full_name(self) -> str:
        parts = (self.first_name.text(), self.name_prefix.text(), self.last_name.text())
        return " ".join(p.strip() for p in parts if p.strip())

    def age(self) -> int | None:
        return age_on(self.birth_date.value(), self._today)

    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < ADULT_AGE

    def is_adult(self) -> bool:
        age = self.age()
        return age is not None and age >= ADULT_AGE

    def gezag_ids(self) -> list[str]:
        return [pid for pid, check in self.gezag_checks.items() if check.isChecked()]

    def set_gezag_candidates(self, adults: Sequence[tuple[str, str]]) -> None:
        """Offer the adults of the household (id, name) as holders of gezag, keeping ticks.

        Updated in place: a check box that stays keeps its state and (when it has it) the
        focus; only boxes of adults who came or went are added or removed."""
        self._gezag_wanted = set(self.gezag_ids()) | (
            self._gezag_wanted - set(self.gezag_checks))
        wanted_ids = [person_id for person_id, _name in adults]
        lost_focus = False
        for person_id in [p for p in self.gezag_checks if p not in wanted_ids]:
            check = self.gezag_checks.pop(person_id)
            lost_focus = lost_focus or check.hasFocus()
            self.gezag_checks_layout.removeWidget(check)
            check.hide()
            check.deleteLater()
        for person_id, name in adults:
            existing = self.gezag_checks.get(person_id)
            check = existing if existing is not None else QCheckBox()
            if existing is None:
                check.setChecked(person_id in self._gezag_wanted)
                check.toggled.connect(lambda _c: self.changed.emit())
                self.gezag_checks[person_id] = check
            text = name or _tr("(naam nog leeg)")
            if check.text() != text:
                check.setText(text)
                check.setAccessibleName(_tr("Gezag bij %1").replace("%1", name))
        # The boxes in the adults' order (a box that moves is moved, not recreated).
        self.gezag_checks = {pid: self.gezag_checks[pid] for pid in wanted_ids}
        for index, check in enumerate(self.gezag_checks.values()):
            if self.gezag_checks_layout.indexOf(check) != index:
                self.gezag_checks_layout.removeWidget(check)
                self.gezag_checks_layout.insertWidget(index, check)
        first = next(iter(self.gezag_checks.values()), None)
        # Alt+Z: to the first box (without ticking it); with no adults, no Alt+Z at all.
        caption = _tr("Ge&zag bij:")
        self.gezag_caption.setText(caption if first is not None else strip_mnemonic(caption))
        self.gezag_caption.setBuddy(first)  # type: ignore[arg-type]
        self.no_adults.setVisible(not adults)
        self.gezag_box.setVisible(self.is_minor())
        if lost_focus:
            (first if first is not None and first.isVisible() else self.role).setFocus()

    def focus_chain(self) -> list[QWidget]:
        """This row's inputs in the order Tab visits them: the fields line by line, the
        gezag boxes, then the row's Verwijderen."""
        return [self.first_name, self.name_prefix, self.last_name, self.birth_date, self.bsn,
                self.role, *self.gezag_checks.values(), self.remove_button]

    def set_wanted_gezag(self, ids: Sequence[str]) -> None:
        self._gezag_wanted = set(ids)
        for person_id, check in self.gezag_checks.items():
            check.setChecked(person_id in self._gezag_wanted)

    def person(self, household_id: str) -> Person:
        minor = self.is_minor()
        return Person(
            id=self.person_id,
            household_id=household_id,
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            household_role=HouseholdRole(self.role.currentData()),
            name_prefix=self.name_prefix.text().strip(),
            birth_date=self.birth_date.value(),
            bsn=tidy_bsn(self.bsn.text()),
            gezag_holder_ids=tuple(self.gezag_ids()) if minor else (),
        )

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.person_id,
            "first_name": self.first_name.text(),
            "name_prefix": self.name_prefix.text(),
            "last_name": self.last_name.text(),
            "birth_date": self.birth_date.text(),
            "bsn": self.bsn.text(),
            "household_role": self.role.currentData(),
            "role_chosen": self.role_chosen,
            "gezag": sorted(self._gezag_wanted | set(self.gezag_ids())),
        }

    def restore(self, payload: dict[str, Any]) -> None:
        self.first_name.setText(str(payload.get("first_name", "")))
        self.name_prefix.setText(str(payload.get("name_prefix", "")))
        self.last_name.setText(str(payload.get("last_name", "")))
        self.birth_date.setText(str(payload.get("birth_date", "")))
        self.bsn.setText(str(payload.get("bsn", "")))
        index = self.role.findData(payload.get("household_role"))
        if index >= 0:
            self.role.setCurrentIndex(index)
        self.role_chosen = bool(payload.get("role_chosen"))
        gezag = payload.get("gezag", [])
        self.set_wanted_gezag([str(g) for g in gezag] if isinstance(gezag, list) else [])


class IntakeWizard(QDialog):
    """Register a new household with its members and its case, in four steps."""

    householdRegistered = Signal(str)  # noqa: N815 (Qt signal naming); the household id

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._today = workspace.today()
        self._households = HouseholdService(workspace)
        self._intake = IntakeService(workspace)
        self._drafts = DraftService(workspace)
        self.household_id = new_id()
        self.case_id = new_id()
        self.member_rows: list[MemberRow] = []
        self._static_slots: list[Slot] = []
        self.errors = FieldErrors()
        self._name_edited = False
        self._loading = False

        self.setWindowTitle(self.tr("Nieuwe aanmelding"))
        self.setMinimumSize(900, 600)
        self.resize(1100, 700)

        self.keeper = DraftKeeper(self._drafts, DRAFT_KEY, "intake", self.tr("Nieuwe aanmelding"),
                                  self.draft_payload, parent=self)

        self.offer = DraftOfferBar()
        self.offer.restoreChosen.connect(self._restore_draft)
        self.offer.discardChosen.connect(self._discard_draft)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_referral())
        self.stack.addWidget(self._build_household())
        self.stack.addWidget(self._build_quickscan())
        self.stack.addWidget(self._build_summary())

        self.step_labels: list[QLabel] = []
        steps = QVBoxLayout()
        steps.setSpacing(10)
        steps.addWidget(heading_label(self.tr("Aanmelding"), 3.0))
        steps.addSpacing(8)
        for n, title in enumerate(step_titles()):
            label = QLabel(f"{n + 1}  {title}")
            label.setMinimumWidth(150)
            self.step_labels.append(label)
            steps.addWidget(label)
        steps.addStretch(1)
        steps.addWidget(muted_label(self.tr(
            "Enter: volgende stap\nCtrl+Shift+N: nieuwe persoon\nCtrl+S: opslaan")))
        side = QFrame()
        side.setObjectName("stepList")
        side.setStyleSheet("QFrame#stepList { background: #e9eef3; border-radius: 4px; }")
        side.setLayout(steps)
        side.setFixedWidth(232)

        self.step_heading = heading_label("", 4.0)
        self.back_button = QPushButton(self.tr("Vor&ige"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(self.tr("Vo&lgende"))
        self.next_button.clicked.connect(self.go_next)
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Annuleren"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(self.tr("Sluiten; wat u typte blijft bewaard als "
                                              "niet-opgeslagen invoer."))
        self.cancel_button.clicked.connect(self.reject)
        self.general_error = ErrorLabel()

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)

        main = QVBoxLayout()
        main.setSpacing(10)
        main.addWidget(self.step_heading)
        main.addWidget(self.offer)
        main.addWidget(self.stack, 1)
        main.addWidget(self.general_error)
        main.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 20, 14)
        layout.setSpacing(18)
        layout.addWidget(side)
        layout.addLayout(main, 1)

        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.add_member_by_user)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.go_next_or_save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.go_next_or_save)
        QShortcut(QKeySequence("Alt+Left"), self, self.go_back)

        self._loading = True
        self.add_member()
        self._loading = False
        self._register_fields()
        self._watch()
        self.set_step(STEP_REFERRAL)
        draft = self._drafts.get(DRAFT_KEY)
        if draft is not None and draft.payload:
            self._set_form_enabled(False)
            self.offer.offer(draft.updated_at)

    # --- building the steps ----------------------------------------------------------------

    def _slot(self, path: str, widget: QWidget) -> QWidget:
        """`widget` with its message label underneath; registered for FieldErrors."""
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(widget)
        message = ErrorLabel(box)
        box_layout.addWidget(message)
        self._static_slots.append(Slot(path, widget, message))
        return box

    def _page(self, intro: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        if intro:
            layout.addWidget(muted_label(intro))
        return page, layout

    def _build_referral(self) -> QWidget:
        page, layout = self._page(self.tr(
            "Wie heeft dit huishouden aangemeld, en wanneer? De Wmo geeft zes weken voor het "
            "onderzoek na een melding."))
        self.referral_source = QComboBox()
        self.referral_source.setObjectName("referral_source")
        for source in ReferralSource:
            self.referral_source.addItem(referral_label(source), source.value)
        self.referrer = _line()
        self.referrer.setObjectName("referrer")
        self.referrer.setPlaceholderText(self.tr("Bijvoorbeeld de naam van de huisarts of school"))
        self.referral_date = DateField()
        self.referral_date.setObjectName("referral_date")
        self.referral_date.set_value(self._today)
        self.referral_date.setMaximumWidth(160)
        self.referral_note = _text_box(110)
        self.referral_note.setObjectName("referral_note")

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        rows: list[tuple[str, QWidget, str]] = [
            (self.tr("&Aangemeld door"), self.referral_source, "case.referral_source"),
            (self.tr("&Wie precies"), self.referrer, "case.referrer"),
            (self.tr("&Datum aanmelding"), self.referral_date, "case.referral_date"),
            (self.tr("&Notitie"), self.referral_note, "case.referral_note"),
        ]
        for row, (caption, widget, path) in enumerate(rows):
            label = _caption(caption, widget)
            grid.addWidget(label, row, 0,
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self._slot(path, widget), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addStretch(1)
        return page

    def _build_household(self) -> QWidget:
        page, layout = self._page("")
        self.street = _line()
        self.street.setObjectName("street")
        self.house_number = _line(5)
        self.house_number.setObjectName("house_number")
        self.house_number.setValidator(QIntValidator(1, 99999, self.house_number))
        self.house_number.setMaximumWidth(90)
        self.suffix = _line(10)
        self.suffix.setObjectName("house_number_suffix")
        self.suffix.setMaximumWidth(90)
        self.postcode = _line(7)
        self.postcode.setObjectName("postcode")
        self.postcode.setMaximumWidth(110)
        self.city = _line()
        self.city.setObjectName("city")
        known = [*self._households.wijken(), *self._ws.team.wijken]
        self.wijk = wijk_combo(known)
        self.wijk.setObjectName("wijk")
        self._stadsdeel_of_wijk = self._households.stadsdeel_of_wijk()
        self.stadsdeel = wijk_combo(sorted(set(self._stadsdeel_of_wijk.values())))
        self.stadsdeel.setObjectName("stadsdeel")
        self.stadsdeel.setAccessibleName(self.tr("Stadsdeel"))
        stadsdeel_edit = self.stadsdeel.lineEdit()
        if stadsdeel_edit is not None:
            stadsdeel_edit.setPlaceholderText(self.tr("Optioneel"))
        self.wijk.currentTextChanged.connect(self._suggest_stadsdeel)
        self.household_name = _line()
        self.household_name.setObjectName("household_name")
        self.household_name.setPlaceholderText(self.tr("Wordt ingevuld met de achternaam"))

        address = QGridLayout()
        address.setHorizontalSpacing(10)
        address.setVerticalSpacing(2)
        fields: list[tuple[int, int, str, QWidget, str, int]] = [
            (0, 0, self.tr("&Straat"), self.street, "household.street", 4),
            (0, 1, self.tr("&Huisnummer"), self.house_number, "household.house_number", 1),
            (0, 2, self.tr("To&evoeging"), self.suffix, "household.house_number_suffix", 1),
            (2, 0, self.tr("&Postcode"), self.postcode, "household.postcode", 1),
            (2, 1, self.tr("Pl&aats"), self.city, "household.city", 2),
            (2, 2, self.tr("&Wijk"), self.wijk, "household.wijk", 2),
            # No Alt+letter left for it (every letter of "Stadsdeel" is taken on this step);
            # it is the next field after Wijk with Tab.
            (2, 3, self.tr("Stadsdeel"), self.stadsdeel, "household.stadsdeel", 2),
        ]
        for row, column, caption, widget, path, span in fields:
            del span
            address.addWidget(_caption(caption, widget), row, column)
            address.addWidget(self._slot(path, widget), row + 1, column)
        address.setColumnStretch(0, 3)
        address.setColumnStretch(1, 2)
        address.setColumnStretch(2, 2)
        address.setColumnStretch(3, 2)
        layout.addLayout(address)

        self.add_member_button = QPushButton(self.tr("Persoo&n toevoegen"))
        self.add_member_button.setAutoDefault(False)
        self.add_member_button.setToolTip(self.tr("Ctrl+Shift+N"))
        self.add_member_button.setAccessibleDescription(self.tr("Sneltoets Ctrl+Shift+N"))
        self.add_member_button.clicked.connect(lambda: self.add_member_by_user())
        members_head = QHBoxLayout()
        members_head.addWidget(heading_label(self.tr("Leden"), 1.5))
        members_head.addStretch(1)
        members_head.addWidget(self.add_member_button)
        layout.addLayout(members_head)
        self.members_message = ErrorLabel()
        layout.addWidget(self.members_message)

        self.members_box = QWidget()
        self.members_layout = QVBoxLayout(self.members_box)
        self.members_layout.setContentsMargins(0, 0, 4, 0)
        self.members_layout.setSpacing(8)
        self.members_layout.addStretch(1)
        self.members_scroll = QScrollArea()
        self.members_scroll.setWidget(self.members_box)
        self.members_scroll.setWidgetResizable(True)
        self.members_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Only the fields in it take the focus, not the scroll area (see _update_tab_order).
        self.members_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.members_scroll, 1)
        # The household's name comes from the first person's last name: it follows the
        # persons on screen and in the Tab order.
        name_row = QHBoxLayout()
        name_row.addWidget(_caption(self.tr("Naam h&uishouden"), self.household_name))
        name_row.addWidget(self._slot("household.name", self.household_name), 1)
        layout.addLayout(name_row)
        return page

    def _suggest_stadsdeel(self, wijk: str) -> None:
        """The stadsdeel this wijk already has in the case file, when none is typed yet."""
        known = self._stadsdeel_of_wijk.get(wijk.strip())
        if known and not self.stadsdeel.currentText().strip():
            self.stadsdeel.setEditText(known)

    def _build_quickscan(self) -> QWidget:
        page, layout = self._page(self.tr(
            "Eigen kracht eerst: vraag in deze volgorde, in de woorden van de inwoner."))
        self.qs_self = _text_box()
        self.qs_self.setObjectName("qs_self")
        self.qs_arrange = _text_box()
        self.qs_arrange.setObjectName("qs_arrange")
        self.qs_help = _text_box()
        self.qs_help.setObjectName("qs_help")
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        questions: list[tuple[str, QPlainTextEdit, str]] = [
            (self.tr("Wat kunt u &zelf?"), self.qs_self, "case.quickscan.self_"),
            (self.tr("Wat kunt u zelf &regelen (met familie, buren, vrijwilligers)?"),
             self.qs_arrange, "case.quickscan.arrange"),
            (self.tr("Waarbij heeft u &hulp nodig?"), self.qs_help, "case.quickscan.help"),
        ]
        for row, (caption, widget, path) in enumerate(questions):
            grid.addWidget(_caption(caption, widget), row * 2, 0)
            grid.addWidget(self._slot(path, widget), row * 2 + 1, 0)
        layout.addLayout(grid)

        triage_row = QHBoxLayout()
        triage_row.setSpacing(24)
        triage = QVBoxLayout()
        triage.setSpacing(2)
        triage.addWidget(heading_label(self.tr("Triage"), 1.0))
        self.complexity_group = QButtonGroup(self)
        self.complexity_none = QRadioButton(self.tr("&Nog niet bepaald"))
        self.complexity_none.setObjectName("complexity_none")
        self.complexity_none.setChecked(True)
        self.complexity_single = QRadioButton(self.tr("&Enkelvoudig"))
        self.complexity_single.setObjectName("complexity_enkelvoudig")
        self.complexity_multi = QRadioButton(self.tr("&Meervoudig"))
        self.complexity_multi.setObjectName("complexity_meervoudig")
        for button, hint in ((self.complexity_none, ""),
                             (self.complexity_single, complexity_hint(Complexity.ENKELVOUDIG)),
                             (self.complexity_multi, complexity_hint(Complexity.MEERVOUDIG))):
            self.complexity_group.addButton(button)
            button.setAccessibleDescription(hint)
            triage.addWidget(button)
            if hint:
                hint_label = muted_label(hint)
                hint_label.setContentsMargins(24, 0, 0, 4)
                triage.addWidget(hint_label)
        triage.addStretch(1)
        triage_box = QWidget()
        triage_box.setLayout(triage)
        triage_row.addWidget(self._slot("case.complexity", triage_box), 2)

        urgency = QVBoxLayout()
        urgency.setSpacing(2)
        urgency.addWidget(heading_label(self.tr("Urgentiecriteria"), 1.0))
        self.urgency_checks: dict[UrgencyCriterion, QCheckBox] = {}
        mnemonics = {UrgencyCriterion.TERMINALE_SITUATIE: "&Terminale situatie",
                     UrgencyCriterion.SUICIDALITEIT: "S&uïcidaliteit",
                     UrgencyCriterion.HUISELIJK_GEWELD: "Huiselijk &geweld",
                     UrgencyCriterion.KWETSBAARHEID: "&Kwetsbaarheid",
                     UrgencyCriterion.DAKLOOSHEID: "&Dakloosheid",
                     UrgencyCriterion.VOORMALIGE_VET_ZAAK: "Voormalige &VET-zaak"}
        for criterion in UrgencyCriterion:
            text = QCoreApplication.translate("IntakeWizard", mnemonics[criterion])
            if criterion.crisis_sensitive:
                text = self.tr("%1 (crisisgevoelig)").replace("%1", text)
            check = QCheckBox(text)
            check.setObjectName(f"urgency.{criterion.value}")
            check.setAccessibleName(urgency_marked_label(criterion))
            if criterion.crisis_sensitive:
                check.setStyleSheet(f"QCheckBox {{ color: {CRISIS_COLOUR}; }}")
            self.urgency_checks[criterion] = check
            urgency.addWidget(check)
        urgency.addWidget(muted_label(self.tr(
            "Rood: crisisgevoelig. Huiselijk geweld en VET-zaken krijgen voorrang.")))
        urgency.addStretch(1)
        urgency_box = QWidget()
        urgency_box.setLayout(urgency)
        triage_row.addWidget(
            self._slot("case.urgency", urgency_box), 2)

        client = QVBoxLayout()
        client.setSpacing(2)
        self.client_profile = QComboBox()
        self.client_profile.setObjectName("client_profile")
        self.client_profile.setAccessibleName(self.tr("Cliëntprofiel"))
        self.client_profile.addItem(client_profile_label(None), 0)
        for number in CLIENT_PROFILES:
            self.client_profile.addItem(client_profile_label(number), number)
        self.client_profile.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.client_profile.setMinimumContentsLength(22)
        client.addWidget(_caption(self.tr("Cliënt&profiel"), self.client_profile))
        client.addWidget(self._slot("case.client_profile", self.client_profile))
        self.problem_areas = QListWidget()
        self.problem_areas.setObjectName("problem_areas")
        self.problem_areas.setAccessibleName(self.tr("Probleemgebieden"))
        self.problem_areas.setAccessibleDescription(self.tr(
            "Spatiebalk zet een vinkje aan of uit."))
        for area in ProblemArea:
            item = QListWidgetItem(problem_area_label(area))
            item.setData(Qt.ItemDataRole.UserRole, area.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.problem_areas.addItem(item)
        self.problem_areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problem_areas.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.client_profile.currentIndexChanged.connect(
            lambda _i: self.client_profile.setToolTip(self.client_profile.currentText()))
        client.addWidget(_caption(self.tr("Pro&bleemgebieden"), self.problem_areas))
        client.addWidget(self._slot("case.problem_areas", self.problem_areas), 1)
        client_box = QWidget()
        client_box.setLayout(client)
        triage_row.addWidget(client_box, 2)
        layout.addLayout(triage_row, 1)
        return page

    def _build_summary(self) -> QWidget:
        page, layout = self._page(self.tr(
            "Controleer de gegevens. Met Opslaan worden huishouden, leden en casus in één keer "
            "vastgelegd."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.summary.setAccessibleName(self.tr("Samenvatting"))
        scroll = QScrollArea()
        scroll.setWidget(self.summary)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the summary itself takes the focus
        layout.addWidget(scroll, 1)
        return page

    # --- members ------------------------------------------------------------------------------

    def add_member_by_user(self) -> None:
        """Ctrl+Shift+N or the button: a new, empty member, with the cursor in its first name.
        From another step this goes to the household step (without checking the steps in
        between: that happens when moving on)."""
        if not self.stack.isEnabled():
            return
        if self.stack.currentIndex() != STEP_HOUSEHOLD:
            self.errors.clear()
            self.set_step(STEP_HOUSEHOLD)
        self.add_member()

    def add_member(self, person_id: str | None = None) -> MemberRow:
        """Add an empty member row (with the given id when restoring a draft)."""
        row = MemberRow(person_id or new_id(), self._today, self.members_box)
        if self.member_rows:
            row.set_default_role(HouseholdRole.PARTNER if len(self.member_rows) == 1
                                 else HouseholdRole.KIND)
        self.member_rows.append(row)
        self.members_layout.insertWidget(self.members_layout.count() - 1, row)
        row.show()
        row.changed.connect(self._members_changed)
        row.removeRequested.connect(self.remove_member)
        row.bsn.textChanged.connect(lambda _text, r=row: self._check_bsn(r))
        self._renumber()
        if not self._loading:
            self._members_changed()
            row.first_name.setFocus()
            self.members_scroll.ensureWidgetVisible(row)
        return row

    def _check_bsn(self, row: MemberRow) -> None:
        """Flag, without blocking, a BSN that is registered in another household too."""
        found = self._households.bsn_elsewhere(row.bsn.text(), self.household_id)
        row.bsn_warning.show_message(bsn_warning_text(found))

    def remove_member(self, row: MemberRow) -> None:
        if row not in self.member_rows:
            return
        index = self.member_rows.index(row)
        self.member_rows.remove(row)
        self.members_layout.removeWidget(row)
        row.deleteLater()
        self._renumber()
        self._members_changed()
        if self.member_rows:
            self.member_rows[min(index, len(self.member_rows) - 1)].first_name.setFocus()
        else:
            self.add_member_button.setFocus()

    def _renumber(self) -> None:
        for n, row in enumerate(self.member_rows):
            row.set_number(n + 1)
        self._register_fields()
        self._update_tab_order()

    def _update_tab_order(self) -> None:
        """Tab on step Huishouden: the address and household name, every person's fields
        (gezag included), "Persoon toevoegen", and only then the dialog's buttons.

        Rows and gezag boxes are made after the dialog's buttons, so without this they would
        come last, behind the buttons."""
        chain: list[QWidget] = [self.street, self.house_number, self.suffix, self.postcode,
                                self.city, self.wijk, self.stadsdeel]
        for row in self.member_rows:
            chain += row.focus_chain()
        chain += [self.household_name, self.add_member_button, self.cancel_button,
                  self.back_button,
                  self.next_button, self.save_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _members_changed(self) -> None:
        if self._loading:
            return
        adults = [(r.person_id, r.full_name()) for r in self.member_rows if r.is_adult()]
        for row in self.member_rows:
            row.set_gezag_candidates([a for a in adults if a[0] != row.person_id])
        self._update_tab_order()
        if not self._name_edited and self.member_rows:
            first = self.member_rows[0]
            self.household_name.setText(
                household_name_for(first.name_prefix.text(), first.last_name.text()))
        self.keeper.touch()

    # --- fields, drafts ----------------------------------------------------------------------

    def _register_fields(self) -> None:
        self.errors = FieldErrors()
        for slot in self._static_slots:
            self.errors.register(slot.path, slot.widget, slot.label)
        self.errors.register("members", self.add_member_button, self.members_message)
        for n, row in enumerate(self.member_rows):
            for key, (widget, label) in row.slots.items():
                self.errors.register(f"members.{n}.{key}", widget, label)
            self.errors.register(f"members.{n}.gezag", row.gezag_box, row.gezag_message)
            self.errors.register(f"members.{n}.gezag_note", row.gezag_box, row.gezag_message)

    def _watch(self) -> None:
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is not None:
                watch_changes(page, self.keeper.touch)
        self.household_name.textEdited.connect(self._name_typed)

    def _name_typed(self, text: str) -> None:
        self._name_edited = bool(text.strip())

    def draft_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is not None:
                payload.update(form_payload(page))
        payload["members"] = [row.payload() for row in self.member_rows]
        payload["name_edited"] = self._name_edited
        payload["household_id"] = self.household_id
        payload["case_id"] = self.case_id
        payload["step"] = self.stack.currentIndex()
        return payload

    def restore_payload(self, payload: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.household_id = str(payload.get("household_id") or self.household_id)
            self.case_id = str(payload.get("case_id") or self.case_id)
            for row in list(self.member_rows):
                self.member_rows.remove(row)
                self.members_layout.removeWidget(row)
                row.deleteLater()
            members = payload.get("members")
            for member in members if isinstance(members, list) else []:
                if isinstance(member, dict):
                    row = self.add_member(str(member.get("id") or new_id()))
                    row.restore(member)
            if not self.member_rows:
                self.add_member()
            for index in range(self.stack.count()):
                page = self.stack.widget(index)
                if page is not None:
                    restore_form(page, payload)
            self._name_edited = bool(payload.get("name_edited"))
        finally:
            self._loading = False
        self._renumber()
        self._members_changed()
        name = payload.get("household_name")
        if isinstance(name, str) and self._name_edited:
            self.household_name.setText(name)
        step = payload.get("step")
        self.set_step(step if isinstance(step, int) and 0 <= step < STEP_SUMMARY else 0)

    def _restore_draft(self) -> None:
        draft = self._drafts.get(DRAFT_KEY)
        if draft is not None:
            self.restore_payload(draft.payload)
        self._set_form_enabled(True)
        self._focus_first()

    def _discard_draft(self) -> None:
        self._drafts.discard(DRAFT_KEY)
        self._set_form_enabled(True)
        self._focus_first()

    def _set_form_enabled(self, enabled: bool) -> None:
        for widget in (self.stack, self.next_button, self.back_button, self.save_button):
            widget.setEnabled(enabled)
        if enabled:
            self.set_step(self.stack.currentIndex())

    # --- steps ---------------------------------------------------------------------------------

    def set_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        titles = step_titles()
        self.step_heading.setText(self.tr("Stap %1 van %2: %3").replace("%1", str(step + 1))
                                  .replace("%2", str(len(titles))).replace("%3", titles[step]))
        for n, label in enumerate(self.step_labels):
            font = label.font()
            font.setBold(n == step)
            label.setFont(font)
            label.setEnabled(n <= step)
        if step == STEP_SUMMARY:
            self._fill_summary()
        ready = self.stack.isEnabled()
        self.back_button.setEnabled(ready and step > 0)
        self.next_button.setVisible(step < STEP_SUMMARY)
        self.next_button.setDefault(step < STEP_SUMMARY)
        self.save_button.setDefault(step == STEP_SUMMARY)
        self.save_button.setAutoDefault(step == STEP_SUMMARY)
        self.next_button.setAutoDefault(step < STEP_SUMMARY)

    def _focus_first(self) -> None:
        targets = {STEP_REFERRAL: self.referral_source, STEP_HOUSEHOLD: self.street,
                   STEP_QUICKSCAN: self.qs_self, STEP_SUMMARY: self.save_button}
        step = self.stack.currentIndex()
        target: QWidget = targets[step]
        if step == STEP_HOUSEHOLD and self.street.text() and self.member_rows:
            target = self.member_rows[-1].first_name
        target.setFocus()

    def go_back(self) -> None:
        if self.stack.isEnabled() and self.stack.currentIndex() > 0:
            self.errors.clear()
            self.set_step(self.stack.currentIndex() - 1)
            self._focus_first()

    def go_next(self) -> None:
        if not self.stack.isEnabled():
            return
        step = self.stack.currentIndex()
        if step >= STEP_SUMMARY:
            return
        errors, extra = self.check()
        errors = [e for e in errors if step_of(e.field) == step]
        extra = {p: m for p, m in extra.items() if step_of(p) == step}
        if errors or extra:
            self._show_errors(errors, extra)
            return
        self.errors.clear()
        self.general_error.clear_message()
        self.set_step(step + 1)
        self._focus_first()
        self.keeper.touch()

    def go_next_or_save(self) -> None:
        if self.stack.currentIndex() == STEP_SUMMARY:
            self.save()
        else:
            self.go_next()

    # --- building, checking and saving ---------------------------------------------------------

    def _complexity(self) -> Complexity | None:
        if self.complexity_single.isChecked():
            return Complexity.ENKELVOUDIG
        if self.complexity_multi.isChecked():
            return Complexity.MEERVOUDIG
        return None

    def _quickscan(self) -> Quickscan:
        return Quickscan(self.qs_self.toPlainText().strip(),
                         self.qs_arrange.toPlainText().strip(),
                         self.qs_help.toPlainText().strip())

    def status(self) -> CaseStatus:
        """The case's starting status follows from how far the intake got."""
        if self._complexity() is Complexity.MEERVOUDIG:
            return CaseStatus.KEUKENTAFELGESPREK
        qs = self._quickscan()
        if qs.self_ or qs.arrange or qs.help:
            return CaseStatus.QUICKSCAN
        return CaseStatus.AANGEMELD

    def _referral_note(self) -> str:
        referrer = self.referrer.text().strip()
        note = self.referral_note.toPlainText().strip()
        if referrer:
            first = self.tr("Verwijzer: %1").replace("%1", referrer)
            return f"{first}\n{note}" if note else first
        return note

    def build_intake(self) -> Intake:
        name = self.household_name.text().strip()
        household = Household(
            id=self.household_id, name=name,
            address=Address(self.street.text().strip(),
                            parse_house_number(self.house_number.text()),
                            self.suffix.text().strip(), tidy_postcode(self.postcode.text()),
                            self.city.text().strip()),
            wijk=self.wijk.currentText().strip(),
            stadsdeel=self.stadsdeel.currentText().strip())
        members = tuple(row.person(self.household_id) for row in self.member_rows)
        case = Case(
            id=self.case_id, household_id=self.household_id, team_id=self._ws.team.id,
            regisseur_id=self._ws.worker.id, status=self.status(),
            referral_source=ReferralSource(self.referral_source.currentData()),
            referral_date=self.referral_date.value(),  # type: ignore[arg-type]
            referral_note=self._referral_note(), quickscan=self._quickscan(),
            complexity=self._complexity(),
            urgency=tuple(c for c, check in self.urgency_checks.items() if check.isChecked()),
            client_profile=int(self.client_profile.currentData() or 0) or None,
            problem_areas=tuple(
                ProblemArea(self.problem_areas.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.problem_areas.count())
                if self.problem_areas.item(i).checkState() == Qt.CheckState.Checked),
        )
        return Intake(household, members, case)

    def check(self) -> tuple[list[FieldError], dict[str, str]]:
        """All validation problems: the domain's, and dates or members the UI cannot use."""
        extra: dict[str, str] = {}
        if self.referral_date.is_malformed():
            extra["case.referral_date"] = malformed_date_message()
        for n, row in enumerate(self.member_rows):
            if row.birth_date.is_malformed():
                extra[f"members.{n}.birth_date"] = malformed_date_message()
        if not self.member_rows:
            extra["members"] = self.tr("Voeg minstens één persoon toe.")
        errors = [e for e in validate_intake(self.build_intake(), self._ws)
                  if e.field not in extra]
        return errors, extra

    def _show_errors(self, errors: list[FieldError], extra: dict[str, str]) -> None:
        steps = [step_of(e.field) for e in errors] + [step_of(p) for p in extra]
        first_step = min(steps) if steps else self.stack.currentIndex()
        if first_step != self.stack.currentIndex():
            self.set_step(first_step)
        ordered = sorted(errors, key=lambda e: step_of(e.field))
        unplaced = self.errors.show(ordered, extra)
        if unplaced:
            log.info("intake errors without a field: %s", ", ".join(unplaced))
            self.general_error.show_message(
                self.tr("Niet alle gegevens zijn juist ingevuld; controleer de stappen."))
        else:
            self.general_error.show_message(self.tr("Controleer de rood gemelde velden."))

    def save(self) -> None:
        if not self.stack.isEnabled():
            return
        errors, extra = self.check()
        if errors or extra:
            self._show_errors(errors, extra)
            return
        try:
            self._intake.register(self.build_intake())
        except ValidationFailed as exc:
            self._show_errors(exc.errors, {})
            return
        except WijkteamError as exc:
            self.general_error.show_message(error_text(exc.code))
            return
        self.keeper.discard()
        log.info("intake registered")
        self.householdRegistered.emit(self.household_id)
        self.accept()

    def reject(self) -> None:
        """Closing keeps what was typed as a draft; it is offered back next time."""
        if self.keeper.saves or self._has_input():
            self.keeper.flush()
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.offer.isVisible():
            self.offer.yes_button.setFocus()
        else:
            self._focus_first()

    def _has_input(self) -> bool:
        if any(r.full_name() or r.birth_date.text() or r.bsn.text() for r in self.member_rows):
            return True
        edits = (self.referrer, self.street, self.house_number, self.postcode, self.city)
        texts = (self.referral_note, self.qs_self, self.qs_arrange, self.qs_help)
        return any(e.text().strip() for e in edits) or any(
            t.toPlainText().strip() for t in texts)

    # --- summary -------------------------------------------------------------------------------

    def _fill_summary(self) -> None:
        intake = self.build_intake()
        h, case = intake.household, intake.case
        e = html.escape
        dash = "—"
        a = h.address
        number = house_number_text(a.house_number, a.house_number_suffix)
        parts: list[str] = ["<table cellspacing='0' cellpadding='3'>"]

        # One table for all sections, so the values line up under each other.
        def section(title: str, rows: list[tuple[str, str]]) -> None:
            parts.append(f"<tr><td colspan='2' style='padding-top:12px; font-size:large;"
                         f" font-weight:600'>{e(title)}</td></tr>")
            for caption, value in rows:
                parts.append(f"<tr><td style='color:#52606d; padding-right:18px'>{e(caption)}"
                             f"</td><td>{value}</td></tr>")

        section(self.tr("Aanmelding"), [
            (self.tr("Aangemeld door"), e(referral_label(case.referral_source))),
            (self.tr("Datum"), e(format_dutch_date(case.referral_date) or dash)),
            (self.tr("Toelichting"), e(case.referral_note or dash).replace("\n", "<br>")),
        ])
        section(self.tr("Huishouden"), [
            (self.tr("Naam"), e(h.name or dash)),
            (self.tr("Adres"), e(f"{a.street} {number}, {a.postcode} {a.city}".strip(" ,"))),
            (self.tr("Wijk"), e(h.wijk or dash)),
            (self.tr("Stadsdeel"), e(h.stadsdeel or dash)),
        ])
        member_rows: list[tuple[str, str]] = []
        names = {m.id: m.full_name for m in intake.members}
        for member in intake.members:
            age = member.age_on(self._today)
            bits = [role_label(member.household_role)]
            if age is not None:
                bits.append(self.tr("%1 jaar").replace("%1", str(age)))
            if member.gezag_holder_ids:
                bits.append(self.tr("gezag: %1").replace("%1", ", ".join(
                    names.get(i, "") for i in member.gezag_holder_ids)))
            member_rows.append((member.full_name or dash, e(", ".join(bits))))
        section(self.tr("Leden"), member_rows or [(dash, "")])
        urgency = ", ".join(
            f"<span style='color:{CRISIS_COLOUR}; font-weight:600'>{e(urgency_label(c))}</span>"
            if c.crisis_sensitive else e(urgency_label(c)) for c in case.urgency) or dash
        section(self.tr("Quickscan"), [
            (self.tr("Wat kunt u zelf?"), e(case.quickscan.self_ or dash)),
            (self.tr("Wat kunt u zelf regelen?"), e(case.quickscan.arrange or dash)),
            (self.tr("Waarbij heeft u hulp nodig?"), e(case.quickscan.help or dash)),
            (self.tr("Triage"), e(complexity_label(case.complexity))),
            (self.tr("Urgentie"), urgency),
            (self.tr("Cliëntprofiel"), e(client_profile_label(case.client_profile))),
            (self.tr("Probleemgebieden"), e(", ".join(
                problem_area_label(a) for a in case.problem_areas) or dash)),
            (self.tr("Status na opslaan"), f"<b>{e(status_label(case.status))}</b>"),
        ])
        parts.append("</table>")
        self.summary.setText("".join(parts))
