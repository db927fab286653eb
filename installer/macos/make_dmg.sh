#!/usr/bin/env bash
# Build, sign, notarise and package Wijkteam for macOS 12+ (run on a Mac; see README.md).
#
#   installer/macos/make_dmg.sh                      # unsigned .app and .dmg, for testing
#   SIGN_ID="Developer ID Application: Gemeente X (TEAMID)" \
#   INSTALLER_ID="Developer ID Installer: Gemeente X (TEAMID)" \
#   NOTARY_PROFILE=wijkteam-notary \
#   installer/macos/make_dmg.sh                      # signed, notarised .dmg and .pkg
#
# NOTARY_PROFILE is a keychain profile made once with
#   xcrun notarytool store-credentials wijkteam-notary --apple-id ... --team-id ... --password <app-specific>
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
"$PYTHON" installer/build.py
VERSION="$("$PYTHON" -c 'import wijkteam_app; print(wijkteam_app.__version__)')"
ARCH="$(uname -m)"
APP="dist/Wijkteam.app"
DMG="dist/wijkteam-$VERSION-macos-$ARCH.dmg"
PKG="dist/wijkteam-$VERSION-macos-$ARCH.pkg"
ENTITLEMENTS="installer/macos/entitlements.plist"

if [ -n "${SIGN_ID:-}" ]; then
  echo "==> ondertekenen: $SIGN_ID"
  # Inside out: every library and executable first, the bundle last. No --deep.
  find "$APP/Contents" -type f \( -name "*.dylib" -o -name "*.so" -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' file; do
      if file "$file" | grep -q "Mach-O"; then
        codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
                 --sign "$SIGN_ID" "$file"
      fi
    done
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
           --sign "$SIGN_ID" "$APP"
  codesign --verify --strict --deep --verbose=2 "$APP"
fi

echo "==> schijfkopie maken: $DMG"
STAGING="$(mktemp -d)"
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Programma's"
rm -f "$DMG"
hdiutil create -volname "Wijkteam $VERSION" -srcfolder "$STAGING" -ov -format UDZO "$DMG"

if [ -n "${INSTALLER_ID:-}" ]; then
  echo "==> installatiepakket maken voor MDM: $PKG"
  pkgbuild --component "$APP" --install-location /Applications \
           --identifier nl.wijkteam.desktop --version "$VERSION" \
           --sign "$INSTALLER_ID" --timestamp "$PKG"
fi

if [ -n "${SIGN_ID:-}" ]; then
  codesign --force --timestamp --sign "$SIGN_ID" "$DMG"
fi
if [ -n "${NOTARY_PROFILE:-}" ]; then
  for artefact in "$DMG" ${INSTALLER_ID:+"$PKG"}; do
    echo "==> notariseren: $artefact"
    xcrun notarytool submit "$artefact" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$artefact"
  done
  spctl --assess --type open --context context:primary-signature --verbose "$DMG"
fi
echo "Klaar:"
ls -1 "$DMG" ${INSTALLER_ID:+"$PKG"}
