"""Pages and panels of issue 13.

- `KitchenTablePanel` (household tab "Keukentafel"): the versions of the verslag of the
  keukentafelgesprek, the selected one as text, a new report or a new version, the PDF;
- `ConferencesPanel` (household tab "Overleg"): case conferences, the selected one as text,
  record or change one, take its agreements into the plan, its short report as PDF;
- `CaseExtrasPanel` (in the case panel of the household's Overzicht): the stuck flag with its
  history and the buttons to flag or decide, and the resident's client-experience answers;
- `StuckCasesPage` ("Vastgelopen casussen", for the teamcoach and the brandpuntfunctionaris);
- `TodoPanel` (the "Te doen" list on the start page).

Dialogs open window-modal without blocking (`open()`); `active_dialog` is the open one.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.cases import Case, CaseStatus
from wijkteam_app.domain.client_experience import Moment
from wijkteam_app.domain.conferences import CaseConference
from wijkteam_app.domain.deadlines import report_due
from wijkteam_app.domain.kitchen_table import KitchenTableReport, fingerprint
from wijkteam_app.domain.plans import PlanStatus, short_fingerprint
from wijkteam_app.domain.stuck import DECIDING_ROLES, FLAGGING_ROLES, EventKind
from wijkteam_app.reports.casework_pdf import REPORT_SECTIONS
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.services.authority import Action, Authority
from wijkteam_app.services.client_experience import ClientExperienceService
from wijkteam_app.services.conferences import ConferenceService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.kitchen_table import KitchenTableService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.stuck import FlaggedCase, StuckService, StuckState
from wijkteam_app.ui.casework_labels import (
    conference_kind_label,
    issue_method_label,
    moment_label,
    rule_text,
)
from wijkteam_app.ui.dialogs.casework_dialogs import (
    ClientExperienceDialog,
    ConferenceDialog,
    KitchenTableDialog,
    StuckDecisionDialog,
    StuckFlagDialog,
    TakeIntoPlanDialog,
)
from wijkteam_app.ui.dialogs.plan_dialogs import PdfPreviewDialog, default_report_settings
from wijkteam_app.ui.models.row_model import ColumnSpec, RowTableModel, date_key, text_key
from wijkteam_app.ui.pages.plan_page import table_view
from wijkteam_app.ui.widgets import heading_label, muted_label
from wijkteam_app.ui.widgets.fields import format_dutch_date

NOTICE_STYLE = ("QLabel#caseworkNotice { background: #fff7e0; border: 1px solid #e0b44c;"
                " border-radius: 4px; padding: 6px 10px; }")
STUCK_STYLE = ("QLabel#stuckBanner { background: #fdecea; border: 1px solid #b42318;"
               " border-radius: 4px; padding: 6px 10px; color: #5c1009; }")


def _button(text: str, accessible: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    if accessible:
        button.setAccessibleName(accessible)
    return button


def _notice() -> QLabel:
    label = QLabel()
    label.setObjectName("caseworkNotice")
    label.setStyleSheet(NOTICE_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    return browser


def _t(text: str) -> str:
    return QCoreApplication.translate("casework", text)


def _para(text: str) -> str:
    return escape(text).replace("\n", "<br>") if text.strip() else "<i>—</i>"


def open_case_of(household: HouseholdService, household_id: str) -> Case | None:
    """The open case (the newest not closed), else the newest."""
    cases = household.cases(household_id)
    for overview in cases:
        if overview.case.status is not CaseStatus.AFGESLOTEN:
            return overview.case
    return cases[0].case if cases else None


class _Panel(QWidget):
    """Shared: a household, a notice line, and window-modal dialogs."""

    changed = Signal(str)  # household id, after a save

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.households = HouseholdService(workspace)
        self.household_id = ""
        self.case: Case | None = None
        self.active_dialog: QDialog | None = None
        self.notice = _notice()
        self.report_settings: ReportSettings = default_report_settings(workspace)

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def open_dialog(self, dialog: QDialog) -> QDialog:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()
        return dialog

    def _dialog_finished(self, result: int) -> None:
        self.active_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.say("")
            self.reload()
            self.changed.emit(self.household_id)

    def show_household(self, household_id: str) -> None:
        self.household_id = household_id
        self.say("")
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def preview(self, pdf: bytes, title: str, filename: str) -> None:
        self.open_dialog(PdfPreviewDialog(pdf, title, self, filename))


# --- keukentafel -----------------------------------------------------------------------------


class ReportsModel(RowTableModel[KitchenTableReport]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[KitchenTableReport]] = [
            ColumnSpec(self.tr("Versie"), lambda r: str(r.number), key=lambda r: r.number),
            ColumnSpec(self.tr("Gesprek"), lambda r: format_dutch_date(r.held_on),
                       key=lambda r: r.held_on),
            ColumnSpec(self.tr("Verstrekt"), lambda r: f"{format_dutch_date(r.issued_on)} · "
                       f"{issue_method_label(r.issued_how).lower()}",
                       key=lambda r: r.issued_on),
        ]

    def columns(self) -> Sequence[ColumnSpec[KitchenTableReport]]:
        return self._columns

    def ordered(self, rows: Sequence[KitchenTableReport]) -> list[KitchenTableReport]:
        return sorted(rows, key=lambda r: -r.number)


def report_html(report: KitchenTableReport, names: dict[str, str]) -> str:
    people = [names.get(i, "") for i in (*report.participants.person_ids,
                                         *report.participants.network_member_ids)]
    if report.participants.others.strip():
        people.append(report.participants.others.strip())
    head = (f"<h3>{escape(_t('Versie %1').replace('%1', str(report.number)))}"
            f" · {escape(short_fingerprint(fingerprint(report)))}</h3>"
            f"<p>{escape(format_dutch_date(report.held_on))}, {escape(report.location)}<br>"
            f"{escape(', '.join(p for p in people if p))}</p>")
    parts = [head]
    for heading, fields in REPORT_SECTIONS:
        parts.append(f"<h4>{escape(heading)}</h4>")
        for name, question in fields:
            value = str(getattr(report.content, name))
            if question:
                parts.append(f"<p><b>{escape(question)}</b><br>{_para(value)}</p>")
            else:
                parts.append(f"<p>{_para(value)}</p>")
    return "".join(parts)


class KitchenTablePanel(_Panel):
    """The household's verslagen of the keukentafelgesprek, as versions."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.service = KitchenTableService(workspace)
        self.setAccessibleName(self.tr("Keukentafelgesprek"))
        self.model = ReportsModel(self)
        self.table = table_view(self.model, self.tr("Versies van het verslag"))
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.text = _browser(self.tr("Het gekozen verslag"))
        self.new_button = _button(self.tr("&Nieuw verslag…"))
        self.new_button.clicked.connect(self.new_report)
        self.version_button = _button(self.tr("Nieuwe &versie…"),
                                      self.tr("Nieuwe versie van het gekozen verslag"))
        self.version_button.clicked.connect(self.new_version)
        self.pdf_button = _button(self.tr("&PDF bekijken/afdrukken…"))
        self.pdf_button.clicked.connect(self.show_pdf)
        self.term_label = muted_label("")
        row = QHBoxLayout()
        for button in (self.new_button, self.version_button, self.pdf_button):
            row.addWidget(button)
        row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading_label(self.tr("Versies"), 1.5))
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.text)
        splitter.setSizes([360, 900])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(muted_label(self.tr(
            "Het verslag van het keukentafelgesprek: de drie vragen, de onderwerpen van de Wmo "
            "(artikel 2.3.2) en de uitkomst. Een vastgelegd verslag verandert niet meer; een "
            "correctie wordt een nieuwe versie.")))
        layout.addWidget(self.term_label)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self.reports: list[KitchenTableReport] = []

    def reload(self) -> None:
        if not self.household_id:
            return
        self.case = open_case_of(self.households, self.household_id)
        self.reports = [r for r in self.service.reports(self.household_id)
                        if self.case is None or r.case_id == self.case.id]
        self.model.set_rows(self.reports)
        detail = self.households.get(self.household_id)
        self._names = {p.id: p.full_name for p in detail.members}
        self._names.update({n.id: f"{n.name} ({n.relation})" for n in detail.network})
        if self.reports:
            self.table.selectRow(0)
            self._show(self.model.item(0))
        else:
            self.text.setHtml(f"<p><i>{escape(self.tr('Nog geen verslag vastgelegd.'))}</i></p>")
        has_case = self.case is not None
        writer = Authority(self._ws).may(self.household_id, Action.KITCHEN_TABLE_REPORT)
        self.new_button.setVisible(writer)
        self.version_button.setVisible(writer)
        self.new_button.setEnabled(has_case and not self.reports)
        self.version_button.setEnabled(bool(self.reports))
        self.pdf_button.setEnabled(bool(self.reports))
        self.term_label.setVisible(has_case)
        if self.case is not None:
            due = report_due(self.case)
            self.term_label.setText(self.tr(
                "Aanmelding %1; het verslag hoort uiterlijk %2 bij de inwoner (zes weken, Wmo)."
            ).replace("%1", format_dutch_date(self.case.referral_date))
             .replace("%2", format_dutch_date(due)))

    def selected(self) -> KitchenTableReport | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else (
            self.model.item(0) if self.model.rowCount() else None)

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show(self.model.item(current.row()))

    def _show(self, report: KitchenTableReport) -> None:
        self.text.setHtml(report_html(report, self._names))

    def _dialog(self, previous: KitchenTableReport | None) -> None:
        if self.case is None:
            self.say(self.tr("Dit huishouden heeft nog geen casus; een verslag hoort bij een "
                             "casus."))
            return
        detail = self.households.get(self.household_id)
        self.open_dialog(KitchenTableDialog(self._ws, self.household_id, self.case.id,
                                            detail.members, detail.network, previous, self))

    def new_report(self) -> None:
        self._dialog(self.reports[-1] if self.reports else None)

    def new_version(self) -> None:
        report = self.selected()
        if report is not None:
            self._dialog(report)

    def show_pdf(self) -> None:
        report = self.selected()
        if report is None:
            return
        pdf = self.service.render_pdf(report, self.report_settings)
        self.preview(pdf, self.tr("Verslag keukentafelgesprek versie %1")
                     .replace("%1", str(report.number)),
                     f"verslag-keukentafelgesprek-v{report.number}.pdf")


# --- case conferences ------------------------------------------------------------------------


class ConferencesModel(RowTableModel[CaseConference]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[CaseConference]] = [
            ColumnSpec(self.tr("Datum"), lambda c: format_dutch_date(c.held_on),
                       key=lambda c: date_key(c.held_on)),
            ColumnSpec(self.tr("Soort"), lambda c: conference_kind_label(c.kind),
                       key=lambda c: text_key(c.kind.value)),
            ColumnSpec(self.tr("Afspraken"), lambda c: self.tr("%1 open van %2").replace(
                "%1", str(len(c.open_agreements()))).replace("%2", str(len(c.agreements))),
                key=lambda c: len(c.open_agreements())),
        ]

    def columns(self) -> Sequence[ColumnSpec[CaseConference]]:
        return self._columns


def conference_html(c: CaseConference, names: dict[str, str]) -> str:
    tr = _t
    people = ", ".join(escape(p.name) for p in c.participants)
    rows = []
    for a in c.agreements:
        state = tr("gedaan") if a.done else tr("open")
        if a.plan_goal_id:
            state += tr(", in het plan")
        due = format_dutch_date(a.due) if a.due else "—"
        rows.append(f"<tr><td>{escape(a.what)}</td><td>{escape(a.who.name)}</td>"
                    f"<td>{due}</td><td>{escape(state)}</td></tr>")
    table = ("<table cellspacing=0 cellpadding=4 border=1 style='border-collapse:collapse'>"
             f"<tr><th>{escape(tr('Wat'))}</th><th>{escape(tr('Wie'))}</th>"
             f"<th>{escape(tr('Uiterlijk'))}</th><th>{escape(tr('Stand'))}</th></tr>"
             + "".join(rows) + "</table>") if rows else f"<p><i>{escape(tr('Geen'))}</i></p>"
    manager = escape(c.casemanager.name) if c.casemanager else escape(tr("niet aangesteld"))
    return (f"<h3>{escape(conference_kind_label(c.kind))} · "
            f"{escape(format_dutch_date(c.held_on))}</h3>"
            f"<p><b>{escape(tr('Aanwezig'))}:</b> {people}<br>"
            f"<b>{escape(tr('Casemanager'))}:</b> {manager}<br>"
            f"<b>{escape(tr('Verslag door'))}:</b> {escape(names.get(c.recorded_by, ''))}</p>"
            f"<h4>{escape(tr('Aanleiding'))}</h4><p>{_para(c.reason)}</p>"
            f"<h4>{escape(tr('Besproken en besloten'))}</h4><p>{_para(c.discussion)}</p>"
            f"<h4>{escape(tr('Afspraken'))}</h4>{table}")


class ConferencesPanel(_Panel):
    """Multidisciplinair overleg, zorgoverleg and eigen-kracht-conferenties of a household."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.service = ConferenceService(workspace)
        self.plans = PlanService(workspace)
        self.setAccessibleName(self.tr("Overleg"))
        self.model = ConferencesModel(self)
        self.table = table_view(self.model, self.tr("Overleggen"))
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.text = _browser(self.tr("Het gekozen overleg"))
        self.new_button = _button(self.tr("Overleg &vastleggen…"))
        self.new_button.clicked.connect(self.new_conference)
        self.edit_button = _button(self.tr("Wij&zigen…"), self.tr("Overleg wijzigen"))
        self.edit_button.clicked.connect(self.edit)
        self.plan_button = _button(self.tr("Afspraken naar &plan…"))
        self.plan_button.clicked.connect(self.take_into_plan)
        self.pdf_button = _button(self.tr("Verslag (P&DF)…"), self.tr("Verslag als PDF"))
        self.pdf_button.clicked.connect(self.show_pdf)
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.plan_button, self.pdf_button):
            row.addWidget(button)
        row.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setSizes([420, 840])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(muted_label(self.tr(
            "Overleg rond het huishouden: wie was er, wat is besproken, wie doet wat en "
            "wanneer, en wie casemanager is. Afspraken kunnen in het plan worden opgenomen.")))
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self._names: dict[str, str] = {}

    def reload(self) -> None:
        if not self.household_id:
            return
        self.case = open_case_of(self.households, self.household_id)
        keep = self.selected()
        rows = self.service.conferences(self.household_id)
        self.model.set_rows(rows)
        self._names = self.households.worker_names()
        row = self.model.row_of(keep.id) if keep else -1
        if rows:
            self.table.selectRow(max(row, 0))
            current = self.selected()
            if current is not None:
                self.text.setHtml(conference_html(current, self._names))
        else:
            self.text.setHtml(f"<p><i>{escape(self.tr('Nog geen overleg vastgelegd.'))}</i></p>")
        for button in (self.edit_button, self.plan_button, self.pdf_button):
            button.setEnabled(bool(rows))
        allowed = Authority(self._ws).allowed(self.household_id, (
            Action.CASE_CONFERENCE, Action.PLAN_WRITE))
        for button in (self.new_button, self.edit_button):
            button.setVisible(Action.CASE_CONFERENCE in allowed)
        self.plan_button.setVisible({Action.CASE_CONFERENCE, Action.PLAN_WRITE} <= allowed)

    def selected(self) -> CaseConference | None:
        index = self.table.currentIndex()
        if index.isValid() and index.row() < self.model.rowCount():
            return self.model.item(index.row())
        return None

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.text.setHtml(conference_html(self.model.item(current.row()), self._names))

    def new_conference(self) -> None:
        self.open_dialog(ConferenceDialog(self._ws, self.household_id,
                                          self.case.id if self.case else None, None, self))

    def edit(self) -> None:
        conference = self.selected()
        if conference is not None:
            self.open_dialog(ConferenceDialog(self._ws, self.household_id, conference.case_id,
                                              conference, self))

    def take_into_plan(self) -> None:
        conference = self.selected()
        if conference is None:
            return
        version = self.plans.current(self.household_id)
        if version is None:
            self.say(rule_text("no_plan"))
            return
        if version.status is not PlanStatus.CONCEPT:
            self.say(rule_text("plan_not_concept"))
            return
        if all(a.plan_goal_id for a in conference.agreements):
            self.say(rule_text("nothing_to_take"))
            return
        goals = [(g, self.tr("Doel %1: %2").replace("%1", str(n)).replace("%2", g.description))
                 for n, g in enumerate(version.content.goals, start=1)]
        self.open_dialog(TakeIntoPlanDialog(self._ws, conference, goals, self))

    def show_pdf(self) -> None:
        conference = self.selected()
        if conference is None:
            return
        pdf = self.service.render_pdf(conference, self.report_settings)
        self.preview(pdf, self.tr("Verslag van het overleg van %1")
                     .replace("%1", format_dutch_date(conference.held_on)),
                     f"overleg-{conference.held_on.isoformat()}.pdf")


# --- the case panel: stuck case and client experience -----------------------------------------


class CaseExtrasPanel(_Panel):
    """Under the case on the household's Overzicht: the stuck flag (banner, history, flag
    and decide) and the resident's client-experience answers."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.stuck = StuckService(workspace)
        self.experiences = ClientExperienceService(workspace)
        self.state: StuckState | None = None
        self.banner = QLabel()
        self.banner.setObjectName("stuckBanner")
        self.banner.setStyleSheet(STUCK_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.history = muted_label("")
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.flag_button = _button(self.tr("Vastgelopen me&lden…"),
                                   self.tr("Casus als vastgelopen melden"))
        self.flag_button.clicked.connect(self.flag)
        self.decide_button = _button(self.tr("Besluit vastle&ggen…"),
                                     self.tr("Besluit over de vastgelopen casus"))
        self.decide_button.clicked.connect(self.decide)
        self.experience_button = _button(self.tr("&Klantervaring…"),
                                         self.tr("Klantervaring vastleggen"))
        self.experience_button.clicked.connect(lambda: self.ask_experience(Moment.EVALUATIE))
        self.experience_label = muted_label("")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.flag_button, self.decide_button, self.experience_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #d3dae1;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(rule)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        layout.addWidget(self.history)
        layout.addWidget(self.experience_label)

    def reload(self) -> None:
        if not self.household_id:
            return
        self.case = open_case_of(self.households, self.household_id)
        self.state = self.stuck.state(self.household_id)
        names = self.households.worker_names()
        allowed = Authority(self._ws).allowed(self.household_id, (
            Action.FLAG_STUCK, Action.DECIDE_STUCK, Action.CLIENT_EXPERIENCE))
        role = self._ws.worker.role
        flag = self.state.open_for(self.case.id) if self.case else None
        if flag is not None:
            self.banner.setText(self.tr("⚠ Vastgelopen sinds %1 (gemeld door %2): %3").replace(
                "%1", format_dutch_date(flag.flagged_at.date())).replace(
                "%2", names.get(flag.flagged_by, "")).replace("%3", flag.reason))
            self.banner.setAccessibleName(self.banner.text())
        self.banner.setVisible(flag is not None)
        self.flag_button.setVisible(self.case is not None and flag is None
                                    and role in FLAGGING_ROLES
                                    and Action.FLAG_STUCK in allowed)
        self.decide_button.setVisible(flag is not None and role in DECIDING_ROLES
                                      and Action.DECIDE_STUCK in allowed)
        self.decide_button.setEnabled(flag is not None and flag.flagged_by != self._ws.worker.id)
        if flag is not None and flag.flagged_by == self._ws.worker.id:
            self.decide_button.setToolTip(rule_text("own_flag"))
        lines = []
        for event in self.state.events:
            when = format_dutch_date(event.at.date())
            who = escape(names.get(event.actor_id, ""))
            if event.kind is EventKind.GEMELD:
                lines.append(f"{when} {escape(self.tr('gemeld door'))} {who}: "
                             f"{escape(event.text)}")
            else:
                extra = f" ({escape(self.tr('doorzettingsmacht'))})" \
                    if event.doorzettingsmacht else ""
                lines.append(f"{when} {escape(self.tr('besluit van'))} {who}{extra}: "
                             f"{escape(event.text)}")
        self.history.setText(f"<b>{escape(self.tr('Vastgelopen, geschiedenis'))}</b><br>"
                             + "<br>".join(lines) if lines else "")
        # The open flag alone is in the banner already; the history shows once there is more.
        self.history.setVisible(len(lines) > (1 if flag is not None else 0))
        answers = [e for e in self.experiences.for_household(self.household_id)
                   if self.case is None or e.case_id == self.case.id]
        self.experience_button.setVisible(self.case is not None
                                          and Action.CLIENT_EXPERIENCE in allowed)
        self.experience_label.setText(self.tr("Klantervaring: %1").replace("%1", "; ".join(
            f"{moment_label(e.moment).lower()} {format_dutch_date(e.answered_on)}"
            for e in answers)) if answers else "")
        self.experience_label.setVisible(bool(answers))

    def flag(self) -> None:
        if self.case is not None:
            self.open_dialog(StuckFlagDialog(self._ws, self.case, self))

    def decide(self) -> None:
        if self.case is None or self.state is None:
            return
        flag = self.state.open_for(self.case.id)
        if flag is None:
            return
        if flag.flagged_by == self._ws.worker.id:
            self.say(rule_text("own_flag"))
            return
        names = self.households.worker_names()
        self.open_dialog(StuckDecisionDialog(self._ws, flag, names.get(flag.flagged_by, ""),
                                             self))

    def ask_experience(self, moment: Moment) -> None:
        if self.case is not None:
            self.open_dialog(ClientExperienceDialog(self._ws, self.case.id, moment, self))


# --- stuck cases (teamcoach, brandpuntfunctionaris) -------------------------------------------


class FlaggedModel(RowTableModel[FlaggedCase]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._columns: list[ColumnSpec[FlaggedCase]] = [
            ColumnSpec(self.tr("Huishouden"), lambda f: f.household_name,
                       key=lambda f: text_key(f.household_name)),
            ColumnSpec(self.tr("Wijk"), lambda f: f.wijk, key=lambda f: text_key(f.wijk)),
            ColumnSpec(self.tr("Gemeld door"), lambda f: f.flagged_by_name,
                       key=lambda f: text_key(f.flagged_by_name)),
            ColumnSpec(self.tr("Sinds"), lambda f: format_dutch_date(f.flag.flagged_at.date()),
                       key=lambda f: f.flag.flagged_at),
            ColumnSpec(self.tr("Reden"), lambda f: f.flag.reason),
        ]

    def columns(self) -> Sequence[ColumnSpec[FlaggedCase]]:
        return self._columns

    def object_id(self, item: FlaggedCase) -> str:
        return item.flag.id


class StuckCasesPage(QWidget):
    """"Vastgelopen casussen": every open flag in this case file, oldest first. The teamcoach
    and the brandpuntfunctionaris record the decision here; others see why they cannot."""

    householdRequested = Signal(str)  # noqa: N815 (Qt signal naming)
    decided = Signal(str)  # household id

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.service = StuckService(workspace)
        self.households = HouseholdService(workspace)
        self.active_dialog: QDialog | None = None
        self.setAccessibleName(self.tr("Vastgelopen casussen"))
        self.model = FlaggedModel(self)
        self.table = table_view(self.model, self.tr("Vastgelopen casussen"))
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.table.activated.connect(lambda _i: self.decide())
        self.detail = _browser(self.tr("De gekozen melding"))
        self.decide_button = _button(self.tr("Besluit &vastleggen…"))
        self.decide_button.clicked.connect(self.decide)
        self.open_button = _button(self.tr("Huishouden &openen"))
        self.open_button.clicked.connect(self._open_household)
        self.role_note = muted_label("")
        self.notice = _notice()
        self.empty = muted_label(self.tr("Er zijn geen vastgelopen casussen."))
        row = QHBoxLayout()
        row.addWidget(self.decide_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading_label(self.tr("Vastgelopen casussen"), 5.0))
        layout.addWidget(muted_label(self.tr(
            "Casussen die een medewerker als vastgelopen heeft gemeld. De teamcoach of de "
            "brandpuntfunctionaris neemt een besluit dat de casus weer vlot trekt, zo nodig "
            "met doorzettingsmacht. De geschiedenis blijft bewaard.")))
        layout.addWidget(self.role_note)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([320, 260])
        layout.addWidget(splitter, 1)

    def reload(self) -> None:
        keep = self.selected()
        rows = self.service.flagged_cases()
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        deciding = self._ws.worker.role in DECIDING_ROLES
        self.role_note.setText("" if deciding else self.tr(
            "U kunt de meldingen inzien. Alleen de teamcoach of de brandpuntfunctionaris "
            "neemt het besluit."))
        self.role_note.setVisible(not deciding)
        self.decide_button.setVisible(deciding)
        if rows:
            row = self.model.row_of(keep.flag.id) if keep else -1
            self.table.selectRow(max(row, 0))
        else:
            self.detail.clear()
        self._update_buttons()

    def selected(self) -> FlaggedCase | None:
        index = self.table.currentIndex()
        if index.isValid() and index.row() < self.model.rowCount():
            return self.model.item(index.row())
        return None

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        item = self.model.item(current.row())
        state = self.service.state(item.flag.household_id)
        names = self.households.worker_names()
        said = {EventKind.GEMELD: self.tr("gemeld"), EventKind.BESLOTEN: self.tr("besluit")}
        lines = [f"<li>{format_dutch_date(e.at.date())} · {escape(said[e.kind])}"
                 f" · {escape(names.get(e.actor_id, ''))}: {escape(e.text)}</li>"
                 for e in state.events]
        self.detail.setHtml(f"<h3>{escape(item.household_name)}</h3>"
                            f"<p>{_para(item.flag.reason)}</p>"
                            f"<h4>{escape(self.tr('Geschiedenis'))}</h4><ul>{''.join(lines)}</ul>")
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        own = item is not None and item.flag.flagged_by == self._ws.worker.id
        self.decide_button.setEnabled(item is not None and not own)
        self.decide_button.setToolTip(rule_text("own_flag") if own else "")
        self.open_button.setEnabled(item is not None)

    def decide(self) -> None:
        item = self.selected()
        if item is None or self._ws.worker.role not in DECIDING_ROLES:
            return
        if item.flag.flagged_by == self._ws.worker.id:
            self.notice.setText(rule_text("own_flag"))
            self.notice.setVisible(True)
            return
        dialog = StuckDecisionDialog(self._ws, item.flag, item.flagged_by_name, self)
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda result: self._finished(result, item.flag.household_id))
        dialog.open()

    def _finished(self, result: int, household_id: str) -> None:
        self.active_dialog = None
        if result == QDialog.DialogCode.Accepted:
            self.notice.setText(self.tr("Het besluit is vastgelegd; de casus staat niet meer "
                                        "op de lijst."))
            self.notice.setVisible(True)
            self.reload()
            self.decided.emit(household_id)

    def _open_household(self) -> None:
        item = self.selected()
        if item is not None:
            self.householdRequested.emit(item.flag.household_id)


__all__ = ["CaseExtrasPanel", "ConferencesPanel", "KitchenTablePanel", "StuckCasesPage"]
