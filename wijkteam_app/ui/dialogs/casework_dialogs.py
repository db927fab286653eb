"""Dialogs of issue 13: the verslag of the keukentafelgesprek, a case conference and taking
its agreements into the plan, flagging a stuck case and the decision on it, the
client-experience questionnaire and its anonymous summary.

They work like the household page's dialogs (`RecordDialog`): Dutch messages at the fields,
nothing stored while a field is invalid, input kept as a draft and offered back after a
crash, Ctrl+S saves. A refusal by a rule (e.g. the worker who flagged a case deciding on it)
is said in Dutch above the buttons and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import Case
from wijkteam_app.domain.client_experience import (
    MIN_GROUP,
    QUESTIONS,
    SCALE,
    ExperienceSummary,
    Moment,
)
from wijkteam_app.domain.conferences import (
    CASEMANAGER_KINDS,
    CaseConference,
    ConferenceAgreement,
    ConferenceKind,
    Party,
    PartyKind,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.kitchen_table import (
    IssueMethod,
    KitchenTableContent,
    KitchenTableReport,
    ReportDraft,
    ReportParticipants,
)
from wijkteam_app.domain.people import NetworkMember, Person
from wijkteam_app.domain.plans import Goal
from wijkteam_app.domain.rules import RuleViolation
from wijkteam_app.domain.stuck import StuckFlag
from wijkteam_app.domain.validation import FieldError
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService, PartyChoice
from wijkteam_app.services.kitchen_table import KitchenTableService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.stuck import StuckService
from wijkteam_app.ui.casework_labels import (
    conference_kind_label,
    issue_method_label,
    moment_label,
    party_kind_label,
    rule_text,
    scale_label,
)
from wijkteam_app.ui.dialogs.household_dialogs import RecordDialog
from wijkteam_app.ui.widgets import ErrorLabel, fit_height, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import DateField, format_dutch_date

REPORT_TOPICS: tuple[tuple[str, str, str], ...] = (
    # (content field, label with mnemonic-free text, hint)
    ("situation", "Situatie", "Hoe gaat het met het huishouden, per leefgebied?"),
    ("self_", "Wat kunt u zelf?", "In de woorden van de inwoner."),
    ("arrange", "Wat kunt u zelf regelen?", "Met mensen om u heen."),
    ("help", "Waarbij heeft u hulp nodig?", "Verplicht: daar gaat het verslag over."),
    ("needs", "Behoeften en voorkeuren", "Wmo 2.3.2 lid 4: behoeften, persoonskenmerken en "
     "voorkeuren."),
    ("own_strength", "Eigen kracht", "Wat lukt op eigen kracht of met gebruikelijke hulp?"),
    ("network", "Mantelzorg en netwerk", "Wat kunnen mantelzorg en het sociale netwerk doen?"),
    ("carer_support", "Steun voor de mantelzorger", "Welke ondersteuning heeft de "
     "mantelzorger nodig?"),
    ("general_provisions", "Algemene voorzieningen", "Welke algemene of collectieve "
     "voorzieningen helpen?"),
    ("coordination", "Afstemming", "Met zorgverzekeraar, Wlz, jeugdhulp, onderwijs, werk en "
     "inkomen."),
    ("contribution", "Eigen bijdrage", "De eigen bijdrage die de inwoner kan verwachten."),
    ("outcome", "Uitkomst en vervolg", "Wat spreken we af?"),
    ("resident_remarks", "Opmerkingen inwoner", "Wat de inwoner aan het verslag toevoegt."),
)


def _t(text: str) -> str:
    return QCoreApplication.translate("casework", text)


class CaseworkDialog(RecordDialog):
    """A `RecordDialog` that also says a rule's refusal in Dutch, and may scroll."""

    def attempt_save(self) -> None:
        try:
            super().attempt_save()
        except RuleViolation as exc:
            self.general_error.show_message(rule_text(exc.reason))
            fit_height(self)
        focus = self.focusWidget()
        scroll = getattr(self, "scroll_area", None)
        if isinstance(scroll, QScrollArea) and focus is not None \
                and self.form.isAncestorOf(focus):
            scroll.ensureWidgetVisible(focus, 50, 90)  # with its message underneath

    def make_scrollable(self, height: int = 760) -> None:
        """Put the form in a scroll area (long forms on a 768-pixel laptop screen)."""
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.replaceWidget(self.form, self.scroll_area)
        self.scroll_area.setWidget(self.form)
        for n in reversed(range(layout.count())):  # the scroll area takes the free height
            item = layout.itemAt(n)
            if item is not None and item.spacerItem() is not None:
                layout.removeItem(item)
        layout.setStretchFactor(self.scroll_area, 1)
        # Inside a scroll area a form row does not grow for a wrapped label (height for
        # width), so the hint would overlap its field: the hints here are one line anyway.
        for label in self.form.findChildren(QLabel):
            label.setWordWrap(False)
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().height() if screen else 768
        self.setMinimumHeight(min(height, available - 60))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if getattr(self, "scroll_area", None) is None:
            super().showEvent(event)
            return
        QDialog.showEvent(self, event)  # keep the size: the form scrolls
        if self.offer.isVisible():
            self.offer.yes_button.setFocus()
        else:
            self.focus_first_field()


def _checklist(name: str, items: Sequence[tuple[str, str]], checked: set[str],
               rows: int = 5) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    for text, data in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if data in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setFixedHeight(min(max(len(items), 2), rows) * 24 + 8)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


# --- keukentafelgesprek ----------------------------------------------------------------------


class KitchenTableDialog(CaseworkDialog):
    """The verslag of the keukentafelgesprek: a new report, or a new version of `previous`
    (prefilled from it). Saving records the version as given to the resident."""

    def __init__(self, workspace: Workspace, household_id: str, case_id: str,
                 members: Sequence[Person], network: Sequence[NetworkMember],
                 previous: KitchenTableReport | None = None,
                 parent: QWidget | None = None) -> None:
        title = (_t("Verslag keukentafelgesprek") if previous is None else
                 _t("Nieuwe versie van het verslag (vervangt versie %1)")
                 .replace("%1", str(previous.number)))
        super().__init__(workspace, f"keukentafel:{case_id}:nieuw", "keukentafelverslag",
                         title, parent)
        self.setMinimumWidth(860)
        self.reports = KitchenTableService(workspace)
        self._household_id = household_id
        self._case_id = case_id
        self._previous = previous
        self.recorded: KitchenTableReport | None = None
        today = workspace.today()
        self.held_on = DateField()
        self.held_on.set_value(previous.held_on if previous else today)
        self.add_field(self.tr("&Datum gesprek"), self.held_on, "held_on")
        self.location = self.line(previous.location if previous else "bij de inwoner thuis")
        self.add_field(self.tr("&Plaats"), self.location, "location")
        chosen = set(previous.participants.person_ids + previous.participants.network_member_ids
                     ) if previous else {m.id for m in members}
        self.participants = _checklist(
            self.tr("Aanwezig"), [(m.full_name, m.id) for m in members]
            + [(f"{n.name} ({n.relation})", n.id) for n in network], chosen)
        self._member_ids = {m.id for m in members}
        self.add_field(self.tr("&Aanwezig"), self.participants, "participants",
                       hint=self.tr("Spatiebalk zet een vinkje aan of uit."))
        self.others = self.line(previous.participants.others if previous else "")
        self.add_field(self.tr("Ook aan &tafel"), self.others, "participants.others",
                       hint=self.tr("Bijvoorbeeld cliëntondersteuner MEE of een tolk."))
        self.topics: dict[str, Any] = {}
        content = previous.content if previous else KitchenTableContent()
        for name, label, hint in REPORT_TOPICS:
            edit = self.notes(str(getattr(content, name)), 60)
            self.topics[name] = edit
            self.add_field(_t(label), edit, f"content.{name}", hint=_t(hint))
        self.issued_on = DateField()
        self.issued_on.set_value(today)
        self.add_field(self.tr("&Verstrekt op"), self.issued_on, "issued_on")
        self.issued_how = QComboBox()
        for method in IssueMethod:
            self.issued_how.addItem(issue_method_label(method), method.value)
        self.add_field(self.tr("&Hoe verstrekt"), self.issued_how, "issued_how")
        self.save_button.setText(self.tr("&Opslaan en verstrekken"))
        self.make_scrollable()
        self.finish()

    def first_field_name(self) -> str:
        return "held_on"

    def build(self) -> ReportDraft:
        ids = _checked(self.participants)
        return ReportDraft(
            held_on=self.held_on.value(),  # type: ignore[arg-type]
            location=self.location.text().strip(),
            participants=ReportParticipants(
                tuple(i for i in ids if i in self._member_ids),
                tuple(i for i in ids if i not in self._member_ids), self.others.text().strip()),
            content=KitchenTableContent(**{name: edit.toPlainText().strip()
                                           for name, edit in self.topics.items()}),
            issued_on=self.issued_on.value(),  # type: ignore[arg-type]
            issued_how=IssueMethod(self.issued_how.currentData()),
            based_on_id=self._previous.id if self._previous else None)

    def validate(self, value: ReportDraft) -> list[FieldError]:
        return []  # the service validates (it knows the aanmelding); errors come back here

    def persist(self, value: ReportDraft) -> None:
        self.recorded = self.reports.record(self._household_id, self._case_id, value)


# --- case conference -------------------------------------------------------------------------


def _party_key(party: Party) -> str:
    return f"{party.kind.value}:{party.ref_id or party.name}"


class AgreementRow(QWidget):
    """One agreement of a conference: what, who, by when, done."""

    def __init__(self, index: int, choices: Sequence[PartyChoice],
                 value: ConferenceAgreement | None, on_remove: Any) -> None:
        super().__init__()
        self.agreement_id = value.id if value else new_id()
        self.plan_goal_id = value.plan_goal_id if value else None
        self.what = QLineEdit(value.what if value else "")
        self.what.setAccessibleName(self.tr("Wat is afgesproken"))
        self.what.setPlaceholderText(self.tr("Wat is afgesproken"))
        self.what.setMinimumWidth(240)
        self.who = QComboBox()
        self.who.setAccessibleName(self.tr("Wie doet het"))
        self.who.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.who.setMinimumContentsLength(18)
        self.who.addItem(self.tr("— wie? —"), "")
        self._parties: dict[str, Party] = {}
        for choice in choices:
            key = _party_key(choice.party)
            self._parties[key] = choice.party
            self.who.addItem(f"{choice.party.name} ({choice.role})" if choice.role
                             else choice.party.name, key)
        if value is not None:
            key = _party_key(value.who)
            if self.who.findData(key) < 0:
                self._parties[key] = value.who
                self.who.addItem(value.who.name, key)
            self.who.setCurrentIndex(self.who.findData(key))
        self.due = DateField()
        self.due.setAccessibleName(self.tr("Uiterlijk op"))
        self.due.setToolTip(self.tr("Uiterlijk op (mag leeg blijven)"))
        self.due.set_value(value.due if value else None)
        self.due.setMinimumWidth(100)
        self.due.setMaximumWidth(110)
        self.done = QCheckBox(self.tr("gedaan"))
        self.done.setAccessibleName(self.tr("Afspraak gedaan"))
        self.done.setChecked(bool(value and value.done))
        self.remove = QPushButton("✕")
        self.remove.setAutoDefault(False)
        self.remove.setFixedWidth(32)
        self.remove.setAccessibleName(self.tr("Afspraak verwijderen"))
        self.remove.setToolTip(self.tr("Afspraak verwijderen"))
        self.remove.clicked.connect(lambda: on_remove(self))
        self.messages: dict[str, ErrorLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        for col, (suffix, widget) in enumerate((("what", self.what), ("who", self.who),
                                                ("due", self.due))):
            grid.addWidget(widget, 0, col)
            message = ErrorLabel()
            grid.addWidget(message, 1, col)
            self.messages[suffix] = message
        grid.addWidget(self.done, 0, 3)
        grid.addWidget(self.remove, 0, 4)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 3)
        self.set_index(index)

    def set_index(self, index: int) -> None:
        for suffix, widget in (("what", self.what), ("who", self.who), ("due", self.due)):
            widget.setObjectName(f"agreements.{index}.{suffix}")
        self.done.setObjectName(f"agreements.{index}.done")

    def value(self) -> ConferenceAgreement:
        key = str(self.who.currentData() or "")
        who = self._parties.get(key, Party(PartyKind.ANDERS, ""))
        return ConferenceAgreement(self.agreement_id, self.what.text().strip(), who,
                                   self.due.value(), self.done.isChecked(), self.plan_goal_id)


class ConferenceDialog(CaseworkDialog):
    """A multidisciplinair overleg, zorgoverleg or eigen-kracht-conferentie: date, kind, who
    took part, why, what was concluded, the agreements and the casemanager."""

    def __init__(self, workspace: Workspace, household_id: str, case_id: str | None,
                 conference: CaseConference | None = None,
                 parent: QWidget | None = None) -> None:
        title = _t("Overleg vastleggen") if conference is None else _t("Overleg wijzigen")
        key = f"overleg:{conference.id}" if conference else f"overleg:{household_id}:nieuw"
        super().__init__(workspace, key, "overleg", title, parent)
        self.setMinimumWidth(980)
        self.conferences = ConferenceService(workspace)
        self.choices = self.conferences.choices(household_id)
        self._conference = conference or CaseConference(
            new_id(), household_id, workspace.today(), ConferenceKind.ZORGOVERLEG,
            workspace.actor_id, case_id)
        c = self._conference
        self.saved_conference: CaseConference | None = None
        self.held_on = DateField()
        self.held_on.set_value(c.held_on)
        self.add_field(self.tr("&Datum"), self.held_on, "held_on")
        self.kind = QComboBox()
        for kind in ConferenceKind:
            self.kind.addItem(conference_kind_label(kind), kind.value)
        self.kind.setCurrentIndex(self.kind.findData(c.kind.value))
        self.add_field(self.tr("&Soort overleg"), self.kind, "kind")
        present = {_party_key(p) for p in c.participants}
        if conference is None:
            present = {_party_key(ch.party) for ch in self.choices
                       if ch.party.kind is PartyKind.INWONER
                       or (ch.party.kind is PartyKind.MEDEWERKER
                           and ch.party.ref_id == workspace.worker.id)}
        self._by_key = {_party_key(ch.party): ch.party for ch in self.choices}
        for party in c.participants:
            self._by_key.setdefault(_party_key(party), party)
        items = [(f"{ch.party.name} — {ch.role or party_kind_label(ch.party.kind).lower()}",
                  _party_key(ch.party)) for ch in self.choices]
        self.participants = _checklist(self.tr("Aanwezig"), items, present, rows=7)
        self.add_field(self.tr("&Aanwezig"), self.participants, "participants",
                       hint=self.tr("Spatiebalk zet een vinkje aan of uit."))
        self.others = self.line(", ".join(p.name for p in c.participants
                                          if p.kind is PartyKind.ANDERS))
        self.add_field(self.tr("Ook aan&wezig"), self.others, "others",
                       hint=self.tr("Anderen, gescheiden door komma's."))
        self.reason = self.notes(c.reason, 56)
        self.add_field(self.tr("Aan&leiding"), self.reason, "reason")
        self.discussion = self.notes(c.discussion, 76)
        self.add_field(self.tr("&Besproken en besloten"), self.discussion, "discussion")

        self.agreements_box = QWidget()
        self.agreements_box.setAccessibleName(self.tr("Afspraken"))
        self.agreements_layout = QVBoxLayout(self.agreements_box)
        self.agreements_layout.setContentsMargins(0, 0, 0, 0)
        self.agreements_layout.setSpacing(4)
        self.rows: list[AgreementRow] = []
        self.add_agreement_button = QPushButton(self.tr("+ Afspraak &toevoegen"))
        self.add_agreement_button.setAutoDefault(False)
        self.add_agreement_button.clicked.connect(self._add_clicked)
        self.agreements_layout.addWidget(self.add_agreement_button, 0,
                                         Qt.AlignmentFlag.AlignLeft)
        caption = QLabel(self.tr("Afspraken"))
        self.form_layout.addRow(caption, self.agreements_box)
        for agreement in c.agreements:
            self.add_row(agreement)

        self.casemanager = QComboBox()
        self.casemanager.addItem(self.tr("— niet aangesteld —"), "")
        for ch in self.choices:
            if ch.party.kind in CASEMANAGER_KINDS:
                self.casemanager.addItem(f"{ch.party.name} ({ch.role})" if ch.role
                                         else ch.party.name, _party_key(ch.party))
        if c.casemanager is not None:
            key = _party_key(c.casemanager)
            if self.casemanager.findData(key) < 0:
                self.casemanager.addItem(c.casemanager.name, key)
                self._by_key[key] = c.casemanager
            self.casemanager.setCurrentIndex(self.casemanager.findData(key))
        self.add_field(self.tr("&Casemanager"), self.casemanager, "casemanager",
                       hint=self.tr("Wie het zorgoverleg als casemanager heeft aangesteld."))
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self._add_clicked)
        self.make_scrollable(720)
        self.finish()

    def first_field_name(self) -> str:
        return "held_on"

    def add_row(self, value: ConferenceAgreement | None = None) -> AgreementRow:
        row = AgreementRow(len(self.rows), self.choices, value, self._remove_row)
        self.agreements_layout.insertWidget(len(self.rows), row)
        self.rows.append(row)
        for suffix, widget in (("what", row.what), ("who", row.who), ("due", row.due)):
            self.errors.register(f"agreements.{self.rows.index(row)}.{suffix}", widget,
                                 row.messages[suffix])
            if isinstance(widget, DateField):
                self.date_fields[f"agreements.{self.rows.index(row)}.due"] = widget
        row.what.textEdited.connect(lambda _t: self.keeper.touch())
        row.show()
        return row

    def _add_clicked(self) -> None:
        row = self.add_row()
        row.what.setFocus()
        self.keeper.touch()

    def _remove_row(self, row: AgreementRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            row.setParent(None)
            row.deleteLater()
            self.date_fields = {k: v for k, v in self.date_fields.items()
                                if not k.startswith("agreements.")}
            for n, other in enumerate(self.rows):
                other.set_index(n)
                for suffix, widget in (("what", other.what), ("who", other.who),
                                       ("due", other.due)):
                    self.errors.register(f"agreements.{n}.{suffix}", widget,
                                         other.messages[suffix])
                self.date_fields[f"agreements.{n}.due"] = other.due
            self.keeper.touch()

    def _restore_draft(self) -> None:
        draft = self._drafts.get(self.keeper.key)
        if draft is not None:
            wanted = {k.split(".")[1] for k in draft.payload if k.startswith("agreements.")}
            while len(self.rows) < len(wanted):
                self.add_row()
        super()._restore_draft()

    def build(self) -> CaseConference:
        present = [self._by_key[k] for k in _checked(self.participants) if k in self._by_key]
        present += [Party(PartyKind.ANDERS, name.strip())
                    for name in self.others.text().split(",") if name.strip()]
        manager_key = str(self.casemanager.currentData() or "")
        return replace(
            self._conference, held_on=self.held_on.value(),  # type: ignore[arg-type]
            kind=ConferenceKind(self.kind.currentData()), participants=tuple(present),
            reason=self.reason.toPlainText().strip(),
            discussion=self.discussion.toPlainText().strip(),
            agreements=tuple(r.value() for r in self.rows),
            casemanager=self._by_key.get(manager_key) if manager_key else None)

    def validate(self, value: CaseConference) -> list[FieldError]:
        return []  # the service validates against the household's people

    def persist(self, value: CaseConference) -> None:
        self.saved_conference = self.conferences.save(value)


class TakeIntoPlanDialog(QDialog):
    """Choose agreements of a conference and the goal of the concept plan they go to."""

    def __init__(self, workspace: Workspace, conference: CaseConference,
                 goals: Sequence[tuple[Goal, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Afspraken naar het plan"))
        self.setMinimumWidth(620)
        self.service = ConferenceService(workspace)
        self.conference = conference
        self.result_conference: CaseConference | None = None
        open_ones = [a for a in conference.agreements if a.plan_goal_id is None]
        self.agreements = _checklist(
            self.tr("Afspraken"), [(f"{a.what} — {a.who.name}"
                                    + (f" ({format_dutch_date(a.due)})" if a.due else ""), a.id)
                                   for a in open_ones], {a.id for a in open_ones}, rows=8)
        agreements_label = QLabel(self.tr("&Afspraken"))
        agreements_label.setBuddy(self.agreements)
        self.goal = QComboBox()
        self.goal.setAccessibleName(self.tr("Doel"))
        for goal, title in goals:
            self.goal.addItem(title, goal.id)
        goal_label = QLabel(self.tr("Naar &doel"))
        goal_label.setBuddy(self.goal)
        self.notice = ErrorLabel()
        buttons = QDialogButtonBox()
        self.ok_button = QPushButton(self.tr("Opnemen in het &plan"))
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("Annuleren"))
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading_label(self.tr("Afspraken naar het plan"), 3.0))
        layout.addWidget(muted_label(self.tr(
            "Afspraken van de inwoner komen bij ‘Zelf’, van het netwerk bij ‘Netwerk’, "
            "van anderen bij ‘Afspraken met anderen’. Het plan moet een concept zijn.")))
        layout.addWidget(agreements_label)
        layout.addWidget(self.agreements)
        layout.addWidget(goal_label)
        layout.addWidget(self.goal)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        if not goals:
            self.notice.show_message(self.tr("Het conceptplan heeft nog geen doelen. Voeg "
                                             "eerst een doel toe in het plan."))
            self.ok_button.setEnabled(False)

    def save(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            _version, self.result_conference = self.service.take_into_plan(
                self.conference, _checked(self.agreements), str(self.goal.currentData()))
        except RuleViolation as exc:
            self.notice.show_message(rule_text(exc.reason))
            return
        self.accept()


# --- the stuck case --------------------------------------------------------------------------


class StuckFlagDialog(CaseworkDialog):
    """Report the case as stuck (vastgelopen): why."""

    def __init__(self, workspace: Workspace, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"vastgelopen:{case.id}", "vastgelopen",
                         _t("Casus vastgelopen melden"), parent)
        self.stuck = StuckService(workspace)
        self._case = case
        self.flagged: StuckFlag | None = None
        self.form_layout.addRow(muted_label(self.tr(
            "De teamcoach en de brandpuntfunctionaris zien de melding en nemen een besluit "
            "om de casus weer vlot te trekken, zo nodig met doorzettingsmacht.")))
        self.reason = self.notes(height=110)
        self.add_field(self.tr("&Waarom zit het vast?"), self.reason, "reason",
                       hint=self.tr("Wie of wat houdt de ondersteuning tegen?"))
        self.save_button.setText(self.tr("&Melden"))
        self.finish()

    def first_field_name(self) -> str:
        return "reason"

    def build(self) -> str:
        return str(self.reason.toPlainText())

    def validate(self, value: str) -> list[FieldError]:
        return []

    def persist(self, value: str) -> None:
        self.flagged = self.stuck.flag(self._case, value)


class StuckDecisionDialog(CaseworkDialog):
    """The decision that unblocks a stuck case (teamcoach or brandpuntfunctionaris)."""

    def __init__(self, workspace: Workspace, flag: StuckFlag, flagged_by: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"besluit:{flag.id}", "besluit",
                         _t("Besluit over een vastgelopen casus"), parent)
        self.stuck = StuckService(workspace)
        self._flag = flag
        info = QLabel(self.tr("Gemeld door %1 op %2:").replace("%1", flagged_by)
                      .replace("%2", format_dutch_date(flag.flagged_at.date())))
        reason = QLabel(flag.reason)
        reason.setWordWrap(True)
        reason.setObjectName("flagReason")
        reason.setStyleSheet("QLabel#flagReason { background: #fdf2e9; border: 1px solid "
                             "#e08a4c; border-radius: 4px; padding: 6px 10px; }")
        reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_layout.addRow(info)
        self.form_layout.addRow(reason)
        self.decision = self.notes(height=110)
        self.add_field(self.tr("&Besluit"), self.decision, "decision",
                       hint=self.tr("Wat is besloten, door wie, en wat gebeurt er nu?"))
        self.doorzettingsmacht = QCheckBox(self.tr("&Doorzettingsmacht gebruikt"))
        self.doorzettingsmacht.setObjectName("doorzettingsmacht")
        self.form_layout.addRow("", self.doorzettingsmacht)
        self.save_button.setText(self.tr("Besluit &vastleggen"))
        self.finish()

    def first_field_name(self) -> str:
        return "decision"

    def build(self) -> tuple[str, bool]:
        return self.decision.toPlainText(), self.doorzettingsmacht.isChecked()

    def validate(self, value: tuple[str, bool]) -> list[FieldError]:
        return []

    def persist(self, value: tuple[str, bool]) -> None:
        self.stuck.decide(self._flag, value[0], value[1])


# --- the resident's voice --------------------------------------------------------------------


class ClientExperienceDialog(CaseworkDialog):
    """The klantervaring questionnaire: a score 1-5 per statement (or no answer) and the
    resident's own words. Type the digit in a question's list to choose its score."""

    def __init__(self, workspace: Workspace, case_id: str, moment: Moment = Moment.EVALUATIE,
                 parent: QWidget | None = None) -> None:
        super().__init__(workspace, f"klantervaring:{case_id}", "klantervaring",
                         _t("Klantervaring"), parent)
        self.setMinimumWidth(760)
        self.experiences = ClientExperienceService(workspace)
        self._case_id = case_id
        self.form_layout.addRow(muted_label(self.tr(
            "Lees de uitspraken voor; de inwoner kiest van 1 (helemaal oneens) tot 5 "
            "(helemaal eens), of geeft geen antwoord. De antwoorden tellen alleen anoniem "
            "mee in overzichten.")))
        self.moment = QComboBox()
        for m in Moment:
            self.moment.addItem(moment_label(m), m.value)
        self.moment.setCurrentIndex(self.moment.findData(moment.value))
        self.add_field(self.tr("&Moment"), self.moment, "moment")
        self.answered_on = DateField()
        self.answered_on.set_value(workspace.today())
        self.add_field(self.tr("&Datum"), self.answered_on, "answered_on")
        self.scores: dict[str, QComboBox] = {}
        for n, question in enumerate(QUESTIONS, start=1):
            combo = QComboBox()
            combo.addItem(self.tr("— geen antwoord —"), 0)
            for score in SCALE:
                combo.addItem(scale_label(score), score)
            combo.setAccessibleName(question.text)
            self.scores[question.code] = combo
            label = QLabel(f"&{n}. {question.text}")
            label.setBuddy(combo)
            label.setStyleSheet("font-weight: 600; padding-top: 4px;")
            combo.setObjectName(f"answers.{question.code}")
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(combo)
            message = ErrorLabel(box)
            column.addWidget(message)
            self.errors.register(f"answers.{question.code}", combo, message)
            self.form_layout.addRow(label)
            self.form_layout.addRow("", box)
        self.errors.register("answers", self.scores[QUESTIONS[0].code], self.general_error)
        self.comment = self.notes(height=70)
        self.add_field(self.tr("&In eigen woorden"), self.comment, "comment")
        self.finish()

    def first_field_name(self) -> str:
        return f"answers.{QUESTIONS[0].code}"

    def build(self) -> dict[str, Any]:
        return {
            "moment": Moment(self.moment.currentData()),
            "answered_on": self.answered_on.value(),
            "scores": {code: (int(c.currentData()) or None) for code, c in self.scores.items()},
            "comment": self.comment.toPlainText(),
        }

    def validate(self, value: dict[str, Any]) -> list[FieldError]:
        return []

    def persist(self, value: dict[str, Any]) -> None:
        answered: date | None = value["answered_on"]
        self.experiences.record(self._case_id, value["moment"], value["scores"],
                                value["comment"], answered)


class ExperienceSummaryDialog(QDialog):
    """The anonymous overview: per statement how many answered and the average, never who."""

    def __init__(self, summary: ExperienceSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Klantervaring — anoniem overzicht"))
        self.setMinimumWidth(1000)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(heading_label(self.tr("Klantervaring"), 3.0))
        if summary.suppressed:
            text = self.tr("Er zijn %1 antwoorden. Pas vanaf %2 antwoorden is een overzicht te "
                           "zien, zodat niemand herkenbaar is.").replace(
                "%1", str(summary.responses)).replace("%2", str(MIN_GROUP))
        else:
            text = self.tr("%1 keer ingevuld, bij evaluaties en bij het afsluiten. Alleen "
                           "aantallen en gemiddelden; een uitspraak die minder dan %2 keer is "
                           "beantwoord, blijft leeg.").replace(
                "%1", str(summary.responses)).replace("%2", str(MIN_GROUP))
        self.explanation = muted_label(text)
        layout.addWidget(self.explanation)
        self.table = QTableWidget(len(summary.questions), 4)
        self.table.setAccessibleName(self.tr("Antwoorden per uitspraak"))
        self.table.setHorizontalHeaderLabels([self.tr("Uitspraak"), self.tr("Antwoorden"),
                                              self.tr("Gemiddeld (1–5)"),
                                              self.tr("Verdeling 1 · 2 · 3 · 4 · 5")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, q in enumerate(summary.questions):
            average = "—" if q.average is None else f"{q.average:.1f}".replace(".", ",")
            spread = "—" if q.average is None else " · ".join(str(n) for n in q.distribution)
            for col, text in enumerate((q.text, str(q.answered) if not summary.suppressed
                                        else "—", average, spread)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFixedHeight(self.table.verticalHeader().length()
                                  + header.height() + 6)
        layout.addWidget(self.table)
        close = QPushButton(self.tr("&Sluiten"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row_layout = QHBoxLayout()
        row_layout.addStretch(1)
        row_layout.addWidget(close)
        layout.addLayout(row_layout)
