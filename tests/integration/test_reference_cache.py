"""The case file's cache of the municipality's reference data, with a stand-in transport:
a new bundle replaces the old one as a whole; a bundle that cannot be fetched or stored is
reported, and the previous one stays in use."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from wijkteam_app.persistence.reference_schema import (
    ReferenceMandateRecord,
    ReferenceProvisionRecord,
)
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.engine import REFERENCE_FAILED, SyncEngine
from wijkteam_app.sync.protocol import (
    Municipality,
    ReferenceBundle,
    SocialeKaartItem,
    WorkerMandate,
)
from wijkteam_app.sync.reference import cached_version
from wijkteam_app.sync.state import SyncReport
from wijkteam_app.sync.transport import ServerUnavailable


class StubTransport:
    base_url = "https://wijkteam.voorbeeldstad.nl"

    def __init__(self, answer: ReferenceBundle | Exception | None) -> None:
        self.answer = answer
        self.last_reference_version: str | None = (
            answer.version if isinstance(answer, ReferenceBundle) else "nieuw")
        self.asked_with: list[str | None] = []

    def reference(self, cached: str | None) -> ReferenceBundle | None:
        self.asked_with.append(cached)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def bundle(version: str, **changes: Any) -> ReferenceBundle:
    values: dict[str, Any] = {
        "version": version, "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
        "municipality": Municipality(name="Gemeente Proef"),
        "settings": {"idle_lock_minutes": 5, "bsn_op_plan": False},
        "mandates": [WorkerMandate(worker_id="w1", max_amount_cents=100,
                                   product_codes=["A"])],
        "sociale_kaart": [SocialeKaartItem(id="p1", name="Inloop", provider="Welzijn",
                                           level="algemeen")],
        "instrument_texts": [],
        **changes,
    }
    return ReferenceBundle(**values)


def run(workspace: Workspace, transport: StubTransport) -> SyncReport:
    engine = SyncEngine(workspace.casefile, transport,  # type: ignore[arg-type]
                        actor_id=workspace.actor_id)
    report = SyncReport()
    engine.sync_reference(report)
    return report


def test_a_new_bundle_replaces_the_old_one_as_a_whole(workspace: Workspace) -> None:
    assert run(workspace, StubTransport(bundle("v1"))).reference_updated
    second = bundle("v2", mandates=[], sociale_kaart=[])
    transport = StubTransport(second)
    assert run(workspace, transport).reference_updated
    assert transport.asked_with == ["v1"]  # If-None-Match: the cached version
    with workspace.casefile.read() as session:
        assert cached_version(session) == "v2"
        assert session.scalar(select(func.count()).select_from(ReferenceMandateRecord)) == 0
        assert session.scalar(select(func.count()).select_from(ReferenceProvisionRecord)) == 0
    # The same version announced again: no request at all.
    again = StubTransport(second)
    assert not run(workspace, again).reference_updated and again.asked_with == []


def test_a_bundle_that_cannot_be_fetched_or_stored_keeps_the_previous_one(
        workspace: Workspace) -> None:
    run(workspace, StubTransport(bundle("v1")))
    down = run(workspace, StubTransport(ServerUnavailable("http_500")))
    assert down.errors == [REFERENCE_FAILED] and not down.reference_updated
    broken = bundle("v3", municipality=Municipality(name="X", logo_base64="abc",
                                                    logo_type="image/png"))
    bad = run(workspace, StubTransport(broken))
    assert bad.errors == [REFERENCE_FAILED]
    duplicate = bundle("v4", mandates=[
        WorkerMandate(worker_id="w1", max_amount_cents=1, product_codes=[]),
        WorkerMandate(worker_id="w1", max_amount_cents=2, product_codes=[])])
    assert run(workspace, StubTransport(duplicate)).errors == [REFERENCE_FAILED]
    with workspace.casefile.read() as session:
        assert cached_version(session) == "v1"
