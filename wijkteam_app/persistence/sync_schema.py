"""ORM tables of the sync client (see docs/sync-protocol.md, "Laptop side").

None of these is an `Entity`: they describe how far this case file is synchronised, never a
case record, so nothing here enters the outbox or the change tracker. Tokens are NOT stored
here (they live in the OS credential store, `security/tokens.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_app.persistence.schema import Base


class SyncStateRecord(Base):
    """The one row (``id`` = 1) saying which server this case file syncs with, as whom, and
    how far the feed was applied. ``download_pending``: an attachment may still lack its bytes
    (set when attachment records arrive, cleared when a sync found none missing), so a sync
    with nothing to do need not look at every attachment.

    ``pushed_seq`` is the highest device sequence the server confirmed (``last_device_seq``);
    ``cursor`` the feed position after the last applied page. ``local_worker_id`` and
    ``local_team_id`` remember the identity `wijkteam init` made, replaced by the server's on
    the first login.
    """

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    server_url: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[str] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(String(36))
    team_name: Mapped[str] = mapped_column(String(200))
    logged_in: Mapped[bool] = mapped_column(Boolean, default=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    pushed_seq: Mapped[int] = mapped_column(Integer, default=0)
    open_conflicts: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(64))
    download_pending: Mapped[bool] = mapped_column(Boolean, default=True,
                                                   server_default=true())
    local_worker_id: Mapped[str | None] = mapped_column(String(36))
    local_team_id: Mapped[str | None] = mapped_column(String(36))


class SyncRecordVersion(Base):
    """The last SERVER version applied per record, apart from the record's local version
    counter (which moves on with every offline save). ``deleted``: the server's record is a
    tombstone; the local copy goes once no local change of it is pending."""

    __tablename__ = "sync_record_versions"
    __table_args__ = (Index("ix_sync_record_versions_household", "household_id"),)
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36))
    server_version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncVerdictRecord(Base):
    """The server's verdict on one pushed outbox change-set (accepted / conflict /
    rejected), and the changes protocol 1 cannot carry yet, which stay on this laptop
    (``held``: a list of ``[entity, id]``). ``reason`` is the refusal code of a rejected
    change-set (`sync.authority.Refusal`), ``warnings`` the codes the server attached to
    accepted work (`sync.authority.Warning_`, e.g. ``bsn_elsewhere``)."""

    __tablename__ = "sync_verdicts"
    changeset_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(String(64))
    conflict_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    held: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list,
                                                server_default=text("'[]'"))
    received_at: Mapped[datetime]


class SyncConflictRecord(Base):
    """A conflict the server holds for a household in my scope: base, mine and theirs with
    who and when, until a person chooses. ``needs_refresh``: the household's server state
    must be fetched again, because the local copy still shows "mine"."""

    __tablename__ = "sync_conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    base: Mapped[Any] = mapped_column(JSON, nullable=True)
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    mine_actor_id: Mapped[str | None] = mapped_column(String(36))
    mine_device_id: Mapped[str | None] = mapped_column(String(36))
    mine_at: Mapped[datetime | None]
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs_actor_id: Mapped[str | None] = mapped_column(String(36))
    theirs_device_id: Mapped[str | None] = mapped_column(String(36))
    theirs_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    resolved_by: Mapped[str | None] = mapped_column(String(36))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[Any] = mapped_column(JSON, nullable=True)
    needs_refresh: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncRemovalRecord(Base):
    """A household that left this device's scope; it is removed from the case file only
    after every local change of it was accepted by the server."""

    __tablename__ = "sync_removals"
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    told_at: Mapped[datetime]
    told_cursor: Mapped[int] = mapped_column(Integer)
    blocked_reason: Mapped[str | None] = mapped_column(String(64))


class SyncUploadRecord(Base):
    """An attachment (signed scan) waiting to be uploaded in chunks, verified by SHA-256.
    ``server_id`` is set once the server announced the upload; ``received_chunks`` lets an
    interrupted upload resume."""

    __tablename__ = "sync_uploads"
    attachment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36))
    server_id: Mapped[str | None] = mapped_column(String(36))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    chunk_size: Mapped[int | None] = mapped_column(Integer)
    received_chunks: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncQuarantineRecord(Base):
    """A pulled record this laptop could not apply (a value that does not fit the shared
    schema, content that does not decode, a broken reference, any other error), set aside
    instead of failing the whole sync or being silently skipped. One row per record: a later
    delivery of the same record is merged into ``item`` and tried again; once it applies, the
    row goes. ``problem`` is a short English description that never contains the value;
    ``item`` is the feed item as received (inside the encrypted case file)."""

    __tablename__ = "sync_quarantine"
    __table_args__ = (Index("ix_sync_quarantine_household", "household_id"),
                      Index("ix_sync_quarantine_entity_id", "entity_id"))
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36))
    server_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    problem: Mapped[str] = mapped_column(String(200))
    item: Mapped[dict[str, Any]] = mapped_column(JSON)
    quarantined_at: Mapped[datetime]
