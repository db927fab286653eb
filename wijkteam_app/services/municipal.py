"""Municipal settings on this laptop: what the municipality sets for every worker.

The server publishes them in its reference data (the bundle's ``settings`` map, see
docs/sync-protocol.md, 7a), which the laptop caches in the case file (`reference_state`); a
local-only profile may keep its own map under the local-state key `MUNICIPAL_SETTINGS_KEY`
(JSON). The server's map wins; for a name neither has, the defaults below apply. This module
is the only reader of these three settings.

Names used here:
- ``idle_lock_minutes``: minutes without input after which the app locks (default 5);
- ``recovery_public_key``: the municipality's recovery public key (PEM); the data key is
  wrapped to it at the next unlock (docs/security.md, "Recovery");
- ``laptop_retention_days``: days a closed and fully synced case stays on the laptop.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from wijkteam_app.persistence.casefile import CaseFile, get_state, set_state
from wijkteam_app.persistence.reference_schema import ReferenceStateRecord
from wijkteam_app.sync.reference import STATE_ID
from wijkteam_app.sync.state import load_state

MUNICIPAL_SETTINGS_KEY = "municipal_settings"

DEFAULTS: dict[str, Any] = {
    "idle_lock_minutes": 5,
    "recovery_public_key": None,
    "laptop_retention_days": 30,
}


def all_settings(casefile: CaseFile) -> dict[str, Any]:
    with casefile.read() as session:
        return settings_in(session)


def settings_in(session: Session) -> dict[str, Any]:
    """`all_settings`, read in a session the caller already has open."""
    raw = get_state(session, MUNICIPAL_SETTINGS_KEY)
    reference = (session.get(ReferenceStateRecord, STATE_ID)
                 if load_state(session) is not None else None)
    return merged(raw, reference.settings if reference is not None else None)


def merged(stored_raw: str | None, server: Any) -> dict[str, Any]:
    """The settings in force: the server's map (`server`, a dict, or its JSON text) over the
    local-only map (`stored_raw`, JSON text) over the defaults. Unusable input counts as
    absent."""
    if isinstance(server, str):
        server = _json_map(server)
    return {**DEFAULTS, **_json_map(stored_raw), **(server if isinstance(server, dict) else {})}


def _json_map(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        loaded = json.loads(raw)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def setting(casefile: CaseFile, name: str) -> Any:
    return all_settings(casefile).get(name, DEFAULTS.get(name))


def int_setting(casefile: CaseFile, name: str, low: int, high: int) -> int:
    """A whole-number setting clamped to [low, high]; the default when unusable."""
    return clamped(all_settings(casefile), name, low, high)


def clamped(settings: dict[str, Any], name: str, low: int, high: int) -> int:
    """The whole-number setting `name` of `settings`, clamped; the default when unusable."""
    value = settings.get(name, DEFAULTS.get(name))
    if isinstance(value, bool) or not isinstance(value, int):
        value = DEFAULTS[name]
    return max(low, min(high, int(value)))


def store_settings(casefile: CaseFile, settings: dict[str, Any]) -> None:
    """Keep the map the server sent (replacing the previous one). Local state, not synced."""
    with casefile.read() as session:
        set_state(session, MUNICIPAL_SETTINGS_KEY, json.dumps(settings, sort_keys=True))
