"""The server's at-rest encryption without a server: what goes in comes out, and any change,
cut, swap or wrong key is refused rather than returning wrong bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from wijkteam_server.at_rest import (
    MAGIC,
    SEGMENT,
    AtRestError,
    Sealer,
    create_key_file,
    encrypt_in_place,
    is_encrypted,
    read_key_file,
)
from wijkteam_server.settings import SettingsError, init_data_dir, load_settings

KEY = bytes(range(32))


@pytest.mark.parametrize("size", [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 17])
def test_round_trip_of_any_size(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "f.bin"
    Sealer(KEY, "attachments").write(path, [data[:7], data[7:]], "attachment:x")
    assert path.read_bytes().startswith(MAGIC)
    assert data not in path.read_bytes() or size < 8
    assert Sealer(KEY, "attachments").read_bytes(path, "attachment:x") == data


def test_tampering_truncation_wrong_context_and_wrong_key_are_refused(tmp_path: Path) -> None:
    data = os.urandom(2 * SEGMENT + 5)
    path = tmp_path / "f.bin"
    box = Sealer(KEY, "attachments")
    box.write(path, [data], "attachment:a")
    raw = path.read_bytes()

    flipped = bytearray(raw)
    flipped[len(MAGIC) + 8 + 4 + 100] ^= 1
    path.write_bytes(bytes(flipped))
    with pytest.raises(AtRestError):
        box.read_bytes(path, "attachment:a")

    first_two = raw[: len(MAGIC) + 8 + 2 * (4 + SEGMENT + 16)]  # drop the last segment
    path.write_bytes(first_two)
    with pytest.raises(AtRestError):
        box.read_bytes(path, "attachment:a")

    path.write_bytes(raw)
    with pytest.raises(AtRestError):
        box.read_bytes(path, "attachment:b")  # another attachment's name
    with pytest.raises(AtRestError):
        Sealer(bytes(32), "attachments").read_bytes(path, "attachment:a")
    with pytest.raises(AtRestError):
        Sealer(KEY, "backups").read_bytes(path, "attachment:a")  # another purpose
    assert box.read_bytes(path, "attachment:a") == data


def test_plaintext_files_are_encrypted_in_place_once(tmp_path: Path) -> None:
    path = tmp_path / "old.bin"
    path.write_bytes(b"%PDF-1.4 ondertekend plan")
    box = Sealer(KEY, "attachments")
    assert encrypt_in_place(box, path, "attachment:old")
    assert is_encrypted(path)
    assert not encrypt_in_place(box, path, "attachment:old")  # idempotent
    assert box.read_bytes(path, "attachment:old") == b"%PDF-1.4 ondertekend plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.bin"]  # no leftovers


def test_the_key_lives_outside_the_data_folder_owner_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    config = init_data_dir(data_dir, None)
    key_path = Path(config["data_key_path"])
    assert not key_path.resolve().is_relative_to(data_dir.resolve())
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    assert load_settings(data_dir).data_key == read_key_file(key_path)
    # Running init again keeps the key.
    assert init_data_dir(data_dir, None)["data_key_path"] == str(key_path)
    assert load_settings(data_dir).data_key == read_key_file(key_path)

    with pytest.raises(SettingsError, match="buiten de gegevensmap"):
        init_data_dir(data_dir, None, data_dir / "key.key")


def test_a_missing_key_is_never_silently_replaced(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    config = init_data_dir(data_dir, None)
    key_path = Path(config["data_key_path"])
    Sealer(read_key_file(key_path), "attachments").write(
        data_dir / "attachments" / "a.bin", [b"x"], "attachment:a")
    key_path.unlink()
    with pytest.raises(SettingsError, match="ontbreekt"):
        load_settings(data_dir)
    with pytest.raises(SettingsError, match="versleutelde bijlagen"):
        init_data_dir(data_dir, None)
    assert not key_path.exists()


def test_create_key_file_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k.key"
    create_key_file(path)
    with pytest.raises(FileExistsError):
        create_key_file(path)
