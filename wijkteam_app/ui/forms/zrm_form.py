"""The ZRM form, generated entirely from an `InstrumentDefinition`.

One person (or the household as a whole), one date. Per domain the levels as a row of
radio buttons plus "niet besproken", an optional target score ("virtuele score"), the
zwaartefactoren as check boxes, and notes. The instrument version in use is always visible;
the suggested one follows from the person's age on the assessment date and the team's
setting, and another installed version can be chosen (which clears the scores: versions are
never mixed).

Keyboard: the domain with the focus takes a digit as its score, 0 or N for "niet besproken",
Delete clears, Left/Right step through the levels, Up/Down move between domains; after a
digit the focus moves on to the next domain. Ctrl+S saves.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    Assessment,
    InstrumentDefinition,
    InstrumentKind,
    Item,
    ItemScore,
    NoSuitableDefinitionError,
    Subject,
    suggest_definition,
    validate_assessment,
    version_key,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError, ValidationFailed
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.drafts import DraftKeeper
from wijkteam_app.ui.form_drafts import DraftOfferBar
from wijkteam_app.ui.forms.common import (
    FORM_STYLE,
    ScorePicker,
    SubjectInfo,
    add_save_shortcuts,
    definition_label,
    form_date_field,
    form_layout,
    guidance_frame,
    load_subject,
    notes_field,
    plain_button,
    save_and_cancel_buttons,
)
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import (
    FieldErrors,
    format_dutch_date,
    malformed_date_message,
)

DRAFT_KIND = "zrm"

ConfirmFunction = Callable[[str, str], bool]

_MISSING = object()


def _combo_key(defn: InstrumentDefinition) -> str:
    return f"{defn.id}@{defn.version}"


def draft_key(subject_id: str) -> str:
    return f"zrm:{subject_id}:nieuw"


class _QuietCombo(QComboBox):
    """A combo box that ignores the mouse wheel unless it has the focus, so scrolling
    through the domains never changes a target score by accident."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self and event.type() == QEvent.Type.Wheel and not self.hasFocus():
            event.ignore()
            return True
        return super().eventFilter(watched, event)


class DomainRow(QFrame):
    """One domain (item): its name and help, the level picker, the target score, a message."""

    changed = Signal()

    def __init__(self, defn: InstrumentDefinition, item: Item,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("domainRow")
        self.item = item
        self._defn = defn

        self.title = QLabel(
            f"<b>{html.escape(item.name)}</b>&nbsp;&nbsp;"
            f"<span style='color:#52606d'>{html.escape(item.help)}</span>")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)

        none_text = self.tr("Niet besproken") if defn.allows_not_discussed else None
        self.picker = ScorePicker(defn.levels, item.name, none_text=none_text,
                                  level_tips=dict(item.level_texts))
        self.picker.setToolTip(item.help)

        self.target = _QuietCombo()
        self.target.addItem(self.tr("Geen doel"), None)
        for level in defn.levels:
            self.target.addItem(f"{level.value} {level.name}", level.value)
        self.target.setAccessibleName(self.tr("Doelscore {domain}").format(domain=item.name))
        self.target.setToolTip(self.tr(
            "Virtuele score: de score die u samen met de cliënt als doel stelt voor de "
            "doeldatum."))
        target_label = QLabel(self.tr("Doel"))
        target_label.setBuddy(self.target)

        self.level_text = muted_label("")
        self.level_text.setVisible(False)
        self.error = ErrorLabel()

        self.target.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(16)

        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        line.addWidget(self.title, 1)
        line.addWidget(target_label)
        line.addWidget(self.target)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 4)
        layout.setSpacing(1)
        layout.addLayout(line)
        layout.addWidget(self.picker)
        layout.addWidget(self.level_text)
        layout.addWidget(self.error)

        self.picker.scoreChanged.connect(self._score_changed)
        self.picker.focusChanged.connect(self._focus_changed)
        self.target.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def target_score(self) -> int | None:
        value = self.target.currentData()
        return value if isinstance(value, int) else None

    def set_target_score(self, value: int | None) -> None:
        index = self.target.findData(value) if value is not None else 0
        self.target.setCurrentIndex(max(index, 0))

    def set_read_only(self, read_only: bool) -> None:
        self.picker.set_read_only(read_only)
        self.target.setEnabled(not read_only)

    def _score_changed(self) -> None:
        score = self.picker.score()
        text = self.item.level_text(score) if score is not None else None
        self.level_text.setText(text or "")
        self.level_text.setVisible(bool(text))
        self.changed.emit()

    def _focus_changed(self, focused: bool) -> None:
        self.setProperty("current", focused)
        self.style().unpolish(self)
        self.style().polish(self)


class ZrmDialog(QDialog):
    """Score a ZRM for one person (`person_id`) or for the household (`person_id` None).

    With `assessment`, that stored assessment is shown read-only, with the action
    "Nieuwe meting op basis hiervan". After a successful save `saved_assessment` holds what
    was stored and `saved` is emitted.
    """

    saved = Signal(object)  # the recorded Assessment

    def __init__(self, workspace: Workspace, household_id: str, person_id: str | None,
                 parent: QWidget | None = None, assessment: Assessment | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._service = AssessmentService(workspace)
        self._drafts = DraftService(workspace)
        self._subject: SubjectInfo = load_subject(workspace, household_id, person_id)
        self._subject_kind = Subject.PERSON if person_id else Subject.HOUSEHOLD
        self._choices = sorted(
            (d for d in self._service.definitions.values()
             if d.kind is InstrumentKind.ZRM and d.subject is self._subject_kind),
            key=lambda d: (d.name, version_key(d.version)))
        self.read_only = assessment is not None
        self.viewed = assessment
        self.saved_assessment: Assessment | None = None
        self.confirm: ConfirmFunction = self._ask
        self.definition: InstrumentDefinition | None = None
        self.rows: dict[str, DomainRow] = {}
        self.factor_boxes: dict[str, QCheckBox] = {}
        self.errors = FieldErrors()
        self.keeper: DraftKeeper | None = None
        self._new_id = new_id()
        self._user_chose = False
        self._loading = False
        self._dirty = False
        self._has_children = False
        self._offered: dict[str, Any] | None = None  # a draft offered back, not yet answered

        self.setStyleSheet(FORM_STYLE)
        self.setMinimumSize(760, 520)
        self._build()
        self._fit_to_screen()

        if assessment is not None:
            self._show_existing(assessment)
        else:
            self._start_new()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = heading_label("")
        self.subtitle = muted_label("")
        self.draft_offer = DraftOfferBar()
        self.draft_offer.restoreChosen.connect(self._restore_offered)
        self.draft_offer.discardChosen.connect(self._discard_offered)

        self.assessed_on = form_date_field(
            self.tr("Meetdatum"), self.tr("De dag van het gesprek; niet in de toekomst."))
        self.date_error = ErrorLabel()

        self.instrument = QComboBox()
        self.instrument.setAccessibleName(self.tr("Instrument en versie"))
        self.instrument.setToolTip(self.tr(
            "Scores van verschillende versies worden nooit gemengd of met elkaar vergeleken."))
        for defn in self._choices:
            self.instrument.addItem(definition_label(defn), _combo_key(defn))
        self.instrument.setMinimumWidth(220)
        self.instrument.setMaximumWidth(340)
        self.suggestion = muted_label("")

        self.target_date = form_date_field(self.tr("Doeldatum"), self.tr(
            "Tot wanneer de doelscores gelden (de virtuele scores). Mag leeg blijven."))
        self.target_date_error = ErrorLabel()

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(2)
        for column, (caption, field) in enumerate((
                (self.tr("&Meetdatum"), self.assessed_on),
                (self.tr("&Instrument"), self.instrument),
                (self.tr("&Doeldatum"), self.target_date))):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addWidget(label, 0, column)
            form.addWidget(field, 1, column)
        form.addWidget(self.date_error, 2, 0)
        form.addWidget(self.target_date_error, 2, 2, 1, 2)
        form.addWidget(self.suggestion, 3, 1, 1, 3)
        form.setColumnStretch(3, 1)

        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.keys_hint = muted_label("")
        guidance_box = guidance_frame(self.guidance, self.keys_hint)

        # Scrolling part: the domains, then zwaartefactoren and notes.
        self.domains_box = QWidget()
        self.domains_layout = QVBoxLayout(self.domains_box)
        self.domains_layout.setContentsMargins(0, 0, 0, 0)
        self.domains_layout.setSpacing(0)

        self.factors_title = QLabel(self.tr("<b>Zwaartefactoren</b> — vastgelegd naast de "
                                            "scores, zonder score"))
        self.factors_box = QWidget()
        self.factors_layout = QGridLayout(self.factors_box)
        self.factors_layout.setContentsMargins(8, 0, 8, 0)
        self.factors_layout.setHorizontalSpacing(18)
        self.factors_error = ErrorLabel()

        self.notes, notes_label = notes_field(72)
        self.notes_error = ErrorLabel()

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 8, 8)
        content_layout.setSpacing(4)
        content_layout.addWidget(self.domains_box)
        content_layout.addSpacing(10)
        content_layout.addWidget(self.factors_title)
        content_layout.addWidget(self.factors_box)
        content_layout.addWidget(self.factors_error)
        content_layout.addSpacing(8)
        content_layout.addWidget(notes_label)
        content_layout.addWidget(self.notes)
        content_layout.addWidget(self.notes_error)
        content_layout.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.general_error = ErrorLabel()
        self.summary = ErrorLabel()

        self.save_button, self.cancel_button = save_and_cancel_buttons()
        self.based_on_button = plain_button(self.tr("&Nieuwe meting op basis hiervan"),
                                            self.tr("Nieuwe meting op basis hiervan"))
        self.close_button = plain_button(self.tr("Sluiten"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.reject)
        self.based_on_button.clicked.connect(self.start_from_viewed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.based_on_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = form_layout(self, self.title, self.subtitle, self.draft_offer)
        layout.addLayout(form)
        layout.addWidget(guidance_box)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)

        add_save_shortcuts(self, self._save_shortcut)

        self.assessed_on.dateChanged.connect(self._date_changed)
        self.target_date.dateChanged.connect(self._changed)
        self.instrument.currentIndexChanged.connect(self._instrument_chosen)
        self.notes.textChanged.connect(self._changed)

    def _fit_to_screen(self) -> None:
        width, height = 1200, 740
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 24)
            height = min(height, available.height() - 24)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))

    def _update_header(self) -> None:
        day = self.assessed_on.value() or self._ws.today()
        person = self._subject.person
        if person is not None:
            name = person.full_name
            age = person.age_on(day)
            detail = (self.tr("{age} jaar op de meetdatum").format(age=age) if age is not None
                      else self.tr("Geboortedatum onbekend"))
            detail += " · " + self._subject.household.name
        else:
            name = self.tr("{household} (huishouden)").format(
                household=self._subject.household.name)
            minors = sum(1 for m in self._subject.members if m.is_minor_on(day))
            detail = self.tr("{members} leden, van wie {minors} minderjarig").format(
                members=len(self._subject.members), minors=minors)
        if self.read_only and self.viewed is not None:
            title = self.tr("ZRM van {date} — {name}").format(
                date=format_dutch_date(self.viewed.assessed_on), name=name)
            assessor = HouseholdService(self._ws).worker_names().get(
                self.viewed.assessor_id, self.tr("onbekend"))
            detail += " · " + self.tr("afgenomen door {assessor}").format(assessor=assessor)
        else:
            title = self.tr("Nieuwe ZRM — {name}").format(name=name)
        self.title.setText(title)
        self.subtitle.setText(detail)
        self.setWindowTitle(title)

    # --- definitions -----------------------------------------------------------------------

    def _suggest(self, day: date) -> tuple[InstrumentDefinition | None, str]:
        age = self._subject.age_on(day)
        try:
            defn = suggest_definition(self._choices, age, self._subject_kind,
                                      prefer_2013=self._ws.team.prefers_zrm_2013)
        except NoSuitableDefinitionError:
            if age is not None:
                return None, self.tr(
                    "Voor kinderen onder de 12 is er geen eigen ZRM: scoor het kind in de ZRM "
                    "van het huishouden. Kies hierboven alleen bewust een ander instrument.")
            return None, self.tr("Het voorgestelde instrument is niet geïnstalleerd.")
        label = definition_label(defn)
        if self._subject_kind is Subject.HOUSEHOLD:
            return defn, self.tr("Voorgesteld voor een huishouden: {label}").format(label=label)
        if age is None:
            return defn, self.tr("Leeftijd onbekend; voorgesteld: {label}").format(label=label)
        return defn, self.tr("Voorgesteld bij {age} jaar: {label}").format(age=age, label=label)

    def _instrument_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        key = self.instrument.itemData(index)
        chosen = next((d for d in self._choices if _combo_key(d) == key), None)
        if chosen is None or chosen is self.definition:
            return
        if self._has_entries() and not self.confirm(
                self.tr("Andere versie kiezen?"),
                self.tr("U kiest {new} in plaats van {old}. De scores, doelen en "
                        "zwaartefactoren die u al invulde worden gewist: scores van "
                        "verschillende versies worden nooit gemengd.").format(
                    new=definition_label(chosen),
                    old=definition_label(self.definition) if self.definition else "")):
            self._select_in_combo(self.definition)
            return
        self._user_chose = True
        self._set_definition(chosen, None)
        self._changed()

    def _ask(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        yes = box.addButton(self.tr("Ja, wissen en wisselen"), QMessageBox.ButtonRole.YesRole)
        no = box.addButton(self.tr("Nee, terug"), QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    def _select_in_combo(self, defn: InstrumentDefinition | None) -> None:
        self._loading, was = True, self._loading
        try:
            self.instrument.setCurrentIndex(
                self.instrument.findData(_combo_key(defn)) if defn is not None else -1)
        finally:
            self._loading = was

    def _set_definition(self, defn: InstrumentDefinition, state: dict[str, Any] | None) -> None:
        """Show `defn`'s domains; `state` (scores etc., as in a draft) is filled in."""
        self.definition = defn
        self._select_in_combo(defn)
        self.guidance.setText(defn.guidance)
        self.keys_hint.setText(self.tr(
            "Toetsen: {low}-{high} geeft het domein met de focus een score, 0 of N = niet "
            "besproken, Delete wist, ←/→ stapt door de niveaus, ↑/↓ gaat naar het vorige of "
            "volgende domein. Ctrl+S slaat op.").format(low=defn.min_level, high=defn.max_level))
        day = self.assessed_on.value() or self._ws.today()
        self._has_children = self._subject.has_children_on(day)
        self._rebuild(state or {})

    def _rebuild(self, state: dict[str, Any]) -> None:
        defn = self.definition
        assert defn is not None
        was = self._loading
        self._loading = True
        try:
            for row in self.rows.values():
                row.setParent(None)
                row.deleteLater()
            for box in self.factor_boxes.values():
                box.setParent(None)
                box.deleteLater()
            self.rows, self.factor_boxes = {}, {}
            for item in defn.items_for(self._has_children):
                row = DomainRow(defn, item)
                row.changed.connect(self._changed)
                row.picker.committed.connect(lambda code=item.code: self._advance(code))
                row.picker.moveRequested.connect(
                    lambda step, code=item.code: self._move(code, step))
                row.picker.focusChanged.connect(
                    lambda focused, r=row: self._row_focused(r, focused))
                self.domains_layout.addWidget(row)
                self.rows[item.code] = row
            columns = 3
            for index, factor in enumerate(defn.zwaartefactoren):
                box = QCheckBox(factor.name)
                box.setToolTip(factor.help)
                box.setAccessibleName(self.tr("Zwaartefactor {name}").format(name=factor.name))
                box.setAccessibleDescription(factor.help)
                box.toggled.connect(self._changed)
                self.factors_layout.addWidget(box, index // columns, index % columns)
                self.factor_boxes[factor.code] = box
            self.factors_title.setVisible(bool(defn.zwaartefactoren))
            self._apply_state(state)
            self._register_fields()
            self._set_tab_order()
            self.set_read_only(self.read_only)
        finally:
            self._loading = was

    def _register_fields(self) -> None:
        self.errors = FieldErrors()
        self.errors.register("assessed_on", self.assessed_on, self.date_error)
        self.errors.register("target_date", self.target_date, self.target_date_error)
        self.errors.register("notes", self.notes, self.notes_error)
        self.errors.register("zwaartefactoren", self.factors_box, self.factors_error)
        for code, row in self.rows.items():
            self.errors.register(f"items.{code}", row.picker, row.error)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.assessed_on, self.instrument, self.target_date]
        for row in self.rows.values():
            chain += [row.picker, row.target]
        chain += list(self.factor_boxes.values())
        chain += [self.notes, self.based_on_button, self.cancel_button, self.save_button,
                  self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- state -----------------------------------------------------------------------------

    def _apply_state(self, state: dict[str, Any]) -> None:
        scores = state.get("scores", {})
        targets = state.get("targets", {})
        for code, row in self.rows.items():
            value = scores.get(code, _MISSING)
            if value is None or isinstance(value, int):
                try:
                    row.picker.set_score(value)
                except ValueError:  # a draft from another version: never carried over
                    row.picker.clear()
            target = targets.get(code)
            row.set_target_score(target if isinstance(target, int) else None)
        chosen = set(state.get("zwaartefactoren", []))
        for code, box in self.factor_boxes.items():
            box.setChecked(code in chosen)

    def _collect_state(self) -> dict[str, Any]:
        return {
            "scores": {code: row.picker.score() for code, row in self.rows.items()
                       if row.picker.is_answered()},
            "targets": {code: row.target_score() for code, row in self.rows.items()
                        if row.target_score() is not None},
            "zwaartefactoren": [code for code, box in self.factor_boxes.items()
                                if box.isChecked()],
        }

    def _has_entries(self) -> bool:
        state = self._collect_state()
        return bool(state["scores"] or state["targets"] or state["zwaartefactoren"])

    def draft_payload(self) -> dict[str, Any]:
        payload = self._collect_state()
        payload.update({
            "definition_id": self.definition.id if self.definition else "",
            "definition_version": self.definition.version if self.definition else "",
            "assessed_on": self.assessed_on.text(),
            "target_date": self.target_date.text(),
            "notes": self.notes.toPlainText(),
            "household_id": self._subject.household.id,  # so a draft list can reopen the form
            "person_id": self._subject.person.id if self._subject.person else "",
        })
        return payload

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for row in self.rows.values():
            row.set_read_only(read_only)
        for box in self.factor_boxes.values():
            box.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, read_only)
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only
                               else Qt.FocusPolicy.StrongFocus)
        self.assessed_on.setReadOnly(read_only)
        self.target_date.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
        self.instrument.setEnabled(not read_only and len(self._choices) > 1)
        self.save_button.setVisible(not read_only)
        self.cancel_button.setVisible(not read_only)
        self.based_on_button.setVisible(read_only)
        self.close_button.setVisible(read_only)
        self.suggestion.setVisible(not read_only)

    # --- starting --------------------------------------------------------------------------

    def _start_new(self) -> None:
        self._fresh()
        self.keeper = self._new_keeper()
        draft = self._drafts.get(draft_key(self._subject.subject_id))
        if draft is not None and self._draft_definition(draft.payload) is not None:
            self._offered = draft.payload
            self.draft_offer.offer(draft.updated_at)
        else:
            self._focus_first_domain()

    def _fresh(self) -> None:
        self._loading = True
        try:
            self.assessed_on.set_value(self._ws.today())
            self.target_date.clear()
            self.notes.clear()
        finally:
            self._loading = False
        self._user_chose = False
        self._new_id = new_id()
        suggested, hint = self._suggest(self._ws.today())
        self.suggestion.setText(hint)
        defn = suggested or (self._choices[-1] if self._choices else None)
        self._update_header()
        if defn is None:
            self.general_error.show_message(self.tr("Er is geen ZRM geïnstalleerd."))
            self.save_button.setEnabled(False)
            return
        self._set_definition(defn, None)

    def _draft_definition(self, payload: dict[str, Any]) -> InstrumentDefinition | None:
        key = (payload.get("definition_id"), payload.get("definition_version"))
        return next((d for d in self._choices if d.key == key), None)

    def _restore(self, payload: dict[str, Any]) -> None:
        defn = self._draft_definition(payload)
        if defn is None:
            return
        self._loading = True
        try:
            self.assessed_on.setText(str(payload.get("assessed_on", "")))
            self.target_date.setText(str(payload.get("target_date", "")))
            self.notes.setPlainText(str(payload.get("notes", "")))
        finally:
            self._loading = False
        self._user_chose = True
        self._set_definition(defn, payload)
        self.suggestion.setText(self._suggest(self.assessed_on.value() or self._ws.today())[1])
        self._update_header()

    def _new_keeper(self) -> DraftKeeper:
        return DraftKeeper(self._drafts, draft_key(self._subject.subject_id), DRAFT_KIND,
                           self.tr("ZRM (niet opgeslagen)"), self.draft_payload, self)

    def _restore_offered(self) -> None:
        """"Ja, verder gaan": the form shows the draft again (replacing anything typed)."""
        payload, self._offered = self._offered, None
        if payload is not None:
            self._restore(payload)
        self._dirty = False
        self._focus_first_domain()

    def _discard_offered(self) -> None:
        """"Nee, opnieuw beginnen": the old draft goes; what was typed since is kept."""
        self._offered = None
        self._drafts.discard(draft_key(self._subject.subject_id))
        if self._dirty and self.keeper is not None:
            self.keeper.touch()
        self._focus_first_domain()

    def _show_existing(self, assessment: Assessment) -> None:
        defn = self._service.definitions.get(assessment.definition_key)
        self._loading = True
        try:
            self.assessed_on.set_value(assessment.assessed_on)
            self.target_date.set_value(assessment.target_date)
            self.notes.setPlainText(assessment.notes)
        finally:
            self._loading = False
        self._update_header()
        if defn is None:
            self.general_error.show_message(self.tr(
                "Deze meting is gemaakt met {label}, dat op deze laptop niet is geïnstalleerd."
            ).format(label=f"{assessment.definition_id} {assessment.definition_version}"))
            self.set_read_only(True)
            self.based_on_button.setEnabled(False)
            return
        if self.instrument.findData(_combo_key(defn)) < 0:
            self._choices.append(defn)
            self.instrument.addItem(definition_label(defn), _combo_key(defn))
        state = {
            "scores": {s.item_code: s.score for s in assessment.items},
            "targets": {s.item_code: s.target_score for s in assessment.items
                        if s.target_score is not None},
            "zwaartefactoren": list(assessment.zwaartefactoren),
        }
        self._set_definition(defn, state)
        if self.rows:
            next(iter(self.rows.values())).picker.setFocus()

    def start_from_viewed(self) -> None:
        """Turn the read-only view into a new assessment with the same version and scores,
        dated today; notes start empty."""
        if self.viewed is None or self.definition is None:
            return
        state = self._collect_state()
        self.read_only = False
        self.viewed = None
        self._new_id = new_id()
        self._user_chose = True
        self._loading = True
        try:
            self.assessed_on.set_value(self._ws.today())
            target = self.target_date.value()
            if target is None or target <= self._ws.today():
                self.target_date.clear()
            self.notes.clear()
        finally:
            self._loading = False
        self.general_error.clear_message()
        self._set_definition(self.definition, state)
        self.suggestion.setText(self._suggest(self._ws.today())[1])
        self._update_header()
        self.keeper = self._new_keeper()
        self._changed()
        self._focus_first_domain()

    def _focus_first_domain(self) -> None:
        if self.rows:
            next(iter(self.rows.values())).picker.setFocus()

    # --- changes ---------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if self._loading or self.read_only:
            return
        self._dirty = True
        if self.keeper is not None and self._offered is None:
            self.keeper.touch()  # never overwrite a draft that is still on offer

    def _date_changed(self) -> None:
        if self._loading or self.read_only:
            return
        day = self.assessed_on.value()
        if day is not None and self.definition is not None:
            self._update_header()
            suggested, hint = self._suggest(day)
            self.suggestion.setText(hint)
            has_children = self._subject.has_children_on(day)
            if (suggested is not None and suggested is not self.definition
                    and not self._user_chose and not self._has_entries()):
                self._set_definition(suggested, None)
            elif has_children != self._has_children:
                self._has_children = has_children
                self._rebuild(self._collect_state())
        self._changed()

    def _row_focused(self, row: DomainRow, focused: bool) -> None:
        if focused:
            self.scroll_area.ensureWidgetVisible(row, 0, 24)

    def _codes(self) -> list[str]:
        return list(self.rows)

    def _advance(self, code: str) -> None:
        codes = self._codes()
        index = codes.index(code)
        if index + 1 < len(codes):
            self.rows[codes[index + 1]].picker.setFocus(Qt.FocusReason.TabFocusReason)
        elif self.factor_boxes:
            next(iter(self.factor_boxes.values())).setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self.notes.setFocus(Qt.FocusReason.TabFocusReason)

    def _move(self, code: str, step: int) -> None:
        codes = self._codes()
        index = codes.index(code) + step
        if 0 <= index < len(codes):
            self.rows[codes[index]].picker.setFocus(Qt.FocusReason.TabFocusReason)

    # --- saving ----------------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        if not self.read_only:
            self.save()

    def build_assessment(self, assessed_on: date) -> Assessment:
        assert self.definition is not None
        items = tuple(
            ItemScore(code, row.picker.score(), row.target_score())
            for code, row in self.rows.items() if row.picker.is_answered()
        )
        person = self._subject.person
        return Assessment(
            id=self._new_id,
            definition_id=self.definition.id,
            definition_version=self.definition.version,
            assessed_on=assessed_on,
            assessor_id=self._ws.worker.id,
            items=items,
            person_id=person.id if person is not None else None,
            household_id=None if person is not None else self._subject.household.id,
            zwaartefactoren=tuple(code for code, box in self.factor_boxes.items()
                                  if box.isChecked()),
            target_date=self.target_date.value(),
            notes=self.notes.toPlainText().strip(),
        )

    def save(self) -> bool:
        """Validate and store; on any problem show it at the field and store nothing."""
        if self.read_only or self.definition is None:
            return False
        extra: dict[str, str] = {}
        errors: list[FieldError] = []
        day = self.assessed_on.value()
        if self.assessed_on.is_malformed():
            extra["assessed_on"] = malformed_date_message()
        elif day is None:
            errors.append(FieldError("assessed_on", ErrorCode.REQUIRED))
        if self.target_date.is_malformed():
            extra["target_date"] = malformed_date_message()
        assessment = self.build_assessment(day or self._ws.today())
        found = validate_assessment(self.definition, assessment, self._ws.today(),
                                    self._has_children)
        if day is None:
            found = [e for e in found if e.field not in ("assessed_on", "target_date")]
        errors += found
        if not errors and not extra:
            try:
                self._service.record(assessment)
            except ValidationFailed as failed:
                errors = failed.errors
            else:
                if self.keeper is not None:
                    self.keeper.discard()
                self.saved_assessment = assessment
                self.saved.emit(assessment)
                self.accept()
                return True
        self._show_errors(errors, extra)
        return False

    def _show_errors(self, errors: list[FieldError], extra: dict[str, str]) -> None:
        missing = [e.field for e in errors
                   if e.code is ErrorCode.REQUIRED and e.field.startswith("items.")
                   and e.field.count(".") == 1]
        for path in missing:
            extra[path] = self.tr("Kies een score of 'Niet besproken'.")
        for error in errors:
            if error.field == "target_date" and error.code is ErrorCode.DATE_ORDER:
                extra["target_date"] = self.tr("Kies een doeldatum na de meetdatum.")
        rest = [e for e in errors if e.field not in missing
                and not (e.field == "target_date" and e.code is ErrorCode.DATE_ORDER)]
        unplaced = self.errors.show(rest, extra)
        if len(missing) == 1:
            self.summary.show_message(self.tr("1 domein heeft nog geen score."))
        elif missing:
            self.summary.show_message(self.tr("{count} domeinen hebben nog geen score.").format(
                count=len(missing)))
        else:
            self.summary.clear_message()
        if unplaced:
            self.general_error.show_message(error_text("error"))
        else:
            self.general_error.clear_message()

    # --- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        if (result != QDialog.DialogCode.Accepted and not self.read_only
                and self.keeper is not None and self._dirty and self._offered is None):
            self.keeper.flush()  # closing without saving keeps what was typed as a draft
        super().done(result)
