"""Reference data: what the municipality owns and every laptop needs offline.

Mandates, the sociale kaart, licensed instrument texts, the municipality's name and logo and
the municipal settings are published together as one `ReferenceBundle` (``GET /reference``).
Its ``version`` is a random value that `bump` replaces in the same transaction as any change
to any of them (every administrative write calls it). Laptops compare it for equality only:
the pull answer carries it, so a laptop fetches the bundle only when it changed, and a
restored backup with an older state still gets a version the laptops do not hold.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import (
    MUNICIPAL_SETTING_DEFAULTS,
    InstrumentText,
    LogoType,
    Municipality,
    ReferenceBundle,
    SocialeKaartItem,
    WorkerMandate,
)
from wijkteam_server.db import utcnow
from wijkteam_server.models import InstrumentTextRow, Mandate, ReferenceState, SocialeKaartEntry

STATE_ID = 1
MAX_LOGO_BYTES = 512 * 1024
_SIGNATURES: tuple[tuple[bytes, LogoType], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def logo_type(data: bytes) -> LogoType | None:
    """The image type of a logo file by its signature (PNG or JPEG), or None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def state(session: Session) -> ReferenceState:
    """The reference state row (made by migration 0003; recreated if someone removed it)."""
    row = session.get(ReferenceState, STATE_ID)
    if row is None:
        row = ReferenceState(id=STATE_ID, version=uuid.uuid4().hex, updated_at=utcnow(),
                             municipality_name="", logo=None, logo_type=None, settings={},
                             kaart_source="")
        session.add(row)
        session.flush()
    return row


NO_VERSION = "0"  # announced while the municipality has stored no reference data yet


def version_query() -> ScalarSelect[str]:
    """The current version as a scalar subquery (NULL: `NO_VERSION`), for answers that read
    it together with other values in one statement."""
    return select(ReferenceState.version).where(ReferenceState.id == STATE_ID).scalar_subquery()


def current_version(session: Session) -> str:
    version = session.scalar(select(version_query()))
    return version if version is not None else NO_VERSION


def bump(session: Session) -> str:
    """A new version for the bundle; call in the transaction that changed reference data."""
    row = state(session)
    row.version = uuid.uuid4().hex
    row.updated_at = utcnow()
    return row.version


def settings_with_defaults(stored: dict[str, Any]) -> dict[str, Any]:
    return {key: stored.get(key, default) for key, default in MUNICIPAL_SETTING_DEFAULTS.items()}


def kaart_item(row: SocialeKaartEntry) -> SocialeKaartItem:
    return SocialeKaartItem(
        id=row.id, name=row.name, provider=row.provider,
        level=row.level,  # type: ignore[arg-type]
        wijken=list(row.wijken), cost_cents=row.cost_cents, within_mandate=row.within_mandate,
        product_code=row.product_code, description=row.description, contact=row.contact)


def bundle(session: Session) -> ReferenceBundle:
    row = state(session)
    logo = base64.b64encode(row.logo).decode("ascii") if row.logo else None
    return ReferenceBundle(
        version=row.version,
        updated_at=row.updated_at,
        municipality=Municipality(
            name=row.municipality_name, logo_base64=logo,
            logo_type=row.logo_type if logo else None),  # type: ignore[arg-type]
        settings=settings_with_defaults(dict(row.settings)),
        mandates=[
            WorkerMandate(worker_id=m.user_id, max_amount_cents=m.max_amount_cents,
                          product_codes=sorted(m.provisions))
            for m in session.scalars(select(Mandate).order_by(Mandate.user_id))
        ],
        sociale_kaart=[kaart_item(r) for r in session.scalars(
            select(SocialeKaartEntry).order_by(SocialeKaartEntry.id))],
        instrument_texts=[
            InstrumentText(definition_id=t.definition_id,
                           definition_version=t.definition_version, key=t.key, text=t.text)
            for t in session.scalars(select(InstrumentTextRow).order_by(
                InstrumentTextRow.definition_id, InstrumentTextRow.definition_version,
                InstrumentTextRow.key))
        ],
    )
