"""Property: several laptops doing random edits, offline periods, syncs and resolutions in
random order always converge, and every edit is either applied on the server or held in a
conflict (nothing is lost, nothing silently overwritten). One server process for the whole
machine (the session's server, SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import factories
from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.persistence.schema import OutboxRecord, PersonRecord
from wijkteam_app.sync.transport import SyncError
from wijkteam_server.models import ChangeLog, EntityRow
from wijkteam_server.models import Conflict as ConflictRow

FIELDS = ("name", "street", "city", "wijk")
CLIENTS = 3


class Replicas(RuleBasedStateMachine):
    server: Server
    root: Path
    counter = itertools.count(1)

    def __init__(self) -> None:
        super().__init__()
        team = self.server.team()
        regisseur = self.server.account(team)
        colleague = self.server.account(team)
        coach = self.server.account(team, "teamcoach")
        self.laptops = [Laptop(self.root, self.server, a) for a in (regisseur, colleague, coach)]
        self.household, _case = self.laptops[0].new_household(
            "Huishouden Eigenschap", case_team=(colleague.id,))
        for laptop in self.laptops:
            laptop.sync_ok()
        # (laptop index, change-set id, entity, record id, field, value)
        self.edits: list[tuple[int, str, str, str, str, str]] = []

    def _last_changeset(self, laptop: Laptop) -> str:
        with laptop.workspace.casefile.read() as session:
            row = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
            assert row is not None
            return row.id

    @rule(client=st.integers(0, CLIENTS - 1), field=st.sampled_from(FIELDS))
    def edit(self, client: int, field: str) -> None:
        laptop = self.laptops[client]
        value = f"{field}-{client}-{next(self.counter)}"
        laptop.edit(self.household, **{field: value})
        self.edits.append((client, self._last_changeset(laptop), "household", self.household,
                           field, value))

    @rule(client=st.integers(0, CLIENTS - 1))
    def add_person(self, client: int) -> None:
        laptop = self.laptops[client]
        person = factories.person(self.household, first=f"Persoon{next(self.counter)}")
        laptop.households.save_person(person)

    @rule(client=st.integers(0, CLIENTS - 1))
    def toggle_network(self, client: int) -> None:
        laptop = self.laptops[client]
        laptop.net.offline = not laptop.net.offline

    @rule(client=st.integers(0, CLIENTS - 1))
    def sync(self, client: int) -> None:
        laptop = self.laptops[client]
        report = laptop.sync.sync_once()
        assert report.ok or (report.offline and laptop.net.offline), report.errors

    @rule(client=st.integers(0, CLIENTS - 1), choice=st.sampled_from(["mine", "theirs", "value"]))
    def resolve(self, client: int, choice: str) -> None:
        laptop = self.laptops[client]
        if laptop.net.offline:
            return
        conflicts = laptop.sync.conflicts()
        if not conflicts:
            return
        value = f"gekozen-{next(self.counter)}"
        # Resolved by someone else meanwhile (409): the next sync shows it.
        with contextlib.suppress(SyncError):
            laptop.sync.resolve(conflicts[0].id, value, choice)  # type: ignore[arg-type]

    def teardown(self) -> None:
        try:
            for laptop in self.laptops:
                laptop.net.offline = False
            for _round in range(3):
                for laptop in self.laptops:
                    laptop.sync_ok()
            self._check()
        finally:
            for laptop in self.laptops:
                laptop.close()

    def _check(self) -> None:
        with Session(self.server.engine) as session:
            household = session.get(EntityRow, ("household", self.household))
            assert household is not None
            expected = {f: household.data.get(f) for f in FIELDS}
            persons = {r.entity_id: r.data.get("first_name") for r in session.scalars(
                select(EntityRow).where(EntityRow.entity == "person",
                                        EntityRow.household_id == self.household,
                                        EntityRow.deleted.is_(False)))}
            for _client, changeset, entity, record_id, field, value in self.edits:
                applied = any(
                    log.fields.get(field) == value for log in session.scalars(
                        select(ChangeLog).where(ChangeLog.changeset_id == changeset,
                                                ChangeLog.entity_id == record_id)))
                held = session.scalar(select(ConflictRow).where(
                    ConflictRow.mine_changeset_id == changeset, ConflictRow.field == field,
                    ConflictRow.entity == entity)) is not None
                assert applied or held, (field, value)
        for laptop in self.laptops:
            shown = laptop.household(self.household)
            local = {"name": shown.name, "street": shown.address.street,
                     "city": shown.address.city, "wijk": shown.wijk}
            assert local == expected
            with laptop.workspace.casefile.read() as session:
                mine = {p.id: p.first_name for p in session.scalars(select(PersonRecord).where(
                    PersonRecord.household_id == self.household))}
            assert mine == persons
            assert laptop.sync.status().pending_changes == 0


def test_replicas_converge_and_nothing_is_lost(server: Server, tmp_path: Path) -> None:
    Replicas.server = server
    Replicas.root = tmp_path
    run_state_machine_as_test(Replicas, settings=settings(
        max_examples=15, stateful_step_count=20, deadline=None,
        suppress_health_check=list(HealthCheck)))
