"""Render every window and dialog of the UI to PNG files in docs/screenshots/ (offscreen).

Uses a throw-away profile in a temporary folder, an in-memory keyring and a fast key
derivation, filled with clearly invented households. Nothing touches the real profile or the
system keyring.

    python scripts/screenshots.py [output-folder]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tempfile
from datetime import date
from pathlib import Path

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import (
    KdfParams,
    LocalIdentity,
    Workspace,
    init_profile,
    unlock,
)
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog
from wijkteam_app.ui.main_window import MainWindow

PASSPHRASE = "voorbeeld wachtwoord 2026"  # noqa: S105 (throw-away demo profile)
FAST_KDF = KdfParams(time_cost=1, memory_cost_kib=1024, parallelism=1)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"

# (household, street, number, suffix, postcode, city, wijk, case status, members)
# Every name is invented; none belongs to a real person or address.
HOUSEHOLDS: list[tuple[str, str, int, str, str, str, str, CaseStatus | None,
                       list[tuple[str, str, str, date]]]] = [
    ("Familie Voorbeeld", "Proefstraat", 12, "A", "1234 AB", "Verzinstad", "Noord",
     CaseStatus.KEUKENTAFELGESPREK,
     [("Anouk", "", "Voorbeeld", date(1984, 3, 2)), ("Daan", "", "Voorbeeld",
                                                      date(2012, 6, 9))]),
    ("Familie Proefmans", "Testlaan", 3, "", "5678 CD", "Bedachtdorp", "Zuid",
     CaseStatus.PLAN, [("Bram", "", "Proefmans", date(1950, 11, 23))]),
    ("Familie de Verzinner", "Fictieweg", 41, "-2", "2345 EF", "Verzinstad", "Oost",
     CaseStatus.UITVOERING,
     [("Eva", "de", "Verzinner", date(1991, 1, 15)), ("Sem", "de", "Verzinner",
                                                       date(2015, 8, 1)),
      ("Noor", "de", "Verzinner", date(2018, 4, 30))]),
    ("Familie van Bedenkum", "Denkbeeldplein", 7, "", "3456 GH", "Verzinstad", "West",
     CaseStatus.AANGEMELD,
     [("Lotte", "van", "Bedenkum", date(1979, 9, 12)), ("Mees", "van", "Bedenkum",
                                                         date(1977, 2, 5))]),
    ("Familie Oefenaar", "Schijnkade", 118, "bis", "4567 JK", "Bedachtdorp", "Zuid", None,
     [("Ilse", "", "Oefenaar", date(1963, 7, 19))]),
    ("Familie Testerink", "Nepsingel", 22, "", "6789 LM", "Verzinstad", "Noord",
     CaseStatus.EVALUATIE,
     [("Jesse", "", "Testerink", date(1988, 12, 1)), ("Fleur", "", "Testerink",
                                                       date(1990, 5, 24)),
      ("Luuk", "", "Testerink", date(2019, 10, 3)), ("Tess", "", "Testerink",
                                                      date(2021, 3, 17))]),
    ("Familie Fictief-Jansma", "Verzonnenhof", 5, "B", "7890 NP", "Bedachtdorp", "Oost",
     CaseStatus.QUICKSCAN,
     [("Ruben", "", "Fictief", date(1995, 4, 8)), ("Sara", "", "Jansma", date(1996, 6, 6))]),
    ("Familie van der Probeer", "Proefstraat", 90, "", "1234 AC", "Verzinstad", "Noord",
     CaseStatus.AFGESLOTEN,
     [("Henk", "van der", "Probeer", date(1946, 1, 30))]),
]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps the profile secret in memory for the lifetime of this script."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)


def fill(workspace: Workspace) -> None:
    service = HouseholdService(workspace)
    for name, street, number, suffix, postcode, city, wijk, status, members in HOUSEHOLDS:
        household = Household(new_id(), name,
                              Address(street, number, suffix, postcode, city), wijk)
        people = [
            Person(new_id(), household.id, first, last,
                   HouseholdRole.HOOFDBEWONER if index == 0 else HouseholdRole.PARTNER
                   if born.year < 2000 else HouseholdRole.KIND,
                   name_prefix=prefix, birth_date=born)
            for index, (first, prefix, last, born) in enumerate(members)
        ]
        service.create(household, people)
        if status is not None:
            closed = date(2026, 1, 15) if status is CaseStatus.AFGESLOTEN else None
            service.save_case(Case(new_id(), household.id, workspace.team.id, workspace.actor_id,
                                   status, ReferralSource.HUISARTS, date(2025, 9, 1),
                                   closed_on=closed))


def settle(widget: QWidget) -> None:
    widget.show()
    for _ in range(5):
        QCoreApplication.processEvents()


def save(widget: QWidget, out: Path, name: str) -> None:
    settle(widget)
    path = out / name
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(MemoryKeyring())
    app = create_application()

    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        paths = ProfilePaths(Path(tmp) / "profiel")
        init_profile(paths, PASSPHRASE,
                     LocalIdentity(display_name="Fenna Voorbeeld", team_name="Wijkteam Noord"),
                     kdf=FAST_KDF)

        dialog = UnlockDialog(paths)
        save(dialog, out, "03-ontgrendelen.png")
        dialog.passphrase.setText("dit is niet het wachtwoord")
        dialog.unlock_button.click()
        save(dialog, out, "04-ontgrendelen-fout.png")
        dialog.close()

        workspace = unlock(paths, PASSPHRASE)
        fill(workspace)
        window = MainWindow(workspace)
        save(window, out, "05-hoofdvenster.png")
        window.search.setText("Niemand Bestaandnaam")
        window.caseload.refresh()
        save(window, out, "06-hoofdvenster-geen-resultaat.png")
        window.resize(1366, 740)
        window.search.setText("")
        window.caseload.refresh()
        window.table.selectRow(2)
        window.table.setFocus()
        save(window, out, "07-hoofdvenster-1366.png")
        window.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
