"""Render every window and dialog of the UI to PNG files in docs/screenshots/ (offscreen).

Uses a throw-away profile in a temporary folder, an in-memory keyring and a fast key
derivation, filled with clearly invented households. Nothing touches the real profile or the
system keyring.

    python scripts/screenshots.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date

from _screens import PASSPHRASE, new_profile, output_folder, save, settle, use_memory_keyring

from wijkteam_app.domain.cases import Case, CaseStatus, ReferralSource
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace, unlock
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockDialog
from wijkteam_app.ui.main_window import MainWindow

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


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
    app = create_application()

    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        paths = new_profile(tmp)

        dialog = UnlockDialog(paths)
        save(dialog, out, "03-ontgrendelen.png")
        dialog.passphrase.setText("dit is niet het wachtwoord")
        dialog.unlock_button.click()
        save(dialog, out, "04-ontgrendelen-fout.png")
        dialog.close()

        workspace = unlock(paths, PASSPHRASE)
        fill(workspace)
        workspace.close()
        # Started with a passphrase file: the window paints first, then opens the file.
        opening = MainWindow(opener=lambda: unlock(paths, PASSPHRASE))
        opening.resize(1280, 760)
        path = out / "05-hoofdvenster-openen.png"
        if not opening.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path)
        settle(opening)
        while not opening.is_ready:
            app.processEvents()
        opening.close()
        app.processEvents()

        workspace = unlock(paths, PASSPHRASE)
        window = MainWindow(workspace)
        settle(window)
        while not window.is_ready:
            app.processEvents()
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
