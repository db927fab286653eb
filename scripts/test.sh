#!/usr/bin/env bash
# Second command of the README (and exactly what .ci/run runs): set up what the tests need
# and run the whole suite: ruff, mypy, import-linter, then pytest with a real Secret Service
# (gnome-keyring-daemon on a private D-Bus session bus) and Qt offscreen.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" test
cd "$WIJKTEAM_ROOT"

echo "==> ruff";          ruff check .
echo "==> mypy";          mypy
echo "==> import-linter"; lint-imports --no-cache

export QT_QPA_PLATFORM=offscreen
echo "==> pytest (met gnome-keyring op een eigen D-Bus-sessie)"
exec dbus-run-session -- bash -c '
  set -euo pipefail
  # A throw-away login keyring, unlocked with a throw-away password, for this run only.
  export XDG_DATA_HOME="$(mktemp -d)"
  eval "$(printf "wijkteam-ci-keyring" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  python -m pytest "$@"
' bash "$@"
