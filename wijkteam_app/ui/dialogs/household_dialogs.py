"""Editing dialogs of the household page: household (address, wijk), person (with gezag),
network member, professional, case, contact moment and consent.

Every dialog works the same way:
- the Dutch message of each validation problem appears at its field (`FieldErrors`), and
  nothing is saved while a field is invalid;
- what is typed is kept as a draft (`DraftKeeper`) and offered back when the same form is
  opened again after a crash;
- when someone else changed the record in the meantime (`StaleVersion`), the dialog closes
  with the result `STALE` and emits `staleDetected`; the page reloads and says so. The typed
  input stays available as a draft.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import (
    CLIENT_PROFILES,
    MAX_CONTACT_MINUTES,
    Case,
    CaseStatus,
    Complexity,
    Consent,
    ContactKind,
    ContactMoment,
    ProblemArea,
    UrgencyCriterion,
    validate_case,
    validate_consent,
    validate_contact,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import (
    Address,
    Household,
    HouseholdRole,
    NetworkMember,
    Person,
    Professional,
    age_on,
    validate_household,
    validate_network_member,
    validate_person,
    validate_professional,
)
from wijkteam_app.domain.validation import (
    FieldError,
    ValidationFailed,
    bsn_error,
    canonical_bsn,
    canonical_postcode,
    postcode_error,
)
from wijkteam_app.errors import (
    CaseFileDamaged,
    DiskError,
    DiskFull,
    NotFound,
    ReadOnlyLocation,
    StaleVersion,
)
from wijkteam_app.services.authority import NotAllowed
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import BsnElsewhere, HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.drafts import DraftKeeper
from wijkteam_app.ui.form_drafts import DraftOfferBar, form_payload, restore_form, watch_changes
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.labels import (
    client_profile_label,
    complexity_label,
    consent_form_label,
    contact_kind_label,
    problem_area_label,
    role_label,
    status_label,
    urgency_marked_label,
)
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import DateField, FieldErrors, malformed_date_message

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QWidget)
STALE = 2  # dialog result: someone else changed the record; the page reloads
CRISIS_COLOUR = "#b42318"


def strip_mnemonic(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def parse_house_number(text: str) -> int:
    value = text.strip()
    return int(value) if value.isdigit() else 0


def tidy_postcode(text: str) -> str:
    return canonical_postcode(text) if postcode_error(text) is None else text.strip()


def tidy_bsn(text: str) -> str:
    return canonical_bsn(text) if bsn_error(text) is None else text.strip()


class WarningLabel(QLabel):
    """An amber note at a field: worth a look, but it blocks nothing. Takes no space while
    there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldWarning")
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#fieldWarning { background: #fff7e0; border: 1px solid "
                           "#e0b44c; border-radius: 4px; padding: 4px 8px; color: #3d2c00; }")
        self.setVisible(False)

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))


def bsn_warning_text(found: Sequence[BsnElsewhere]) -> str:
    """The warning that a BSN is registered in other households too (those this worker can
    see), naming them; empty when there are none."""
    if not found:
        return ""
    places = [QCoreApplication.translate("PersonDialog", "bij %1 in huishouden ‘%2’")
              .replace("%1", f.person_name).replace("%2", f.household_name) for f in found]
    return QCoreApplication.translate(
        "PersonDialog", "Let op: dit BSN staat ook %1. Controleer of het om dezelfde persoon "
        "gaat en overleg zo nodig met uw teamcoach; opslaan kan gewoon.").replace(
        "%1", QCoreApplication.translate("PersonDialog", " en ").join(places))


class GroupCaption(QLabel):
    """The caption of a group of check boxes, with the first box as its buddy. Its
    Alt+letter only moves the focus to that box: a plain QLabel would also *tick* a button
    buddy (Qt clicks it), while the caption names the whole group."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:  # only the label's own mnemonic comes here
            buddy = self.buddy()
            if buddy is not None and buddy.isEnabled():
                buddy.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().event(event)


def malformed_dates(fields: dict[str, DateField]) -> dict[str, str]:
    """Messages for dates typed in a form the app cannot read (path -> message)."""
    return {path: malformed_date_message() for path, field in fields.items()
            if field.is_malformed()}


class RecordDialog(QDialog):
    """Base: a heading, a form with messages at the fields, Opslaan/Annuleren, a draft."""

    saved = Signal(str)  # the id of the saved object
    staleDetected = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, workspace: Workspace, draft_key: str, draft_kind: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = HouseholdService(workspace)
        self._drafts = DraftService(workspace)
        self.errors = FieldErrors()
        self.date_fields: dict[str, DateField] = {}
        self.field_rows: dict[str, QWidget] = {}  # path -> the form row's field (for hiding)
        self._stale = False
        self.setWindowTitle(title)
        self.setMinimumWidth(560)

        self.heading = heading_label(title, 3.0)
        self.offer = DraftOfferBar()
        self.form = QWidget()
        self.form_layout = QFormLayout(self.form)
        self.form_layout.setContentsMargins(0, 0, 0, 0)
        self.form_layout.setHorizontalSpacing(14)
        self.form_layout.setVerticalSpacing(8)
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form_layout.setLabelAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.general_error = ErrorLabel()

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("&Opslaan"))
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Annuleren"))
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.attempt_save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.attempt_save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.attempt_save)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.offer)
        layout.addWidget(self.form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.keeper = DraftKeeper(self._drafts, draft_key, draft_kind, title,
                                  lambda: form_payload(self.form), parent=self)
        self.offer.restoreChosen.connect(self._restore_draft)
        self.offer.discardChosen.connect(self._discard_draft)

    # --- building the form ----------------------------------------------------------------

    def add_field(self, label: str, widget: W, path: str, *, hint: str = "") -> W:
        """A labelled input (label with mnemonic, buddy, accessible name) with its message
        slot underneath, registered under `path` (also its object name, for the draft)."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setObjectName(path)
        if not widget.accessibleName():
            widget.setAccessibleName(strip_mnemonic(label))
        if hint:
            widget.setAccessibleDescription(hint)
        if isinstance(widget, DateField):
            self.date_fields[path] = widget
            widget.setMaximumWidth(180)
        if isinstance(widget, QComboBox) and widget.isEditable():
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        if widget.maximumWidth() < 10_000:
            # A narrow field (date, minutes) must not narrow its message underneath.
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(widget)
            row.addStretch(1)
            box_layout.addLayout(row)
        else:
            box_layout.addWidget(widget)
        if hint:
            box_layout.addWidget(muted_label(hint))
        message = ErrorLabel(box)
        box_layout.addWidget(message)
        self.errors.register(path, widget, message)
        self.form_layout.addRow(caption, box)
        self.field_rows[path] = box
        return widget

    def line(self, text: str = "", max_length: int = 200) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setMaxLength(max_length)
        return edit

    def notes(self, text: str = "", height: int = 84) -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(height)
        return edit

    def finish(self) -> None:
        """Call at the end of a subclass's constructor: watch edits, offer a kept draft."""
        watch_changes(self.form, self.keeper.touch)
        draft = self._drafts.get(self.keeper.key)
        if draft is not None and draft.payload:
            self.form.setEnabled(False)
            self.save_button.setEnabled(False)
            self.offer.offer(draft.updated_at)
        self.adjustSize()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        fit_height(self)  # wrapped hints know their height only once the width is known
        # Without this Qt would give the focus to "Opslaan" (the default button), because
        # the first widget in the tab order is the (hidden) draft offer's button.
        if self.offer.isVisible():
            self.offer.yes_button.setFocus()
        else:
            self.focus_first_field()

    def _restore_draft(self) -> None:
        draft = self._drafts.get(self.keeper.key)
        if draft is not None:
            restore_form(self.form, draft.payload)
        self._unlock_form()

    def _discard_draft(self) -> None:
        self._drafts.discard(self.keeper.key)
        self._unlock_form()

    def _unlock_form(self) -> None:
        self.form.setEnabled(True)
        self.save_button.setEnabled(True)
        self.focus_first_field()

    def first_field_name(self) -> str:
        """The object name of the field that gets the focus when the form opens."""
        return ""

    def first_field(self) -> QWidget | None:
        """The field to start typing in: `first_field_name`'s, else the form's first input
        in the tab order."""
        name = self.first_field_name()
        first = self.form.findChild(QWidget, name) if name else None
        if first is not None and first.isVisibleTo(self) and first.isEnabled():
            return first
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (self.form.isAncestorOf(widget) and widget.isEnabled()
                    and widget.isVisibleTo(self)
                    and widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value):
                return widget
            widget = widget.nextInFocusChain()
        return None

    def focus_first_field(self) -> None:
        first = self.first_field()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- to be provided by subclasses -----------------------------------------------------

    def build(self) -> Any:
        raise NotImplementedError

    def validate(self, value: Any) -> list[FieldError]:
        raise NotImplementedError

    def persist(self, value: Any) -> None:
        raise NotImplementedError

    def extra_messages(self) -> dict[str, str]:
        return {}

    # --- saving ---------------------------------------------------------------------------

    def attempt_save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.general_error.clear_message()
        extra = malformed_dates(self.date_fields) | self.extra_messages()
        value = self.build()
        errors = self.validate(value)
        if errors or extra:
            self._show(errors, extra)
            return
        try:
            self.persist(value)
        except ValidationFailed as exc:
            self._show(exc.errors, extra)
            return
        except StaleVersion:
            log.info("stale record in %s", type(self).__name__)
            self.keeper.flush()
            self._stale = True
            self.staleDetected.emit()
            self.done(STALE)
            return
        except NotFound:
            self.general_error.show_message(error_text("not_found"))
            return
        except NotAllowed as exc:  # the buttons are hidden; this is the last safeguard
            self.general_error.show_message(error_text(exc.code))
            return
        except (DiskFull, ReadOnlyLocation, DiskError, CaseFileDamaged) as exc:
            # Nothing was stored; what was typed stays in the form to try again.
            log.warning("save refused in %s: %s", type(self).__name__, exc.code)
            self.general_error.show_message(error_text(exc.code))
            fit_height(self)
            return
        self.keeper.discard()
        self.saved.emit(str(getattr(value, "id", "")))
        self.accept()

    def _show(self, errors: Sequence[FieldError], extra: dict[str, str]) -> None:
        # Messages for dates the app could not read replace the "required" they cause.
        errors = [e for e in errors if e.field not in extra]
        unplaced = self.errors.show(errors, extra)
        if unplaced:
            self.general_error.show_message(
                self.tr("Niet alle gegevens zijn juist ingevuld; controleer het formulier."))
        fit_height(self)

    def reject(self) -> None:
        """Annuleren is an explicit choice to throw the input away."""
        if not self._stale:
            self.keeper.discard()
        super().reject()


def _combo(items: Sequence[tuple[str, Any]], current: Any = None) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)
    return combo


def wijk_combo(known: Sequence[str], current: str = "") -> QComboBox:
    """An editable list of known wijken: pick one, or type a new one."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for wijk in sorted({w for w in known if w}, key=str.casefold):
        combo.addItem(wijk, wijk)
    combo.setCurrentIndex(-1)
    combo.setEditText(current)
    return combo


# --- household -----------------------------------------------------------------------------

class HouseholdDialog(RecordDialog):
    def __init__(self, workspace: Workspace, household: Household,
                 parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"huishouden:{household.id}", "huishouden",
                         QCoreApplication.translate("HouseholdDialog", "Huishouden wijzigen"),
                         parent)
        self._household = household
        a = household.address
        self.name = self.add_field(self.tr("&Naam huishouden"), self.line(household.name), "name")
        self.street = self.add_field(self.tr("&Straat"), self.line(a.street), "street")
        self.house_number = self.line(str(a.house_number or ""), 5)
        self.house_number.setValidator(QIntValidator(1, 99999, self.house_number))
        self.add_field(self.tr("&Huisnummer"), self.house_number, "house_number")
        self.suffix = self.line(a.house_number_suffix, 10)
        self.add_field(self.tr("&Toevoeging"), self.suffix, "house_number_suffix")
        self.postcode = self.add_field(self.tr("&Postcode"), self.line(a.postcode, 7), "postcode")
        self.city = self.add_field(self.tr("Pl&aats"), self.line(a.city), "city")
        known = [*self.service.wijken(), *workspace.team.wijken]
        self.wijk = self.add_field(self.tr("&Wijk"), wijk_combo(known, household.wijk), "wijk")
        stadsdelen = sorted(set(self.service.stadsdeel_of_wijk().values()))
        self.stadsdeel = self.add_field(self.tr("Stads&deel"),
                                        wijk_combo(stadsdelen, household.stadsdeel), "stadsdeel")
        self.finish()

    def first_field_name(self) -> str:
        return "name"

    def build(self) -> Household:
        return replace(
            self._household,
            name=self.name.text().strip(),
            address=Address(self.street.text().strip(),
                            parse_house_number(self.house_number.text()),
                            self.suffix.text().strip(), tidy_postcode(self.postcode.text()),
                            self.city.text().strip()),
            wijk=self.wijk.currentText().strip(),
            stadsdeel=self.stadsdeel.currentText().strip(),
        )

    def validate(self, value: Household) -> list[FieldError]:
        return validate_household(value)

    def persist(self, value: Household) -> None:
        self.service.update(value)


# --- person --------------------------------------------------------------------------------

class PersonDialog(RecordDialog):
    """A member of the household; for a minor, who holds gezag."""

    def __init__(self, workspace: Workspace, household_id: str, members: Sequence[Person],
                 person: Person | None = None, parent: QWidget | None = None) -> None:
        new = person is None
        title = (QCoreApplication.translate("PersonDialog", "Persoon toevoegen") if new
                 else QCoreApplication.translate("PersonDialog", "Persoon wijzigen"))
        key = f"persoon:{person.id}" if person else f"persoon:{household_id}:nieuw"
        super().__init__(workspace, key, "persoon", title, parent)
        self._person = person or Person(new_id(), household_id, "", "", HouseholdRole.KIND)
        p = self._person
        self._others = [m for m in members if m.id != p.id]
        self.first_name = self.line(p.first_name)
        self.add_field(self.tr("&Voornaam"), self.first_name, "first_name")
        self.name_prefix = self.line(p.name_prefix, 20)
        self.add_field(self.tr("&Tussenvoegsel"), self.name_prefix, "name_prefix")
        self.last_name = self.line(p.last_name)
        self.add_field(self.tr("&Achternaam"), self.last_name, "last_name")
        self.birth_date = DateField()
        self.birth_date.set_value(p.birth_date)
        self.add_field(self.tr("&Geboortedatum"), self.birth_date, "birth_date")
        self.bsn = self.line(p.bsn, 11)
        self.add_field(self.tr("&BSN"), self.bsn, "bsn",
                       hint=self.tr("Alleen invullen waar de wet erom vraagt."))
        self.bsn_warning = WarningLabel()
        bsn_box = self.field_rows["bsn"].layout()
        assert bsn_box is not None
        bsn_box.addWidget(self.bsn_warning)
        self.bsn.textChanged.connect(self._check_bsn)
        self.role = _combo([(role_label(r), r.value) for r in HouseholdRole],
                           p.household_role.value)
        self.add_field(self.tr("&Rol"), self.role, "household_role")

        self.gezag_box = QWidget()
        self.gezag_box.setAccessibleName(self.tr("Gezag"))
        gezag_layout = QVBoxLayout(self.gezag_box)
        gezag_layout.setContentsMargins(0, 0, 0, 0)
        self.gezag_checks: dict[str, QCheckBox] = {}
        today = workspace.today()
        # Gezag is held by adults (a parent, or another adult in the household).
        for other in (m for m in self._others if not m.is_minor_on(today)):
            check = QCheckBox(other.full_name)
            check.setObjectName(f"gezag.{other.id}")
            check.setAccessibleName(self.tr("Gezag bij %1").replace("%1", other.full_name))
            check.setChecked(other.id in p.gezag_holder_ids)
            gezag_layout.addWidget(check)
            self.gezag_checks[other.id] = check
        if not self.gezag_checks:
            gezag_layout.addWidget(muted_label(self.tr("Geen volwassenen in dit huishouden.")))
        self.gezag_label = GroupCaption(self.tr("Ge&zag bij"))
        first_check = next(iter(self.gezag_checks.values()), None)
        if first_check is not None:
            self.gezag_label.setBuddy(first_check)
        gezag_message = ErrorLabel()
        gezag_layout.addWidget(gezag_message)
        self.errors.register("gezag", first_check or self.gezag_box, gezag_message)
        self.form_layout.addRow(self.gezag_label, self.gezag_box)
        self.gezag_note = self.line(p.gezag_note)
        self.add_field(self.tr("Gezag b&uiten huishouden"), self.gezag_note, "gezag_note",
                       hint=self.tr("Bijvoorbeeld een voogd."))
        self.birth_date.dateChanged.connect(self._update_gezag)
        self._update_gezag()
        self._check_bsn()
        self.finish()

    def first_field_name(self) -> str:
        return "first_name"

    def _check_bsn(self) -> None:
        """Flag (without blocking) a BSN that is registered in another household too."""
        found = self.service.bsn_elsewhere(self.bsn.text(), self._person.household_id)
        self.bsn_warning.show_message(bsn_warning_text(found))
        if self.isVisible():
            fit_height(self)

    def _is_minor(self) -> bool:
        age = age_on(self.birth_date.value(), self._ws.today())
        return age is not None and age < 18

    def _update_gezag(self) -> None:
        minor = self._is_minor()
        self.form_layout.setRowVisible(self.gezag_box, minor)
        self.form_layout.setRowVisible(self.field_rows["gezag_note"], minor)

    def build(self) -> Person:
        minor = self._is_minor()
        holders = tuple(i for i, c in self.gezag_checks.items() if c.isChecked()) if minor else ()
        return replace(
            self._person,
            first_name=self.first_name.text().strip(),
            name_prefix=self.name_prefix.text().strip(),
            last_name=self.last_name.text().strip(),
            birth_date=self.birth_date.value(),
            bsn=tidy_bsn(self.bsn.text()),
            household_role=HouseholdRole(self.role.currentData()),
            gezag_holder_ids=holders,
            gezag_note=self.gezag_note.text().strip() if minor else "",
        )

    def validate(self, value: Person) -> list[FieldError]:
        ids = {m.id for m in self._others} | {value.id}
        return validate_person(value, self._ws.today(), ids)

    def persist(self, value: Person) -> None:
        self.service.save_person(value)


# --- network member ------------------------------------------------------------------------

RELATION_SUGGESTIONS = ("Moeder", "Vader", "Dochter", "Zoon", "Zus", "Broer", "Oma", "Opa",
                        "Buurvrouw", "Buurman", "Vriendin", "Vriend", "Vrijwilliger",
                        "Mantelzorger")


class NetworkMemberDialog(RecordDialog):
    def __init__(self, workspace: Workspace, household_id: str, members: Sequence[Person],
                 member: NetworkMember | None = None, parent: QWidget | None = None) -> None:
        new = member is None
        title = (QCoreApplication.translate("NetworkMemberDialog", "Netwerklid toevoegen") if new
                 else QCoreApplication.translate("NetworkMemberDialog", "Netwerklid wijzigen"))
        key = f"netwerk:{member.id}" if member else f"netwerk:{household_id}:nieuw"
        super().__init__(workspace, key, "netwerk", title, parent)
        self._member = member or NetworkMember(new_id(), household_id, "", "")
        m = self._member
        self.name = self.line(m.name)
        self.add_field(self.tr("&Naam"), self.name, "name")
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.relation.addItems([QCoreApplication.translate("relations", r)
                                for r in RELATION_SUGGESTIONS])
        self.relation.setCurrentIndex(-1)
        self.relation.setEditText(m.relation)
        self.add_field(self.tr("&Relatie"), self.relation, "relation",
                       hint=self.tr("Kies of typ, bijvoorbeeld buurvrouw of vrijwilliger."))
        self.support = self.notes(m.support)
        self.add_field(self.tr("&Wat doet hij of zij"), self.support, "support")
        self.phone = self.line(m.phone, 40)
        self.add_field(self.tr("&Telefoon"), self.phone, "phone")
        people = [(self.tr("Het hele huishouden"), "")]
        people += [(p.full_name, p.id) for p in members]
        self.person = _combo(people, m.person_id or "")
        self.add_field(self.tr("Netwerk &van"), self.person, "person_id")
        self.finish()

    def first_field_name(self) -> str:
        return "name"

    def build(self) -> NetworkMember:
        return replace(self._member, name=self.name.text().strip(),
                       relation=self.relation.currentText().strip(),
                       support=self.support.toPlainText().strip(),
                       phone=self.phone.text().strip(),
                       person_id=self.person.currentData() or None)

    def validate(self, value: NetworkMember) -> list[FieldError]:
        return validate_network_member(value)

    def persist(self, value: NetworkMember) -> None:
        self.service.save_network_member(value)


# --- professional --------------------------------------------------------------------------

class ProfessionalDialog(RecordDialog):
    def __init__(self, workspace: Workspace, household_id: str,
                 pro: Professional | None = None, parent: QWidget | None = None) -> None:
        new = pro is None
        title = (QCoreApplication.translate("ProfessionalDialog", "Professional toevoegen")
                 if new else
                 QCoreApplication.translate("ProfessionalDialog", "Professional wijzigen"))
        key = f"professional:{pro.id}" if pro else f"professional:{household_id}:nieuw"
        super().__init__(workspace, key, "professional", title, parent)
        self._pro = pro or Professional(new_id(), household_id, "")
        p = self._pro
        self.organisation = self.line(p.organisation)
        self.add_field(self.tr("O&rganisatie"), self.organisation, "organisation")
        self.name = self.line(p.name)
        self.add_field(self.tr("&Naam"), self.name, "name")
        self.discipline = self.line(p.discipline)
        self.add_field(self.tr("&Discipline"), self.discipline, "discipline",
                       hint=self.tr("Bijvoorbeeld huisarts, schuldhulpverlening, jeugdzorg."))
        self.contact = self.line(p.contact)
        self.add_field(self.tr("&Contact"), self.contact, "contact")
        self.since = DateField()
        self.since.set_value(p.since)
        self.add_field(self.tr("Betrokken &sinds"), self.since, "since")
        self.finish()

    def first_field_name(self) -> str:
        return "organisation"

    def build(self) -> Professional:
        return replace(self._pro, organisation=self.organisation.text().strip(),
                       name=self.name.text().strip(), discipline=self.discipline.text().strip(),
                       contact=self.contact.text().strip(), since=self.since.value())

    def validate(self, value: Professional) -> list[FieldError]:
        return validate_professional(value, self._ws.today())

    def persist(self, value: Professional) -> None:
        self.service.save_professional(value)


# --- case ----------------------------------------------------------------------------------

class CaseDialog(RecordDialog):
    """Status, triage, urgency, client profile, problem areas and the next evaluation."""

    def __init__(self, workspace: Workspace, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"casus:{case.id}", "casus",
                         QCoreApplication.translate("CaseDialog", "Casus wijzigen"), parent)
        self.setMinimumWidth(820)
        self._case = case
        self.status = _combo([(status_label(s), s.value) for s in CaseStatus], case.status.value)
        self.add_field(self.tr("&Status"), self.status, "status")
        self.complexity = _combo([(complexity_label(None), "")]
                                 + [(complexity_label(c), c.value) for c in Complexity],
                                 case.complexity.value if case.complexity else "")
        self.add_field(self.tr("&Triage"), self.complexity, "complexity")
        self.client_profile = _combo([(client_profile_label(None), 0)]
                                     + [(client_profile_label(n), n) for n in CLIENT_PROFILES],
                                     case.client_profile or 0)
        self.add_field(self.tr("&Cliëntprofiel"), self.client_profile, "client_profile")

        urgency = QWidget()
        urgency.setAccessibleName(self.tr("Urgentiecriteria"))
        grid = QGridLayout(urgency)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        self.urgency_checks: dict[UrgencyCriterion, QCheckBox] = {}
        for n, criterion in enumerate(UrgencyCriterion):
            check = QCheckBox(urgency_marked_label(criterion))
            check.setObjectName(f"urgency.{criterion.value}")
            check.setAccessibleName(urgency_marked_label(criterion))
            if criterion.crisis_sensitive:
                check.setStyleSheet(f"QCheckBox {{ color: {CRISIS_COLOUR}; }}")
            check.setChecked(criterion in case.urgency)
            grid.addWidget(check, n // 2, n % 2)
            self.urgency_checks[criterion] = check
        urgency_label = QLabel(self.tr("&Urgentie"))
        urgency_label.setBuddy(self.urgency_checks[UrgencyCriterion.TERMINALE_SITUATIE])
        urgency_message = ErrorLabel()
        grid.addWidget(urgency_message, 3, 0, 1, 2)
        self.errors.register("urgency", self.urgency_checks[UrgencyCriterion.TERMINALE_SITUATIE],
                             urgency_message)
        self.form_layout.addRow(urgency_label, urgency)

        self.problem_areas = QListWidget()
        self.problem_areas.setObjectName("problem_areas")
        self.problem_areas.setAccessibleName(self.tr("Probleemgebieden"))
        for area in ProblemArea:
            item = QListWidgetItem(problem_area_label(area))
            item.setData(Qt.ItemDataRole.UserRole, area.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if area in case.problem_areas
                               else Qt.CheckState.Unchecked)
            self.problem_areas.addItem(item)
        self.problem_areas.setFlow(QListWidget.Flow.TopToBottom)
        self.problem_areas.setWrapping(True)
        self.problem_areas.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problem_areas.setFixedHeight(190)
        self.add_field(self.tr("&Probleemgebieden"), self.problem_areas, "problem_areas",
                       hint=self.tr("Spatiebalk zet een vinkje aan of uit."))
        self.next_evaluation = DateField()
        self.next_evaluation.set_value(case.next_evaluation)
        self.add_field(self.tr("Volgende &evaluatie"), self.next_evaluation, "next_evaluation")
        self.closed_on = DateField()
        self.closed_on.set_value(case.closed_on)
        self.add_field(self.tr("&Afgesloten op"), self.closed_on, "closed_on")
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed()
        self.finish()

    def first_field_name(self) -> str:
        return "status"

    def _status_changed(self) -> None:
        closed = self.status.currentData() == CaseStatus.AFGESLOTEN.value
        self.form_layout.setRowVisible(self.field_rows["closed_on"], closed)
        if closed and not self.closed_on.text():
            self.closed_on.set_value(self._ws.today())

    def build(self) -> Case:
        status = CaseStatus(self.status.currentData())
        complexity = self.complexity.currentData()
        profile = self.client_profile.currentData()
        areas = [
            ProblemArea(self.problem_areas.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.problem_areas.count())
            if self.problem_areas.item(i).checkState() == Qt.CheckState.Checked
        ]
        return replace(
            self._case, status=status,
            complexity=Complexity(complexity) if complexity else None,
            client_profile=int(profile) if profile else None,
            urgency=tuple(c for c, check in self.urgency_checks.items() if check.isChecked()),
            problem_areas=tuple(areas),
            next_evaluation=self.next_evaluation.value(),
            closed_on=self.closed_on.value() if status is CaseStatus.AFGESLOTEN else None,
        )

    def validate(self, value: Case) -> list[FieldError]:
        return validate_case(value, self._ws.today())

    def persist(self, value: Case) -> None:
        self.service.save_case(value)


# --- contact moment ------------------------------------------------------------------------

class ContactDialog(RecordDialog):
    """One contact moment in the journal: date, duration, kind, with whom, notes."""

    def __init__(self, workspace: Workspace, case_id: str, contact: ContactMoment | None = None,
                 parent: QWidget | None = None) -> None:
        new = contact is None
        title = (QCoreApplication.translate("ContactDialog", "Contact toevoegen") if new
                 else QCoreApplication.translate("ContactDialog", "Contact wijzigen"))
        key = f"contact:{contact.id}" if contact else f"contact:{case_id}:nieuw"
        super().__init__(workspace, key, "contact", title, parent)
        self._contact = contact or ContactMoment(new_id(), case_id, workspace.today(), 0,
                                                 ContactKind.HUISBEZOEK, workspace.worker.id)
        c = self._contact
        self.on = DateField()
        self.on.set_value(c.on)
        self.add_field(self.tr("&Datum"), self.on, "on")
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_CONTACT_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        self.duration.setSpecialValueText(self.tr("—"))
        self.duration.setValue(c.duration_minutes)
        self.duration.setMaximumWidth(140)
        self.add_field(self.tr("D&uur (minuten)"), self.duration, "duration_minutes")
        self.kind = _combo([(contact_kind_label(k), k.value) for k in ContactKind], c.kind.value)
        self.add_field(self.tr("&Soort"), self.kind, "kind")
        self.with_whom = self.line(c.with_whom)
        self.add_field(self.tr("&Met wie"), self.with_whom, "with_whom")
        self.notes_edit = self.notes(c.notes, 120)
        self.add_field(self.tr("&Notitie"), self.notes_edit, "notes")
        self.finish()

    def first_field_name(self) -> str:
        return "on"

    def extra_messages(self) -> dict[str, str]:
        if self.duration.value() == 0:
            return {"duration_minutes": self.tr("Vul de duur in minuten in.")}
        return {}

    def build(self) -> ContactMoment:
        return replace(self._contact, on=self.on.value(),  # type: ignore[arg-type]
                       duration_minutes=self.duration.value(),
                       kind=ContactKind(self.kind.currentData()),
                       with_whom=self.with_whom.text().strip(),
                       notes=self.notes_edit.toPlainText().strip())

    def validate(self, value: ContactMoment) -> list[FieldError]:
        return validate_contact(value, self._ws.today())

    def persist(self, value: ContactMoment) -> None:
        self.service.save_contact(value)


# --- consent -------------------------------------------------------------------------------

class ConsentDialog(RecordDialog):
    """Consent to share data: whose, with whom, for what, since when, how it was given."""

    def __init__(self, workspace: Workspace, household_id: str, members: Sequence[Person],
                 parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"toestemming:{household_id}:nieuw", "toestemming",
                         QCoreApplication.translate("ConsentDialog", "Toestemming vastleggen"),
                         parent)
        self._household_id = household_id
        self._id = new_id()
        self.person = _combo([(p.full_name, p.id) for p in members])
        self.add_field(self.tr("&Van"), self.person, "person_id")
        self.recipient = self.line()
        self.add_field(self.tr("O&ntvanger"), self.recipient, "recipient",
                       hint=self.tr("Met wie gegevens gedeeld mogen worden."))
        self.purpose = self.notes(height=64)
        self.add_field(self.tr("&Doel"), self.purpose, "purpose")
        self.given_on = DateField()
        self.given_on.set_value(workspace.today())
        self.add_field(self.tr("&Gegeven op"), self.given_on, "given_on")
        self.form_combo = _combo([(consent_form_label(f), f)
                                  for f in ("mondeling", "schriftelijk")])
        self.add_field(self.tr("Vo&rm"), self.form_combo, "form")
        self.finish()

    def first_field_name(self) -> str:
        return "recipient"

    def extra_messages(self) -> dict[str, str]:
        if self.person.currentData() is None:
            return {"person_id": self.tr("Voeg eerst een persoon aan het huishouden toe.")}
        return {}

    def build(self) -> Consent:
        return Consent(self._id, self._household_id, str(self.person.currentData() or ""),
                       self.recipient.text().strip(), self.purpose.toPlainText().strip(),
                       self.given_on.value(), self._ws.worker.id,  # type: ignore[arg-type]
                       str(self.form_combo.currentData()))

    def validate(self, value: Consent) -> list[FieldError]:
        return validate_consent(value, self._ws.today())

    def persist(self, value: Consent) -> None:
        self.service.save_consent(value)

