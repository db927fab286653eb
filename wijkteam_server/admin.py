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

from pydantic import ValidationError
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from wijkteam_app.sync.protocol import (
    MUNICIPAL_SETTING_DEFAULTS,
    ProvisionLevelName,
    Role,
    SocialeKaartFile,
)
from wijkteam_server import reference
from wijkteam_server.db import read_session, utcnow, write_session
from wijkteam_server.models import (
    Device,
    EntityRow,
    InstrumentTextRow,
    LoginThrottle,
    Mandate,
    RefreshToken,
    SocialeKaartEntry,
    Team,
    User,
)
from wijkteam_server.security import hash_password
from wijkteam_server.sync_engine import log_change

ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
LEVELS: tuple[str, ...] = ProvisionLevelName.__args__  # type: ignore[attr-defined]
MIN_PASSWORD_LENGTH = 12


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
    _check_password(password)
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


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben.")


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AdminError(f"Gebruiker '{username}' bestaat niet.")
    return user


def _revoke_user_tokens(session: Session, user_id: str) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.user_id == user_id)
                    .values(revoked=True))


def deactivate_user(engine: Engine, username: str) -> bool:
    """The user can no longer log in, refresh or register a device, and every token they
    hold stops working at once (each request loads the user). Their devices keep their
    registration (and their unsent work on the server side); the data stays. Returns False
    when the user was already deactivated."""
    with write_session(engine) as session:
        user = _user(session, username)
        was_active = user.active
        user.active = False
        _revoke_user_tokens(session, user.id)
        return was_active


def activate_user(engine: Engine, username: str) -> bool:
    """Undo `deactivate_user`: the user may log in again (with a new login on each
    device; the old refresh tokens stay revoked). Returns False when already active."""
    with write_session(engine) as session:
        user = _user(session, username)
        was_active = user.active
        user.active = True
        return not was_active


def reset_password(engine: Engine, username: str, password: str) -> None:
    """A new password; every refresh token of the user is revoked (each of their devices
    has to log in again with the new password) and a login lock on the username is lifted."""
    _check_password(password)
    password_hash = hash_password(password)  # slow: outside the write lock
    with write_session(engine) as session:
        user = _user(session, username)
        user.password_hash = password_hash
        _revoke_user_tokens(session, user.id)
        throttle = session.get(LoginThrottle, f"user:{user.username.lower()}")
        if throttle is not None:
            session.delete(throttle)


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: str
    name: str
    username: str
    user_active: bool
    registered_at: datetime
    last_seen_at: datetime | None
    last_seq: int
    revoked_at: datetime | None


def list_devices(engine: Engine) -> list[DeviceRow]:
    with read_session(engine) as session:
        rows = session.execute(
            select(Device, User.username, User.active).join(User, User.id == Device.user_id)
            .order_by(User.username, Device.registered_at)
        ).all()
        return [DeviceRow(d.id, d.name, username, active, d.registered_at, d.last_seen_at,
                          d.last_seq, d.revoked_at) for d, username, active in rows]


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
    if not amount.is_finite() or amount > 10_000_000:
        raise AdminError(f"Ongeldig bedrag: {max_amount}")
    if amount < 0:
        raise AdminError("Het bedrag mag niet negatief zijn.")
    cents = int((amount * 100).to_integral_value())
    with write_session(engine) as session:
        user = _user(session, username)
        mandate = session.get(Mandate, user.id)
        if mandate is None:
            session.add(Mandate(user_id=user.id, max_amount_cents=cents,
                                provisions=sorted(set(provisions)), updated_at=utcnow()))
        else:
            mandate.max_amount_cents = cents
            mandate.provisions = sorted(set(provisions))
            mandate.updated_at = utcnow()
        reference.bump(session)


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


_FIELD_NAMES = {
    "id": "id", "name": "naam (name)", "provider": "aanbieder (provider)",
    "level": "niveau (level)", "wijken": "wijken", "cost_cents": "kosten (cost_cents)",
    "within_mandate": "binnen mandaat (within_mandate)",
    "product_code": "productcode (product_code)", "description": "omschrijving (description)",
    "contact": "contact", "format": "format", "municipality": "gemeente (municipality)",
    "source": "bron (source)", "provisions": "voorzieningen (provisions)",
}


def _dutch_problem(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "ontbreekt"
    if kind == "extra_forbidden":
        return "is geen bekend veld (controleer de spelling)"
    if kind == "literal_error":
        return "moet een van deze waarden zijn: " + str(ctx.get("expected", "")).replace(
            "'", "")
    if kind in ("string_type", "string_pattern_mismatch", "string_too_short"):
        return "moet tekst zijn en mag niet leeg zijn"
    if kind == "string_too_long":
        return f"is te lang (hoogstens {ctx.get('max_length')} tekens)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "moet een geheel getal zijn (in centen) of null"
    if kind in ("greater_than_equal", "less_than_equal"):
        return "valt buiten het toegestane bereik (0 of meer)"
    if kind == "bool_type":
        return "moet true of false zijn"
    if kind == "list_type":
        return "moet een lijst zijn"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "moet een object zijn"
    return "is ongeldig"


def _kaart_errors(exc: ValidationError, data: Any) -> list[str]:
    provisions = data.get("provisions") if isinstance(data, dict) else None
    messages: list[str] = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = "Het bestand"
        if len(loc) >= 2 and loc[0] == "provisions" and isinstance(loc[1], int):
            n = loc[1]
            ident = ""
            if isinstance(provisions, list) and n < len(provisions) and isinstance(
                    provisions[n], dict) and isinstance(provisions[n].get("id"), str):
                ident = f" (id '{provisions[n]['id']}')"
            where = f"Voorziening {n + 1}{ident}"
            loc = loc[2:]
        field = " ".join(_FIELD_NAMES.get(p, p) if isinstance(p, str) else f"(element {p + 1})"
                         for p in loc)
        subject = f"{where}, veld {field}" if field else where
        messages.append(f"{subject}: {_dutch_problem(error)}.")
    return messages


def read_sociale_kaart(path: Path) -> SocialeKaartFile:
    """Read and check a sociale-kaart file in the app's format (as
    ``resources/sociale-kaart/voorbeeld.json``). Every problem is reported in Dutch with
    the place where it is; nothing is loaded from a file with any problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise AdminError(f"Het bestand {path} bestaat niet.") from None
    except UnicodeDecodeError:
        raise AdminError(f"{path} is geen UTF-8-tekst.") from None
    except OSError as exc:
        raise AdminError(f"Kan {path} niet lezen: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise AdminError(f"{path} is geen geldige JSON (regel {exc.lineno}, kolom "
                         f"{exc.colno}).") from None
    if not isinstance(data, dict) or "provisions" not in data:
        raise AdminError(
            f"{path} heeft niet het formaat van een sociale kaart: verwacht een object "
            '{"format": 1, "municipality": ..., "source": ..., "provisions": [...]}, zoals '
            "resources/sociale-kaart/voorbeeld.json.")
    try:
        kaart = SocialeKaartFile.model_validate(data)
    except ValidationError as exc:
        problems = _kaart_errors(exc, data)
        shown = problems[:10]
        more = f"\n... en nog {len(problems) - 10} probleem/problemen." if len(
            problems) > 10 else ""
        raise AdminError(f"De sociale kaart in {path} is niet geladen:\n- "
                         + "\n- ".join(shown) + more) from None
    seen: dict[str, int] = {}
    for n, item in enumerate(kaart.provisions, start=1):
        if item.id in seen:
            raise AdminError(f"De sociale kaart in {path} is niet geladen: de id '{item.id}' "
                             f"komt twee keer voor (voorziening {seen[item.id]} en {n}).")
        seen[item.id] = n
    return kaart


def load_sociale_kaart(engine: Engine, path: Path) -> int:
    """Replace the whole sociale kaart with the file's provisions (see `read_sociale_kaart`);
    laptops receive it with their next sync."""
    kaart = read_sociale_kaart(path)
    now = utcnow()
    rows = [SocialeKaartEntry(
        id=p.id, name=p.name, provider=p.provider, level=p.level, wijken=list(p.wijken),
        cost_cents=p.cost_cents, within_mandate=p.within_mandate, product_code=p.product_code,
        description=p.description, contact=p.contact, updated_at=now)
        for p in kaart.provisions]
    with write_session(engine) as session:
        session.execute(delete(SocialeKaartEntry))
        session.add_all(rows)
        reference.state(session).kaart_source = kaart.source
        reference.bump(session)
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
        reference.bump(session)
    return len(rows)


def set_municipality(engine: Engine, name: str | None, logo_path: Path | None,
                     remove_logo: bool = False) -> None:
    """The municipality's name and/or logo (PNG or JPEG, at most 512 KB) on every plan."""
    logo: bytes | None = None
    kind: str | None = None
    if logo_path is not None:
        try:
            logo = logo_path.read_bytes()
        except OSError as exc:
            raise AdminError(f"Kan het logo {logo_path} niet lezen: {exc.strerror}") from None
        kind = reference.logo_type(logo)
        if kind is None:
            raise AdminError("Het logo moet een PNG- of JPEG-bestand zijn.")
        if len(logo) > reference.MAX_LOGO_BYTES:
            raise AdminError(f"Het logo is te groot ({len(logo) // 1024} kB); het mag "
                             f"hoogstens {reference.MAX_LOGO_BYTES // 1024} kB zijn.")
    if name is not None:
        name = name.strip()
        if not name:
            raise AdminError("Geef de naam van de gemeente op.")
        if len(name) > 200:
            raise AdminError("De naam van de gemeente is te lang (hoogstens 200 tekens).")
    with write_session(engine) as session:
        row = reference.state(session)
        if name is not None:
            row.municipality_name = name
        if logo is not None:
            row.logo = logo
            row.logo_type = kind
        elif remove_logo:
            row.logo = None
            row.logo_type = None
        reference.bump(session)


def _recovery_public_key(value: str) -> str | None:
    """A PEM public key (X25519, or RSA of at least 3072 bits), given inline or as a path to
    a .pem file; "geen" removes it."""
    text = value.strip()
    if text.lower() in ("", "geen"):
        return None
    path = Path(text)
    pem = path.read_text("ascii") if "BEGIN" not in text and path.is_file() else text
    from cryptography.hazmat.primitives.asymmetric import rsa, x25519
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeError) as exc:
        raise AdminError("recovery_public_key: geen geldige PEM-sleutel.") from exc
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 3072:
        return pem.strip() + "\n"
    if isinstance(key, x25519.X25519PublicKey):
        return pem.strip() + "\n"
    raise AdminError("recovery_public_key: alleen X25519 of RSA van minstens 3072 bits.")


def _parse_setting(key: str, value: str) -> Any:
    text = value.strip().lower()
    if key == "idle_lock_minutes":
        if not text.isdigit() or not 1 <= int(text) <= 240:
            raise AdminError("idle_lock_minutes moet een geheel aantal minuten van 1 tot en "
                             "met 240 zijn.")
        return int(text)
    if key == "bsn_op_plan":
        if text not in ("ja", "nee"):
            raise AdminError("bsn_op_plan moet 'ja' of 'nee' zijn.")
        return text == "ja"
    if key == "laptop_retention_days":
        if not text.isdigit() or not 1 <= int(text) <= 3650:
            raise AdminError("laptop_retention_days moet een geheel aantal dagen van 1 tot en "
                             "met 3650 zijn.")
        return int(text)
    if key == "recovery_public_key":
        return _recovery_public_key(value)
    raise AdminError(f"Onbekende instelling '{key}'. Bekend: "
                     f"{', '.join(sorted(MUNICIPAL_SETTING_DEFAULTS))}.")


def set_setting(engine: Engine, key: str, value: str) -> Any:
    """Set one municipal setting (see ``MUNICIPAL_SETTING_DEFAULTS``); returns the value."""
    parsed = _parse_setting(key, value)
    with write_session(engine) as session:
        row = reference.state(session)
        row.settings = {**row.settings, key: parsed}
        reference.bump(session)
    return parsed


@dataclass(frozen=True, slots=True)
class ReferenceSummary:
    version: str
    updated_at: datetime
    municipality_name: str
    logo_bytes: int
    settings: dict[str, Any]
    mandates: int
    provisions: int
    instrument_texts: int


def reference_summary(engine: Engine) -> ReferenceSummary:
    with read_session(engine) as session:
        bundle = reference.bundle(session)
        row = reference.state(session)
        return ReferenceSummary(bundle.version, row.updated_at, row.municipality_name,
                                len(row.logo or b""), dict(bundle.settings),
                                len(bundle.mandates), len(bundle.sociale_kaart),
                                len(bundle.instrument_texts))
