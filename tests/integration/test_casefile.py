"""The encrypted case file: what a worker relies on without ever seeing it."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import FAST_KDF, PASSPHRASE
from tests.helpers.factories import household, person
from wijkteam_app.domain.cases import (
    Case,
    CaseStatus,
    ContactKind,
    ContactMoment,
    ReferralSource,
    UrgencyCriterion,
)
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.validation import ErrorCode, ValidationFailed
from wijkteam_app.errors import PassphraseTooWeak, StaleVersion, WrongPassphrase
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.schema import AuditRecord, OutboxRecord
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.maintenance import check_profile
from wijkteam_app.services.profile import Workspace, change_passphrase, unlock


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "-"


def counts(ws: Workspace) -> tuple[int, int]:
    with ws.casefile.read() as s:
        return (s.scalar(select(func.count()).select_from(OutboxRecord)) or 0,
                s.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def test_saved_household_survives_close_and_reopen(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    h = household()
    HouseholdService(ws).create(h, [person(first="Anouk"), person(first="Bram", bsn="999990019")])
    ws.close()

    ws = unlock(profile, PASSPHRASE)
    try:
        detail = HouseholdService(ws).get(h.id)
        assert detail.household.name == "Huishouden Proefmans"
        assert detail.household.address.postcode == "1234 AB"
        assert sorted(m.first_name for m in detail.members) == ["Anouk", "Bram"]
        assert {m.bsn for m in detail.members} == {"", "999990019"}
    finally:
        ws.close()


def test_every_save_writes_exactly_one_changeset_and_one_audit_entry(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    before = counts(workspace)
    h = household()
    result = service.create(h, [person(), person(first="Bram")])
    assert counts(workspace) == (before[0] + 1, before[1] + 1)

    with workspace.casefile.read() as s:
        outbox = s.scalars(select(OutboxRecord).order_by(OutboxRecord.seq.desc())).first()
        audit = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
    assert outbox is not None and audit is not None
    assert outbox.id == result.changeset_id == audit.changeset_id
    assert outbox.household_id == h.id
    assert audit.action == "huishouden.registreren" and audit.result == "ok"
    assert audit.device_id == workspace.casefile.device_id
    assert audit.actor_id == workspace.worker.id
    entities = sorted(c["entity"] for c in outbox.changes)
    assert entities == ["household", "person", "person"]
    household_change = next(c for c in outbox.changes if c["entity"] == "household")
    assert household_change["op"] == "insert" and household_change["base_version"] == 0
    assert household_change["fields"]["postcode"] == {"old": None, "new": "1234 AB"}


def test_update_records_old_and_new_value_and_base_version(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    h = household()
    service.create(h)
    stored = service.get(h.id).household
    assert stored.version == 1
    moved = stored.__class__(stored.id, stored.name,
                             stored.address.__class__("Nieuwe Weg", 3, "", "4321 ZX",
                                                      "Voorbeeldstad"), "Oost", stored.version)
    result = service.update(moved)
    assert len(result.changes) == 1
    change = result.changes[0]
    assert change.operation.value == "update" and change.base_version == 1
    fields = {f.field: (f.old, f.new) for f in change.fields}
    assert fields == {
        "street": ("Proefstraat", "Nieuwe Weg"),
        "house_number": (12, 3),
        "postcode": ("1234 AB", "4321 ZX"),
        "wijk": ("Noord", "Oost"),
    }
    assert result.device_seq is not None and result.device_seq >= 2
    assert service.get(h.id).household.version == 2


def test_device_sequence_is_gap_free(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    for _ in range(5):
        service.create(household())
    with workspace.casefile.read() as s:
        seqs = list(s.scalars(select(OutboxRecord.seq).order_by(OutboxRecord.seq)))
    assert seqs == list(range(1, len(seqs) + 1))


def test_stale_form_cannot_overwrite_a_newer_save(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    h = household()
    service.create(h)
    opened = service.get(h.id).household
    service.update(opened.__class__(opened.id, "Huishouden A", opened.address, opened.wijk,
                                    opened.version))
    before = counts(workspace)
    with pytest.raises(StaleVersion):
        service.update(opened.__class__(opened.id, "Huishouden B", opened.address, opened.wijk,
                                        opened.version))
    assert counts(workspace) == before
    assert service.get(h.id).household.name == "Huishouden A"


def test_invalid_bsn_is_refused_and_nothing_is_stored(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    before = counts(workspace)
    h = household()
    with pytest.raises(ValidationFailed) as failed:
        service.create(h, [person(), person(first="Bram", bsn="123456789")])
    assert [(e.field, e.code) for e in failed.value.errors] == [
        ("members.1.bsn", ErrorCode.BSN_INVALID)
    ]
    assert counts(workspace) == before
    assert service.list() == []


def test_failure_inside_a_save_rolls_back_records_outbox_and_audit(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    before = counts(workspace)
    h = household()
    with pytest.raises(RuntimeError), workspace.casefile.save(
        workspace.actor_id, "test", "huishouden", h.id
    ) as ctx:
        from wijkteam_app.persistence import repositories as repo
        from wijkteam_app.persistence.casefile import utcnow

        repo.save_household(ctx.session, h, utcnow())
        ctx.session.flush()
        raise RuntimeError("power cut in the middle")
    assert counts(workspace) == before
    assert service.list() == []


def test_case_with_contacts_totals_time(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    h = household()
    service.create(h)
    case = Case(new_id(), h.id, workspace.team.id, workspace.worker.id, CaseStatus.AANGEMELD,
                ReferralSource.HUISARTS, date(2026, 11, 1),
                urgency=(UrgencyCriterion.HUISELIJK_GEWELD,))
    service.save_case(case)
    for minutes in (30, 45):
        service.save_contact(ContactMoment(new_id(), case.id, date(2026, 11, 10), minutes,
                                           ContactKind.HUISBEZOEK, workspace.worker.id))
    [overview] = service.cases(h.id)
    assert overview.total_minutes == 75
    assert overview.case.urgency == (UrgencyCriterion.HUISELIJK_GEWELD,)


def test_wrong_passphrase_fails_cleanly_and_changes_no_byte(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    HouseholdService(ws).create(household())
    ws.close()
    files = [profile.casefile, profile.keyfile, *profile.sidecars()]
    before = {f: sha256(f) for f in files}
    with pytest.raises(WrongPassphrase):
        unlock(profile, "not the passphrase at all")
    assert {f: sha256(f) for f in files} == before


def test_passphrase_change_keeps_the_data_and_retires_the_old_one(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    h = household()
    HouseholdService(ws).create(h)
    ws.close()
    db_before = sha256(profile.casefile)
    wrapped_before = json.loads(profile.keyfile.read_text())["wrap"]["ciphertext"]

    change_passphrase(profile, PASSPHRASE, "a new and longer passphrase")

    assert sha256(profile.casefile) == db_before  # re-wrapped, never re-keyed
    assert json.loads(profile.keyfile.read_text())["wrap"]["ciphertext"] != wrapped_before
    with pytest.raises(WrongPassphrase):
        unlock(profile, PASSPHRASE)
    ws = unlock(profile, "a new and longer passphrase")
    try:
        assert HouseholdService(ws).get(h.id).household.name == h.name
    finally:
        ws.close()


def test_passphrase_change_with_wrong_old_passphrase_changes_nothing(profile: ProfilePaths) -> None:
    before = sha256(profile.keyfile)
    with pytest.raises(WrongPassphrase):
        change_passphrase(profile, "wrong wrong wrong", "a new and longer passphrase")
    with pytest.raises(PassphraseTooWeak):
        change_passphrase(profile, PASSPHRASE, "kort")
    assert sha256(profile.keyfile) == before


def test_key_file_alone_does_not_open_without_the_keyring_secret(profile: ProfilePaths,
                                                                  memory_keyring) -> None:  # type: ignore[no-untyped-def]
    memory_keyring.store.clear()
    from wijkteam_app.errors import KeyringSecretMissing

    with pytest.raises(KeyringSecretMissing):
        unlock(profile, PASSPHRASE)


DEMO_NAMES = ["Proefmans", "Voorbeeld", "Verzinner", "Fictiefstra", "Demodijk", "Voorbeeldstad",
              "Verzonnenstraat", "Anouk", "999"]


def test_no_personal_data_in_plaintext_on_disk(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    fill_demo(ws, households=6)
    detail = HouseholdService(ws).list()
    bsns = [m.bsn for h in detail for m in HouseholdService(ws).get(h.id).members if m.bsn]
    assert bsns, "demo data should contain test-range BSNs"
    # Look while the file is open, so the WAL and shared-memory files exist too.
    files = [p for p in profile.root.rglob("*") if p.is_file()]
    assert profile.casefile in files and Path(f"{profile.casefile}-wal") in files
    needles = [n.encode() for n in DEMO_NAMES[:-1]] + [b.encode() for b in bsns]
    needles += [n.encode("utf-16-le") for n in DEMO_NAMES[:3]]
    for f in files:
        data = f.read_bytes()
        assert not data.startswith(b"SQLite format 3"), f
        for needle in needles:
            assert needle not in data, (f.name, needle)
    ws.close()
    for f in [p for p in profile.root.rglob("*") if p.is_file()]:
        data = f.read_bytes()
        for needle in needles:
            assert needle not in data, (f.name, needle)


def test_check_passes_on_a_healthy_file_and_fails_on_a_tampered_one(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    fill_demo(ws, households=3)
    ws.close()
    assert check_profile(profile, PASSPHRASE).ok
    data = bytearray(profile.casefile.read_bytes())
    data[4096 * 3 + 100] ^= 0xFF  # flip a byte inside page 4
    profile.casefile.write_bytes(bytes(data))
    report = check_profile(profile, PASSPHRASE)
    assert not report.ok
    assert any("cipher_integrity_check" in p for p in report.problems)


def test_check_detects_a_rewritten_audit_entry(profile: ProfilePaths) -> None:
    ws = unlock(profile, PASSPHRASE)
    HouseholdService(ws).create(household())
    with ws.casefile.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET actor_id = 'someone-else' WHERE id = 2")
    ws.close()
    report = check_profile(profile, PASSPHRASE)
    assert not report.ok
    assert any("keten verbroken" in p for p in report.problems)


def test_weak_passphrase_creates_nothing(paths: ProfilePaths) -> None:
    from wijkteam_app.services.profile import init_profile

    with pytest.raises(PassphraseTooWeak):
        init_profile(paths, "kort", kdf=FAST_KDF)
    assert not paths.casefile.exists() and not paths.keyfile.exists()


def test_demo_can_run_twice_and_makes_valid_data_at_scale(workspace: Workspace) -> None:
    assert fill_demo(workspace, households=3) == 3
    assert fill_demo(workspace, households=120, seed=7) == 120  # postcodes stay valid
    assert len(HouseholdService(workspace).list(limit=1000)) == 123


def test_a_long_sync_copies_the_write_ahead_log_outside_its_transactions(
        workspace: Workspace) -> None:
    """During a long pull no commit carries a checkpoint (the log grows past SQLite's
    1,000-page mark); the log is copied into the file between transactions and at the end,
    and the data is there after a reopen."""
    from wijkteam_app.persistence.casefile import get_state, set_state

    casefile = workspace.casefile
    wal = Path(str(casefile.path) + "-wal")
    blob = "x" * 200_000
    with casefile.deferred_checkpoints() as between:
        for n in range(30):  # ~6 MB: well past 1,000 pages of 4 KiB
            with casefile.read(durable=False) as session:
                set_state(session, f"bench_blob_{n}", blob + str(n))
        grown = wal.stat().st_size
        between()  # within CHECKPOINT_EVERY of the start: nothing yet
    assert grown > 1000 * 4096 * 1.2  # no automatic checkpoint reset the log meanwhile
    assert casefile._reader is not None
    conn = casefile._reader(read_only=False)
    try:  # (busy, frames in the log, frames copied): at the end all of it was copied
        busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    assert busy == 0 and logged > 1000 and copied == logged
    with casefile.read() as session:
        assert get_state(session, "bench_blob_29") == blob + "29"
