"""Steering on results: the team dashboard and the half-year (or annual) report.

Loads the facts from the case file (`persistence.steering_repository`), lets the domain add
them up (`domain.indicators`), and shapes the result for the dashboard (figures with the
households behind them) or for a report (aggregate rows with the shared suppression of
`sync.aggregates`, as PDF or CSV). Works on whatever is in the case file, so offline on the
last synced data.

Who sees what: a teamcoach sees the households of their team (the reference case is of the
team); anyone else their own caseload (regisseur or member of the case team). Filters (wijk,
worker) narrow that further, never widen it.

Speed: the facts are read on a snapshot of the case file (`CaseFile.snapshot`: a connection
of its own, so a background thread reads while the worker saves) and kept, with the
dashboards computed from them, until the case file changes (`change_marker`). The service is
thread-safe: one computation at a time, so a dashboard asked for while the same one is being
prepared in the background waits for it and gets it, rather than computing it twice.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import select

from wijkteam_app.domain.indicators import (
    DASHBOARD_ONLY,
    Facts,
    Figure,
    Figures,
    HouseholdView,
    Indicator,
    compute,
)
from wijkteam_app.domain.instruments import InstrumentDefinition
from wijkteam_app.domain.workers import Role
from wijkteam_app.instruments import load_definitions
from wijkteam_app.memory import no_collection
from wijkteam_app.persistence.casefile import get_state, set_state
from wijkteam_app.persistence.schema import (
    CaseRecord,
    HouseholdRecord,
    TeamRecord,
    WorkerRecord,
)
from wijkteam_app.persistence.steering_repository import (
    change_marker,
    changed_households,
    load_facts,
    read_ahead,
    worker_names,
)
from wijkteam_app.reports.document import ReportSettings
from wijkteam_app.reports.steering_document import GroupSection, ReportTable, SteeringReport
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync import aggregates as agg
from wijkteam_app.sync.aggregates import Grouping, Kind, Period, Row

__all__ = ["Dashboard", "DashboardFilter", "DrillRow", "SteeringService", "figures_to_rows"]

SEES_TEAM = frozenset({Role.TEAMCOACH})
# The default dashboard as the last session left it (local state, in the encrypted file).
LAST_DASHBOARD_KEY = "dashboard.laatste"
COUNTED_TILES = frozenset({Indicator.ESCALATION_SHARE, Indicator.RELAPSE_SHARE})


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    period: Period
    wijk: str | None = None
    worker_id: str | None = None


@dataclass(frozen=True, slots=True)
class Dashboard:
    filter: DashboardFilter
    period: Period
    peildatum: date
    figures: Figures
    team_scope: bool  # True: the team's households; False: the worker's own caseload
    worker_names: dict[str, str]
    instrument_versions: tuple[str, ...]
    # Where the case file stood (`change_marker`) when these figures were computed.
    marker: int = 0
    # False for the figures kept from the last session: they carry the households behind
    # the share tiles only; the others come with the figures computed in this session.
    households_known: bool = True

    def figure(self, indicator: Indicator, category: str = "") -> Figure:
        """The figure, or an empty one (0 for a count, None for a derived figure) when no
        household is in view."""
        found = self.figures.get((indicator, category))
        if found is not None:
            return found
        spec = agg.SPECS.get(indicator.value)
        empty = 0 if spec is not None and spec.kind in (Kind.COUNT, Kind.TOTAL) else None
        return Figure(indicator, category, empty, 0, frozenset())

    def categories(self, indicator: Indicator) -> list[Figure]:
        return [f for (i, _c), f in self.figures.items() if i is indicator]


@dataclass(frozen=True, slots=True)
class DrillRow:
    """A household behind a figure, as the drill-down list shows it."""

    id: str
    name: str
    wijk: str
    status: str
    regisseur: str


@cache
def _definitions() -> dict[tuple[str, str], InstrumentDefinition]:
    # The shipped definitions straight from the catalog: the assessments service would
    # bring the reference (sync) stack along, which the dashboard does not need.
    return dict(load_definitions())


def zrm_label(category: str) -> str:
    """"ZRM 2017 · Financiën" for ``zrm-2017/2017/financien`` (codes when unknown)."""
    definition_id, version, code = agg.split_zrm_category(category)
    definition = _definitions().get((definition_id, version))
    if definition is None:
        return f"{definition_id} {version} · {code}"
    try:
        item = definition.item(code).name
    except KeyError:
        item = code
    return f"{definition.name} · {item}"


def figures_to_rows(groups: dict[str, Figures], label: Callable[[str], str] = str,
                    ) -> list[Row]:
    """The report rows of the computed groups (dashboard-only figures left out)."""
    rows: list[Row] = []
    for key, figures in groups.items():
        for figure in figures.values():
            if figure.indicator in DASHBOARD_ONLY:
                continue
            value = figure.value
            if value is not None and agg.SPECS[figure.indicator.value].kind in (
                    Kind.MEAN, Kind.MEDIAN, Kind.SHARE):
                value = float(value)
            rows.append(Row(label(key), figure.indicator.value, figure.category, value,
                            figure.basis))
    return sorted(rows, key=Row.sort_key)


class SteeringService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile
        self._lock = threading.Lock()  # one read or computation at a time
        # The facts read last: for (period, peildatum), as of change marker, and the facts.
        self._facts: tuple[tuple[str, date], int, Facts] | None = None
        # The dashboards computed from the current facts, by filter and peildatum.
        self._dashboards: dict[tuple[DashboardFilter, date], Dashboard] = {}
        # The last dashboard computed per filter, kept when the case file changes: shown
        # (marked as being updated) while the current figures are computed.
        self._previous: dict[DashboardFilter, Dashboard] = {}
        self._looked_for_stored = False
        self._names: dict[str, str] = {}

    # --- scope -----------------------------------------------------------------------------

    @property
    def team_scope(self) -> bool:
        return self._ws.worker.role in SEES_TEAM

    def _in_scope(self, view: HouseholdView) -> bool:
        if self.team_scope:
            return view.case.team_id == self._ws.team.id
        me = self._ws.worker.id
        return view.case.regisseur_id == me or me in view.case.case_team_ids

    def _include(self, wijk: str | None, worker_id: str | None) -> Callable[[HouseholdView],
                                                                             bool]:
        def include(view: HouseholdView) -> bool:
            if not self._in_scope(view):
                return False
            if wijk is not None and view.wijk != wijk:
                return False
            return worker_id is None or (view.case.regisseur_id == worker_id
                                         or worker_id in view.case.case_team_ids)
        return include

    # --- choices for the filters -------------------------------------------------------------

    def periods(self) -> list[Period]:
        return agg.recent_periods(self._ws.today())

    def default_period(self) -> Period:
        today = self._ws.today()
        return agg.parse_period(f"{today.year}H{1 if today.month <= 6 else 2}")

    def wijken(self) -> list[str]:
        with self._db.read() as session:
            found = set(session.scalars(select(HouseholdRecord.wijk).distinct()))
        return sorted((found | set(self._ws.team.wijken)) - {""}, key=str.casefold)

    def workers(self) -> list[tuple[str, str]]:
        """(id, name) of the workers a filter may choose: the team's for a coach, else
        only oneself."""
        if not self.team_scope:
            return [(self._ws.worker.id, self._ws.worker.display_name)]
        with self._db.read() as session:
            rows = session.execute(
                select(WorkerRecord.id, WorkerRecord.display_name)
                .where(WorkerRecord.team_id == self._ws.team.id,
                       WorkerRecord.role.in_((Role.WIJKWERKER.value,
                                              Role.GEZINSBEGELEIDER.value,
                                              Role.TEAMCOACH.value))))
            return sorted(((i, n) for i, n in rows), key=lambda r: r[1].casefold())

    # --- computing -----------------------------------------------------------------------------

    def _current(self, conn: object, period: Period, peil: date) -> Facts:
        """The facts of the period as the snapshot `conn` shows them (under the lock): the
        last read while no fact changed since (views and prints change none); after a save
        of one household, the last read with that household's facts read again; else read
        whole. The dashboards computed from the last read stay while no fact changed."""
        key = (period.code, peil)
        if self._facts is not None and self._facts[0] == key:
            _key, since, facts = self._facts
            marker, changed = changed_households(conn, since)
            if changed is not None:
                if changed:
                    facts = facts.replacing(
                        changed, load_facts(conn, period.start, peil, households=changed))
                    self._dashboards = {}
                self._facts = (key, marker, facts)
                return facts
        marker = change_marker(conn)
        if self._facts is None or self._facts[1] != marker:
            self._dashboards = {}
            self._names = worker_names(conn)
        read_ahead(conn)
        facts = load_facts(conn, period.start, peil)
        self._facts = (key, marker, facts)
        return facts

    def _unchanged(self, conn: object, since: int) -> int | None:
        """The change marker now if no fact changed since marker `since`, else None."""
        marker, changed = changed_households(conn, since)
        return marker if changed is not None and not changed else None

    def facts(self, period: Period) -> Facts:
        """What the indicators need, read from the case file (the last read of the same
        period is reused while the case file has not changed)."""
        peil = period.peildatum(self._ws.today())
        with self._lock, no_collection(), self._db.snapshot() as conn:
            return self._current(conn, period, peil)

    def marker(self) -> int:
        """Where the case file stands: changes whenever anything is saved or synced."""
        with self._db.snapshot() as conn:
            return change_marker(conn)

    def ready(self, flt: DashboardFilter) -> Dashboard | None:
        """The dashboard for the filter if it is at hand (computed, and the case file has
        not changed since); None when it must be computed, or is being computed on another
        thread right now. Quick: for the UI thread."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            peil = flt.period.peildatum(self._ws.today())
            found = self._dashboards.get((flt, peil))
            if found is None or self._facts is None:
                return None
            key, since, facts = self._facts
            with self._db.snapshot() as conn:
                marker = self._unchanged(conn, since)
            if marker is None:
                return None
            self._facts = (key, marker, facts)  # only views or prints since: still current
            return found
        finally:
            self._lock.release()

    def stored_is_current(self, dashboard: Dashboard) -> bool:
        """True when the figures of `dashboard` (kept from the last session) are those the
        case file gives now: same peildatum and no fact changed since they were computed.
        A small read: for the UI thread."""
        peil = dashboard.filter.period.peildatum(self._ws.today())
        if dashboard.peildatum != peil or dashboard.marker <= 0:
            return False
        with self._db.snapshot() as conn:
            return self._unchanged(conn, dashboard.marker) is not None

    def latest(self, flt: DashboardFilter) -> Dashboard | None:
        """The last dashboard computed for the filter, also when the case file has changed
        since (None if never computed in this session). Quick: for the UI thread, to show
        while `dashboard` computes the current figures."""
        found = self._previous.get(flt)
        if found is None and not self._looked_for_stored \
                and flt == DashboardFilter(self.default_period()):
            self._looked_for_stored = True  # one small read, once per session
            found = self._stored(flt)
            if found is not None:
                self._previous.setdefault(flt, found)
        return found

    def keep_for_next_session(self) -> None:
        """Store the last dashboard of the default filter in the case file (when the window
        closes), so the next session's first open shows it at once, marked as being
        updated, while the current figures are computed. Aggregates and household ids only,
        in the encrypted file like everything else."""
        flt = DashboardFilter(self.default_period())
        found = self._previous.get(flt)
        if found is None or self._ws.casefile.locked:
            return
        plain = {
            "worker": self._ws.worker.id, "team_scope": found.team_scope,
            "period": found.period.code, "peildatum": found.peildatum.isoformat(),
            "names": found.worker_names, "versions": list(found.instrument_versions),
            "marker": found.marker,
            # The households behind a figure only where the page writes their number (the
            # share tiles); the rest would make megabytes of ids: those figures open their
            # households once the current figures have arrived.
            "figures": [[f.indicator.value, f.category, f.value, f.basis,
                         sorted(f.households) if f.indicator in COUNTED_TILES else []]
                        for f in found.figures.values()],
        }
        with self._db.read(durable=False) as session:
            set_state(session, LAST_DASHBOARD_KEY, json.dumps(plain, separators=(",", ":")))

    def _stored(self, flt: DashboardFilter) -> Dashboard | None:
        """The dashboard `keep_for_next_session` stored, if it is of this worker, this scope
        and this period (never another role's figures)."""
        with self._db.read() as session:
            raw = get_state(session, LAST_DASHBOARD_KEY)
        if raw is None:
            return None
        try:
            plain = json.loads(raw)
            if (plain["worker"] != self._ws.worker.id or plain["team_scope"] != self.team_scope
                    or plain["period"] != flt.period.code):
                return None
            figures = {
                (Indicator(ind), str(cat)): Figure(Indicator(ind), str(cat), value, int(basis),
                                                   frozenset(households))
                for ind, cat, value, basis, households in plain["figures"]}
            return Dashboard(flt, flt.period, date.fromisoformat(plain["peildatum"]), figures,
                             self.team_scope, dict(plain["names"]), tuple(plain["versions"]),
                             int(plain.get("marker", 0)), households_known=False)
        except (KeyError, TypeError, ValueError):  # an older or damaged entry: not shown
            return None

    def dashboard(self, flt: DashboardFilter) -> Dashboard:
        """The figures for the filter: computed, or the last computed while the case file
        has not changed. Safe to call from any thread."""
        peil = flt.period.peildatum(self._ws.today())
        # A whole read and its computation make ~100,000 short-lived objects: without a
        # cyclic collection in between (~40 ms of the ~300 on 5,000 households).
        with self._lock, no_collection():
            with self._db.snapshot() as conn:
                facts = self._current(conn, flt.period, peil)
            assert self._facts is not None
            marker = self._facts[1]
            found = self._dashboards.get((flt, peil))
            if found is not None:
                return found
            groups = compute(facts, flt.period.start, peil,
                             include=self._include(flt.wijk, flt.worker_id))
            figures = groups.get("", {})
            in_view = {h for (i, _c), f in figures.items()
                       if i is Indicator.HOUSEHOLDS_IN_VIEW for h in f.households}
            versions = sorted({f"{a.definition_id} {a.definition_version}"
                               for a in facts.assessments
                               if a.household_id in in_view and a.assessed_on <= peil})
            result = Dashboard(flt, flt.period, peil, figures, self.team_scope,
                               dict(self._names), tuple(versions), marker)
            self._dashboards[(flt, peil)] = result
            self._previous[flt] = result
            return result

    def drill_rows(self, household_ids: Sequence[str]) -> list[DrillRow]:
        """The households behind a figure, by name, with their most recent case; only those
        this worker may see."""
        wanted = set(household_ids)
        if not wanted:
            return []
        with self._db.read() as session:
            names = {i: n for i, n in session.execute(
                select(WorkerRecord.id, WorkerRecord.display_name))}
            rows = session.execute(
                select(HouseholdRecord.id, HouseholdRecord.name, HouseholdRecord.wijk,
                       CaseRecord.status, CaseRecord.regisseur_id, CaseRecord.team_id,
                       CaseRecord.case_team_ids, CaseRecord.referral_date, CaseRecord.id)
                .join(CaseRecord, CaseRecord.household_id == HouseholdRecord.id)
                .where(HouseholdRecord.id.in_(wanted))).all()
        latest = {}
        for row in sorted(rows, key=lambda r: (r.referral_date, r[8])):
            latest[row[0]] = row  # the most recent case wins
        me = self._ws.worker.id
        out = []
        for row in latest.values():
            hid, name, wijk, status, regisseur, team, members = row[:7]
            allowed = (team == self._ws.team.id) if self.team_scope else (
                regisseur == me or me in (members or ()))
            if allowed:
                out.append(DrillRow(hid, name, wijk, status, names.get(regisseur, "")))
        return sorted(out, key=lambda r: r.name.casefold())

    # --- reports -------------------------------------------------------------------------------

    def report_rows(self, period: Period, per: Grouping) -> tuple[list[Row], list[str]]:
        """The aggregate rows per team or wijk (unsuppressed) and the instrument versions."""
        if per is Grouping.GEMEENTE:
            raise ValueError("per gemeente is a server report")
        peil = period.peildatum(self._ws.today())
        facts = self.facts(period)
        with self._db.read() as session:
            teams = {i: n for i, n in session.execute(select(TeamRecord.id, TeamRecord.name))}

        def group_of(view: HouseholdView) -> str:
            if per is Grouping.WIJK:
                return view.wijk or agg.UNKNOWN_GROUP
            return teams.get(view.case.team_id) or agg.UNKNOWN_GROUP

        groups = compute(facts, period.start, peil, group_of=group_of,
                         include=self._include(None, None))
        in_view = {h for figures in groups.values()
                   for (i, _c), f in figures.items()
                   if i is Indicator.HOUSEHOLDS_IN_VIEW for h in f.households}
        versions = sorted({f"{a.definition_id} {a.definition_version}"
                           for a in facts.assessments
                           if a.household_id in in_view and a.assessed_on <= peil})
        return figures_to_rows(groups), versions

    def report_csv(self, period: Period, per: Grouping) -> bytes:
        """CSV for a spreadsheet set to Dutch (UTF-8 with a byte order mark)."""
        rows, _versions = self.report_rows(period, per)
        peil = period.peildatum(self._ws.today())
        return agg.csv_text(rows, period, peil, per.value).encode("utf-8-sig")

    def report_document(self, period: Period, per: Grouping,
                        settings: ReportSettings) -> SteeringReport:
        rows, versions = self.report_rows(period, per)
        peil = period.peildatum(self._ws.today())
        return build_report(rows, versions, period, peil, per, settings.municipality_name,
                            self._ws.team.name if self.team_scope
                            else self._ws.worker.display_name, self._ws.today())

    def report_pdf(self, period: Period, per: Grouping, settings: ReportSettings) -> bytes:
        # reportlab is loaded when a report is made, not when the app starts.
        from wijkteam_app.reports.steering_pdf import render_steering_pdf

        pdf: bytes = render_steering_pdf(self.report_document(period, per, settings))
        return pdf


# --- the report document -----------------------------------------------------------------

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Bereik en werkvoorraad", (
        "households_in_view", "referrals_new", "cases_closed", "open_on_peildatum",
        "regisseurs", "caseload_mean", "caseload_max", "plans_waiting_review",
        "plans_waiting_toets", "evaluations_overdue")),
    ("Doorlooptijden", (
        "first_contact_days_median", "first_contact_days_mean", "first_contact_waiting",
        "signed_plan_days_median", "signed_plan_days_mean")),
    ("Escalatie en terugval", (
        "escalation_individual", "escalation_heavy", "escalation", "escalation_share",
        "relapse", "relapse_share")),
    ("Tijd", ("time_total_minutes", "time_per_case_mean", "time_workers",
              "time_per_worker_mean")),
)
OVERVIEW = (("households_in_view", "Huishoudens"), ("referrals_new", "Nieuw"),
            ("escalation_share", "Escalatie"), ("relapse_share", "Terugval"),
            ("ladder_rise_or_stable_share", "Ladder gelijk of hoger"))
HOURS = frozenset({"time_total_minutes", "time_per_worker_mean"})
UNIT_SUFFIX = {agg.Unit.PROCENT: " %", agg.Unit.DAGEN: " dagen", agg.Unit.MINUTEN: " min"}


def shown(row: Row | None) -> str:
    """The row's value as printed: suppressed, Dutch notation, with a short unit."""
    if row is None or (row.value is None and not agg.is_suppressed(row)):
        return "–"
    value = agg.public_value(row)
    text = agg.dutch_number(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if row.indicator in HOURS:
            return agg.dutch_number(round(value / 60, 1)) + " uur"
        if row.indicator == "zrm_mean_change" and value > 0:
            text = "+" + text
        text += UNIT_SUFFIX.get(row.spec.unit, "")
    return text


def shown_basis(row: Row | None) -> str:
    """The basis of a derived figure (a count is its own basis: left empty)."""
    if row is None or row.spec.kind is Kind.COUNT:
        return ""
    return agg.dutch_number(agg.public_basis(row))


def build_report(rows: Sequence[Row], versions: Sequence[str], period: Period, peil: date,
                 per: Grouping, municipality: str, owner: str, today: date) -> SteeringReport:
    """The report document from aggregate rows (pure: no database)."""
    by_group: dict[str, dict[tuple[str, str], Row]] = {}
    for row in rows:
        by_group.setdefault(row.group, {})[(row.indicator, row.category)] = row
    names = sorted(by_group, key=str.casefold)
    overview = ReportTable(
        "Overzicht", ("Wijk" if per is Grouping.WIJK else "Team",
                      *(title for _k, title in OVERVIEW)),
        tuple((name, *(shown(by_group[name].get((key, ""))) for key, _t in OVERVIEW))
              for name in names),
        (2.2, 1.3, 1, 1.1, 1.1, 1.6))
    groups = tuple(GroupSection(name, _group_tables(by_group[name])) for name in names)
    half = "Jaarrapportage" if period.code.isdigit() else "Halfjaarrapportage"
    grouping = {Grouping.WIJK: "per wijk", Grouping.TEAM: "per team"}[per]
    used = {row.indicator for row in rows}
    definitions = tuple((spec.label, spec.definition) for spec in agg.INDICATORS
                        if spec.key in used)
    return SteeringReport(
        municipality_name=municipality,
        title=f"{half} sociaal wijkteam",
        subtitle=f"{owner} · {period.label} · {grouping}",
        period_label=period.label, period_start=period.start, period_end=period.end,
        peildatum=peil, generated_on=today, overview=overview, groups=groups,
        method=tuple(agg.method_paragraphs(period, peil, versions)),
        definitions=definitions,
    )


def _group_tables(figures: dict[tuple[str, str], Row]) -> tuple[ReportTable, ...]:
    tables: list[ReportTable] = []
    head = ("Indicator", "Waarde", "Basis")
    for title, keys in SECTIONS:
        lines = tuple((agg.SPECS[k].label, shown(figures.get((k, ""))),
                       shown_basis(figures.get((k, "")))) for k in keys)
        tables.append(ReportTable(title, head, lines, (4.2, 1.3, 1)))
    for indicator, title, order in (
            ("client_profile", "Cliëntprofielen", agg.PROFILE_CATEGORIES),
            ("urgency", "Urgentiecriteria", agg.URGENCY_CATEGORIES)):
        found = {c: r for (i, c), r in figures.items() if i == indicator}
        present = [k for k in order if k in found] + sorted(set(found) - set(order))
        tables.append(ReportTable(
            title, ("Categorie", "Huishoudens"),
            tuple((agg.category_label(indicator, k), shown(found[k])) for k in present),
            (4.2, 1.3)))
    ladder = [figures.get(("ladder_movement", c)) for c in agg.LADDER_CATEGORIES]
    share_row = figures.get(("ladder_rise_or_stable_share", ""))
    tables.append(ReportTable(
        "Participatieladder", ("Beweging", "Personen"),
        (*((agg.category_label("ladder_movement", c), shown(r))
           for c, r in zip(agg.LADDER_CATEGORIES, ladder, strict=True)),
         ("Gestegen of gelijk gebleven", shown(share_row))),
        (4.2, 1.3)))
    zrm = sorted({c for (i, c) in figures if i == "zrm_rose"})
    if zrm:
        tables.append(ReportTable(
            "ZRM per leefgebied (eerste en laatste meting, zelfde versie)",
            ("Instrument · leefgebied", "Gestegen", "Gelijk", "Gedaald", "Gem. verandering"),
            tuple((zrm_label(c), shown(figures.get(("zrm_rose", c))),
                   shown(figures.get(("zrm_stable", c))), shown(figures.get(("zrm_fell", c))),
                   shown(figures.get(("zrm_mean_change", c)))) for c in zrm),
            (3.4, 1, 1, 1, 1.3)))
    else:
        tables.append(ReportTable("ZRM per leefgebied", ("Instrument · leefgebied",),
                                  (("Geen cliënten met twee metingen in deze periode.",),)))
    return tuple(tables)
