"""Real laptops (case files, services) against a real `wijkteam-server` process on loopback.

The server and PostgreSQL fixtures are the ones of `tests/server` (imported here, so each
directory gets its own session-wide server per database). Laptops are in-process workspaces
with the in-memory keyring of `tests/conftest.py`; `test_cli_sync.py` uses the real command
and the real Secret Service.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers import factories
from tests.server.conftest import Account, Server, postgres_url, server  # noqa: F401
from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Household
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.schema import HouseholdRecord
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import LocalIdentity, Workspace, init_profile, unlock
from wijkteam_app.services.sync import SyncService
from wijkteam_app.sync.state import SyncReport


class FaultyNetwork(httpx.BaseTransport):
    """A real HTTP transport with switches: offline, and "lose the next answer" (the
    request reaches the server and is processed; the laptop never sees the response)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.offline = False
        self.lose_next: set[str] = set()  # path suffixes, e.g. "/sync/push"
        self.requests: list[tuple[str, str]] = []
        self.chunk_puts = 0  # attachment chunks that went out
        self.drop_chunks_after: int | None = None  # then the connection drops on every chunk
        self.corrupt_chunks = False  # flip a byte of every chunk on the way

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if self.offline:
            raise httpx.ConnectError("offline (test)", request=request)
        if request.method == "PUT" and "/chunks/" in request.url.path:
            if self.drop_chunks_after is not None and self.chunk_puts >= self.drop_chunks_after:
                raise httpx.WriteError("connection dropped (test)", request=request)
            self.chunk_puts += 1
            if self.corrupt_chunks:
                body = bytearray(request.read())
                body[0] ^= 0xFF
                request = httpx.Request(request.method, request.url, headers=request.headers,
                                        content=bytes(body))
        response = self.inner.handle_request(request)
        for suffix in list(self.lose_next):
            if request.url.path.endswith(suffix):
                self.lose_next.discard(suffix)
                response.read()
                response.close()
                raise httpx.ReadError("answer lost (test)", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


_names = itertools.count(1)


class Laptop:
    """One worker's laptop: a real, encrypted case file and the real services."""

    def __init__(self, root: Path, srv: Server, account: Account | None,
                 login: bool = True) -> None:
        self.paths = ProfilePaths(root / f"laptop-{next(_names)}")
        init_profile(self.paths, PASSPHRASE, LocalIdentity(), kdf=FAST_KDF)
        self.server = srv
        self.account = account
        self.net = FaultyNetwork()
        self.workspace: Workspace = unlock(self.paths, PASSPHRASE)
        self.sync = SyncService(self.workspace, http_transport=self.net)
        self.households = HouseholdService(self.workspace)
        if login and account is not None:
            self.sync.login(srv.base_url, account.username, account.password)

    @property
    def user_id(self) -> str:
        return self.workspace.worker.id

    @property
    def team_id(self) -> str:
        return self.workspace.team.id

    def sync_ok(self) -> SyncReport:
        report = self.sync.sync_once()
        assert report.ok, report.errors
        return report

    def new_household(self, name: str = "Huishouden Proefmans",
                      case_team: tuple[str, ...] = ()) -> tuple[str, str]:
        household = factories.household(name)
        member = factories.person(household.id)
        self.households.create(household, [member])
        case = Case(new_id(), household.id, self.team_id, self.user_id,
                    CaseStatus.AANGEMELD, ReferralSource.HUISARTS, date(2026, 1, 5),
                    case_team_ids=case_team)
        self.households.save_case(case)
        return household.id, case.id

    def household(self, household_id: str) -> Household:
        return self.households.get(household_id).household

    def edit(self, household_id: str, **changes: str) -> None:
        current = self.household(household_id)
        address = current.address
        address_fields = {k: v for k, v in changes.items() if k in ("street", "city")}
        other = {k: v for k, v in changes.items() if k not in address_fields}
        self.households.update(replace(current, address=replace(address, **address_fields),
                                       **other))

    def has_household(self, household_id: str) -> bool:
        with self.workspace.casefile.read() as session:
            return session.get(HouseholdRecord, household_id) is not None

    def close(self) -> None:
        self.sync.close()
        if not self.sync.wiped:
            self.workspace.close()
        self.net.close()


@pytest.fixture
def laptops(tmp_path: Path, server: Server) -> Iterator[list[Laptop]]:  # noqa: F811
    made: list[Laptop] = []
    yield made
    for laptop in made:
        laptop.close()


@pytest.fixture
def make_laptop(tmp_path: Path, server: Server, laptops: list[Laptop]):  # type: ignore[no-untyped-def]  # noqa: F811
    def make(account: Account | None, login: bool = True) -> Laptop:
        laptop = Laptop(tmp_path, server, account, login)
        laptops.append(laptop)
        return laptop
    return make
