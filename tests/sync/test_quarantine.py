"""The laptop's apply is total (issue 9): a pulled record that cannot be applied is set aside
in a quarantine, the rest of the page still applies, and the sync says so. Real laptops
against a real server process (SQLite and PostgreSQL); the server is poisoned by writing
straight into its database, as a server that still accepts anything (or a bug) would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.ids import new_id
from wijkteam_app.persistence.schema import PersonRecord
from wijkteam_server.db import utcnow, write_session
from wijkteam_server.models import EntityRow
from wijkteam_server.scope import recompute_access
from wijkteam_server.sync_engine import log_change

ADDRESS = {"street": "Herstelstraat", "house_number": 7, "postcode": "4321 ZX",
           "city": "Voorbeeldstad", "wijk": "Zuid", "created_at": "2026-02-01T09:00:00"}


def server_update(server: Server, entity: str, entity_id: str, fields: dict[str, Any]) -> None:
    """Change a record on the server without the push path's checks, and put it in the
    feed like any other change."""
    with write_session(server.engine) as session:
        row = session.get(EntityRow, (entity, entity_id))
        assert row is not None
        row.version += 1
        row.data = {**row.data, **fields}
        row.field_versions = {**row.field_versions, **dict.fromkeys(fields, row.version)}
        log_change(session, changeset_id=None, origin_device_id=None, actor_id=None,
                   entity=entity, entity_id=entity_id, household_id=row.household_id,
                   op="update", version=row.version, fields=fields)


def server_insert(server: Server, entity: str, entity_id: str, household_id: str,
                  fields: dict[str, Any], created_by: str) -> None:
    with write_session(server.engine) as session:
        session.add(EntityRow(
            entity=entity, entity_id=entity_id, household_id=household_id, team_id=None,
            created_by=created_by, version=1, data=fields,
            field_versions=dict.fromkeys(fields, 1), field_origins={}, deleted=False,
            updated_at=utcnow()))
        session.flush()
        log_change(session, changeset_id=None, origin_device_id=None, actor_id=None,
                   entity=entity, entity_id=entity_id, household_id=household_id,
                   op="insert", version=1, fields=fields)
        recompute_access(session, household_id)


def persons_of(server: Server, household_id: str) -> list[str]:
    with Session(server.engine) as session:
        return list(session.scalars(select(EntityRow.entity_id).where(
            EntityRow.entity == "person", EntityRow.household_id == household_id)))


def test_a_poisoned_page_applies_the_good_records_and_quarantines_the_bad_ones(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    author: Laptop = make_laptop(account)
    good, _ = author.new_household("Huishouden Goed")
    spoiled, _ = author.new_household("Huishouden Straks Fout")
    author.sync_ok()
    laptop: Laptop = make_laptop(account)
    laptop.sync_ok()
    old_postcode = laptop.household(spoiled).address.postcode
    good_person = persons_of(server, good)[0]

    # One page: a good change, a JSON object as postcode (with another field in the same
    # change), a household with only a name and a person in it, another good change.
    server_update(server, "household", good, {"city": "Goedstad"})
    server_update(server, "household", spoiled, {"postcode": {"straat": "Geheimweg 1"},
                                                  "city": "Nieuwstad"})
    named_only = new_id()
    server_insert(server, "household", named_only, named_only,
                  {"name": "Huishouden Alleen Naam"}, account.id)
    orphan = new_id()
    server_insert(server, "person", orphan, named_only, {
        "household_id": named_only, "first_name": "Noor", "last_name": "Naamloos",
        "household_role": "hoofdbewoner"}, account.id)
    server_update(server, "person", good_person, {"first_name": "Bram"})
    arriving = new_id()  # a new household and a change of it, in the same page
    server_insert(server, "household", arriving, arriving,
                  {"name": "Huishouden Nieuw", **ADDRESS}, account.id)
    server_update(server, "household", arriving, {"wijk": "Later"})

    report = laptop.sync.sync_once()

    # The good records are in, the sync did not fail, and it does not claim plain success.
    assert not report.offline and report.pulled >= 2
    assert laptop.household(good).address.city == "Goedstad"
    with laptop.workspace.casefile.read() as session:
        person = session.get(PersonRecord, good_person)
        assert person is not None and person.first_name == "Bram"
    assert laptop.household(arriving).wijk == "Later"
    assert {good, arriving} <= report.changed_households
    assert report.quarantined == 3 and not report.ok
    assert report.error_codes == ["quarantine"]
    assert report.errors[0].startswith("Synchronisatie voltooid met 3 problemen")
    # The bad ones are set aside whole: the local copy keeps its last good state.
    spoiled_now = laptop.household(spoiled)
    assert spoiled_now.address.postcode == old_postcode
    assert spoiled_now.address.city != "Nieuwstad"
    assert not laptop.has_household(named_only)
    held = {(q.entity, q.entity_id): q for q in laptop.sync.quarantine()}
    assert set(held) == {("household", spoiled), ("household", named_only), ("person", orphan)}
    assert held[("household", spoiled)].reason == "schema"
    assert "household.postcode" in held[("household", spoiled)].problem
    assert "required field missing" in held[("household", named_only)].problem
    assert held[("person", orphan)].reason == "integrity"  # its household is not here
    for entry in held.values():  # a problem names the field, never the value
        for value in ("Geheimweg", "Nieuwstad", "Alleen Naam", "Noor", "Naamloos"):
            assert value not in entry.problem
    assert laptop.sync.status().quarantined == 3

    # Nothing new: still not plain success.
    again = laptop.sync.sync_once()
    assert again.quarantined == 3 and not again.ok and again.pulled == 0

    # A valid version of a quarantined record releases it, with the fields held meanwhile.
    server_update(server, "household", spoiled, {"postcode": "1234 AB"})
    fixed = laptop.sync.sync_once()
    assert fixed.quarantined == 2
    assert laptop.household(spoiled).address.postcode == "1234 AB"
    assert laptop.household(spoiled).address.city == "Nieuwstad"
    assert spoiled in fixed.changed_households

    # Completing the household releases it and then its person (tried again).
    server_update(server, "household", named_only, ADDRESS)
    complete = laptop.sync.sync_once()
    assert complete.ok, complete.errors
    assert complete.quarantined == 0 and laptop.sync.quarantine() == []
    assert laptop.has_household(named_only)
    with laptop.workspace.casefile.read() as session:
        assert session.get(PersonRecord, orphan) is not None
    assert laptop.sync.status().quarantined == 0


def test_a_new_laptop_pulls_everything_but_the_poisoned_household(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    author: Laptop = make_laptop(account)
    households = [author.new_household(f"Huishouden {n}")[0] for n in range(3)]
    author.sync_ok()
    server_update(server, "household", households[1], {"house_number": "zeven"})

    fresh: Laptop = make_laptop(account)
    report = fresh.sync.sync_once()

    assert fresh.has_household(households[0]) and fresh.has_household(households[2])
    assert not fresh.has_household(households[1])
    held = {(q.entity, q.reason) for q in fresh.sync.quarantine()}
    # The household itself, and its person and case, which need it.
    assert ("household", "schema") in held
    assert {entity for entity, _ in held} == {"household", "person", "case"}
    assert report.quarantined == len(fresh.sync.quarantine()) and not report.ok


def test_refusals_and_warnings_are_kept_with_their_verdicts(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """The server's refusal code and warnings stay with the verdict in the case file and are
    read back through `SyncService` (the window shows them)."""
    from wijkteam_app.persistence.schema import OutboxRecord
    from wijkteam_app.sync.engine import SyncEngine
    from wijkteam_app.sync.protocol import ChangeSetResult
    from wijkteam_app.sync.state import SyncReport
    from wijkteam_app.sync.transport import Transport

    laptop: Laptop = make_laptop(server.account(server.team()))
    household, _ = laptop.new_household("Huishouden Met Uitspraak")
    with laptop.workspace.casefile.read() as session:
        rows = list(session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)))
        first, second = [(r.id, r.seq, r.action) for r in rows[-2:]]
    with Transport(server.base_url) as transport:
        engine = SyncEngine(laptop.workspace.casefile, transport, actor_id=laptop.user_id)
        engine._record_verdicts([
            ChangeSetResult(id=first[0], device_seq=first[1], status="accepted",
                            warnings=["bsn_elsewhere"]),
            ChangeSetResult(id=second[0], device_seq=second[1], status="rejected",
                            reason="role_not_allowed"),
        ], {}, SyncReport())

    [refusal] = laptop.sync.refusals()
    assert (refusal.changeset_id, refusal.action, refusal.household_id, refusal.reason) == \
        (second[0], second[2], household, "role_not_allowed")
    [warning] = laptop.sync.warnings()
    assert (warning.changeset_id, warning.action, warning.household_id, warning.code) == \
        (first[0], first[2], household, "bsn_elsewhere")
    assert laptop.sync.status().rejected_changes == 1
