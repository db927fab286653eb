"""A withdrawn consent takes effect at the next sync (real laptops and server; SQLite and
PostgreSQL): the coach records the withdrawal on their laptop; the worker's laptop still
allows sharing until it syncs, then refuses and says it was withdrawn."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from tests.server.conftest import Server
from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Gap, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.services.consent import ConsentService
from wijkteam_app.services.households import HouseholdService

RECIPIENT = "Huisartsenpraktijk Voorbeeldstad"


def test_a_withdrawal_on_another_laptop_blocks_sharing_after_the_next_sync(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Toestemming")
    person = worker.households.get(hh).members[0]
    today = worker.workspace.today()
    worker.households.save_consent(Consent(
        new_id(), hh, person.id, RECIPIENT, STANDARD_PURPOSE[Use.PLAN],
        today - timedelta(days=3), worker.user_id, "schriftelijk"))
    worker.sync_ok()
    assert ConsentService(worker.workspace).check(hh, RECIPIENT, Use.PLAN).decision.allowed

    coach.sync_ok()
    [held] = HouseholdService(coach.workspace).consents(hh)
    HouseholdService(coach.workspace).save_consent(
        dataclasses.replace(held, withdrawn_on=today))
    coach.sync_ok()

    # Not yet known on the worker's laptop.
    assert ConsentService(worker.workspace).check(hh, RECIPIENT, Use.PLAN).decision.allowed
    worker.sync_ok()
    decision = ConsentService(worker.workspace).check(hh, RECIPIENT, Use.PLAN).decision
    assert not decision.allowed
    assert [(m.giver_id, m.gap, m.withdrawn_on) for m in decision.missing] == [
        (person.id, Gap.WITHDRAWN, today)]


def test_a_handled_request_travels_to_the_team(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    from wijkteam_app.domain.rights import ErasureException, RequestKind
    from wijkteam_app.services.rights import RightsService

    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Verzoek")
    person = worker.households.get(hh).members[0]
    RightsService(worker.workspace).erase(
        person.id, worker.workspace.today(), (ErasureException.LOPENDE_ONDERSTEUNING,),
        "De ondersteuning loopt nog.")
    report = worker.sync_ok()
    assert report.rejected == 0
    coach.sync_ok()
    [request] = RightsService(coach.workspace).requests(hh)
    assert request.kind is RequestKind.WISSEN
    assert request.exceptions == (ErasureException.LOPENDE_ONDERSTEUNING,)
