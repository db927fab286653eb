"""The participatieladder form: date, current rung, potential rung with its horizon, notes.

Generated from the ladder's `InstrumentDefinition` (its single item and its levels). The two
rung pickers stand side by side like ladders, highest rung on top. Keyboard: a digit chooses
the rung of the picker with the focus (after the current rung the focus moves on to the potential),
Up/Down step a rung, Left goes to the current rung and Right to the potential (each stays
where it is when pressed again), 0 or N clears the potential ("nog niet bepaald"). Both
chosen values are spelled out above the buttons before saving. Ctrl+S saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    PARTICIPATIELADDER_ID,
    Assessment,
    InstrumentDefinition,
    InstrumentKind,
    ItemScore,
    Subject,
    validate_assessment,
    version_key,
)
from wijkteam_app.domain.validation import ErrorCode, FieldError, ValidationFailed
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.drafts import DraftService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.drafts import DraftKeeper
from wijkteam_app.ui.form_drafts import DraftOfferBar
from wijkteam_app.ui.forms.common import (
    FORM_STYLE,
    ScorePicker,
    add_save_shortcuts,
    definition_label,
    form_date_field,
    form_layout,
    guidance_frame,
    load_subject,
    notes_field,
    save_and_cancel_buttons,
)
from wijkteam_app.ui.i18n import error_text, field_text
from wijkteam_app.ui.widgets import ErrorLabel, heading_label, muted_label
from wijkteam_app.ui.widgets.fields import FieldErrors, malformed_date_message

DRAFT_KIND = "ladder"


def draft_key(person_id: str, corrects_id: str | None = None) -> str:
    if corrects_id:
        return f"ladder:{person_id}:correctie:{corrects_id}"
    return f"ladder:{person_id}:nieuw"


def ladder_definition(
        definitions: Mapping[tuple[str, str], InstrumentDefinition],
) -> InstrumentDefinition | None:
    """The latest installed person ladder (the participatieladder when installed)."""
    ladders = [d for d in definitions.values()
               if d.kind is InstrumentKind.LADDER and d.subject is Subject.PERSON]
    preferred = [d for d in ladders if d.id == PARTICIPATIELADDER_ID] or ladders
    if not preferred:
        return None
    return max(preferred, key=lambda d: version_key(d.version))


class LadderDialog(QDialog):
    """Record a rung on the participatieladder for one person, or correct a recorded one
    (`corrects`: the form starts from its values and asks for the reason; the stored
    measurement is kept, the correction takes its place)."""

    saved = Signal(object)  # the recorded Assessment

    def __init__(self, workspace: Workspace, household_id: str, person_id: str,
                 parent: QWidget | None = None, *, corrects: Assessment | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.corrects = corrects
        self._service = AssessmentService(workspace)
        self._drafts = DraftService(workspace)
        self._subject = load_subject(workspace, household_id, person_id)
        person = self._subject.person
        assert person is not None
        self._person = person
        self._new_id = new_id()
        self._loading = False
        self._dirty = False
        self._offered: dict[str, Any] | None = None
        self.saved_assessment: Assessment | None = None
        self.definition = ladder_definition(self._service.definitions)
        self.errors = FieldErrors()
        self.setStyleSheet(FORM_STYLE)
        self._build()
        key = draft_key(person.id, corrects.id if corrects else None)
        self.keeper = DraftKeeper(self._drafts, key, DRAFT_KIND,
                                  self.tr("Participatieladder (niet opgeslagen)"),
                                  self.draft_payload, self)
        self._loading = True
        if corrects is None:
            self.assessed_on.set_value(workspace.today())
        else:
            self._fill_from(corrects)
        self._loading = False
        self._update_header()
        self._update_summary()
        draft = self._drafts.get(key)
        if draft is not None:
            self._offered = draft.payload
            self.draft_offer.offer(draft.updated_at)
        else:
            self.current.setFocus()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        defn = self.definition
        self.title = heading_label("")
        self.subtitle = muted_label("")
        self.draft_offer = DraftOfferBar()
        self.draft_offer.restoreChosen.connect(self._restore_offered)
        self.draft_offer.discardChosen.connect(self._discard_offered)

        self.assessed_on = form_date_field(self.tr("Meetdatum"))
        self.date_error = ErrorLabel()
        self.horizon = form_date_field(self.tr("Horizon: haalbaar vóór"), self.tr(
            "De datum waarvóór de haalbare trede bereikt kan worden (de afgesproken periode)."))
        self.horizon_error = ErrorLabel()

        dates = QGridLayout()
        dates.setHorizontalSpacing(10)
        dates.setVerticalSpacing(2)
        for column, (caption, field, error) in enumerate((
                (self.tr("&Meetdatum"), self.assessed_on, self.date_error),
                (self.tr("Ho&rizon (haalbaar vóór)"), self.horizon, self.horizon_error))):
            label = QLabel(caption)
            label.setBuddy(field)
            dates.addWidget(label, 0, column)
            dates.addWidget(field, 1, column)
            dates.addWidget(error, 2, column)
        dates.setColumnStretch(2, 1)

        self.guidance = QLabel(defn.guidance if defn else "")
        self.guidance.setWordWrap(True)
        keys = muted_label(self.tr(
            "Toetsen: 1-6 kiest de trede van de kolom met de focus (daarna gaat de focus naar "
            "de haalbare trede), ↑/↓ een trede hoger of lager, ← naar de huidige trede, → naar "
            "de haalbare trede, 0 of N = haalbare trede nog niet bepaald. Ctrl+S slaat op."))
        guidance_box = guidance_frame(self.guidance, keys)

        levels = defn.levels if defn else ()
        tips = dict(defn.items[0].level_texts) if defn else {}
        self.current = ScorePicker(levels, self.tr("Huidige trede"), vertical=True,
                                   level_tips=tips)
        self.potential = ScorePicker(
            levels, self.tr("Haalbare trede (potentie)"), none_text=self.tr("Nog niet bepaald"),
            none_tip=self.tr("De haalbare trede is nog niet besproken (toets 0 of N)."),
            vertical=True, level_tips=tips)
        self.current_error = ErrorLabel()
        self.potential_error = ErrorLabel()
        pickers = QHBoxLayout()
        pickers.setSpacing(24)
        for caption, picker, error in (
                (self.tr("&Huidige trede"), self.current, self.current_error),
                (self.tr("Haalbare &trede (potentie)"), self.potential, self.potential_error)):
            box = QVBoxLayout()
            box.setSpacing(2)
            label = QLabel(f"<b>{caption}</b>")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setBuddy(picker)
            box.addWidget(label)
            box.addWidget(picker)
            box.addWidget(error)
            box.addStretch(1)
            pickers.addLayout(box, 1)

        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reden van de correctie"))
        self.reason.setPlaceholderText(self.tr(
            "Bijvoorbeeld: huidige en haalbare trede waren verwisseld"))
        self.reason_label = QLabel(self.tr("Reden van de &correctie"))
        self.reason_label.setBuddy(self.reason)
        self.reason_error = ErrorLabel()
        for widget in (self.reason, self.reason_label, self.reason_error):
            widget.setVisible(self.corrects is not None)
        self.reason.textChanged.connect(self._changed)

        self.summary = QLabel()
        self.summary.setObjectName("ladderSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.notes, notes_label = notes_field(70)
        self.notes_error = ErrorLabel()
        self.general_error = ErrorLabel()
        if defn is None:
            self.general_error.show_message(self.tr(
                "De participatieladder is op deze laptop niet geïnstalleerd."))

        self.save_button, self.cancel_button = save_and_cancel_buttons()
        self.save_button.setEnabled(defn is not None)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = form_layout(self, self.title, self.subtitle, self.draft_offer)
        layout.addLayout(dates)
        layout.addWidget(guidance_box)
        layout.addSpacing(4)
        layout.addLayout(pickers)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_error)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes)
        layout.addWidget(self.notes_error)
        layout.addWidget(self.summary)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.setMinimumWidth(720)
        layout.activate()
        self.resize(760, layout.totalHeightForWidth(760))

        self.errors.register("assessed_on", self.assessed_on, self.date_error)
        self.errors.register("target_date", self.horizon, self.horizon_error)
        self.errors.register("notes", self.notes, self.notes_error)
        self.errors.register("correction_reason", self.reason, self.reason_error)
        if defn is not None:
            code = defn.items[0].code
            self.errors.register(f"items.{code}", self.current, self.current_error)
            self.errors.register(f"items.{code}.target_score", self.potential,
                                 self.potential_error)

        for first, second in ((self.assessed_on, self.horizon), (self.horizon, self.current),
                              (self.current, self.potential), (self.potential, self.reason),
                              (self.reason, self.notes),
                              (self.notes, self.cancel_button),
                              (self.cancel_button, self.save_button)):
            QWidget.setTabOrder(first, second)

        add_save_shortcuts(self, self.save)
        self.current.committed.connect(lambda: self.potential.setFocus())
        # Left is the current rung, right the potential: the arrows point at a column.
        self.current.moveRequested.connect(
            lambda step: self.potential.setFocus() if step > 0 else None)
        self.potential.moveRequested.connect(
            lambda step: self.current.setFocus() if step < 0 else None)
        for picker in (self.current, self.potential):
            picker.scoreChanged.connect(self._changed)
            picker.scoreChanged.connect(self._update_summary)
        self.assessed_on.dateChanged.connect(self._date_changed)
        self.horizon.dateChanged.connect(self._changed)
        self.horizon.dateChanged.connect(self._update_summary)
        self.notes.textChanged.connect(self._changed)

    def _fill_from(self, assessment: Assessment) -> None:
        self.assessed_on.set_value(assessment.assessed_on)
        self.horizon.set_value(assessment.target_date)
        self.notes.setPlainText(assessment.notes)
        entry = assessment.items[0] if assessment.items else None
        if entry is not None and entry.score is not None:
            self.current.set_score(entry.score)
            self.potential.set_score(entry.target_score)

    def _update_header(self) -> None:
        day = self.assessed_on.value() or self._ws.today()
        age = self._person.age_on(day)
        title = self.tr("Participatieladder — {name}").format(name=self._person.full_name)
        if self.corrects is not None:
            title = self.tr("Participatieladder corrigeren — {name}").format(
                name=self._person.full_name)
        detail = definition_label(self.definition) if self.definition else ""
        if age is not None:
            detail += " · " + self.tr("{age} jaar op de meetdatum").format(age=age)
        if self.corrects is not None:
            detail += " · " + self.tr(
                "correctie van de meting van {date}; die blijft in de geschiedenis").format(
                date=self.corrects.assessed_on.strftime("%d-%m-%Y"))
        self.title.setText(title)
        self.subtitle.setText(detail)
        self.setWindowTitle(title)

    def _update_summary(self, *_args: object) -> None:
        """Both values as they will be saved, spelled out (no silent surprises)."""
        if self.definition is None:
            self.summary.setText("")
            return
        chosen = self.tr("nog niet gekozen")
        current = self.current.state_text() if self.current.is_answered() else chosen
        potential = self.potential.state_text() if self.potential.is_answered() else chosen
        text = self.tr("Wordt vastgelegd — Huidige trede: {current} · Haalbare trede: "
                       "{potential}").format(current=current, potential=potential)
        horizon = self.horizon.value()
        if horizon is not None and self.potential.score() is not None:
            text += " " + self.tr("(vóór {date})").format(date=horizon.strftime("%d-%m-%Y"))
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    # --- drafts ----------------------------------------------------------------------------

    def draft_payload(self) -> dict[str, Any]:
        return {
            "assessed_on": self.assessed_on.text(),
            "target_date": self.horizon.text(),
            "rung": self.current.score() if self.current.is_answered() else "",
            "potential": self.potential.score() if self.potential.is_answered() else "",
            "notes": self.notes.toPlainText(),
            "reason": self.reason.text(),
            "household_id": self._subject.household.id,  # so a draft list can reopen the form
            "person_id": self._person.id,
        }

    def _restore_offered(self) -> None:
        payload, self._offered = self._offered, None
        if payload is not None:
            self._loading = True
            try:
                self.assessed_on.setText(str(payload.get("assessed_on", "")))
                self.horizon.setText(str(payload.get("target_date", "")))
                self.notes.setPlainText(str(payload.get("notes", "")))
                self.reason.setText(str(payload.get("reason", "")))
                for picker, key in ((self.current, "rung"), (self.potential, "potential")):
                    value = payload.get(key, "")
                    try:
                        if value is None or isinstance(value, int):
                            picker.set_score(value)
                        else:
                            picker.clear()
                    except ValueError:
                        picker.clear()
            finally:
                self._loading = False
            self._update_header()
        self._dirty = False
        self.current.setFocus()

    def _discard_offered(self) -> None:
        self._offered = None
        self._drafts.discard(self.keeper.key)
        if self._dirty:
            self.keeper.touch()
        self.current.setFocus()

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        if self._offered is None:
            self.keeper.touch()

    def _date_changed(self) -> None:
        if not self._loading:
            self._update_header()
        self._changed()

    # --- saving ----------------------------------------------------------------------------

    def build_assessment(self, assessed_on: date) -> Assessment:
        assert self.definition is not None
        code = self.definition.items[0].code
        items = ((ItemScore(code, self.current.score(), self.potential.score()),)
                 if self.current.is_answered() else ())
        return Assessment(
            id=self._new_id,
            definition_id=self.definition.id,
            definition_version=self.definition.version,
            assessed_on=assessed_on,
            assessor_id=self._ws.worker.id,
            items=items,
            person_id=self._person.id,
            target_date=self.horizon.value(),
            notes=self.notes.toPlainText().strip(),
            corrects_id=self.corrects.id if self.corrects else None,
            correction_reason=self.reason.text().strip() if self.corrects else "",
        )

    def save(self) -> bool:
        if self.definition is None:
            return False
        extra: dict[str, str] = {}
        errors: list[FieldError] = []
        day = self.assessed_on.value()
        if self.assessed_on.is_malformed():
            extra["assessed_on"] = malformed_date_message()
        elif day is None:
            errors.append(FieldError("assessed_on", ErrorCode.REQUIRED))
        if self.horizon.is_malformed():
            extra["target_date"] = malformed_date_message()
        assessment = self.build_assessment(day or self._ws.today())
        found = validate_assessment(self.definition, assessment, self._ws.today())
        if day is None:
            found = [e for e in found if e.field not in ("assessed_on", "target_date")]
        errors += found
        if self.corrects is not None and not assessment.correction_reason:
            extra["correction_reason"] = self.tr("Geef de reden van de correctie.")
        if not errors and not extra:
            try:
                if self.corrects is not None:
                    self._service.correct(self.corrects, assessment)
                else:
                    self._service.record(assessment)
            except ValidationFailed as failed:
                errors = failed.errors
            else:
                self.keeper.discard()
                self.saved_assessment = assessment
                self.saved.emit(assessment)
                self.accept()
                return True
        code = self.definition.items[0].code
        for error in list(errors):
            if error.field == f"items.{code}" and error.code is ErrorCode.REQUIRED:
                errors.remove(error)
                extra[error.field] = self.tr("Kies de huidige trede.")
            elif error.field == "target_date" and error.code is ErrorCode.DATE_ORDER:
                errors.remove(error)
                extra["target_date"] = self.tr("Kies een horizon na de meetdatum.")
            elif error.field == "corrects_id":
                errors.remove(error)
                self.general_error.show_message(error_text("stale_version") if error.code
                                                is not ErrorCode.ALREADY_CORRECTED
                                                else field_text(error.code))
                return False
        if self.errors.show(errors, extra):
            self.general_error.show_message(error_text("error"))
        else:
            self.general_error.clear_message()
        return False

    def done(self, result: int) -> None:
        if (result != QDialog.DialogCode.Accepted and self._dirty and self._offered is None
                and self.definition is not None):
            self.keeper.flush()  # closing without saving keeps what was typed as a draft
        super().done(result)
