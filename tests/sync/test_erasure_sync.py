"""An erasure travels like any save (real laptops, real server; SQLite and PostgreSQL): the
server accepts the scrubbed free text as the current value and a colleague's laptop shows
it, with the other member's name untouched."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import factories
from tests.server.conftest import Server
from wijkteam_app.domain.cases import ContactKind, ContactMoment
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import HouseholdRole
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.rights import ERASED_NAME, RightsService
from wijkteam_server.models import EntityRow


def test_the_scrubbed_notes_reach_the_server_and_the_colleague(  # type: ignore[no-untyped-def]
        server: Server, make_laptop) -> None:
    team = server.team()
    colleague_account = server.account(team)
    worker = make_laptop(server.account(team))
    colleague = make_laptop(colleague_account)
    hh, case_id = worker.new_household("Huishouden Proefmans",
                                       case_team=(colleague_account.id,))
    households = HouseholdService(worker.workspace)
    [anouk] = households.get(hh).members  # Anouk Proefmans
    households.save_person(factories.person(hh, first="Samir", last="Haddad",
                                            birth=date(1979, 2, 3),
                                            role=HouseholdRole.PARTNER))
    contact = ContactMoment(new_id(), case_id, worker.workspace.today() - timedelta(days=2),
                            30, ContactKind.TELEFONISCH, worker.user_id, "Anouk",
                            "Anouk Proefmans belde; Samir Haddad was erbij.")
    households.save_contact(contact)
    worker.sync_ok()
    colleague.sync_ok()

    RightsService(worker.workspace).erase(anouk.id, worker.workspace.today(), (), "")
    worker.sync_ok()
    colleague.sync_ok()

    scrubbed = f"{ERASED_NAME} belde; Samir Haddad was erbij."
    [overview] = HouseholdService(colleague.workspace).cases(hh)
    [theirs] = overview.contacts
    assert (theirs.with_whom, theirs.notes) == (ERASED_NAME, scrubbed)
    members = {m.id: m.full_name for m in HouseholdService(colleague.workspace).get(hh).members}
    assert members[anouk.id] == ERASED_NAME and "Samir Haddad" in members.values()
    with Session(server.engine) as session:
        rows = {(r.entity, r.entity_id): r.data for r in session.scalars(
            select(EntityRow).where(EntityRow.household_id == hh))}
    assert rows[("contact_moment", contact.id)]["notes"] == scrubbed
    assert rows[("household", hh)]["name"] == f"Huishouden {ERASED_NAME}"
    assert rows[("person", anouk.id)]["first_name"] == ERASED_NAME
    assert [r["outcome"] for (entity, _), r in rows.items()
            if entity == "privacy_request"] == ["uitgevoerd"]
