"""Render the dialog that shares the contact details of the professionals involved with a
household (offscreen) to PNG files in docs/screenshots/: blocked (whose consent is missing,
and why) and allowed (the details shown, ready to copy).

Uses a throw-away profile with invented demo households, an in-memory keyring and a fast key
derivation; nothing touches the real profile or the system keyring.

    python scripts/screenshots_share_contacts.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from _screens import new_workspace, output_folder, save, use_memory_keyring

from wijkteam_app.domain.cases import Consent
from wijkteam_app.domain.consent import STANDARD_PURPOSE, Use
from wijkteam_app.domain.ids import new_id
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.dialogs.share_dialog import ShareContactsDialog

RECIPIENT = "Huisartsenpraktijk Voorbeeldstad"
CONTACTS = ["06-12345678, {initial}.voorbeeld@praktijk.example",
            "020-1234567, team@voorbeeldstad.example",
            "06-87654321"]


def share_shots(workspace: Workspace, out: Path) -> None:
    households = HouseholdService(workspace)
    today = workspace.today()
    # A household with a minor (the holders of gezag consent for them) and professionals.
    detail = next(d for d in (households.get(h.id) for h in households.list(limit=100))
                  if len(d.professionals) >= 2 and len(d.members) > 1
                  and any(m.is_minor_on(today) for m in d.members))
    for n, pro in enumerate(detail.professionals):
        contact = CONTACTS[n % len(CONTACTS)].format(initial=(pro.name or "x")[0].lower())
        households.save_professional(replace(pro, contact=contact))
    dialog = ShareContactsDialog(workspace, detail.household.id)
    dialog.recipient.setEditText(RECIPIENT)
    save(dialog, out, "share-contacts-blocked.png")
    for member in detail.members:
        households.save_consent(Consent(
            new_id(), detail.household.id, member.id, RECIPIENT, STANDARD_PURPOSE[Use.CONTACT],
            today - timedelta(days=7), workspace.actor_id, "schriftelijk"))
    dialog.refresh()
    dialog.share_button.click()
    dialog.copy_button.click()
    save(dialog, out, "share-contacts-allowed.png")
    dialog.close()


def main(argv: list[str]) -> int:
    out = output_folder(argv[1] if len(argv) > 1 else None)
    use_memory_keyring()
    create_application()
    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = new_workspace(tmp)
        fill_demo(workspace, households=8)
        share_shots(workspace, out)
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
