"""Render the sync state in the main window to PNG files in docs/screenshots/ (offscreen):
the status bar with a record in quarantine, and the quarantine dialog.

A real `wijkteam-server` process on loopback (throw-away folder), two throw-away laptops with
an in-memory keyring; one record is spoiled by writing straight into the server's database,
as a server that still accepted anything would have it.

    python scripts/screenshots_sync.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from _screens import FAST_KDF, PASSPHRASE, output_folder, save, settle, use_memory_keyring
from PySide6.QtCore import QCoreApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server.conftest import start_server, stop_server  # noqa: E402
from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource  # noqa: E402
from wijkteam_app.domain.ids import new_id  # noqa: E402
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.services.households import HouseholdService  # noqa: E402
from wijkteam_app.services.profile import LocalIdentity, init_profile, unlock  # noqa: E402
from wijkteam_app.services.sync import SyncService  # noqa: E402
from wijkteam_app.ui.app import create_application  # noqa: E402
from wijkteam_app.ui.main_window import MainWindow  # noqa: E402
from wijkteam_server import admin  # noqa: E402
from wijkteam_server.db import write_session  # noqa: E402
from wijkteam_server.models import EntityRow  # noqa: E402
from wijkteam_server.sync_engine import log_change  # noqa: E402

SERVER_PASSWORD = "een-lang-schermafdruk-wachtwoord"  # noqa: S105 (throw-away server)


def main() -> int:
    out = output_folder(sys.argv[1] if len(sys.argv) > 1 else None)
    use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-sync-") as tmp:
        root = Path(tmp)
        server = start_server(root / "server", None)
        try:
            admin.add_team(server.engine, "Wijkteam Noord")
            admin.add_user(server.engine, "fenna", "Wijkteam Noord", "wijkwerker",
                           SERVER_PASSWORD, display_name="Fenna Voorbeeld")
            laptops = []
            for name in ("werkplek", "laptop"):
                paths = ProfilePaths(root / name)
                init_profile(paths, PASSPHRASE, LocalIdentity(), kdf=FAST_KDF)
                workspace = unlock(paths, PASSPHRASE)
                service = SyncService(workspace, device_name=name)
                service.login(server.base_url, "fenna", SERVER_PASSWORD)
                laptops.append((workspace, service))
            (author, author_sync), (workspace, service) = laptops
            households = HouseholdService(author)
            spoiled = ""
            for n, (name, street) in enumerate([("Familie Voorbeeld", "Proefstraat"),
                                                ("Familie Proefmans", "Testlaan"),
                                                ("Familie de Verzinner", "Fictieweg")]):
                household = Household(new_id(), name, Address(street, 10 + n, "", "1234 AB",
                                                              "Verzinstad"), "Noord")
                households.create(household, [Person(
                    new_id(), household.id, "Anouk", name.split()[-1],
                    HouseholdRole.HOOFDBEWONER)])
                households.save_case(Case(new_id(), household.id, author.team.id,
                                          author.worker.id, CaseStatus.AANGEMELD,
                                          ReferralSource.HUISARTS, author.today()))
                spoiled = household.id if n == 1 else spoiled
            assert author_sync.sync_once().ok
            assert service.sync_once().ok
            with write_session(server.engine) as session:
                row = session.get(EntityRow, ("household", spoiled))
                assert row is not None
                row.version += 1
                row.data = {**row.data, "postcode": {"straat": "x"}}
                log_change(session, changeset_id=None, origin_device_id=None, actor_id=None,
                           entity="household", entity_id=spoiled,
                           household_id=row.household_id, op="update",
                           version=row.version, fields={"postcode": {"straat": "x"}})
            author_sync.close()
            author.close()
            service.close()

            window = MainWindow(workspace)
            window.resize(1280, 720)
            settle(window)
            deadline = time.monotonic() + 60
            while "quarantaine" not in window.offline_label.text():
                if time.monotonic() > deadline:
                    raise SystemExit("the sync did not finish")
                QCoreApplication.processEvents()
                time.sleep(0.02)
            save(window, out, "synchronisatie-1-quarantaine-statusbalk.png")
            save(window.quarantine_box(), out, "synchronisatie-2-quarantaine.png")
            window.close()
        finally:
            stop_server(server)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
