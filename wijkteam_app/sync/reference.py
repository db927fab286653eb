"""The municipality's reference data in the case file: which version is cached, and storing a
new `ReferenceBundle` (replacing the previous one as a whole).

The sync engine calls `store_bundle` inside one transaction of the case file together with an
audit entry, so a laptop holds either the old bundle or the new one, never a mix. No Qt, no
HTTP.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from sqlalchemy import ScalarSelect, delete, select
from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import utcnow
from wijkteam_app.persistence.reference_schema import (
    ReferenceInstrumentTextRecord,
    ReferenceMandateRecord,
    ReferenceProvisionRecord,
    ReferenceStateRecord,
)

if TYPE_CHECKING:  # (the protocol loads pydantic: not on the unlock path)
    from wijkteam_app.sync.protocol import ReferenceBundle

STATE_ID = 1


class BadReferenceData(ValueError):
    """A bundle that cannot be stored as it is (e.g. a logo that is not base64)."""


def cached_version_query() -> ScalarSelect[str]:
    """The cached bundle's version as a scalar subquery (NULL: none cached), for a read that
    takes it together with other values (the sync engine's look)."""
    return (select(ReferenceStateRecord.version)
            .where(ReferenceStateRecord.id == STATE_ID).scalar_subquery())


def cached_version(session: Session) -> str | None:
    version: str | None = session.scalar(select(cached_version_query()))
    return version


def _logo(bundle: ReferenceBundle) -> bytes | None:
    encoded = bundle.municipality.logo_base64
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadReferenceData("logo") from exc


def store_bundle(session: Session, bundle: ReferenceBundle, server_url: str) -> None:
    """Replace the cached reference data with `bundle` (call inside one transaction)."""
    logo = _logo(bundle)
    updated_at = bundle.updated_at.replace(tzinfo=None)
    row = session.get(ReferenceStateRecord, STATE_ID)
    if row is None:
        row = ReferenceStateRecord(id=STATE_ID)
        session.add(row)
    row.version = bundle.version
    row.server_url = server_url[:500]
    row.updated_at = updated_at
    row.fetched_at = utcnow()
    row.municipality_name = bundle.municipality.name[:200]
    row.logo = logo
    row.logo_type = bundle.municipality.logo_type if logo is not None else None
    row.settings = dict(bundle.settings)
    for table in (ReferenceMandateRecord, ReferenceProvisionRecord,
                  ReferenceInstrumentTextRecord):
        session.execute(delete(table))
    session.add_all(ReferenceMandateRecord(
        worker_id=m.worker_id, max_amount_cents=m.max_amount_cents,
        product_codes=sorted(set(m.product_codes))) for m in bundle.mandates)
    session.add_all(ReferenceProvisionRecord(
        id=p.id, name=p.name, provider=p.provider, level=p.level, wijken=list(p.wijken),
        cost_cents=p.cost_cents, within_mandate=p.within_mandate, product_code=p.product_code,
        description=p.description, contact=p.contact) for p in bundle.sociale_kaart)
    session.add_all(ReferenceInstrumentTextRecord(
        definition_id=t.definition_id, definition_version=t.definition_version, key=t.key,
        text=t.text) for t in bundle.instrument_texts)
    session.flush()
