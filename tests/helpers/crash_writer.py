"""Child process for the crash test: saves households forever, printing each id only after
its save has committed. The parent kills it with SIGKILL at a random moment."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers.factories import household, person
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import unlock


def main() -> None:
    paths = ProfilePaths(Path(sys.argv[1]))
    passphrase = Path(sys.argv[2]).read_text(encoding="utf-8").rstrip("\n")
    workspace = unlock(paths, passphrase)
    service = HouseholdService(workspace)
    n = 0
    while True:
        n += 1
        h = household(name=f"Huishouden Crashtest {n}", number=n % 999 + 1)
        service.create(h, [person(first="Anouk"), person(first="Bram")])
        print(h.id, flush=True)


if __name__ == "__main__":
    main()
