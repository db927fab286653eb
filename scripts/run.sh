#!/usr/bin/env bash
# First command of the README: set everything up and start Wijkteam (offline, local case
# file). Extra arguments go to `wijkteam`, e.g.  scripts/run.sh --data-dir /tmp/probeer
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" app

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "Geen beeldscherm gevonden (DISPLAY/WAYLAND_DISPLAY). Start Wijkteam vanuit een" >&2
  echo "bureaubladsessie, of probeer zonder scherm: QT_QPA_PLATFORM=offscreen $0" >&2
  exit 1
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "Geen D-Bus-sessie: de beveiligde sleutelopslag (gnome-keyring) is dan niet bereikbaar." >&2
  echo "Start Wijkteam vanuit een bureaubladsessie." >&2
  exit 1
fi
exec wijkteam "$@"
