"""The dashboard reads the case file on a snapshot of its own: a save on another thread goes
on meanwhile (the window never waits for the dashboard), and the snapshot keeps seeing the
file as it was when it began."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from tests.conftest import FAST_KDF, PASSPHRASE
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import LocalIdentity, init_profile, unlock


def test_a_save_is_not_held_up_by_an_open_snapshot(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "profiel")
    init_profile(paths, PASSPHRASE, LocalIdentity(), kdf=FAST_KDF)
    ws = unlock(paths, PASSPHRASE, lambda: date(2026, 12, 1))
    houses = HouseholdService(ws)
    opened, release, seen = threading.Event(), threading.Event(), []

    def read_slowly() -> None:
        with ws.casefile.snapshot() as conn:
            seen.append(conn.execute("SELECT count(*) FROM households").fetchone()[0])
            opened.set()
            release.wait(30)
            seen.append(conn.execute("SELECT count(*) FROM households").fetchone()[0])

    reader = threading.Thread(target=read_slowly)
    reader.start()
    try:
        assert opened.wait(30)
        saved = threading.Thread(target=lambda: houses.create(
            Household(new_id(), "Huishouden Proef",
                      Address("Proefstraat", 1, "", "1234 AB", "Voorbeeldstad"), "Noord"),
            [Person(new_id(), "", "Anouk", "Proef", HouseholdRole.HOOFDBEWONER)]))
        saved.start()
        saved.join(30)
        # The save is done while the snapshot is still open...
        assert not saved.is_alive() and reader.is_alive()
        assert len(houses.list()) == 1
    finally:
        release.set()
        reader.join(30)
    # ... and the snapshot saw the file as it was when it began.
    assert seen == [0, 0]
    with ws.casefile.snapshot() as conn:
        assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == 1
    ws.close()
