"""The municipality's reference data as the rest of the app reads it: mandates, the sociale
kaart, the municipality's name and logo, municipal settings and licensed instrument texts.

Where it comes from depends on the profile:

- a profile that logged in to a municipal server (a *server profile*) uses only what the
  server published, as cached in the case file by the last sync (``reference_*`` tables):
  the municipality owns these facts, and a laptop must not invent its own. Before the first
  bundle arrived a server profile has no mandates (every professional product needs a
  toets: the safe side) and an empty kaart;
- a *local-only* profile (never logged in: a trial, a demo, a municipality without a
  server) uses its own mandates (`wijkteam mandaat`), its own settings
  (`wijkteam instellingen`) and the sample kaart shipped with the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select

from wijkteam_app.catalogs import load_sociale_kaart
from wijkteam_app.domain.plans import Mandate
from wijkteam_app.domain.provisions import Provision, ProvisionLevel
from wijkteam_app.errors import WijkteamError
from wijkteam_app.persistence import plan_repository as plans_repo
from wijkteam_app.persistence.reference_schema import (
    ReferenceInstrumentTextRecord,
    ReferenceMandateRecord,
    ReferenceProvisionRecord,
    ReferenceStateRecord,
)
from wijkteam_app.services.profile import Workspace
from wijkteam_app.sync.protocol import MUNICIPAL_SETTING_DEFAULTS
from wijkteam_app.sync.reference import STATE_ID
from wijkteam_app.sync.state import load_state

NO_MANDATE = Mandate(0, frozenset())


class ServerManaged(WijkteamError):
    """A setting the municipality manages on its server; this laptop cannot change it."""

    code = "server_managed"
    message = "managed by the municipal server"


@dataclass(frozen=True, slots=True)
class MunicipalityInfo:
    name: str  # "" when the municipality has not set one
    logo: bytes | None = None
    logo_type: str | None = None


@cache
def shipped_sociale_kaart() -> tuple[Provision, ...]:
    """The sample kaart shipped with the app (for local-only profiles)."""
    return load_sociale_kaart()


_KAART_CACHE: dict[tuple[str, str], tuple[Provision, ...]] = {}
"""Synced kaarten already converted, by (case file device id, bundle version): a version
names exactly one content, so a hit is always current."""


def _provision(row: ReferenceProvisionRecord) -> Provision | None:
    try:
        level = ProvisionLevel(row.level)
    except ValueError:
        return None  # a level this app does not know (a newer server): not offered
    return Provision(id=row.id, name=row.name, provider=row.provider, level=level,
                     wijken=tuple(row.wijken), cost_cents=row.cost_cents,
                     within_mandate=row.within_mandate, product_code=row.product_code,
                     description=row.description, contact=row.contact)


class ReferenceService:
    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._db = workspace.casefile

    def server_profile(self) -> bool:
        """True once this profile logged in to a municipal server (even after a logout)."""
        with self._db.read() as session:
            return load_state(session) is not None

    def version(self) -> str | None:
        """The cached bundle's version, or None when no bundle arrived yet."""
        with self._db.read() as session:
            row = session.get(ReferenceStateRecord, STATE_ID)
            return row.version if row is not None else None

    def require_local(self) -> None:
        """Refuse (`ServerManaged`) for a server profile: for the per-laptop settings that
        only a local-only profile may change."""
        if self.server_profile():
            raise ServerManaged("server profile")

    # --- mandates --------------------------------------------------------------------------

    def mandate(self, worker_id: str) -> Mandate:
        with self._db.read() as session:
            if load_state(session) is None:
                return plans_repo.mandate_of(session, worker_id) or NO_MANDATE
            row = session.get(ReferenceMandateRecord, worker_id)
            if row is None:
                return NO_MANDATE
            return Mandate(row.max_amount_cents, frozenset(row.product_codes))

    # --- sociale kaart ---------------------------------------------------------------------

    def sociale_kaart(self) -> tuple[Provision, ...]:
        """The whole kaart (the plan filters by wijk and level)."""
        with self._db.read() as session:
            if load_state(session) is None:
                return shipped_sociale_kaart()
            state = session.get(ReferenceStateRecord, STATE_ID)
            if state is None:
                return ()
            key = (self._db.device_id, state.version)
            hit = _KAART_CACHE.get(key)
            if hit is not None:
                return hit
            kaart = tuple(p for p in (_provision(r) for r in session.scalars(
                select(ReferenceProvisionRecord).order_by(ReferenceProvisionRecord.id)))
                if p is not None)
        if len(_KAART_CACHE) > 8:
            _KAART_CACHE.clear()
        _KAART_CACHE[key] = kaart
        return kaart

    # --- municipality and settings ---------------------------------------------------------

    def municipality(self) -> MunicipalityInfo | None:
        """Name and logo from the server; None for a local-only profile."""
        with self._db.read() as session:
            if load_state(session) is None:
                return None
            row = session.get(ReferenceStateRecord, STATE_ID)
            if row is None:
                return MunicipalityInfo("")
            return MunicipalityInfo(row.municipality_name, row.logo, row.logo_type)

    def settings(self) -> Mapping[str, Any] | None:
        """The municipal settings (every known key, defaults filled in) from the server;
        None for a local-only profile."""
        with self._db.read() as session:
            if load_state(session) is None:
                return None
            row = session.get(ReferenceStateRecord, STATE_ID)
            stored = dict(row.settings) if row is not None else {}
        return {key: stored.get(key, default)
                for key, default in MUNICIPAL_SETTING_DEFAULTS.items()}

    # --- instrument texts ------------------------------------------------------------------

    def instrument_texts(self, definition_id: str, definition_version: str) -> dict[str, str]:
        """Licensed texts for one instrument version, by key (``<item>.help`` or
        ``<item>.<level>``); empty without any."""
        with self._db.read() as session:
            return {r.key: r.text for r in session.scalars(
                select(ReferenceInstrumentTextRecord).where(
                    ReferenceInstrumentTextRecord.definition_id == definition_id,
                    ReferenceInstrumentTextRecord.definition_version == definition_version))}
