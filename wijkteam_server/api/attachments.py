"""Chunked, resumable attachment upload verified by SHA-256 (e.g. signed plan scans).

1. ``POST /attachments`` announces the upload of an ``attachment`` record (pushed before) by
   its id, with household, name, size and SHA-256, which must match that record; the upload
   gets the record's id, and announcing it again returns its state (to resume). The answer
   gives the chunk size and count.
2. ``PUT /attachments/{id}/chunks/{index}`` sends each chunk (raw bytes; every chunk but the
   last is exactly ``chunk_size``). Chunks may come in any order and may be resent.
3. ``POST /attachments/{id}/complete`` joins the chunks, checks size and SHA-256 and only then
   marks the attachment complete. A mismatch discards the chunks.
Files live in ``<data dir>/attachments/`` under the attachment record's id (a UUID checked by
the protocol model), never a client file name. Everything is scoped by the household.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response
from fastapi.responses import FileResponse

from wijkteam_app.sync.protocol import AttachmentCreate, AttachmentInfo
from wijkteam_server.api.deps import (
    AUTH_ERRORS,
    CONFLICT,
    NOT_FOUND,
    CallerDep,
    EngineDep,
    SettingsDep,
    _doc,
)
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.errors import ApiError, not_found
from wijkteam_server.models import Attachment, EntityRow
from wijkteam_server.scope import in_scope
from wijkteam_server.settings import Settings

router = APIRouter(prefix="/attachments", tags=["attachments"])

IdPath = Annotated[str, Path(min_length=1, max_length=36)]
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: _doc("Invalid chunk, incomplete upload or SHA-256 mismatch."),
}


def _chunk_count(size: int, chunk_size: int) -> int:
    return math.ceil(size / chunk_size)


def _info(row: Attachment) -> AttachmentInfo:
    return AttachmentInfo(id=row.id, household_id=row.household_id, filename=row.filename,
                          content_type=row.content_type, size=row.size, sha256=row.sha256,
                          chunk_size=row.chunk_size,
                          chunk_count=_chunk_count(row.size, row.chunk_size),
                          received_chunks=sorted(row.received_chunks),
                          status=row.status)  # type: ignore[arg-type]


def _parts_dir(settings: Settings, attachment_id: str) -> FsPath:
    return settings.attachments_dir / f"{attachment_id}.parts"


def _final_path(settings: Settings, attachment_id: str) -> FsPath:
    return settings.attachments_dir / f"{attachment_id}.bin"


def _visible(caller: CallerDep, engine: EngineDep, attachment_id: str) -> Attachment:
    with read_session(engine) as session:
        row = session.get(Attachment, attachment_id)
        if row is None or not in_scope(session, caller.user, row.household_id):
            raise not_found()
        session.expunge(row)
        return row


@router.post("", response_model=AttachmentInfo, status_code=201,
             responses={**AUTH_ERRORS, **NOT_FOUND, **BAD_REQUEST,
                        200: {"model": AttachmentInfo,
                              "description": "Announced before: the upload as it stands."}},
             summary="Announce (or resume) the upload of an attachment record's bytes")
def create(body: AttachmentCreate, caller: CallerDep, settings: SettingsDep,
           engine: EngineDep, response: Response) -> AttachmentInfo:
    with write_session(engine) as session:
        user, device = caller.load(session)
        record = session.get(EntityRow, ("attachment", body.attachment_id))
        if record is None or record.deleted or not in_scope(session, user,
                                                             record.household_id):
            raise not_found()  # unknown and out of scope look the same
        if (record.household_id != body.household_id
                or record.data.get("size") != body.size
                or record.data.get("sha256") != body.sha256):
            raise ApiError(400, "attachment_mismatch")
        row = session.get(Attachment, body.attachment_id)
        if row is not None:  # announced before: resume where it stands
            response.status_code = 200
            return _info(row)
        row = Attachment(id=body.attachment_id, household_id=body.household_id,
                         filename=body.filename, content_type=body.content_type,
                         size=body.size, sha256=body.sha256,
                         chunk_size=settings.attachment_chunk_size, received_chunks=[],
                         status="uploading", uploaded_by=user.id, device_id=device.id,
                         created_at=utcnow(), completed_at=None)
        session.add(row)
        session.flush()
        _parts_dir(settings, row.id).mkdir(parents=True, exist_ok=True)
        return _info(row)


@router.put("/{attachment_id}/chunks/{index}", response_model=AttachmentInfo,
            responses={**AUTH_ERRORS, **NOT_FOUND, **CONFLICT, **BAD_REQUEST},
            summary="Upload one chunk (raw bytes)")
def put_chunk(attachment_id: IdPath, index: Annotated[int, Path(ge=0, le=100_000)],
              caller: CallerDep, settings: SettingsDep, engine: EngineDep,
              data: Annotated[bytes, Body(media_type="application/octet-stream")] = b"",
              ) -> AttachmentInfo:
    row = _visible(caller, engine, attachment_id)
    if row.status != "uploading":
        raise ApiError(409, "already_resolved")
    count = _chunk_count(row.size, row.chunk_size)
    if index >= count:
        raise ApiError(400, "invalid_chunk")
    expected = row.chunk_size if index < count - 1 else row.size - row.chunk_size * (count - 1)
    if len(data) != expected:
        raise ApiError(400, "invalid_chunk")
    parts = _parts_dir(settings, row.id)
    parts.mkdir(parents=True, exist_ok=True)
    tmp = parts / f"{index}.tmp"
    tmp.write_bytes(data)
    tmp.replace(parts / str(index))
    with write_session(engine) as session:
        fresh = session.get(Attachment, row.id)
        assert fresh is not None
        if index not in fresh.received_chunks:
            fresh.received_chunks = sorted({*fresh.received_chunks, index})
        return _info(fresh)


@router.post("/{attachment_id}/complete", response_model=AttachmentInfo,
             responses={**AUTH_ERRORS, **NOT_FOUND, **BAD_REQUEST},
             summary="Join the chunks and verify size and SHA-256")
def complete(attachment_id: IdPath, caller: CallerDep, settings: SettingsDep,
             engine: EngineDep) -> AttachmentInfo:
    row = _visible(caller, engine, attachment_id)
    if row.status == "complete":
        return _info(row)
    count = _chunk_count(row.size, row.chunk_size)
    if sorted(row.received_chunks) != list(range(count)):
        raise ApiError(400, "upload_incomplete")
    parts = _parts_dir(settings, row.id)
    final = _final_path(settings, row.id)
    tmp = final.with_suffix(".tmp")
    digest = hashlib.sha256()
    size = 0
    with tmp.open("wb") as out:
        for index in range(count):
            chunk = (parts / str(index)).read_bytes()
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != row.size or digest.hexdigest() != row.sha256:
        tmp.unlink()
        shutil.rmtree(parts, ignore_errors=True)
        with write_session(engine) as session:
            fresh = session.get(Attachment, row.id)
            assert fresh is not None
            fresh.received_chunks = []
        raise ApiError(400, "checksum_mismatch")
    tmp.replace(final)
    shutil.rmtree(parts, ignore_errors=True)
    with write_session(engine) as session:
        fresh = session.get(Attachment, row.id)
        assert fresh is not None
        fresh.status = "complete"
        fresh.completed_at = utcnow()
        return _info(fresh)


@router.get("/{attachment_id}", response_model=AttachmentInfo,
            responses={**AUTH_ERRORS, **NOT_FOUND}, summary="Upload state of an attachment")
def get(attachment_id: IdPath, caller: CallerDep, engine: EngineDep) -> AttachmentInfo:
    return _info(_visible(caller, engine, attachment_id))


@router.get("/{attachment_id}/content", response_class=Response,
            responses={**AUTH_ERRORS, **NOT_FOUND, **CONFLICT,
                       200: {"content": {"application/octet-stream": {}},
                             "description": "The verified file."}},
            summary="Download a complete attachment")
def content(attachment_id: IdPath, caller: CallerDep, settings: SettingsDep,
            engine: EngineDep) -> Response:
    row = _visible(caller, engine, attachment_id)
    if row.status != "complete":
        raise ApiError(409, "upload_incomplete")
    return FileResponse(_final_path(settings, row.id), media_type="application/octet-stream",
                        headers={"X-Content-SHA256": row.sha256})
