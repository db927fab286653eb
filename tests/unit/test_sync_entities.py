"""The typed record schema of the sync protocol (`wijkteam_app.sync.entities`) stays equal to
the case file's ORM and the domain's enumerations, accepts everything the app writes, and
refuses wrongly typed, missing and unknown values."""

from __future__ import annotations

import enum
import typing
from typing import Any, get_args

import pytest
from sqlalchemy import Date, DateTime, String, inspect, select

from wijkteam_app.domain import cases, instruments, people, plans, workers
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync import entities
from wijkteam_app.sync.engine import entity_classes
from wijkteam_app.sync.protocol import EntityName

SYNCED = set(get_args(EntityName))


def test_every_protocol_entity_has_a_schema() -> None:
    assert set(entities.RECORDS) == SYNCED


@pytest.mark.parametrize("entity", sorted(SYNCED))
def test_schema_matches_the_case_file_columns(entity: str) -> None:
    cls = entity_classes()[entity]
    columns = {a.key: a.columns[0] for a in inspect(cls).column_attrs
               if a.key not in ("id", "version")}
    schema = entities.RECORDS[entity].model_fields
    assert set(schema) == set(columns), entity
    for name, column in columns.items():
        info = schema[name]
        nullable_in_schema = type(None) in get_args(info.annotation)
        assert nullable_in_schema == bool(column.nullable), f"{entity}.{name} nullability"
        if isinstance(column.type, String) and column.type.length:
            limits = [m.max_length for m in info.metadata if hasattr(m, "max_length")]
            limits += [getattr(m, "max_length", None) for a in get_args(info.annotation)
                       for m in getattr(a, "__metadata__", ())]
            bound = min((x for x in limits if x), default=None)
            # A pattern (bsn, sha256) or literal fixes the length; otherwise it is bounded.
            if bound is not None:
                assert bound <= column.type.length, f"{entity}.{name} length"
        if isinstance(column.type, DateTime):
            entities.check_value(entity, name, "2026-03-01T09:12:00.250000")
            with pytest.raises(entities.FieldProblem):
                entities.check_value(entity, name, "1 maart")
        elif isinstance(column.type, Date):
            entities.check_value(entity, name, "2026-03-01")
            with pytest.raises(entities.FieldProblem):
                entities.check_value(entity, name, "2026-03-01T09:12:00")


def _literal_values(alias: Any) -> set[str]:
    return set(get_args(alias))


@pytest.mark.parametrize(("alias", "domain_enum"), [
    (entities.HouseholdRoleValue, people.HouseholdRole),
    (entities.CaseStatusValue, cases.CaseStatus),
    (entities.ComplexityValue, cases.Complexity),
    (entities.ReferralSourceValue, cases.ReferralSource),
    (entities.UrgencyValue, cases.UrgencyCriterion),
    (entities.ContactKindValue, cases.ContactKind),
    (entities.SubjectValue, instruments.Subject),
    (entities.PlanStatusValue, plans.PlanStatus),
    (entities.HorizonValue, plans.Horizon),
    (entities.AgreementValue, plans.ResidentAgreement),
    (entities.GoalResultValue, plans.GoalResult),
    (entities.PlanSectionValue, plans.PlanSection),
    (entities.ReviewOutcomeValue, plans.ReviewOutcome),
    (entities.ToetsDecisionValue, plans.ToetsDecision),
    (entities.DirectionValue, plans.EscalationDirection),
    (entities.RoleValue, workers.Role),
])
def test_enumerations_equal_the_domain(alias: Any, domain_enum: type[enum.Enum]) -> None:
    assert _literal_values(alias) == {m.value for m in domain_enum}


def _dataclass_fields(cls: type) -> set[str]:
    return {f for f in typing.get_type_hints(cls)}


@pytest.mark.parametrize(("value_model", "dataclass"), [
    (entities.PlanContentValue, plans.PlanContent),
    (entities.GoalValue, plans.Goal),
    (entities.ProfessionalSupportValue, plans.ProfessionalSupport),
    (entities.ParticipantsValue, plans.Participants),
    (entities.SituationValue, plans.Situation),
    (entities.ResidentViewValue, plans.ResidentView),
    (entities.SharingConsentValue, plans.SharingConsent),
    (entities.StatusChangeValue, plans.StatusChange),
    (entities.SectionCommentValue, plans.SectionComment),
    (entities.SignerValue, plans.Signer),
])
def test_plan_json_shapes_equal_the_domain(value_model: type, dataclass: type) -> None:
    assert set(value_model.model_fields) == _dataclass_fields(dataclass)  # type: ignore[attr-defined]


def test_everything_the_app_writes_fits(workspace: Workspace) -> None:
    """Every change-set of a demo case file (households, plans, reviews, signatures, ...)
    passes the schema the server enforces."""
    fill_demo(workspace, households=6)
    seen: set[str] = set()
    with workspace.casefile.read() as session:
        for row in session.scalars(select(OutboxRecord)):
            for change in row.changes:
                values = {n: fc["new"] for n, fc in change["fields"].items()
                          if n not in ("id", "version")}
                if change["op"] == "delete":
                    entities.check_names(change["entity"], values)
                    continue
                if change["entity"] == "mandate":
                    continue  # server-owned reference data, never pushed
                entities.check_fields(change["entity"], values,
                                      complete=change["op"] == "insert")
                seen.add(change["entity"])
    assert {"household", "person", "case", "assessment", "plan_version",
            "plan_review"} <= seen


@pytest.mark.parametrize(("entity", "name", "value"), [
    ("household", "postcode", {"zip": "1234AB"}),
    ("household", "house_number", "12"),
    ("household", "house_number", True),
    ("person", "bsn", 123456789),
    ("person", "birth_date", "17-05-1980"),
    ("case", "status", "weg"),
    ("case", "urgency", ["onbekend"]),
    ("plan_version", "content", {"goals": [{"id": "x"}]}),
    ("plan_version", "status", "goedgekeurd!"),
    ("plan_review", "outcome", "misschien"),
    ("assessment", "items", [{"code": "fin", "score": "3"}]),
])
def test_wrong_types_are_refused(entity: str, name: str, value: object) -> None:
    with pytest.raises(entities.FieldProblem) as caught:
        entities.check_value(entity, name, value)
    assert caught.value.field == name
    assert repr(value) not in str(caught.value)  # never quotes the value


def test_missing_and_unknown_fields_are_refused() -> None:
    with pytest.raises(entities.FieldProblem, match="required field missing"):
        entities.check_fields("household", {"name": "Huishouden Proef"}, complete=True)
    with pytest.raises(entities.FieldProblem, match="unknown field"):
        entities.check_fields("household", {"hobby": "x"}, complete=False)
    with pytest.raises(entities.FieldProblem, match="unknown entity"):
        entities.check_value("wachtwoord", "x", 1)


# --------------------------------------------------------------------------- authority


def test_plan_transitions_equal_the_domain() -> None:
    from wijkteam_app.sync.authority import PLAN_TRANSITIONS

    domain = {(a.value, b.value) for a, targets in plans.ALLOWED_TRANSITIONS.items()
              for b in targets}
    assert set(PLAN_TRANSITIONS) == domain


def test_toets_rule_equals_the_domain() -> None:
    from datetime import date

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from wijkteam_app.sync.authority import toets_needed

    support = st.builds(
        plans.ProfessionalSupport, product_code=st.sampled_from(["A", "B", "C"]),
        product_name=st.just("x"), provider=st.just("p"), volume=st.integers(0, 5),
        unit_code=st.just("01"), frequency_code=st.just("1"), start=st.just(date(2026, 1, 1)),
        end=st.just(date(2026, 6, 1)), cost_cents=st.integers(0, 500_000))
    goal = st.builds(plans.Goal, id=st.just("g"), domain_code=st.just("fin"),
                     description=st.just("d"), current_level=st.just(2),
                     target_level=st.just(3), horizon=st.just(plans.Horizon.EEN_JAAR),
                     professioneel=st.lists(support, max_size=3).map(tuple))

    @settings(max_examples=200, deadline=None)
    @given(goals=st.lists(goal, max_size=3), amount=st.integers(0, 600_000),
           codes=st.frozensets(st.sampled_from(["A", "B", "C"])))
    def check(goals: list[plans.Goal], amount: int, codes: frozenset[str]) -> None:
        content = plans.PlanContent(goals=tuple(goals))
        plain = plans.to_plain(content)
        assert isinstance(plain, dict)
        assert toets_needed(plain, amount, codes) == plans.needs_toets(
            content, plans.Mandate(amount, codes))

    check()


def test_every_household_entity_has_an_action() -> None:
    from wijkteam_app.sync.authority import ENTITY_ACTION
    from wijkteam_app.sync.protocol import SERVER_OWNED_ENTITIES

    assert set(ENTITY_ACTION) == SYNCED - SERVER_OWNED_ENTITIES


def test_the_documented_matrix_is_the_enforced_one() -> None:
    """docs/security.md prints the authorization matrix; it must say what the code does."""
    from pathlib import Path

    from wijkteam_app.sync.authority import MATRIX, Action, Relation

    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text("utf-8")
    columns = [Relation.REGISSEUR, Relation.CASE_TEAM, Relation.COACH, Relation.TOETSER,
               Relation.CREATOR]
    documented: dict[Action, frozenset[Relation]] = {}
    for line in doc.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        name = cells[0].split("`")[1]
        if name not in {a.value for a in Action}:
            continue
        documented[Action(name)] = frozenset(
            r for r, cell in zip(columns, cells[1:], strict=True) if cell == "✓")
    assert set(documented) == set(MATRIX)
    for action, allowed in MATRIX.items():
        assert documented[action] == allowed, action
