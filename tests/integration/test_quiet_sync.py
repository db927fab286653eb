"""A sync with nothing new, with a stand-in transport: the conflict count the server sends
with an empty page is stored (by the run's last write), a count the laptop then mirrors from
the server's list wins, and a reference version the laptop already holds costs no request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import func, select

from wijkteam_app.persistence.reference_schema import ReferenceStateRecord
from wijkteam_app.persistence.schema import OutboxRecord
from wijkteam_app.persistence.sync_schema import SyncStateRecord
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.engine import SyncEngine
from wijkteam_app.sync.protocol import ConflictList, PullResponse
from wijkteam_app.sync.state import SyncReport
from wijkteam_app.sync.transport import Transport


class QuietServer:
    """Answers every pull with an empty page; counts what it is asked."""

    base_url = "https://wijkteam.voorbeeldstad.nl"

    def __init__(self, open_conflicts: int) -> None:
        self.open_conflicts = open_conflicts
        self.last_reference_version: str | None = None
        self.pulls: list[int] = []
        self.asked: list[str] = []

    def pull_bytes(self, cursor: int, _limit: int) -> bytes:
        self.pulls.append(cursor)
        return b""

    def parse_pull(self, _raw: bytes) -> PullResponse:
        cursor = self.pulls[-1]
        self.last_reference_version = "v1"
        return PullResponse(items=[], next_cursor=cursor, has_more=False,
                            removed_households=[], open_conflicts=self.open_conflicts,
                            reference_version="v1")

    def conflicts(self, _status: str) -> ConflictList:
        self.asked.append("conflicts")
        return ConflictList(conflicts=[])

    def reference(self, _cached: str | None) -> Any:
        self.asked.append("reference")
        raise AssertionError("the cached version is the announced one")


def logged_in(ws: Workspace, *, open_conflicts: int) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with ws.casefile.read() as session:
        sent = session.scalar(select(func.max(OutboxRecord.seq))) or 0  # nothing to push
        session.add(SyncStateRecord(
            id=1, server_url=QuietServer.base_url, user_id=ws.worker.id, username="w",
            display_name="W", role="wijkwerker", team_id=ws.team.id, team_name="T",
            logged_in=True, cursor=41, pushed_seq=sent, open_conflicts=open_conflicts))
        session.add(ReferenceStateRecord(
            id=1, version="v1", server_url=QuietServer.base_url, updated_at=now,
            fetched_at=now, municipality_name="Gemeente Proef", logo=None, logo_type=None,
            settings={}))


def stored_count(ws: Workspace) -> int:
    with ws.casefile.read() as session:
        state = session.get(SyncStateRecord, 1)
        assert state is not None
        return state.open_conflicts


def sync(ws: Workspace, server: QuietServer) -> SyncReport:
    engine = SyncEngine(ws.casefile, cast(Transport, server), actor_id=ws.actor_id)
    report = SyncReport()
    engine.run(report)
    return report


def test_an_empty_page_stores_the_servers_conflict_count(workspace: Workspace) -> None:
    logged_in(workspace, open_conflicts=3)  # resolved on the server meanwhile
    server = QuietServer(open_conflicts=0)
    report = sync(workspace, server)
    assert server.pulls == [41]
    assert report.open_conflicts == 0 and stored_count(workspace) == 0
    assert server.asked == []  # nothing to mirror, the reference data is current


def test_the_mirrored_conflict_list_wins_over_the_pages_count(workspace: Workspace) -> None:
    logged_in(workspace, open_conflicts=0)
    server = QuietServer(open_conflicts=2)  # the page says 2, the list shows none (left scope)
    report = sync(workspace, server)
    assert server.asked == ["conflicts"]
    assert report.open_conflicts == 0 and stored_count(workspace) == 0

