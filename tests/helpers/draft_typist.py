"""Child process for the draft-after-kill test: opens the profile, opens the intake wizard,
types like a person (QTest key clicks), waits until the draft was written, prints "TYPED" and
then blocks until the parent kills it with SIGKILL.

    python -m tests.helpers.draft_typist <profile folder> <passphrase file>
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.profile import unlock
from wijkteam_app.ui.dialogs.intake_wizard import IntakeWizard

STREET = "Proefstraat"
FIRST_NAME = "Anouk"
LAST_NAME = "Voorbeeld"
REFERRER = "Huisartsenpraktijk Voorbeeldstad"
DEADLINE_SECONDS = 30.0


def main() -> int:
    paths = ProfilePaths(Path(sys.argv[1]))
    passphrase = Path(sys.argv[2]).read_text(encoding="utf-8").rstrip("\n")
    _app = QApplication(sys.argv[:1])  # kept referenced for the life of the process
    workspace = unlock(paths, passphrase)
    wizard = IntakeWizard(workspace)
    wizard.show()
    QTest.qWaitForWindowExposed(wizard)

    QTest.keyClicks(wizard.referrer, REFERRER)
    QTest.keyClick(wizard.referrer, Qt.Key.Key_Return)  # on to the household step
    QTest.keyClicks(wizard.street, STREET)
    row = wizard.member_rows[0]
    QTest.keyClicks(row.first_name, FIRST_NAME)
    QTest.keyClicks(row.last_name, LAST_NAME)

    # The keeper saves shortly after the last keystroke; wait for that save, not a fixed time.
    baseline = wizard.keeper.saves
    deadline = time.monotonic() + DEADLINE_SECONDS
    while wizard.keeper.saves <= baseline:
        if time.monotonic() > deadline:
            print("NO DRAFT", flush=True)
            return 1
        QTest.qWait(10)  # runs the event loop (the keeper's timer) until the condition holds
    print("TYPED", flush=True)
    threading.Event().wait()  # block: the parent ends this process with SIGKILL
    return 0


if __name__ == "__main__":
    sys.exit(main())
