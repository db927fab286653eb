"""Attachment bytes travel (real laptops, real server; SQLite and PostgreSQL): uploaded in
chunks after the metadata was accepted, resumed after a dropped connection without
duplicates, refused by the SHA-256 check when a chunk is corrupted (nothing wrong stored),
and downloaded into the other laptop's encrypted case file."""

from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.server.conftest import Server
from tests.sync.conftest import Laptop
from wijkteam_app.domain.ids import new_id
from wijkteam_app.errors import FileNotOnDevice
from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.schema import AttachmentBlobRecord, AttachmentRecord
from wijkteam_app.persistence.sync_schema import SyncUploadRecord
from wijkteam_app.services.plans import PlanService
from wijkteam_server.api.attachments import file_context, sealer
from wijkteam_server.models import Attachment
from wijkteam_server.settings import load_settings


def store_scan(laptop: Laptop, household_id: str, data: bytes) -> str:
    """A signed scan as the plan service stores it: metadata (synced) + bytes (local)."""
    attachment_id = new_id()
    with laptop.workspace.casefile.save(laptop.user_id, "bijlage.toevoegen", "bijlage",
                                        attachment_id) as ctx:
        ctx.session.add(AttachmentRecord(
            id=attachment_id, version=0, household_id=household_id,
            kind="ondertekende_scan", filename="scan.pdf", mime="application/pdf",
            sha256=hashlib.sha256(data).hexdigest(), size=len(data), created_at=utcnow()))
        ctx.session.flush()
        ctx.session.add(AttachmentBlobRecord(id=attachment_id, data=data))
    return attachment_id


def server_uploads(server: Server, attachment_id: str) -> list[Attachment]:
    with Session(server.engine) as session:
        rows = list(session.scalars(select(Attachment).where(Attachment.id == attachment_id)))
        for row in rows:
            session.expunge(row)
        return rows


def upload_state(laptop: Laptop, attachment_id: str) -> str | None:
    with laptop.workspace.casefile.read() as session:
        row = session.get(SyncUploadRecord, attachment_id)
        return row.status if row is not None else None


@pytest.fixture
def pair(server: Server, make_laptop):  # type: ignore[no-untyped-def]
    team = server.team()
    worker = make_laptop(server.account(team))
    coach = make_laptop(server.account(team, "teamcoach"))
    hh, _case = worker.new_household("Huishouden Bijlage")
    worker.sync_ok()
    coach.sync_ok()
    assert coach.has_household(hh)
    return worker, coach, hh


def test_an_interrupted_upload_resumes_without_duplicates(server: Server, pair) -> None:  # type: ignore[no-untyped-def]
    worker, coach, hh = pair
    data = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024 + 777)  # three chunks of 1 MiB
    attachment_id = store_scan(worker, hh, data)

    worker.net.drop_chunks_after = 1  # the connection drops after the first chunk
    report = worker.sync.sync_once()
    assert report.offline and report.uploaded == 0
    [row] = server_uploads(server, attachment_id)
    assert row.status == "uploading" and row.received_chunks == [0]
    assert upload_state(worker, attachment_id) == "uploading"
    coach.sync_ok()  # metadata is there, the bytes are not complete yet: no error
    with pytest.raises(FileNotOnDevice):
        PlanService(coach.workspace).file(attachment_id)

    worker.net.drop_chunks_after = None
    sent_before = worker.net.chunk_puts
    assert worker.sync_ok().uploaded == 1
    assert worker.net.chunk_puts - sent_before == 2  # only the missing chunks
    [row] = server_uploads(server, attachment_id)
    assert row.status == "complete" and row.received_chunks == [0, 1, 2]
    stored = server.data_dir / "attachments" / f"{attachment_id}.bin"
    assert data[:4096] not in stored.read_bytes()  # encrypted at rest (test_server_at_rest)
    settings = load_settings(server.data_dir)
    assert sealer(settings).read_bytes(stored, file_context(attachment_id)) == data
    assert not (server.data_dir / "attachments" / f"{attachment_id}.parts").exists()
    assert upload_state(worker, attachment_id) == "complete"
    assert worker.sync_ok().uploaded == 0  # nothing queued any more

    assert coach.sync_ok().downloaded == 1
    assert PlanService(coach.workspace).file(attachment_id).data == data
    assert coach.sync_ok().downloaded == 0
    assert server_uploads(server, attachment_id)[0].status == "complete"


def test_a_corrupted_chunk_is_refused_and_nothing_wrong_is_stored(
        server: Server, pair) -> None:  # type: ignore[no-untyped-def]
    worker, coach, hh = pair
    data = b"%PDF-1.4\n" + os.urandom(1024 * 1024 + 99)
    attachment_id = store_scan(worker, hh, data)

    worker.net.corrupt_chunks = True
    report = worker.sync.sync_once()
    assert not report.ok and "attachment_upload" in report.error_codes
    assert report.uploaded == 0 and report.rejected == 0
    [row] = server_uploads(server, attachment_id)
    assert row.status == "uploading" and row.received_chunks == []
    assert not (server.data_dir / "attachments" / f"{attachment_id}.bin").exists()
    assert upload_state(worker, attachment_id) == "uploading"
    assert PlanService(worker.workspace).file(attachment_id).data == data  # kept here

    coach.sync_ok()
    with pytest.raises(FileNotOnDevice):
        PlanService(coach.workspace).file(attachment_id)

    worker.net.corrupt_chunks = False
    assert worker.sync_ok().uploaded == 1
    assert coach.sync_ok().downloaded == 1
    assert PlanService(coach.workspace).file(attachment_id).data == data
