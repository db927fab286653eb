"""After a save the dashboard reads only the changed household again, and a view, a print or
an export reads nothing: the figures are the same as a whole fresh read would give."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from bench.steering_data import fill
from tests.conftest import FAST_KDF, PASSPHRASE
from wijkteam_app.domain.cases import CaseStatus, ContactKind, ContactMoment
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.indicators import Indicator
from wijkteam_app.domain.instruments import Assessment, ItemScore
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.persistence.steering_repository import changed_households
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import LocalIdentity, Workspace, init_profile, unlock
from wijkteam_app.services.steering import Dashboard, DashboardFilter, SteeringService

TODAY = date(2026, 12, 15)


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    paths = ProfilePaths(tmp_path_factory.mktemp("incremental") / "profiel")
    init_profile(paths, PASSPHRASE, LocalIdentity(display_name="Karin de Coach",
                                                  team_name="Wijkteam Noord",
                                                  role=Role.TEAMCOACH), kdf=FAST_KDF)
    ws = unlock(paths, PASSPHRASE, lambda: TODAY)
    fill(ws, 40, seed=11)
    yield ws
    ws.close()


def figures(dashboard: Dashboard) -> dict[tuple[str, str], tuple[object, int, frozenset[str]]]:
    return {(i.value, c): (f.value, f.basis, f.households)
            for (i, c), f in dashboard.figures.items()}


def fresh(ws: Workspace, flt: DashboardFilter) -> Dashboard:
    """What a service that never read the file before computes."""
    return SteeringService(ws).dashboard(flt)


def marker(ws: Workspace) -> int:
    return SteeringService(ws).marker()


def changed_since(ws: Workspace, since: int) -> frozenset[str] | None:
    with ws.casefile.snapshot() as conn:
        return changed_households(conn, since)[1]


def test_saves_views_and_a_worker_change_give_the_figures_of_a_fresh_read(
        coach: Workspace) -> None:
    ws = coach
    service = SteeringService(ws)
    flt = DashboardFilter(service.default_period())
    first = service.dashboard(flt)
    assert figures(first) == figures(fresh(ws, flt))
    houses = HouseholdService(ws)
    households = sorted(first.figure(Indicator.HOUSEHOLDS_IN_VIEW).households)
    assert len(households) >= 10

    # Looking at households (the access log) changes no fact: the same figures, at once.
    before = marker(ws)
    for household in households[:3]:
        AccessLogService(ws).viewed_household(household)
    assert marker(ws) > before
    assert changed_since(ws, before) == frozenset()
    assert service.ready(flt) is first

    # A contact moment of one household: only that household is read again.
    target = households[1]
    case = houses.cases(target)[0].case
    before = marker(ws)
    houses.save_contact(ContactMoment(new_id(), case.id, TODAY, 45, ContactKind.HUISBEZOEK,
                                      ws.worker.id))
    assert changed_since(ws, before) == frozenset({target})
    assert service.ready(flt) is None
    after_contact = service.dashboard(flt)
    assert figures(after_contact) == figures(fresh(ws, flt))
    minutes = after_contact.figure(Indicator.TIME_TOTAL_MINUTES).value
    assert minutes == first.figure(Indicator.TIME_TOTAL_MINUTES).value + 45  # counted

    # A ladder measurement and the closing of another household's case.
    other = households[4]
    person = houses.page(other).detail.members[0]
    with ws.casefile.save(ws.actor_id, "test.ladder", "meting") as ctx:
        for day, rung in ((date(2026, 7, 20), 2), (date(2026, 12, 1), 5)):
            repo.save_assessment(ctx.session, Assessment(
                new_id(), "participatieladder", "2008", day, ws.worker.id,
                (ItemScore("trede", rung),), person_id=person.id), other)
    # Household ids are random, so which household comes where differs per run: take the
    # first later one with an open case, and close it today (never before its opening).
    closing = next(c.case for h in households[6:] for c in houses.cases(h)
                   if c.case.closed_on is None)
    houses.save_case(replace(closing, status=CaseStatus.AFGESLOTEN, closed_on=TODAY))
    assert figures(service.dashboard(flt)) == figures(fresh(ws, flt))

    # A worker's name is in the figures of many households: everything is read again.
    before = marker(ws)
    with ws.casefile.save(ws.actor_id, "test.collega", "medewerker") as ctx:
        repo.save_worker(ctx.session, Worker(new_id(), "nieuw", "Nieuwe Collega",
                                             Role.WIJKWERKER, ws.team.id))
    assert changed_since(ws, before) is None
    again = service.dashboard(flt)
    assert figures(again) == figures(fresh(ws, flt))
    assert "Nieuwe Collega" in again.worker_names.values()
