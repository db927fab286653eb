"""Aggregate figures for the municipality, computed in SQL over the server's records.

The server keeps every case-file record generically (``entities``: entity name, id,
household, and the fields as JSON). The indicators of `wijkteam_app.sync.aggregates` are
computed here in SQL on SQLite and PostgreSQL alike: fields are read with each database's
JSON functions (`_Sql` hides the few differences: ``json_extract``/``json_each`` against
``->>``/``json_array_elements``, and day arithmetic), medians with window functions. The
definitions are the app's (`wijkteam_app.domain.indicators`, which the server cannot
import); ``tests/server/test_report_agreement.py`` shows both give the same figures on the
same synced data.

The households in view and all their cases are first put in two temporary tables (per
connection, dropped at the end), so each indicator joins a small, indexed set instead of
re-deriving it. Only aggregates leave this module: no name, address, BSN or birth date is
ever selected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
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
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.selectable import TableValuedAlias

from wijkteam_app.sync import aggregates as agg
from wijkteam_app.sync.aggregates import Grouping, Period, Row
from wijkteam_server.models import EntityRow, Mandate, Team

ENTITIES = EntityRow.__table__


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
    """The JSON and date expressions that differ between SQLite and PostgreSQL.

    Paths are tuples of object keys (``("content", "goals")``); keys are our own field
    names (lowercase identifiers), never user input.
    """

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def _pg_path(self, obj: Any, path: tuple[str, ...]) -> Any:
        for key in path:
            obj = obj.op("->", return_type=JSON)(literal(key))
        return obj

    def text(self, obj: Any, *path: str) -> ColumnElement[Any]:
        """The value at `path` in a JSON object, as SQL text or number (JSON null: NULL)."""
        if self.pg:
            parent = self._pg_path(obj, path[:-1])
            return parent.op("->>", return_type=String)(literal(path[-1]))  # type: ignore[no-any-return]
        return func.json_extract(obj, "$." + ".".join(path))

    def int(self, obj: Any, *path: str) -> ColumnElement[Any]:
        return cast(self.text(obj, *path), Integer)

    def _pg_array(self, obj: Any, path: tuple[str, ...]) -> Any:
        array = self._pg_path(obj, path)
        return case((func.json_typeof(array) == "array", array),
                    else_=literal_column("'[]'::json"))

    def elements(self, obj: Any, path: tuple[str, ...], name: str,
                 ) -> tuple[TableValuedAlias, ColumnElement[Any], ColumnElement[Any]]:
        """The elements of the JSON array at `path` (empty: `obj` itself) as a lateral
        table: (table, element column, position column)."""
        if self.pg:
            table = func.json_array_elements(self._pg_array(obj, path)).table_valued(
                column("value", JSON), with_ordinality="pos", joins_implicitly=True,
            ).render_derived(name=name)
            return table, table.c.value, table.c.pos
        args = (obj, "$." + ".".join(path)) if path else (obj,)
        table = func.json_each(*args).table_valued("value", "key", name=name,
                                                   joins_implicitly=True)
        return table, table.c.value, table.c.key

    def text_elements(self, obj: Any, path: tuple[str, ...], name: str,
                      ) -> tuple[TableValuedAlias, ColumnElement[Any]]:
        """The elements of a JSON array of strings, as text."""
        if self.pg:
            table = func.json_array_elements_text(self._pg_array(obj, path)).table_valued(
                "value", name=name, joins_implicitly=True)
            return table, table.c.value
        args = (obj, "$." + ".".join(path)) if path else (obj,)
        table = func.json_each(*args).table_valued("value", name=name, joins_implicitly=True)
        return table, table.c.value

    def days(self, later: Any, earlier: Any) -> ColumnElement[Any]:
        """Whole days between two ISO dates (text)."""
        if self.pg:
            return cast(later, Date) - cast(earlier, Date)
        return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _live(alias: Any, entity: str) -> ColumnElement[bool]:
    return and_(alias.c.entity == entity, alias.c.deleted.is_(False))


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
        self.view = Table(
            "report_view", metadata,
            Column("household_id", String(36), primary_key=True),
            Column("grp", String(200)), Column("case_id", String(36)),
            Column("regisseur_id", String(36)), Column("closed_on", String(10)),
            Column("next_evaluation", String(10)),
            Index("ix_report_view_grp", "grp"), prefixes=["TEMPORARY"],
        )
        self.cases = Table(
            "report_cases", metadata,
            Column("case_id", String(36), primary_key=True),
            Column("household_id", String(36)), Column("grp", String(200)),
            Column("referral_date", String(10)), Column("closed_on", String(10)),
            Index("ix_report_cases_household", "household_id"), prefixes=["TEMPORARY"],
        )
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
            if self.request.per is Grouping.GEMEENTE:
                self._usage(groups)
            versions = self._instrument_versions()
        finally:
            self.metadata.drop_all(self.conn)
        rows = sorted(self.rows, key=Row.sort_key)
        return Report(self.request.period, self.peil_day, self.request.per, rows, versions)

    def _fill(self) -> None:
        s = self.sql
        c, h = ENTITIES.alias("c"), ENTITIES.alias("h")
        referral = s.text(c.c.data, "referral_date")
        closed = s.text(c.c.data, "closed_on")
        ranked = (
            select(
                c.c.entity_id.label("case_id"), c.c.household_id,
                s.text(c.c.data, "team_id").label("team_id"),
                s.text(c.c.data, "regisseur_id").label("regisseur_id"),
                closed.label("closed_on"),
                s.text(c.c.data, "next_evaluation").label("next_evaluation"),
                s.text(h.c.data, "wijk").label("wijk"),
                func.row_number().over(partition_by=c.c.household_id,
                                       order_by=(referral.desc(), c.c.entity_id.desc()),
                                       ).label("rn"),
            )
            .join(h, and_(_live(h, "household"), h.c.entity_id == c.c.household_id))
            .where(_live(c, "case"), referral <= self.peil,
                   or_(closed.is_(None), closed >= self.start))
            .subquery("ranked")
        )
        team = Team.__table__
        per = self.request.per
        if per is Grouping.WIJK:
            group: ColumnElement[Any] = func.coalesce(func.nullif(ranked.c.wijk, ""),
                                                      agg.UNKNOWN_GROUP)
        elif per is Grouping.TEAM:
            group = func.coalesce(team.c.name, agg.UNKNOWN_GROUP)
        else:
            group = func.coalesce(team.c.municipality, agg.UNKNOWN_GROUP)
        population = (
            select(ranked.c.household_id, group.label("grp"), ranked.c.case_id,
                   ranked.c.regisseur_id, ranked.c.closed_on, ranked.c.next_evaluation)
            .select_from(ranked.outerjoin(team, team.c.id == ranked.c.team_id))
            .where(ranked.c.rn == 1)
        )
        if self.request.teams:
            population = population.where(team.c.name.in_(self.request.teams))
        if self.request.gemeenten:
            population = population.where(team.c.municipality.in_(self.request.gemeenten))
        self.conn.execute(self.view.insert().from_select(
            ["household_id", "grp", "case_id", "regisseur_id", "closed_on", "next_evaluation"],
            population))
        all_cases = (
            select(c.c.entity_id, c.c.household_id, self.view.c.grp,
                   s.text(c.c.data, "referral_date"), s.text(c.c.data, "closed_on"))
            .join(self.view, self.view.c.household_id == c.c.household_id)
            .where(_live(c, "case"))
        )
        self.conn.execute(self.cases.insert().from_select(
            ["case_id", "household_id", "grp", "referral_date", "closed_on"], all_cases))

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
        medians = self._by_group(
            select(ranked.c.grp, func.avg(cast(ranked.c.v, Float)))
            .where(or_(ranked.c.rn == (ranked.c.cnt + 1) // 2,
                       ranked.c.rn == (ranked.c.cnt + 2) // 2))
            .group_by(ranked.c.grp))
        means = self._by_group(
            select(values.c.grp, func.avg(cast(values.c.v, Float)), func.count())
            .group_by(values.c.grp))
        return {g: (medians[g][0], m[0], m[1]) for g, m in means.items()}

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
        other = ENTITIES.alias("o")
        o_closed = self.sql.text(other.c.data, "closed_on")
        relapsed = exists().where(
            _live(other, "case"), other.c.household_id == rc.c.household_id,
            other.c.entity_id != rc.c.case_id, o_closed.is_not(None),
            o_closed <= rc.c.referral_date,
            self.sql.days(rc.c.referral_date, o_closed) <= agg.RELAPSE_DAYS)
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
        v = ENTITIES.alias("v")
        latest = (
            select(v.c.entity_id.label("version_id"), v.c.data, rv.c.grp,
                   func.row_number().over(
                       partition_by=v.c.household_id,
                       order_by=(s.int(v.c.data, "number").desc(), v.c.entity_id.desc()),
                   ).label("rn"))
            .join(rv, rv.c.household_id == v.c.household_id)
            .where(_live(v, "plan_version"), s.text(v.c.data, "created_at") < self.next_day)
            .subquery("latest_version"))
        hist, entry, position = s.elements(latest.c.data, ("history",), "hist")
        at = s.text(entry, "at")
        status = (
            select(latest.c.version_id, latest.c.grp, latest.c.data,
                   s.text(entry, "to_status").label("status"),
                   func.row_number().over(partition_by=latest.c.version_id,
                                          order_by=(at.desc(), position.desc())).label("hn"))
            .select_from(latest).join(hist, literal(True))
            .where(latest.c.rn == 1, at < self.next_day)
            .subquery("status_on_peil"))
        current = select(status).where(status.c.hn == 1).subquery("current_status")
        review = self._by_group(
            select(current.c.grp, func.count())
            .where(current.c.status == agg.REVIEW_STATUS).group_by(current.c.grp))
        # Does the version need a toets? Maatwerk outside the regisseur's mandate, or a total
        # above its maximum; without a known mandate every use of maatwerk does.
        goals, goal, _gp = s.elements(current.c.data, ("content", "goals"), "goals")
        items, item, _ip = s.elements(goal, ("professioneel",), "items")
        mandate = Mandate.__table__
        regisseur = s.text(current.c.data, "content", "regisseur_id")
        codes, code = s.text_elements(mandate.c.provisions, (), "codes")
        in_mandate = exists(
            select(literal(1)).select_from(mandate).join(codes, literal(True))
            .where(mandate.c.user_id == regisseur, code == s.text(item, "product_code")))
        support = (
            select(current.c.version_id,
                   func.sum(case((in_mandate, 0), else_=1)).label("n_outside"),
                   func.sum(s.int(item, "cost_cents")).label("total"))
            .select_from(current).join(goals, literal(True)).join(items, literal(True))
            .group_by(current.c.version_id)
            .subquery("support"))
        max_amount = (select(mandate.c.max_amount_cents)
                      .where(mandate.c.user_id == regisseur).scalar_subquery())
        toets = ENTITIES.alias("t")
        no_toets = ~exists().where(
            _live(toets, "plan_toets"),
            s.text(toets.c.data, "version_id") == current.c.version_id,
            s.text(toets.c.data, "decided_at") < self.next_day)
        waiting_toets = self._by_group(
            select(current.c.grp, func.count())
            .select_from(current.join(support, support.c.version_id == current.c.version_id))
            .where(current.c.status.in_(agg.TOETS_STATUSES), no_toets,
                   or_(support.c.n_outside > 0,
                       support.c.total > func.coalesce(max_amount, 0)))
            .group_by(current.c.grp))
        for g in groups:
            n_review = int(review.get(g, (0,))[0])
            n_toets = int(waiting_toets.get(g, (0,))[0])
            self._row(g, "plans_waiting_review", n_review, n_review)
            self._row(g, "plans_waiting_toets", n_toets, n_toets)

    def _lead_times(self, groups: list[str]) -> None:
        s, rc = self.sql, self.cases
        ct, sg = ENTITIES.alias("ct"), ENTITIES.alias("sg")
        on = s.text(ct.c.data, "on")
        first_contact = (
            select(func.min(on))
            .where(_live(ct, "contact_moment"), ct.c.household_id == rc.c.household_id,
                   s.text(ct.c.data, "case_id") == rc.c.case_id,
                   on >= rc.c.referral_date, on <= self.peil)
            .scalar_subquery())
        signed_on = s.text(sg.c.data, "signed_on")
        first_signed = (
            select(func.min(signed_on))
            .where(_live(sg, "plan_signature"), sg.c.household_id == rc.c.household_id,
                   signed_on >= rc.c.referral_date, signed_on <= self.peil)
            .scalar_subquery())
        new = (select(rc.c.grp, rc.c.referral_date, first_contact.label("fc"),
                      first_signed.label("fs"))
               .where(self._new_cases()).subquery("new_cases"))
        contact_days = (select(new.c.grp, s.days(new.c.fc, new.c.referral_date).label("v"))
                        .where(new.c.fc.is_not(None)).subquery("contact_days"))
        plan_days = (select(new.c.grp, s.days(new.c.fs, new.c.referral_date).label("v"))
                     .where(new.c.fs.is_not(None)).subquery("plan_days"))
        contact = self._median_mean(contact_days)
        plan = self._median_mean(plan_days)
        waiting = self._by_group(select(new.c.grp, func.count())
                                 .where(new.c.fc.is_(None)).group_by(new.c.grp))
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
        s, rv = self.sql, self.view
        cs = ENTITIES.alias("cs")
        ref_case = and_(cs.c.entity == "case", cs.c.entity_id == rv.c.case_id)
        profile = func.coalesce(cast(s.text(cs.c.data, "client_profile"), String),
                                agg.NO_PROFILE)
        profiles: dict[str, dict[str, int]] = defaultdict(dict)
        for g, key, n in self.conn.execute(
                select(rv.c.grp, profile, func.count()).join(cs, ref_case)
                .group_by(rv.c.grp, profile)):
            profiles[g][str(key)] = int(n)
        urgent, criterion = s.text_elements(cs.c.data, ("urgency",), "urgent")
        urgency: dict[str, dict[str, int]] = defaultdict(dict)
        for g, key, n in self.conn.execute(
                select(rv.c.grp, criterion, func.count(func.distinct(rv.c.household_id)))
                .select_from(rv.join(cs, ref_case).join(urgent, literal(True)))
                .group_by(rv.c.grp, criterion)):
            urgency[g][str(key)] = int(n)
        with_any = self._by_group(
            select(rv.c.grp, func.count(func.distinct(rv.c.household_id)))
            .select_from(rv.join(cs, ref_case).join(urgent, literal(True)))
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

    def _pairs(self) -> tuple[Any, Any]:
        """(first, latest) assessment per group, client and instrument version, when there
        are at least two by the peildatum and the latest lies in the period."""
        s, rv = self.sql, self.view
        a = ENTITIES.alias("a")
        definition = s.text(a.c.data, "definition_id")
        version = s.text(a.c.data, "definition_version")
        on = s.text(a.c.data, "assessed_on")
        person = s.text(a.c.data, "person_id")
        subject = func.coalesce(person, literal("huishouden:") + a.c.household_id)
        series = (rv.c.grp, subject, definition, version)
        base = (
            select(a.c.entity_id.label("aid"), a.c.household_id, a.c.data, rv.c.grp,
                   definition.label("def_id"), version.label("ver"), on.label("on"),
                   subject.label("subject"), person.label("person"),
                   func.row_number().over(partition_by=series,
                                          order_by=(on, a.c.entity_id)).label("rn_first"),
                   func.row_number().over(partition_by=series,
                                          order_by=(on.desc(), a.c.entity_id.desc()),
                                          ).label("rn_last"),
                   func.count().over(partition_by=series).label("cnt"))
            .join(rv, rv.c.household_id == a.c.household_id)
            .where(_live(a, "assessment"), on <= self.peil,
                   or_(func.substr(definition, 1, len(agg.ZRM_PREFIX)) == agg.ZRM_PREFIX,
                       and_(definition == agg.LADDER_ID, person.is_not(None))))
            .subquery("series"))
        first = select(base).where(base.c.rn_first == 1, base.c.cnt >= 2).subquery("first")
        last = (select(base).where(base.c.rn_last == 1, base.c.cnt >= 2,
                                   base.c.on >= self.start).subquery("last"))
        return first, last

    def _measurements(self, groups: list[str]) -> None:
        s = self.sql
        first, last = self._pairs()
        before_items, before, _bp = s.elements(first.c.data, ("items",), "before_items")
        after_items, after, _ap = s.elements(last.c.data, ("items",), "after_items")
        code = s.text(after, "code")
        delta = s.int(after, "score") - s.int(before, "score")
        pairs = (
            last.join(first, and_(first.c.grp == last.c.grp, first.c.subject == last.c.subject,
                                  first.c.def_id == last.c.def_id,
                                  first.c.ver == last.c.ver))
            .join(before_items, literal(True)).join(after_items, literal(True)))
        scored = and_(s.text(before, "code") == code, s.text(before, "score").is_not(None),
                      s.text(after, "score").is_not(None))
        zrm = self.conn.execute(
            select(last.c.grp, last.c.def_id, last.c.ver, code,
                   func.sum(case((delta > 0, 1), else_=0)),
                   func.sum(case((delta == 0, 1), else_=0)),
                   func.sum(case((delta < 0, 1), else_=0)),
                   func.avg(cast(delta, Float)), func.count())
            .select_from(pairs)
            .where(scored, func.substr(last.c.def_id, 1, len(agg.ZRM_PREFIX)) == agg.ZRM_PREFIX)
            .group_by(last.c.grp, last.c.def_id, last.c.ver, code))
        for g, definition, version, item, rose, stable, fell, avg, n in zrm:
            category = agg.zrm_category(definition, version, item)
            for indicator, count in (("zrm_rose", rose), ("zrm_stable", stable),
                                     ("zrm_fell", fell)):
                self._row(g, indicator, int(count), int(count), category)
            self._row(g, "zrm_mean_change", avg, int(n), category)
        ladder = self._by_group(
            select(last.c.grp, func.sum(case((delta > 0, 1), else_=0)),
                   func.sum(case((delta == 0, 1), else_=0)),
                   func.sum(case((delta < 0, 1), else_=0)))
            .select_from(pairs)
            .where(scored, code == agg.LADDER_ITEM, last.c.def_id == agg.LADDER_ID)
            .group_by(last.c.grp))
        for g in groups:
            rose, stable, fell = (int(v or 0) for v in ladder.get(g, (0, 0, 0)))
            for category, count in ((agg.LADDER_ROSE, rose), (agg.LADDER_STABLE, stable),
                                    (agg.LADDER_FELL, fell)):
                self._row(g, "ladder_movement", count, count, category)
            measured = rose + stable + fell
            self._row(g, "ladder_rise_or_stable_share", self._share(rose + stable, measured),
                      measured)

    def _escalation(self, groups: list[str]) -> None:
        s, rv = self.sql, self.view
        sg, pv = ENTITIES.alias("sg"), ENTITIES.alias("pv")
        goals, goal, _gp = s.elements(pv.c.data, ("content", "goals"), "esc_goals")
        items, item, _ip = s.elements(goal, ("professioneel",), "esc_items")
        individual = (
            select(sg.c.household_id).distinct()
            .select_from(sg.join(pv, and_(_live(pv, "plan_version"),
                                          pv.c.entity_id == s.text(sg.c.data, "version_id")))
                         .join(goals, literal(True)).join(items, literal(True)))
            .where(_live(sg, "plan_signature"),
                   sg.c.household_id.in_(select(rv.c.household_id)),
                   s.text(sg.c.data, "signed_on") <= self.peil,
                   s.text(item, "start") <= self.peil, s.text(item, "end") >= self.start)
            .subquery("individual"))
        ev = ENTITIES.alias("ev")
        at = s.text(ev.c.data, "at")
        moves = (
            select(ev.c.household_id, s.text(ev.c.data, "direction").label("direction"),
                   func.row_number().over(partition_by=ev.c.household_id,
                                          order_by=(at.desc(), ev.c.entity_id.desc()),
                                          ).label("rn"))
            .where(_live(ev, "regie_event"), at < self.next_day,
                   ev.c.household_id.in_(select(rv.c.household_id)))
            .subquery("moves"))
        heavy = (select(moves.c.household_id)
                 .where(moves.c.rn == 1, moves.c.direction == agg.ESCALATION_UP)
                 .subquery("heavy"))
        is_individual = individual.c.household_id.is_not(None)
        is_heavy = heavy.c.household_id.is_not(None)
        counts = self._by_group(
            select(rv.c.grp, func.sum(case((is_individual, 1), else_=0)),
                   func.sum(case((is_heavy, 1), else_=0)),
                   func.sum(case((or_(is_individual, is_heavy), 1), else_=0)))
            .select_from(rv.outerjoin(individual, individual.c.household_id == rv.c.household_id)
                         .outerjoin(heavy, heavy.c.household_id == rv.c.household_id))
            .group_by(rv.c.grp))
        for g in groups:
            n_individual, n_heavy, n_either = (int(v or 0) for v in counts.get(g, (0, 0, 0)))
            self._row(g, "escalation_individual", n_individual, n_individual)
            self._row(g, "escalation_heavy", n_heavy, n_heavy)
            self._row(g, "escalation", n_either, n_either)
            self._row(g, "escalation_share", self._share(n_either, self.in_view[g]),
                      self.in_view[g])

    def _time(self, groups: list[str]) -> None:
        s, rv = self.sql, self.view
        ct = ENTITIES.alias("tm")
        on = s.text(ct.c.data, "on")
        totals = self._by_group(
            select(rv.c.grp, func.sum(s.int(ct.c.data, "duration_minutes")),
                   func.count(func.distinct(s.text(ct.c.data, "worker_id"))))
            .join(rv, rv.c.household_id == ct.c.household_id)
            .where(_live(ct, "contact_moment"), on >= self.start, on <= self.peil)
            .group_by(rv.c.grp))
        for g in groups:
            total, workers = (int(v or 0) for v in totals.get(g, (0, 0)))
            running = self.running.get(g, 0)
            self._row(g, "time_total_minutes", total, running)
            self._row(g, "time_per_case_mean", total / running if running else None, running)
            self._row(g, "time_workers", workers, workers)
            self._row(g, "time_per_worker_mean", total / workers if workers else None, workers)

    def _usage(self, groups: list[str]) -> None:
        total = sum(self.in_view.values())
        for g in groups:
            self._row(g, "usage_share", self._share(self.in_view[g], total), self.in_view[g])

    def _instrument_versions(self) -> list[str]:
        s, rv = self.sql, self.view
        a = ENTITIES.alias("iv")
        definition = s.text(a.c.data, "definition_id")
        version = s.text(a.c.data, "definition_version")
        rows = self.conn.execute(
            select(definition, version).distinct()
            .join(rv, rv.c.household_id == a.c.household_id)
            .where(_live(a, "assessment"), s.text(a.c.data, "assessed_on") <= self.peil))
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


