"""Steering indicators on small constructed facts whose right answers are known by hand
(`tests/helpers/steering_cases.py`; the server's SQL is checked against the same answers)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.steering_cases import (
    PEIL,
    SCENARIOS,
    START,
    Scenario,
    case,
    caseload,
    hh,
    time_spent,
)
from wijkteam_app.domain import client_experience
from wijkteam_app.domain.cases import UrgencyCriterion
from wijkteam_app.domain.indicators import (
    DASHBOARD_ONLY,
    EXPERIENCE_AGREE,
    Facts,
    Indicator,
    compute,
)
from wijkteam_app.domain.instruments import PARTICIPATIELADDER_ID
from wijkteam_app.sync import aggregates


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_hand_known_answers(scenario: Scenario) -> None:
    groups = compute(scenario.facts, START, PEIL)
    assert list(groups) == [""]
    figures = {(f.indicator.value, f.category): f for f in groups[""].values()}
    for key, expected in scenario.values.items():
        assert figures[key].value == pytest.approx(expected), key
    for key, expected in scenario.households.items():
        assert set(figures[key].households) == expected, key
    for key, expected in scenario.bases.items():
        assert figures[key].basis == expected, key


def test_per_worker_figures_for_the_dashboard() -> None:
    figures = compute(caseload().facts, START, PEIL)[""]
    assert figures[(Indicator.CASELOAD_WORKER, "A")].value == 3
    assert figures[(Indicator.CASELOAD_WORKER, "B")].value == 1
    assert (Indicator.CASELOAD_WORKER, "C") not in figures
    minutes = compute(time_spent().facts, START, PEIL)[""]
    assert minutes[(Indicator.TIME_WORKER, "A")].value == 90
    assert minutes[(Indicator.TIME_WORKER, "B")].value == 45


def test_groups_and_filters() -> None:
    facts = Facts(hh("n1", "n2") + hh("o1", wijk="Oost"), [
        case("c1", "n1", date(2026, 8, 1), regisseur="A"),
        case("c2", "n2", date(2026, 8, 1), regisseur="B"),
        case("c3", "o1", date(2026, 8, 1), regisseur="A"),
    ])
    groups = compute(facts, START, PEIL, group_of=lambda v: v.wijk)
    assert {g: f[(Indicator.HOUSEHOLDS_IN_VIEW, "")].value for g, f in groups.items()} == {
        "Noord": 2, "Oost": 1}
    mine = compute(facts, START, PEIL, include=lambda v: v.case.regisseur_id == "A")
    assert set(mine[""][(Indicator.HOUSEHOLDS_IN_VIEW, "")].households) == {"n1", "o1"}
    assert compute(facts, START, PEIL, include=lambda v: False) == {}


def test_report_indicators_are_the_shared_catalogue() -> None:
    report = {i.value for i in Indicator if i not in DASHBOARD_ONLY}
    server_only = {"usage_share"}
    assert report == set(aggregates.SPECS) - server_only
    assert aggregates.LADDER_ID == PARTICIPATIELADDER_ID
    assert {u.value for u in UrgencyCriterion} == set(aggregates.URGENCY_CRITERIA)
    # Klantervaring: the questionnaire the app records is the one both sides report on.
    assert aggregates.EXPERIENCE_QUESTIONNAIRE == client_experience.QUESTIONNAIRE_ID
    assert tuple(q.code for q in client_experience.QUESTIONS) == aggregates.EXPERIENCE_QUESTIONS
    assert set(aggregates.EXPERIENCE_LABELS) == set(aggregates.EXPERIENCE_QUESTIONS)
    assert max(client_experience.SCALE) == aggregates.EXPERIENCE_SCALE_MAX
    assert client_experience.SCALE_LABELS[aggregates.EXPERIENCE_AGREE] == "eens"
    assert aggregates.EXPERIENCE_AGREE == EXPERIENCE_AGREE


def test_small_numbers_are_suppressed() -> None:
    row = aggregates.Row("Noord", "relapse", "", 3, 3)
    assert aggregates.public_value(row) == "<5" and aggregates.public_basis(row) == "<5"
    share = aggregates.Row("Noord", "relapse_share", "", 66.7, 3)
    assert aggregates.public_value(share) == "–"
    assert aggregates.public_value(aggregates.Row("Noord", "relapse", "", 0, 0)) == 0
    assert aggregates.public_value(aggregates.Row("Noord", "relapse", "", 5, 5)) == 5
    # Figures about workers are not about residents: not suppressed.
    assert aggregates.public_value(aggregates.Row("Noord", "regisseurs", "", 2, 2)) == 2


def test_periods() -> None:
    period = aggregates.parse_period("2026h2")
    assert (period.code, period.start, period.end) == ("2026H2", date(2026, 7, 1),
                                                       date(2026, 12, 31))
    assert period.peildatum(date(2026, 9, 1)) == date(2026, 9, 1)
    assert aggregates.parse_period("2026").end == date(2026, 12, 31)
    for wrong in ("2026H3", "0000", "26H1", "2026 H1", "morgen"):
        with pytest.raises(aggregates.PeriodError):
            aggregates.parse_period(wrong)
    codes = [p.code for p in aggregates.recent_periods(date(2026, 3, 1), 4)]
    assert codes == ["2026H1", "2026", "2025H2", "2025H1"]
