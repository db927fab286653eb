"""The teamcoach's review: "Plannen die op mij wachten".

A table of versions waiting for review (household, version, submitted by, date). Opening one
shows the plan with what changed highlighted — since the version the coach returned when this
is its rework (her comments beside each section), else since the last approved version — a
comment box per section, and Goedkeuren / Terugsturen (a return needs at least one comment).
The decision is stored locally with the version id it was made on (`PlanService.review`) and
travels with the next sync, so this works offline. A worker who is not a teamcoach sees why
the decision buttons are not there.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.plans import (
    PlanRuleViolation,
    PlanSection,
    PlanStatus,
    PlanVersion,
    ReviewOutcome,
    SectionComment,
)
from wijkteam_app.errors import NotFound, StaleVersion
from wijkteam_app.services.authority import Action
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.casework_labels import eigen_bijdrage_label, financing_label
from wijkteam_app.ui.dialogs.plan_dialogs import (
    ChangeRow,
    PlanContext,
    agreement_label,
    euro,
    fingerprint_text,
    horizon_label,
    load_context,
    rule_text,
    section_label,
)
from wijkteam_app.ui.dialogs.plan_dialogs import tr as tr_
from wijkteam_app.ui.i18n import error_text
from wijkteam_app.ui.models.row_model import ColumnSpec, RowTableModel
from wijkteam_app.ui.pages.plan_page import change_rows, table_view
from wijkteam_app.ui.widgets import heading_label, muted_label
from wijkteam_app.ui.widgets.fields import format_dutch_date

# Versions that were approved at some point: the base for "what changed since".
APPROVED = frozenset({PlanStatus.GOEDGEKEURD, PlanStatus.TER_ONDERTEKENING,
                      PlanStatus.ONDERTEKEND, PlanStatus.IN_UITVOERING,
                      PlanStatus.GEEVALUEERD, PlanStatus.AFGESLOTEN})
CHANGED_BG = "#fff3c4"
COMMENT_SHORT = 34  # an empty comment box not in use: one line
COMMENT_TALL = 72  # the one being written in, or one with text
COMMENT_BG = "#fdf2e9"


@dataclass(frozen=True, slots=True)
class WaitingRow:
    version: PlanVersion
    household_name: str
    submitted_by: str
    submitted_at: datetime


def submitted_change(version: PlanVersion) -> tuple[str, datetime]:
    """Who sent the version to the coach, and when."""
    for change in reversed(version.history):
        if change.to_status is PlanStatus.TER_BEOORDELING:
            return change.actor_id, change.at
    return version.created_by, version.created_at


class WaitingModel(RowTableModel[WaitingRow]):
    """Plans waiting for review, oldest first: household, version, submitted by, date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[WaitingRow]] = [
            ColumnSpec(self.tr("Huishouden"), lambda r: r.household_name, align=None),
            ColumnSpec(self.tr("Versie"), lambda r: str(r.version.number), align=None),
            ColumnSpec(self.tr("Ingediend door"), lambda r: r.submitted_by, align=None),
            ColumnSpec(self.tr("Datum"), lambda r: format_dutch_date(r.submitted_at.date()),
                       align=None),
        ]

    def columns(self) -> Sequence[ColumnSpec[WaitingRow]]:
        return self._columns

    def set_rows(self, rows: Iterable[WaitingRow]) -> None:
        super().set_rows(list(rows))

    def object_id(self, item: WaitingRow) -> str:
        return item.version.id

    def accessible_text(self, item: WaitingRow, column: int) -> str:
        return self.tr("%1, versie %2, ingediend door %3").replace(
            "%1", item.household_name).replace("%2", str(item.version.number)).replace(
            "%3", item.submitted_by)

    def tooltip(self, item: WaitingRow, column: int) -> None:
        return None


def base_version(versions: Sequence[PlanVersion], version: PlanVersion) -> PlanVersion | None:
    """What the coach compares `version` with: the version that was returned, when `version`
    is its rework (made from it); otherwise the latest approved (or later) version before
    it; None for a first version."""
    earlier = [v for v in versions if v.number < version.number]
    based_on = next((v for v in earlier if v.id == version.based_on_id), None)
    if based_on is not None and based_on.status is PlanStatus.TERUGGESTUURD:
        return based_on
    approved = [v for v in earlier if v.status in APPROVED]
    return max(approved, key=lambda v: v.number) if approved else None


def returned_comments(base: PlanVersion | None) -> dict[PlanSection, list[str]]:
    """The comments of the review that returned `base`, per section (empty otherwise)."""
    review = base.last_review if base is not None else None
    if base is None or base.status is not PlanStatus.TERUGGESTUURD or review is None:
        return {}
    out: dict[PlanSection, list[str]] = {}
    for comment in review.comments:
        out.setdefault(comment.section, []).append(comment.text)
    return out


def plan_html(ctx: PlanContext, version: PlanVersion, changes: Sequence[ChangeRow],
              base: PlanVersion | None) -> str:
    """The plan as readable HTML; sections with changes since `base` are highlighted and
    list what changed (old → new). When `base` was returned, the coach's comments on it
    stand at their section, beside what changed."""
    c = version.content
    changed = {row.section for row in changes}
    by_section: dict[PlanSection, list[ChangeRow]] = {}
    for row in changes:
        by_section.setdefault(row.section, []).append(row)
    earlier = returned_comments(base)

    def para(text: str) -> str:
        return escape(text).replace("\n", "<br>") if text.strip() else "<i>—</i>"

    def section(sec: PlanSection, body: str) -> str:
        title = escape(section_label(sec))
        comments = ""
        if sec in earlier and base is not None:
            said = escape(tr_("Opmerking bij versie %1").replace("%1", str(base.number)))
            comments = "".join(
                f"<p style='background:{COMMENT_BG}; margin:2px 0;'><b>{said}</b>: "
                f"{escape(text)}</p>" for text in earlier[sec])
        if sec in changed and base is not None:
            tag = escape(tr_("gewijzigd sinds versie %1").replace("%1", str(base.number)))
            rows = "".join(
                f"<li><b>{escape(r.field_text)}</b>: <s>{escape(r.old)}</s> → "
                f"{escape(r.new)}</li>" for r in by_section.get(sec, []))
            return (f"<table width='100%' cellpadding='6' style='background:{CHANGED_BG};'>"
                    f"<tr><td><h3>{title} <small>({tag})</small></h3>{comments}{body}"
                    f"<ul>{rows}</ul></td></tr></table>")
        if comments:
            unchanged = escape(tr_("niet gewijzigd sinds versie %1").replace(
                "%1", str(base.number if base else "")))
            return f"<h3>{title} <small>({unchanged})</small></h3>{comments}{body}"
        return f"<h3>{title}</h3>{body}"

    parts = [f"<h2>{escape(ctx.detail.household.name)} — "
             f"{escape(tr_('versie %1').replace('%1', str(version.number)))}</h2>"]
    if base is None:
        parts.append(f"<p><i>{escape(tr_('Eerste versie ter beoordeling: alles is nieuw.'))}"
                     "</i></p>")
    elif base.status is PlanStatus.TERUGGESTUURD:
        review = base.last_review
        who = ctx.worker_name(review.reviewer_id) if review is not None else ""
        parts.append("<p>" + escape(tr_(
            "Gemarkeerd: gewijzigd sinds versie %1, die %2 terugstuurde. De opmerkingen van "
            "toen staan bij hun onderdeel.").replace("%1", str(base.number))
            .replace("%2", who)) + "</p>")
    else:
        parts.append(f"<p>{escape(tr_('Gemarkeerd: gewijzigd sinds de goedgekeurde versie %1.').replace('%1', str(base.number)))}</p>")  # noqa: E501
    names = [ctx.person_name(i) for i in c.participants.person_ids]
    names += [ctx.network_name(i) for i in c.participants.network_member_ids]
    names += [ctx.professional_name(i) for i in c.participants.professional_ids]
    if c.participants.others:
        names.append(c.participants.others)
    parts.append(section(PlanSection.DEELNEMERS, para(", ".join(names))))
    parts.append(section(PlanSection.HULPVRAAG, para(c.question)))
    situation = "".join(f"<p><b>{escape(ctx.domain_name(d.domain_code))}</b>: "
                        f"{para(d.text)}</p>" for d in c.situation.domains) or para("")
    parts.append(section(PlanSection.SITUATIE, situation))
    goals = []
    for n, g in enumerate(c.goals, start=1):
        lines = [f"<p><b>{escape(tr_('Doel %1').replace('%1', str(n)))}: "
                 f"{escape(g.description)}</b><br>"
                 f"{escape(ctx.domain_name(g.domain_code))} · "
                 f"{escape(tr_('niveau %1 → %2').replace('%1', str(g.current_level)).replace('%2', str(g.target_level)))} · "  # noqa: E501
                 f"{escape(horizon_label(g.horizon))}"
                 + (f" · {escape(tr_('voor %1').replace('%1', ', '.join(ctx.person_name(i) for i in g.for_person_ids)))}"  # noqa: E501
                    if g.for_person_ids else "")
                 + "</p><ul>"]
        if g.zelf:
            lines.append(f"<li>{escape(tr_('Zelf'))}: {para(g.zelf)}</li>")
        for a in g.netwerk:
            lines.append(f"<li>{escape(tr_('Netwerk'))}: {escape(ctx.network_name(a.network_member_id))}"  # noqa: E501
                         f" — {escape(a.task)}</li>")
        for p in g.voorzieningen:
            lines.append(f"<li>{escape(tr_('Voorziening'))}: "
                         f"{escape(ctx.provision_name(p.provision_id))}</li>")
        for s in g.professioneel:
            paid = (f" · {escape(financing_label(s.financing))}" if s.financing else "") + (
                f" · {escape(eigen_bijdrage_label(s.eigen_bijdrage))}" if s.eigen_bijdrage
                else "")
            lines.append(f"<li>{escape(tr_('Professioneel'))}: {escape(s.product_name)} · "
                         f"{escape(s.provider)} · {escape(euro(s.cost_cents))} · "
                         f"{format_dutch_date(s.start)} – {format_dutch_date(s.end)}"
                         f"{paid}</li>")
        for o in g.afspraken:
            due = f" · {format_dutch_date(o.due)}" if o.due else ""
            lines.append(f"<li>{escape(tr_('Afspraak'))}: {escape(o.who)} — "
                         f"{escape(o.what)}{due}</li>")
        lines.append("</ul>")
        goals.append("".join(lines))
    parts.append(section(PlanSection.DOELEN, "".join(goals) or para("")))
    parts.append(section(PlanSection.REGIE, para(ctx.worker_name(c.regisseur_id))))
    parts.append(section(PlanSection.EVALUATIE, para(", ".join(
        format_dutch_date(d) for d in c.evaluation_dates))))
    view = c.resident_view
    parts.append(section(PlanSection.ZIENSWIJZE, para(
        agreement_label(view.agreement) + (f": {view.own_words}" if view.own_words else ""))))
    parts.append(section(PlanSection.TOESTEMMING, para("; ".join(
        f"{x.recipient} — {x.purpose} ({ctx.person_name(x.given_by_person_id)})"
        for x in c.consents))))
    return "".join(parts)


class ReviewPage(QWidget):
    """Teamcoach review of submitted plans. The lead hosts it as a main-window page."""

    reviewed = Signal(str, str)  # version id, outcome ("goedkeuren" / "terugsturen")

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = PlanService(workspace)
        self.households = HouseholdService(workspace)
        self.current: WaitingRow | None = None
        self.ctx: PlanContext | None = None
        self.changes: list[ChangeRow] = []
        self.base: PlanVersion | None = None
        self.setAccessibleName(self.tr("Plannen beoordelen"))

        self.model = WaitingModel(self)
        self.table = table_view(self.model, self.tr("Plannen die op mij wachten"))
        self.table.setMaximumHeight(140)  # fitted to the rows in reload()
        self.table.selectionModel().currentRowChanged.connect(
            lambda index, _prev: self.open_row(index.row()) if index.isValid() else None)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.empty_label = muted_label(self.tr("Er wachten geen plannen op beoordeling."))
        self.notice = QLabel()
        self.notice.setObjectName("reviewNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel#reviewNotice { background: #fff7e0; border: 1px solid"
                                  " #e0b44c; border-radius: 4px; padding: 6px 10px; }")
        self.notice.setVisible(False)

        self.plan_view = QTextBrowser()
        self.plan_view.setAccessibleName(self.tr("Het plan, met wijzigingen gemarkeerd"))
        self.plan_view.setOpenLinks(False)
        self.plan_title = heading_label("", 1.5)

        self.comment_edits: dict[PlanSection, QPlainTextEdit] = {}
        comments = QWidget()
        comments_layout = QVBoxLayout(comments)
        comments_layout.setContentsMargins(0, 0, 6, 0)
        comments_layout.setSpacing(2)
        self.earlier_labels: dict[PlanSection, QLabel] = {}
        for sec in PlanSection:
            label = QLabel(section_label(sec))
            label.setObjectName(f"commentLabel_{sec.value}")
            earlier = QLabel()
            earlier.setObjectName(f"earlierComment_{sec.value}")
            earlier.setWordWrap(True)
            earlier.setStyleSheet(f"background: {COMMENT_BG}; border-radius: 3px; "
                                  "padding: 2px 6px;")
            earlier.setVisible(False)
            self.earlier_labels[sec] = earlier
            edit = QPlainTextEdit()
            edit.setObjectName(f"comment_{sec.value}")
            edit.setAccessibleName(self.tr("Opmerking bij %1").replace("%1", section_label(sec)))
            edit.setPlaceholderText(self.tr("Opmerking (optioneel)"))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(COMMENT_SHORT)
            edit.installEventFilter(self)
            edit.textChanged.connect(lambda e=edit: self._fit_comment(e))
            label.setBuddy(edit)
            comments_layout.addWidget(label)
            comments_layout.addWidget(earlier)
            comments_layout.addWidget(edit)
            self.comment_edits[sec] = edit
        comments_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(comments)
        self.comments_scroll = scroll

        self.approve_button = QPushButton(self.tr("&Goedkeuren"))
        self.return_button = QPushButton(self.tr("&Terugsturen"))
        for button in (self.approve_button, self.return_button):
            button.setAutoDefault(False)
        self.approve_button.clicked.connect(lambda: self.decide(ReviewOutcome.GOEDKEUREN))
        self.return_button.clicked.connect(lambda: self.decide(ReviewOutcome.TERUGSTUREN))
        self.explanation = QLabel()
        self.explanation.setObjectName("roleExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("QLabel#roleExplanation { background: #e8f0f7; border: "
                                       "1px solid #2f6690; border-radius: 4px; padding: 8px; }")
        self.explanation.setVisible(False)
        self.offline_hint = muted_label(self.tr(
            "Vastgelegd bij deze versie; gaat mee met de volgende synchronisatie."))
        self.offline_hint.setToolTip(self.tr(
            "Uw beslissing wordt hier vastgelegd bij deze versie en gaat mee met de volgende "
            "synchronisatie; ook zonder verbinding."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.offline_hint, 1)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(heading_label(self.tr("Opmerkingen per onderdeel"), 1.5))
        side_layout.addWidget(scroll, 1)
        side_layout.addWidget(self.explanation)
        side_layout.addLayout(buttons)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.plan_title)
        left_layout.addWidget(self.plan_view, 1)

        self.detail = QSplitter()
        self.detail.addWidget(left)
        self.detail.addWidget(side)
        self.detail.setStretchFactor(0, 3)
        self.detail.setStretchFactor(1, 2)
        self.detail.setSizes([780, 520])
        self.detail.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(heading_label(self.tr("Plannen die op mij wachten"), 3.0))
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.notice)
        layout.addWidget(self.detail, 1)
        # Takes the room when nothing waits, so the notice stays a line, not half a screen.
        layout.addStretch(0)
        self._layout = layout
        self._stale = True  # read when shown (or by reload())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.reload()

    # --- the comment boxes: one line each, room to write in the one in use --------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if isinstance(watched, QPlainTextEdit) and event.type() in (
                QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            QTimer.singleShot(0, lambda e=watched: self._fit_comment(e))
        return super().eventFilter(watched, event)

    def _fit_comment(self, edit: QPlainTextEdit) -> None:
        tall = edit.hasFocus() or bool(edit.toPlainText().strip())
        edit.setFixedHeight(COMMENT_TALL if tall else COMMENT_SHORT)
        if tall:
            self.comments_scroll.ensureWidgetVisible(edit, 0, 8)

    # --- roles ---------------------------------------------------------------------------------

    def refusal(self) -> str | None:
        """Why this worker may not review the open plan (the service's message code)."""
        row = self.current
        return None if row is None else self.service.why_not(row.version, Action.PLAN_REVIEW)

    def _update_decision_area(self) -> None:
        row = self.current
        reason = ""
        code = self.refusal()
        if code == "review_own_plan":
            reason = self.tr("U bent de regisseur van dit plan. Een andere teamcoach beoordeelt "
                             "het (vier ogen).")
        elif code is not None:
            reason = self.tr("Alleen een teamcoach van het team kan plannen goedkeuren of "
                             "terugsturen. U kunt de plannen hier wel inzien; vraag uw "
                             "teamcoach om de beoordeling.")
        can_decide = not reason and row is not None
        for button in (self.approve_button, self.return_button):
            button.setVisible(not reason)
            button.setEnabled(can_decide)
        for edit in self.comment_edits.values():
            edit.setReadOnly(bool(reason) or row is None)
        self.explanation.setText(reason)
        self.explanation.setAccessibleName(reason)
        self.explanation.setVisible(bool(reason))
        self.offline_hint.setVisible(not reason)

    # --- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the waiting versions again (after a decision, or when the page is shown)."""
        self._stale = False
        self.loaded_at = time.monotonic()  # what was saved before this is shown
        rows = self._waiting_rows()
        self._show_rows(rows)
        self.current = None
        if rows:
            self.table.selectRow(0)
            self.open_row(0)
        self._update_decision_area()

    def live_refresh(self) -> None:
        """A sync or a save elsewhere may have changed what waits: show it now (or when the
        page is shown next), keeping the plan being read, the comments typed for it and
        where it was scrolled. A plan that no longer waits is said so."""
        if not self.isVisible():
            self._stale = True
            return
        rows = self._waiting_rows()
        current = self.current
        still = next((r for r in rows if current is not None
                      and r.version.id == current.version.id), None)
        if current is None or still is None:
            gone = current is not None
            self.reload()
            if gone:
                self._say(self.tr("Het plan dat u las, wacht niet meer op beoordeling (het "
                                  "is elders beoordeeld of ingetrokken)."))
            return
        if [r.version.id for r in rows] == [r.version.id for r in self.model.items()]:
            return
        self.current = still  # selecting it again leaves the open plan as it is
        self._show_rows(rows)
        self.table.selectRow(self.model.row_of(still.version.id))

    def _show_rows(self, rows: list[WaitingRow]) -> None:
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.detail.setVisible(bool(rows))
        self._layout.setStretch(self._layout.count() - 1, 0 if rows else 1)
        shown = min(max(len(rows), 1), 4)
        self.table.setMaximumHeight(self.table.horizontalHeader().sizeHint().height()
                                    + shown * self.table.verticalHeader().defaultSectionSize()
                                    + 4)

    def _waiting_rows(self) -> list[WaitingRow]:
        names = self.households.worker_names()
        rows = []
        household_names: dict[str, str] = {}
        for version in self.service.waiting_for_review():
            hid = version.household_id
            if hid not in household_names:
                try:
                    household_names[hid] = self.households.get(hid).household.name
                except NotFound:
                    household_names[hid] = self.tr("(onbekend huishouden)")
            actor, at = submitted_change(version)
            rows.append(WaitingRow(version, household_names[hid], names.get(actor, ""), at))
        return rows

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        item = self.model.item(row)
        if self.current is not None and self.current.version.id == item.version.id:
            return
        self.current = item
        version = item.version
        self.ctx = load_context(self._ws, version.household_id)
        versions = self.service.versions(version.household_id)
        self.base = base_version(versions, version)
        self.changes = change_rows(self.ctx, self.base, version) if self.base else []
        self.plan_title.setText(self.tr("%1 — versie %2 · vingerafdruk %3")
                                .replace("%1", item.household_name)
                                .replace("%2", str(version.number))
                                .replace("%3", fingerprint_text(version)))
        self.plan_view.setHtml(plan_html(self.ctx, version, self.changes, self.base))
        for edit in self.comment_edits.values():
            edit.clear()
        self._mark_changed_sections()
        self._show_earlier_comments()
        self._say("")
        self._update_decision_area()

    def _show_earlier_comments(self) -> None:
        earlier = returned_comments(self.base)
        for sec, label in self.earlier_labels.items():
            texts = earlier.get(sec, [])
            number = self.base.number if self.base is not None else 0
            text = "\n".join(self.tr("Bij versie %1: %2").replace("%1", str(number))
                             .replace("%2", t) for t in texts)
            label.setText(text)
            label.setAccessibleName(text)
            label.setVisible(bool(texts))

    def _mark_changed_sections(self) -> None:
        changed = {row.section for row in self.changes}
        for sec in PlanSection:
            label = self.findChild(QLabel, f"commentLabel_{sec.value}")
            if label is None:
                continue
            text = section_label(sec)
            if sec in changed:
                text = self.tr("%1 — gewijzigd").replace("%1", text)
                label.setStyleSheet(f"background: {CHANGED_BG}; font-weight: 600;")
            else:
                label.setStyleSheet("")
            label.setText(text)

    def changed_sections(self) -> set[PlanSection]:
        return {row.section for row in self.changes}

    def comments(self) -> list[SectionComment]:
        return [SectionComment(sec, edit.toPlainText().strip())
                for sec, edit in self.comment_edits.items() if edit.toPlainText().strip()]

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    # --- deciding ------------------------------------------------------------------------------

    def decide(self, outcome: ReviewOutcome) -> bool:
        row = self.current
        if row is None or self.refusal() is not None:
            return False
        comments = self.comments()
        if outcome is ReviewOutcome.TERUGSTUREN and not comments:
            self._say(self.tr("Terugsturen kan alleen met minstens één opmerking: schrijf bij "
                              "het onderdeel wat er anders moet."))
            self.comment_edits[PlanSection.DOELEN].setFocus()
            return False
        try:
            self.service.review(row.version, outcome, comments)
        except PlanRuleViolation as exc:
            self._say(rule_text(exc))
            return False
        except (StaleVersion, NotFound):
            self._say(error_text("stale_version"))
            self.reload()
            return False
        self.reviewed.emit(row.version.id, outcome.value)
        self.reload()
        done = (self.tr("Versie %1 van %2 is goedgekeurd.") if outcome is
                ReviewOutcome.GOEDKEUREN else self.tr("Versie %1 van %2 is teruggestuurd."))
        self._say(done.replace("%1", str(row.version.number)).replace("%2", row.household_name)
                  + " " + self.tr("De beslissing is vastgelegd en gaat mee met de volgende "
                                  "synchronisatie."))
        return True
