"""Aggregate figures for the municipality, computed in SQL over the server's records.

The server keeps every case-file record generically (``entities``: the fields as JSON) and,
beside it, the few fields this report reads in plain columns (the ``fact_*`` tables, kept
up to date on every write by `wijkteam_server.report_facts`). The indicators of
`wijkteam_app.sync.aggregates` are computed here in SQL over those fact tables, on SQLite
and PostgreSQL alike (`_Sql` hides the few differences: byte-order comparison of ids, day
arithmetic, and reading the mandates' JSON list), medians with window functions. The
definitions are the app's (`wijkteam_app.domain.indicators`, which the server cannot
import); ``tests/server/test_reporting_sql.py`` shows both give the same figures on the same
data.

The households in view and their cases and signatures are first put in a few temporary
tables (per connection, dropped at the end), so each indicator joins a small, indexed set
instead of re-deriving it; the larger fact tables (contacts, assessment items, status
histories) are read through covering indexes that fit these joins (migration 0010), in plans
that do not depend on ``ANALYZE``. Only aggregates leave this module: no name, address, BSN or
birth date is ever selected (the fact tables do not even hold them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.sql.selectable import TableValuedAlias

from wijkteam_app.sync import aggregates as agg
from wijkteam_app.sync.aggregates import Grouping, Period, Row
from wijkteam_server import report_facts as facts
from wijkteam_server.models import Mandate, Team


@dataclass(frozen=True, slots=True)
class ReportRequest:
    period: Period
    per: Grouping
    today: date
    teams: tuple[str, ...] = ()  # only these teams (by name); empty: all
    gemeenten: tuple[str, ...] = ()  # only teams of these municipalities; empty: all


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    peildatum: date
    per: Grouping
    rows: list[Row]
    instrument_versions: list[str] = field(default_factory=list)


class _Sql:
    """The expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def text_elements(self, obj: Any, name: str) -> tuple[TableValuedAlias, ColumnElement[Any]]:
        """The elements of a JSON array of strings (a JSON column), as text."""
        if self.pg:
            array = case((func.json_typeof(obj) == "array", obj),
                         else_=literal_column("'[]'::json"))
            table = func.json_array_elements_text(array).table_valued(
                "value", name=name, joins_implicitly=True)
            return table, table.c.value
        table = func.json_each(obj).table_valued("value", name=name, joins_implicitly=True)
        return table, table.c.value

    def binary(self, expr: Any) -> Any:
        """Text compared byte by byte (SQLite's default; "C" on PostgreSQL), as Python
        compares the app's ids."""
        return expr.collate("C") if self.pg else expr

    def days(self, later: Any, earlier: Any) -> ColumnElement[Any]:
        """Whole days between two ISO dates (text)."""
        if self.pg:
            return cast(later, Date) - cast(earlier, Date)
        return cast(func.julianday(later) - func.julianday(earlier), Integer)


def compute(engine: Engine, request: ReportRequest) -> Report:
    """Every indicator per group, unsuppressed (apply `aggregates.public_value` to show)."""
    with engine.connect() as conn, conn.begin():
        return _Computation(conn, request).run()


class _Computation:
    def __init__(self, conn: Connection, request: ReportRequest) -> None:
        self.conn = conn
        self.request = request
        self.sql = _Sql(conn.dialect.name)
        self.start = request.period.start.isoformat()
        self.peil_day = request.period.peildatum(request.today)
        self.peil = self.peil_day.isoformat()
        self.next_day = agg.day_after(self.peil_day)
        self.rows: list[Row] = []
        metadata = MetaData()

        def temp(name: str, *columns: Column[Any]) -> Table:
            return Table(name, metadata, *columns, prefixes=["TEMPORARY"])

        # The population and what hangs on it, narrowed to the period once; the indicators
        # are plain SQL over these and the fact tables. Their indexes are made once they are
        # filled (`_index`), which is cheaper than keeping them up to date row by row.
        self.view = temp(
            "report_view", Column("household_id", String(36), primary_key=True),
            Column("grp", String(200)), Column("case_id", String(36)),
            Column("regisseur_id", String(36)), Column("closed_on", String(32)),
            Column("next_evaluation", String(32)), Column("client_profile", String(10)))
        self.flags = temp(
            "report_flags", Column("household_id", String(36)), Column("kind", String(16)))
        self.cases = temp(
            "report_cases", Column("case_id", String(36), primary_key=True),
            Column("household_id", String(36)), Column("grp", String(200)),
            Column("referral_date", String(32)), Column("closed_on", String(32)))
        self.signatures = temp(
            "report_signatures", Column("household_id", String(36)),
            Column("version_id", String(36)), Column("signed_on", String(32)))
        self.new_cases = temp(
            "report_new_cases", Column("grp", String(200)),
            Column("referral_date", String(32)), Column("first_contact", String(32)),
            Column("first_signed", String(32)))
        self.versions = temp(
            "report_versions", Column("version_id", String(36), primary_key=True),
            Column("grp", String(200)), Column("regisseur_id", String(36)),
            Column("status", String(32)))
        self.pairs = temp(
            "report_pairs", Column("pair_no", Integer, primary_key=True, autoincrement=True),
            Column("grp", String(200)), Column("def_id", String(64)),
            Column("ver", String(32)), Column("first_id", String(36)),
            Column("last_id", String(36)))
        self.metadata = metadata

    # ------------------------------------------------------------------ population

    def run(self) -> Report:
        self.metadata.create_all(self.conn)
        try:
            self._fill()
            groups = list(self.conn.scalars(
                select(self.view.c.grp).distinct().order_by(self.view.c.grp)))
            self._counts(groups)
            self._caseload(groups)
            self._plans(groups)
            self._lead_times(groups)
            self._profiles(groups)
            self._measurements(groups)
            self._escalation(groups)
            self._time(groups)
            self._experience(groups)
            if self.request.per is Grouping.GEMEENTE:
                self._usage(groups)
            versions = self._instrument_versions()
        finally:
            self.metadata.drop_all(self.conn)
        rows = sorted(self.rows, key=Row.sort_key)
        return Report(self.request.period, self.peil_day, self.request.per, rows, versions)

    def _running(self, cases: Any) -> ColumnElement[bool]:
        """Cases (columns of `fact_cases` or an alias) that run at some time in the period."""
        return and_(cases.c.referral_date <= self.peil,
                    or_(cases.c.closed_on.is_(None), cases.c.closed_on >= self.start))

    @contextmanager
    def _index_probes(self) -> Iterator[None]:
        """On PostgreSQL, no hash joins for the statement inside: the plan meant is an index
        probe per row (index-only, on pages in the cache), but the planner prices each probe
        as a random read and, knowing nothing of a temporary table's size, hashed all 1.2
        million assessment items instead (545 against ~260 ms at 50,000 households). SQLite
        probes the index by itself."""
        if not self.sql.pg:
            yield
            return
        self.conn.execute(text("SET LOCAL enable_hashjoin = off"))
        try:
            yield
        finally:
            self.conn.execute(text("SET LOCAL enable_hashjoin TO DEFAULT"))

    def _index(self, table: Table, *columns: str) -> None:
        Index(f"ix_{table.name}_{'_'.join(columns)}",
              *(table.c[name] for name in columns)).create(self.conn)

    def _fill(self) -> None:
        s = self.sql
        fc, fh = facts.CASES, facts.HOUSEHOLDS
        # Per household its latest case running in the period (referral date, then case id;
        # both are set, so "no later one" is exact): an index probe per case
        # (ix_fact_cases_household_referral) instead of ranking them all.
        later = fc.alias("later")
        latest = ~exists().where(
            later.c.household_id == fc.c.household_id, self._running(later),
            or_(later.c.referral_date > fc.c.referral_date,
                and_(later.c.referral_date == fc.c.referral_date,
                     s.binary(later.c.case_id) > s.binary(fc.c.case_id))))
        team = Team.__table__
        per = self.request.per
        if per is Grouping.WIJK:
            group: ColumnElement[Any] = func.coalesce(func.nullif(fh.c.wijk, ""),
                                                      agg.UNKNOWN_GROUP)
        elif per is Grouping.TEAM:
            group = func.coalesce(team.c.name, agg.UNKNOWN_GROUP)
        else:
            group = func.coalesce(team.c.municipality, agg.UNKNOWN_GROUP)
        population = (
            select(fc.c.household_id, group.label("grp"), fc.c.case_id, fc.c.regisseur_id,
                   fc.c.closed_on, fc.c.next_evaluation, fc.c.client_profile)
            .select_from(fc.join(fh, fh.c.household_id == fc.c.household_id)
                         .outerjoin(team, team.c.id == fc.c.team_id))
            .where(self._running(fc), latest))
        if self.request.teams:
            population = population.where(team.c.name.in_(self.request.teams))
        if self.request.gemeenten:
            population = population.where(team.c.municipality.in_(self.request.gemeenten))
        rv = self.view
        self.conn.execute(rv.insert().from_select(
            ["household_id", "grp", "case_id", "regisseur_id", "closed_on", "next_evaluation",
             "client_profile"],
            population))
        # By group, then household: the per-group passes read it in order, and `_time` joins
        # each household's contacts to it.
        self._index(rv, "grp", "household_id")
        self.conn.execute(self.cases.insert().from_select(
            ["case_id", "household_id", "grp", "referral_date", "closed_on"],
            select(fc.c.case_id, fc.c.household_id, rv.c.grp, fc.c.referral_date,
                   fc.c.closed_on)
            .join(rv, rv.c.household_id == fc.c.household_id)
            .where(fc.c.referral_date <= self.peil)))
        self._index(self.cases, "household_id")
        sg = facts.SIGNATURES
        self.conn.execute(self.signatures.insert().from_select(
            ["household_id", "version_id", "signed_on"],
            select(sg.c.household_id, sg.c.version_id, sg.c.signed_on)
            .join(rv, rv.c.household_id == sg.c.household_id)
            .where(sg.c.signed_on <= self.peil)))
        self._index(self.signatures, "household_id")

    # ------------------------------------------------------------------ helpers

    def _row(self, group: str, indicator: str, value: int | float | None, basis: int,
             category: str = "") -> None:
        if isinstance(value, float | int) and not isinstance(value, bool):
            value = float(value) if agg.SPECS[indicator].kind in (
                agg.Kind.MEAN, agg.Kind.MEDIAN, agg.Kind.SHARE) else int(value)
        self.rows.append(Row(group, indicator, category, value, basis))

    def _by_group(self, query: Select[Any]) -> dict[str, tuple[Any, ...]]:
        return {row[0]: tuple(row[1:]) for row in self.conn.execute(query)}

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return 100.0 * part / whole if whole else None

    def _median_mean(self, values: Any) -> dict[str, tuple[float | None, float | None, int]]:
        """Per group: (median, mean, n) of `values` (a subquery with columns grp, v)."""
        ranked = select(
            values.c.grp, values.c.v,
            func.row_number().over(partition_by=values.c.grp, order_by=values.c.v).label("rn"),
            func.count().over(partition_by=values.c.grp).label("cnt"),
        ).subquery("ranked_values")
        # One pass: the median is the mean of the middle one or two. (The values are whole
        # days, so a float sum of them is exact in any order.)
        middle = or_(ranked.c.rn == (ranked.c.cnt + 1) // 2,
                     ranked.c.rn == (ranked.c.cnt + 2) // 2)
        figures = self._by_group(
            select(ranked.c.grp, func.avg(case((middle, cast(ranked.c.v, Float)))),
                   func.avg(cast(ranked.c.v, Float)), func.count())
            .group_by(ranked.c.grp))
        return {g: (median, mean, n) for g, (median, mean, n) in figures.items()}

    def _new_cases(self) -> Any:
        rc = self.cases
        return rc.c.referral_date.between(self.start, self.peil)

    # ------------------------------------------------------------------ indicators

    def _counts(self, groups: list[str]) -> None:
        rv, rc = self.view, self.cases
        in_view = self._by_group(select(rv.c.grp, func.count()).group_by(rv.c.grp))
        new = self._new_cases()
        closed = rc.c.closed_on.between(self.start, self.peil)
        running = and_(rc.c.referral_date <= self.peil,
                       or_(rc.c.closed_on.is_(None), rc.c.closed_on >= self.start))
        counts = self._by_group(
            select(rc.c.grp,
                   func.sum(case((new, 1), else_=0)),
                   func.sum(case((closed, 1), else_=0)),
                   func.sum(case((running, 1), else_=0)),
                   func.count(func.distinct(case((new, rc.c.household_id)))))
            .group_by(rc.c.grp))
        other = self.cases.alias("other")
        relapsed = exists().where(
            other.c.household_id == rc.c.household_id, other.c.case_id != rc.c.case_id,
            other.c.closed_on.is_not(None), other.c.closed_on <= rc.c.referral_date,
            self.sql.days(rc.c.referral_date, other.c.closed_on) <= agg.RELAPSE_DAYS)
        relapse = self._by_group(
            select(rc.c.grp, func.count(func.distinct(rc.c.household_id)))
            .where(new, relapsed).group_by(rc.c.grp))
        self.running: dict[str, int] = {}
        for g in groups:
            n_new, n_closed, n_running, with_new = (int(v or 0) for v in counts.get(
                g, (0, 0, 0, 0)))
            self.running[g] = n_running
            self._row(g, "households_in_view", in_view[g][0], in_view[g][0])
            self._row(g, "referrals_new", n_new, n_new)
            self._row(g, "cases_closed", n_closed, n_closed)
            n_relapse = int(relapse.get(g, (0,))[0])
            self._row(g, "relapse", n_relapse, n_relapse)
            self._row(g, "relapse_share", self._share(n_relapse, with_new), with_new)
        self.in_view = {g: int(v[0]) for g, v in in_view.items()}

    def _caseload(self, groups: list[str]) -> None:
        rv = self.view
        is_open = or_(rv.c.closed_on.is_(None), rv.c.closed_on > self.peil)
        per_worker = (
            select(rv.c.grp, rv.c.regisseur_id, func.count().label("n"))
            .where(is_open).group_by(rv.c.grp, rv.c.regisseur_id).subquery("per_worker"))
        load = self._by_group(
            select(per_worker.c.grp, func.count(), func.sum(per_worker.c.n),
                   func.max(per_worker.c.n))
            .group_by(per_worker.c.grp))
        overdue = self._by_group(
            select(rv.c.grp, func.count())
            .where(is_open, rv.c.next_evaluation.is_not(None),
                   rv.c.next_evaluation < self.peil)
            .group_by(rv.c.grp))
        for g in groups:
            workers, n_open, highest = load.get(g, (0, 0, None))
            workers, n_open = int(workers or 0), int(n_open or 0)
            self._row(g, "open_on_peildatum", n_open, n_open)
            self._row(g, "regisseurs", workers, workers)
            self._row(g, "caseload_mean", n_open / workers if workers else None, n_open)
            self._row(g, "caseload_max", highest, int(highest or 0))
            n_overdue = int(overdue.get(g, (0,))[0])
            self._row(g, "evaluations_overdue", n_overdue, n_overdue)

    def _plans(self, groups: list[str]) -> None:
        s, rv = self.sql, self.view
        v = facts.VERSIONS
        # The latest version per household made by the peildatum.
        ranked = (
            select(v.c.version_id, rv.c.grp, v.c.regisseur_id,
                   func.row_number().over(
                       partition_by=v.c.household_id,
                       order_by=(v.c.number.desc(), s.binary(v.c.version_id).desc()),
                   ).label("rn"))
            .join(rv, rv.c.household_id == v.c.household_id)
            .where(v.c.created_at < self.next_day)
            .subquery("ranked_versions"))
        # Its status on the peildatum: the last change by then (a later entry wins a tie),
        # read from the end of ix_fact_plan_statuses_at.
        h = facts.STATUSES
        status = (select(h.c.to_status)
                  .where(h.c.version_id == ranked.c.version_id, h.c.at < self.next_day)
                  .order_by(h.c.at.desc(), h.c.position.desc()).limit(1)
                  .scalar_subquery())
        lv = self.versions
        self.conn.execute(lv.insert().from_select(
            ["version_id", "grp", "regisseur_id", "status"],
            select(ranked.c.version_id, ranked.c.grp, ranked.c.regisseur_id, status)
            .where(ranked.c.rn == 1)))
        review = self._by_group(
            select(lv.c.grp, func.count())
            .where(lv.c.status == agg.REVIEW_STATUS).group_by(lv.c.grp))
        # Does the version need a toets? Maatwerk outside the regisseur's mandate, or a total
        # above its maximum; without a known mandate every use of maatwerk does.
        item = facts.SUPPORT
        mandate = Mandate.__table__
        codes, code = s.text_elements(mandate.c.provisions, "codes")
        in_mandate = exists(
            select(literal(1)).select_from(mandate).join(codes, literal(True))
            .where(mandate.c.user_id == lv.c.regisseur_id, code == item.c.product_code))
        support = (
            select(lv.c.version_id,
                   func.sum(case((in_mandate, 0), else_=1)).label("n_outside"),
                   func.sum(item.c.cost_cents).label("total"))
            .select_from(lv).join(item, item.c.version_id == lv.c.version_id)
            .where(lv.c.status.in_(agg.TOETS_STATUSES))
            .group_by(lv.c.version_id)
            .subquery("support"))
        max_amount = (select(mandate.c.max_amount_cents)
                      .where(mandate.c.user_id == lv.c.regisseur_id).scalar_subquery())
        t = facts.TOETSEN
        toetsen = (select(t.c.version_id).where(t.c.decided_at < self.next_day)
                   .subquery("toetsen"))
        waiting_toets = self._by_group(
            select(lv.c.grp, func.count())
            .select_from(lv.join(support, support.c.version_id == lv.c.version_id))
            .where(lv.c.version_id.not_in(select(toetsen.c.version_id)),
                   or_(support.c.n_outside > 0,
                       support.c.total > func.coalesce(max_amount, 0)))
            .group_by(lv.c.grp))
        for g in groups:
            n_review = int(review.get(g, (0,))[0])
            n_toets = int(waiting_toets.get(g, (0,))[0])
            self._row(g, "plans_waiting_review", n_review, n_review)
            self._row(g, "plans_waiting_toets", n_toets, n_toets)

    def _lead_times(self, groups: list[str]) -> None:
        s, rv, rc, sg = self.sql, self.view, self.cases, self.signatures
        # Per new case, once: its first contact in the period (of a household in view) from
        # its referral date on (ix_fact_contacts_case_day), and its first signature since.
        k = facts.CONTACTS
        first_contact = (select(func.min(k.c.day))
                         .select_from(k.join(rv, rv.c.household_id == k.c.household_id))
                         .where(k.c.case_id == rc.c.case_id, k.c.day >= rc.c.referral_date,
                                k.c.day >= self.start, k.c.day <= self.peil)
                         .scalar_subquery())
        first_signed = (select(func.min(sg.c.signed_on))
                        .where(sg.c.household_id == rc.c.household_id,
                               sg.c.signed_on >= rc.c.referral_date)
                        .scalar_subquery())
        new = self.new_cases
        self.conn.execute(new.insert().from_select(
            ["grp", "referral_date", "first_contact", "first_signed"],
            select(rc.c.grp, rc.c.referral_date, first_contact, first_signed)
            .where(self._new_cases())))
        contact_days = (
            select(new.c.grp, s.days(new.c.first_contact, new.c.referral_date).label("v"))
            .where(new.c.first_contact.is_not(None)).subquery("contact_days"))
        plan_days = (
            select(new.c.grp, s.days(new.c.first_signed, new.c.referral_date).label("v"))
            .where(new.c.first_signed.is_not(None)).subquery("plan_days"))
        contact = self._median_mean(contact_days)
        plan = self._median_mean(plan_days)
        waiting = self._by_group(select(new.c.grp, func.count())
                                 .where(new.c.first_contact.is_(None)).group_by(new.c.grp))
        for g in groups:
            med, avg, n = contact.get(g, (None, None, 0))
            self._row(g, "first_contact_days_median", med, n)
            self._row(g, "first_contact_days_mean", avg, n)
            n_waiting = int(waiting.get(g, (0,))[0])
            self._row(g, "first_contact_waiting", n_waiting, n_waiting)
            med, avg, n = plan.get(g, (None, None, 0))
            self._row(g, "signed_plan_days_median", med, n)
            self._row(g, "signed_plan_days_mean", avg, n)

    def _profiles(self, groups: list[str]) -> None:
        rv, u = self.view, facts.URGENCY
        profile = func.coalesce(rv.c.client_profile, agg.NO_PROFILE)
        profiles: dict[str, dict[str, int]] = defaultdict(dict)
        for g, key, n in self.conn.execute(
                select(rv.c.grp, profile, func.count()).group_by(rv.c.grp, profile)):
            profiles[g][str(key)] = int(n)
        urgency: dict[str, dict[str, int]] = defaultdict(dict)
        for g, key, n in self.conn.execute(
                select(rv.c.grp, u.c.criterion, func.count(func.distinct(rv.c.household_id)))
                .join(u, u.c.case_id == rv.c.case_id)
                .group_by(rv.c.grp, u.c.criterion)):
            urgency[g][str(key)] = int(n)
        with_any = self._by_group(
            select(rv.c.grp, func.count(func.distinct(rv.c.household_id)))
            .join(u, u.c.case_id == rv.c.case_id)
            .group_by(rv.c.grp))
        for g in groups:
            found = profiles.get(g, {})
            for key in (*agg.PROFILE_CATEGORIES, *sorted(set(found) - set(
                    agg.PROFILE_CATEGORIES))):
                self._row(g, "client_profile", found.get(key, 0), found.get(key, 0), key)
            found = urgency.get(g, {})
            found[agg.NO_URGENCY] = self.in_view[g] - int(with_any.get(g, (0,))[0])
            for key in (*agg.URGENCY_CATEGORIES, *sorted(set(found) - set(
                    agg.URGENCY_CATEGORIES))):
                self._row(g, "urgency", found.get(key, 0), found.get(key, 0), key)

    def _fill_pairs(self) -> None:
        """The first and the latest assessment per group, client and instrument version,
        when there are two or more by the peildatum and the latest lies in the period. An
        ISO date followed by the id sorts as (date, id), so min and max of that text name
        them (byte order; "C" collation on PostgreSQL)."""
        s, rv, a = self.sql, self.view, facts.ASSESSMENTS
        subject = func.coalesce(a.c.person_id, literal("huishouden:") + a.c.household_id)
        key = s.binary(a.c.assessed_on + a.c.assessment_id)
        self.conn.execute(self.pairs.insert().from_select(
            ["grp", "def_id", "ver", "first_id", "last_id"],
            select(rv.c.grp, a.c.definition_id, a.c.definition_version,
                   func.substr(func.min(key), 11), func.substr(func.max(key), 11))
            .join(rv, rv.c.household_id == a.c.household_id)
            .where(a.c.assessed_on <= self.peil,
                   or_(func.substr(a.c.definition_id, 1, len(agg.ZRM_PREFIX))
                       == agg.ZRM_PREFIX,
                       and_(a.c.definition_id == agg.LADDER_ID, a.c.person_id.is_not(None))))
            # (The client first: it tells most rows apart at the first column of the sort.)
            .group_by(subject, rv.c.grp, a.c.definition_id, a.c.definition_version)
            .having(and_(func.count() >= 2, func.max(a.c.assessed_on) >= self.start))))

    def _measurements(self, groups: list[str]) -> None:
        p = self.pairs
        self._fill_pairs()
        # The scored items of both sides, joined per pair and item code.
        before, after = facts.ITEMS.alias("before"), facts.ITEMS.alias("after")
        code = after.c.code
        delta = after.c.score - before.c.score
        # Index-only (ix_fact_assessment_items_scores): the items of the first side, and for
        # each the same code on the latest side.
        pairs = (
            p.join(before, and_(before.c.assessment_id == p.c.first_id,
                                before.c.score.is_not(None)))
            .join(after, and_(after.c.assessment_id == p.c.last_id,
                              after.c.score.is_not(None), after.c.code == before.c.code)))
        # ZRM and the ladder in one pass (the pairs are of one or the other): per item, and
        # the ladder's step summed over its versions here.
        with self._index_probes():
            changes = self.conn.execute(
                select(p.c.grp, p.c.def_id, p.c.ver, code,
                       func.sum(case((delta > 0, 1), else_=0)),
                       func.sum(case((delta == 0, 1), else_=0)),
                       func.sum(case((delta < 0, 1), else_=0)),
                       func.avg(cast(delta, Float)), func.count())
                .select_from(pairs)
                .group_by(p.c.grp, p.c.def_id, p.c.ver, code)).all()
        ladder: dict[str, tuple[int, int, int]] = {}
        for g, definition, version, item, rose, stable, fell, avg, n in changes:
            if definition == agg.LADDER_ID and item == agg.LADDER_ITEM:
                sums = ladder.get(g, (0, 0, 0))
                ladder[g] = (sums[0] + int(rose), sums[1] + int(stable), sums[2] + int(fell))
            if definition[:len(agg.ZRM_PREFIX)] != agg.ZRM_PREFIX:
                continue
            category = agg.zrm_category(definition, version, item)
            for indicator, count in (("zrm_rose", rose), ("zrm_stable", stable),
                                     ("zrm_fell", fell)):
                self._row(g, indicator, int(count), int(count), category)
            self._row(g, "zrm_mean_change", avg, int(n), category)
        for g in groups:
            rose, stable, fell = ladder.get(g, (0, 0, 0))
            for category, count in ((agg.LADDER_ROSE, rose), (agg.LADDER_STABLE, stable),
                                    (agg.LADDER_FELL, fell)):
                self._row(g, "ladder_movement", count, count, category)
            measured = rose + stable + fell
            self._row(g, "ladder_rise_or_stable_share", self._share(rose + stable, measured),
                      measured)

    def _escalation(self, groups: list[str]) -> None:
        s, rv, flags = self.sql, self.view, self.flags
        # Individual: a signed plan with maatwerk whose period touches ours.
        sg, item = self.signatures, facts.SUPPORT
        self.conn.execute(flags.insert().from_select(
            ["household_id", "kind"],
            select(sg.c.household_id, literal("individueel")).distinct()
            .join(item, item.c.version_id == sg.c.version_id)
            .where(item.c.starts_on <= self.peil, item.c.ends_on >= self.start)))
        # Heavy: the last regie move by the peildatum was an opschaling.
        ev = facts.REGIE
        moves = (
            select(ev.c.household_id, ev.c.direction,
                   func.row_number().over(
                       partition_by=ev.c.household_id,
                       order_by=(ev.c.at.desc(), s.binary(ev.c.event_id).desc())).label("rn"))
            .join(rv, rv.c.household_id == ev.c.household_id)
            .where(ev.c.at < self.next_day)
            .subquery("moves"))
        self.conn.execute(flags.insert().from_select(
            ["household_id", "kind"],
            select(moves.c.household_id, literal("zwaar"))
            .where(moves.c.rn == 1, moves.c.direction == agg.ESCALATION_UP)))
        per_household = (
            select(flags.c.household_id,
                   func.max(case((flags.c.kind == "individueel", 1), else_=0)).label("ind"),
                   func.max(case((flags.c.kind == "zwaar", 1), else_=0)).label("heavy"))
            .group_by(flags.c.household_id).subquery("per_household"))
        counts = self._by_group(
            select(rv.c.grp, func.sum(per_household.c.ind), func.sum(per_household.c.heavy),
                   func.count(per_household.c.household_id))
            .select_from(rv.join(per_household,
                                 per_household.c.household_id == rv.c.household_id))
            .group_by(rv.c.grp))
        for g in groups:
            n_individual, n_heavy, n_either = (int(v or 0) for v in counts.get(g, (0, 0, 0)))
            self._row(g, "escalation_individual", n_individual, n_individual)
            self._row(g, "escalation_heavy", n_heavy, n_heavy)
            self._row(g, "escalation", n_either, n_either)
            self._row(g, "escalation_share", self._share(n_either, self.in_view[g]),
                      self.in_view[g])

    def _time(self, groups: list[str]) -> None:
        # The contacts in the period of the households in view, per group in one ordered
        # pass: report_view by group, each household's contacts from
        # ix_fact_contacts_household_day (index-only).
        rv, k = self.view, facts.CONTACTS
        totals = self._by_group(
            select(rv.c.grp, func.sum(k.c.minutes), func.count(func.distinct(k.c.worker_id)))
            .select_from(rv.join(k, k.c.household_id == rv.c.household_id))
            .where(k.c.day >= self.start, k.c.day <= self.peil)
            .group_by(rv.c.grp))
        for g in groups:
            total, workers = (int(v or 0) for v in totals.get(g, (0, 0)))
            running = self.running.get(g, 0)
            self._row(g, "time_total_minutes", total, running)
            self._row(g, "time_per_case_mean", total / running if running else None, running)
            self._row(g, "time_workers", workers, workers)
            self._row(g, "time_per_worker_mean", total / workers if workers else None, workers)

    def _experience(self, groups: list[str]) -> None:
        """Klantervaring: questionnaires answered in the period for households in view, and
        per question the answers on the scale (anonymous: counts and averages only)."""
        rv, e, a = self.view, facts.EXPERIENCES, facts.ANSWERS
        answered = and_(e.c.questionnaire == agg.EXPERIENCE_QUESTIONNAIRE,
                        e.c.answered_on >= self.start, e.c.answered_on <= self.peil)
        responses = self._by_group(
            select(rv.c.grp, func.count())
            .join(e, e.c.household_id == rv.c.household_id).where(answered)
            .group_by(rv.c.grp))
        per_question: dict[str, dict[str, tuple[int, float, int]]] = defaultdict(dict)
        for g, question, n, average, agreed in self.conn.execute(
                select(rv.c.grp, a.c.question, func.count(), func.avg(cast(a.c.score, Float)),
                       func.sum(case((a.c.score >= agg.EXPERIENCE_AGREE, 1), else_=0)))
                .select_from(rv.join(e, e.c.household_id == rv.c.household_id)
                             .join(a, a.c.experience_id == e.c.experience_id))
                .where(answered, a.c.score.between(1, agg.EXPERIENCE_SCALE_MAX))
                .group_by(rv.c.grp, a.c.question)):
            per_question[g][str(question)] = (int(n), float(average), int(agreed))
        for g in groups:
            n_responses = int(responses.get(g, (0,))[0])
            self._row(g, "experience_responses", n_responses, n_responses)
            for question in agg.EXPERIENCE_QUESTIONS:
                n, average, agreed = per_question[g].get(question, (0, 0.0, 0))
                self._row(g, "experience_mean", average if n else None, n, question)
                self._row(g, "experience_agree_share", self._share(agreed, n), n, question)

    def _usage(self, groups: list[str]) -> None:
        total = sum(self.in_view.values())
        for g in groups:
            self._row(g, "usage_share", self._share(self.in_view[g], total), self.in_view[g])

    def _instrument_versions(self) -> list[str]:
        """The instrument versions of the compared measurements."""
        p = self.pairs
        rows = self.conn.execute(select(p.c.def_id, p.c.ver).distinct())
        return sorted(f"{d} {v}" for d, v in rows)


def public_json(report: Report) -> dict[str, Any]:
    """The report as the endpoint and ``--format json`` give it: suppression applied."""
    return {
        "period": report.period.code,
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "peildatum": report.peildatum.isoformat(),
        "per": report.per.value,
        "threshold": agg.THRESHOLD,
        "instrument_versions": report.instrument_versions,
        "method": agg.method_paragraphs(report.period, report.peildatum,
                                       report.instrument_versions),
        "rows": [
            {"group": r.group, "indicator": r.indicator, "label": r.spec.label,
             "category": r.category, "value": agg.public_value(r),
             "basis": agg.public_basis(r), "unit": r.spec.unit.value}
            for r in report.rows
        ],
    }


def public_csv(report: Report) -> str:
    return agg.csv_text(report.rows, report.period, report.peildatum, report.per.value)


__all__ = ["Report", "ReportRequest", "compute", "public_csv", "public_json"]


