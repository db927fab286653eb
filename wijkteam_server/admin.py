"""Administrative operations behind the CLI (and test set-up): teams, users, devices,
mandates and reference data. Teams and workers are also mirrored as server-owned ``team`` and
``worker`` records in the change feed, so every laptop knows its colleagues."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import Role
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.models import (
    Device,
    EntityRow,
    InstrumentTextRow,
    Mandate,
    RefreshToken,
    SocialeKaartEntry,
    Team,
    User,
)
from wijkteam_server.security import hash_password
from wijkteam_server.sync_engine import log_change

ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]


class AdminError(Exception):
    """A refused administrative action; the message is Dutch, for the operator."""


def _mirror(session: Session, entity: str, entity_id: str, data: dict[str, Any]) -> None:
    """Create or update the server-owned feed record of a team or worker."""
    now = utcnow()
    origin = {"device": None, "actor": None, "at": now.isoformat()}
    row = session.get(EntityRow, (entity, entity_id))
    if row is None:
        row = EntityRow(entity=entity, entity_id=entity_id, household_id=None, team_id=None,
                        created_by=None, version=1, data=data,
                        field_versions=dict.fromkeys(data, 1),
                        field_origins=dict.fromkeys(data, origin), deleted=False,
                        updated_at=now)
        session.add(row)
        log_change(session, changeset_id=None, origin_device_id=None, actor_id=None,
                   entity=entity, entity_id=entity_id, household_id=None, op="insert",
                   version=1, fields=data)
        return
    changed = {k: v for k, v in data.items() if row.data.get(k) != v}
    if not changed:
        return
    row.version += 1
    row.data = {**row.data, **changed}
    row.field_versions = {**row.field_versions, **dict.fromkeys(changed, row.version)}
    row.field_origins = {**row.field_origins, **dict.fromkeys(changed, origin)}
    row.updated_at = now
    log_change(session, changeset_id=None, origin_device_id=None, actor_id=None,
               entity=entity, entity_id=entity_id, household_id=None, op="update",
               version=row.version, fields=changed)


def add_team(engine: Engine, name: str, municipality: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise AdminError("Geef een teamnaam op.")
    with write_session(engine) as session:
        if session.scalar(select(Team).where(Team.name == name)) is not None:
            raise AdminError(f"Team '{name}' bestaat al.")
        team = Team(id=str(uuid.uuid4()), name=name, created_at=utcnow(),
                    municipality=(municipality or "").strip() or None)
        session.add(team)
        session.flush()
        _mirror(session, "team", team.id, {"name": name, "wijken": []})
        return team.id


def set_team_municipality(engine: Engine, name: str, municipality: str) -> None:
    """The municipality a team works for (reports group usage by it)."""
    with write_session(engine) as session:
        team = session.scalar(select(Team).where(Team.name == name))
        if team is None:
            raise AdminError(f"Team '{name}' bestaat niet.")
        team.municipality = municipality.strip() or None


def add_user(engine: Engine, username: str, team_name: str, role: str, password: str,
             display_name: str | None = None) -> str:
    if role not in ROLES:
        raise AdminError(f"Onbekende rol '{role}'. Kies uit: {', '.join(ROLES)}.")
    if len(password) < 12:
        raise AdminError("Het wachtwoord moet minstens 12 tekens hebben.")
    username = username.strip()
    if not username:
        raise AdminError("Geef een gebruikersnaam op.")
    password_hash = hash_password(password)  # slow: outside the write lock
    with write_session(engine) as session:
        team = session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            raise AdminError(f"Team '{team_name}' bestaat niet.")
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise AdminError(f"Gebruiker '{username}' bestaat al.")
        user = User(id=str(uuid.uuid4()), username=username,
                    display_name=display_name or username, role=role, team_id=team.id,
                    password_hash=password_hash, active=True, created_at=utcnow())
        session.add(user)
        session.flush()
        _mirror(session, "worker", user.id, {
            "username": username, "display_name": user.display_name, "role": role,
            "team_id": team.id,
        })
        return user.id


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    name: str
    username: str
    registered_at: datetime
    last_seen_at: datetime | None
    last_seq: int
    revoked_at: datetime | None


def list_devices(engine: Engine) -> list[DeviceRow]:
    with read_session(engine) as session:
        rows = session.execute(
            select(Device, User.username).join(User, User.id == Device.user_id)
            .order_by(Device.registered_at)
        ).all()
        return [DeviceRow(d.id, d.name, username, d.registered_at, d.last_seen_at, d.last_seq,
                          d.revoked_at) for d, username in rows]


def revoke_device(engine: Engine, device_id: str) -> None:
    with write_session(engine) as session:
        device = session.get(Device, device_id)
        if device is None:
            raise AdminError(f"Apparaat {device_id} bestaat niet.")
        if device.revoked_at is None:
            device.revoked_at = utcnow()
        session.execute(update(RefreshToken).where(RefreshToken.device_id == device_id)
                        .values(revoked=True))


def set_mandate(engine: Engine, username: str, max_amount: str, provisions: list[str]) -> None:
    try:
        amount = Decimal(max_amount.replace(",", "."))
    except InvalidOperation as exc:
        raise AdminError(f"Ongeldig bedrag: {max_amount}") from exc
    if amount < 0:
        raise AdminError("Het bedrag mag niet negatief zijn.")
    cents = int((amount * 100).to_integral_value())
    with write_session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AdminError(f"Gebruiker '{username}' bestaat niet.")
        mandate = session.get(Mandate, user.id)
        if mandate is None:
            session.add(Mandate(user_id=user.id, max_amount_cents=cents,
                                provisions=sorted(set(provisions)), updated_at=utcnow()))
        else:
            mandate.max_amount_cents = cents
            mandate.provisions = sorted(set(provisions))
            mandate.updated_at = utcnow()


def _read_json_list(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdminError(f"Kan {path} niet lezen: {exc}") from exc
    if isinstance(data, dict):
        data = data.get(key)
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise AdminError(f"{path} moet een lijst van objecten bevatten (of {{'{key}': [...]}}).")
    return data


def load_sociale_kaart(engine: Engine, path: Path) -> int:
    """Replace the sociale kaart with the file's entries. Each needs ``id`` and ``name``."""
    entries = _read_json_list(path, "items")
    now = utcnow()
    rows = []
    known = {"id", "name", "category", "description", "wijken", "contact"}
    for n, item in enumerate(entries, start=1):
        if not isinstance(item.get("id"), str) or not isinstance(item.get("name"), str):
            raise AdminError(f"Item {n} mist een 'id' of 'name'.")
        wijken = item.get("wijken", [])
        rows.append(SocialeKaartEntry(
            id=item["id"], name=item["name"], category=str(item.get("category", "")),
            description=str(item.get("description", "")),
            wijken=[str(w) for w in wijken] if isinstance(wijken, list) else [],
            contact=str(item.get("contact", "")),
            extra={k: v for k, v in item.items() if k not in known}, updated_at=now,
        ))
    if len({r.id for r in rows}) != len(rows):
        raise AdminError("De sociale kaart bevat dubbele id's.")
    with write_session(engine) as session:
        session.execute(delete(SocialeKaartEntry))
        session.add_all(rows)
    return len(rows)


def load_instrument_texts(engine: Engine, path: Path) -> int:
    """Replace the texts of every instrument version named in the file."""
    entries = _read_json_list(path, "texts")
    rows = []
    for n, item in enumerate(entries, start=1):
        values = [item.get(k) for k in ("definition_id", "definition_version", "key", "text")]
        if not all(isinstance(v, str) for v in values):
            raise AdminError(
                f"Item {n} heeft definition_id, definition_version, key en text nodig."
            )
        rows.append(InstrumentTextRow(definition_id=values[0], definition_version=values[1],
                                      key=values[2], text=values[3]))
    versions = {(r.definition_id, r.definition_version) for r in rows}
    with write_session(engine) as session:
        for definition_id, version in versions:
            session.execute(delete(InstrumentTextRow).where(
                InstrumentTextRow.definition_id == definition_id,
                InstrumentTextRow.definition_version == version))
        session.add_all(rows)
    return len(rows)
