"""The first pull of a laptop in pages and batches (the next page fetched while one is
applied), resuming after a dropped connection, and the no-change sync being one request.
Real laptops against a real server process (SQLite and PostgreSQL)."""

from __future__ import annotations

import gc
import sys

import httpx
import pytest
from sqlalchemy import func, select, text

from tests.server.conftest import Server
from tests.sync.conftest import FaultyNetwork, Laptop
from wijkteam_app.persistence.schema import AuditRecord, HouseholdRecord, PersonRecord
from wijkteam_app.services.sync import SyncService
from wijkteam_app.sync import engine as engine_module


class DropsAfter(FaultyNetwork):
    """Drops the connection on the n-th pull request (the request never arrives)."""

    def __init__(self, pulls_before_drop: int) -> None:
        super().__init__()
        self.pulls_left = pulls_before_drop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/pull"):
            if self.pulls_left == 0:
                raise httpx.ConnectError("dropped (test)", request=request)
            self.pulls_left -= 1
        return super().handle_request(request)


def count(laptop: Laptop, record: type) -> int:
    with laptop.workspace.casefile.read() as session:
        return int(session.scalar(select(func.count()).select_from(record)) or 0)


def test_a_first_pull_in_pages_and_batches_resumes_after_a_dropped_connection(
        server: Server, make_laptop, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in (("APPLY_BATCH", 4), ("MIN_APPLY_BATCH", 2), ("MAX_APPLY_BATCH", 4)):
        monkeypatch.setattr(engine_module, name, value)
    account = server.account(server.team())
    author: Laptop = make_laptop(account)
    households = [author.new_household(f"Huishouden {n}")[0] for n in range(9)]
    author.sync_ok()

    laptop: Laptop = make_laptop(account)
    laptop.sync.close()
    laptop.net.close()
    laptop.net = DropsAfter(pulls_before_drop=3)
    laptop.sync = SyncService(laptop.workspace, http_transport=laptop.net, page_size=7)
    # While the pages are taken, no cyclic collection and short turns between threads (a
    # save from the window waits less); both as before once the pull ends, also by a drop.
    seen: list[tuple[bool, float]] = []
    take_page = engine_module.SyncEngine._take_page

    def watched(self, *args):  # type: ignore[no-untyped-def]
        seen.append((gc.isenabled(), sys.getswitchinterval()))
        return take_page(self, *args)

    monkeypatch.setattr(engine_module.SyncEngine, "_take_page", watched)
    before = sys.getswitchinterval()
    first = laptop.sync.sync_once()
    assert first.offline and not first.ok  # the connection dropped in the middle
    assert seen and all(not on and turn == engine_module.PULL_SWITCH_INTERVAL_S
                        for on, turn in seen)
    assert gc.isenabled() and sys.getswitchinterval() == before
    some = count(laptop, HouseholdRecord)
    assert 0 < some < 9  # the pages before the drop are in, each page whole
    with laptop.workspace.casefile.read() as session:
        cursor = session.execute(text("SELECT cursor FROM sync_state")).scalar()
    assert cursor

    laptop.net.pulls_left = 1_000
    second = laptop.sync.sync_once()
    assert second.ok, second.errors
    assert all(laptop.has_household(h) for h in households)
    assert count(laptop, HouseholdRecord) == 9 and count(laptop, PersonRecord) == 9
    # One audit entry per applied page, none per record.
    with laptop.workspace.casefile.read() as session:
        entries = session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action == "sync.ontvangen"))
    assert entries is not None and 2 <= entries < 9
    # The pulled transactions did not lower the durability of later saves.
    with laptop.workspace.casefile.read() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_sync_with_nothing_to_do_is_one_request(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    laptop: Laptop = make_laptop(account)
    other: Laptop = make_laptop(server.account(server.team()))  # (the directory: every device)
    laptop.new_household("Huishouden Stil")
    laptop.sync_ok()
    laptop.sync_ok()
    laptop.net.requests.clear()
    report = laptop.sync_ok()
    assert report.pulled == 0 and report.pushed == 0
    assert laptop.net.requests == [("GET", "/api/v1/sync/pull")]
    # Another team's work moves the feed on: still one request, and nothing arrives.
    other.new_household("Huishouden Elders")
    other.sync_ok()
    laptop.net.requests.clear()
    assert laptop.sync_ok().pulled == 0
    assert laptop.net.requests == [("GET", "/api/v1/sync/pull")]


def test_the_feed_is_gzipped_for_a_client_that_accepts_it(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    account = server.account(server.team())
    laptop: Laptop = make_laptop(account)
    for n in range(3):
        laptop.new_household(f"Huishouden Gzip {n}")
    laptop.sync_ok()
    token = laptop.sync._session_tokens().access_token()
    headers = {"Authorization": f"Bearer {token}"}
    with server.client() as client:
        packed = client.get("/api/v1/sync/pull", params={"cursor": 0},
                            headers={**headers, "Accept-Encoding": "gzip"})
        plain = client.get("/api/v1/sync/pull", params={"cursor": 0},
                           headers={**headers, "Accept-Encoding": "identity"})
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert packed.json() == plain.json()  # the same page (a page depends on the cursor only)
    assert len(packed.json()["items"]) >= 6
    assert packed.num_bytes_downloaded < len(plain.content) / 2  # what crossed the wire


def test_the_feed_is_zstd_packed_for_a_client_that_accepts_it(
        server: Server, make_laptop) -> None:  # type: ignore[no-untyped-def]
    """The laptop's httpx asks for zstd (the zstandard package is a dependency): the first
    pull's repetitive JSON packs better than with gzip's 32 KiB window."""
    import httpx

    assert "zstd" in httpx.Client().headers["accept-encoding"]  # what the laptop sends
    account = server.account(server.team())
    laptop: Laptop = make_laptop(account)
    for n in range(12):
        laptop.new_household(f"Huishouden Zstd {n}")
    laptop.sync_ok()
    token = laptop.sync._session_tokens().access_token()
    headers = {"Authorization": f"Bearer {token}"}
    with server.client() as client:
        packed = client.get("/api/v1/sync/pull", params={"cursor": 0},
                            headers={**headers, "Accept-Encoding": "gzip, deflate, zstd"})
        gzipped = client.get("/api/v1/sync/pull", params={"cursor": 0},
                             headers={**headers, "Accept-Encoding": "gzip, zstd;q=0"})
        plain = client.get("/api/v1/sync/pull", params={"cursor": 0},
                           headers={**headers, "Accept-Encoding": "identity"})
    assert packed.headers["content-encoding"] == "zstd"
    assert gzipped.headers["content-encoding"] == "gzip"  # q=0 refuses zstd
    assert packed.json() == gzipped.json() == plain.json()
    assert packed.num_bytes_downloaded < gzipped.num_bytes_downloaded < len(plain.content)
