#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh. Idempotent and quick when nothing
# changed: installs missing Debian/Ubuntu packages, makes .venv, installs the project into it.
#   usage: source scripts/setup.sh [app|test]
set -euo pipefail

WIJKTEAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$WIJKTEAM_ROOT/.venv"
PROFILE="${1:-app}"

# Qt's xcb/offscreen plugins need these shared libraries on a minimal system.
APT_APP=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
         libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
         libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1
         fonts-dejavu-core gnome-keyring dbus-x11)
# The tests also need a real Secret Service, PDF tools and PostgreSQL.
APT_TEST=(poppler-utils qpdf postgresql)

need_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Installeer deze systeempakketten handmatig: ${missing[*]}" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "==> systeempakketten installeren: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "$PROFILE" = "test" ]; then
  apt_install "${APT_APP[@]}" "${APT_TEST[@]}"
else
  apt_install "${APT_APP[@]}"
fi

PYTHON="$(need_python || true)"
if [ -z "$PYTHON" ]; then
  apt_install python3 python3-venv
  PYTHON="$(need_python)" || { echo "Python 3.11 of nieuwer is nodig." >&2; exit 1; }
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> virtuele omgeving maken in .venv"
  "$PYTHON" -m venv "$VENV" || { apt_install python3-venv; "$PYTHON" -m venv "$VENV"; }
fi

# Reinstall only when the dependency list changed.
STAMP="$VENV/.installed-$PROFILE"
WANT="$(sha256sum "$WIJKTEAM_ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "==> Python-pakketten installeren"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  if [ "$PROFILE" = "test" ]; then
    "$VENV/bin/python" -m pip install -q -e "$WIJKTEAM_ROOT[dev,server]"
  else
    "$VENV/bin/python" -m pip install -q -e "$WIJKTEAM_ROOT"
  fi
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
