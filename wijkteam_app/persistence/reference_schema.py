"""ORM tables of the municipality's reference data as this case file caches it (see
docs/sync-protocol.md, "Reference data"): the server's `ReferenceBundle`, written by the sync
engine in one transaction whenever the server announces another version.

None of these is an `Entity`: they are the server's, never changed on this laptop, and never
enter the outbox. A profile that never logged in to a server has no rows here; it uses the
shipped sample kaart and its own (local) mandates and settings instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_app.persistence.schema import Base


class ReferenceStateRecord(Base):
    """The one row (``id`` = 1): which bundle version is cached, from which server, and the
    parts that are not lists (municipality name, logo, settings)."""

    __tablename__ = "reference_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[str] = mapped_column(String(64))
    server_url: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime]  # when the server changed it
    fetched_at: Mapped[datetime]  # when this laptop stored it
    municipality_name: Mapped[str] = mapped_column(String(200))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReferenceMandateRecord(Base):
    """A worker's mandate as the municipality set it."""

    __tablename__ = "reference_mandates"
    worker_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    max_amount_cents: Mapped[int] = mapped_column(Integer)
    product_codes: Mapped[list[str]] = mapped_column(JSON)


class ReferenceProvisionRecord(Base):
    """One provision of the municipality's sociale kaart (the fields of ``Provision``)."""

    __tablename__ = "reference_provisions"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(32))
    wijken: Mapped[list[str]] = mapped_column(JSON)
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    within_mandate: Mapped[bool] = mapped_column(Boolean)
    product_code: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(300))


class ReferenceInstrumentTextRecord(Base):
    """A licensed instrument text (``key``: ``<item>.help`` or ``<item>.<level>``)."""

    __tablename__ = "reference_instrument_texts"
    definition_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition_version: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
