#!/usr/bin/env bash
# Regenerate every screenshot (offscreen) and the index in docs/screenshots/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export QT_QPA_PLATFORM=offscreen
for script in scripts/screenshots*.py scripts/plan_pdf_pages.py; do
  case "$script" in *screenshots_index.py) continue ;; esac
  echo "==> $script"
  python "$script"
done
python scripts/screenshots_index.py
