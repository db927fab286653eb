"""Render the fictitious 5-goal sample plan and write one PNG per page (pdftoppm, 60 dpi).

    python scripts/plan_pdf_pages.py [output-folder]   (default: docs/screenshots)

Writes ``plan-pagina-N.png`` (and ``plan-voorbeeld.pdf`` in a temporary folder, removed
afterwards). Needs `pdftoppm` from poppler-utils. Everything in the plan is invented.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _screens import output_folder

from wijkteam_app.reports import render_plan_pdf
from wijkteam_app.reports.sample import sample_plan


def main(argv: list[str]) -> int:
    out = output_folder(argv[0] if argv else None)
    if shutil.which("pdftoppm") is None:
        print("pdftoppm ontbreekt (installeer poppler-utils)", file=sys.stderr)
        return 1
    sample = sample_plan()
    pdf = render_plan_pdf(sample.document, sample.settings)
    for old in out.glob("plan-pagina-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "plan-voorbeeld.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(Path(tmp) / "p")],
                       check=True)
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        for page in pages:
            number = int(page.stem.split("-")[-1])
            shutil.copyfile(page, out / f"plan-pagina-{number}.png")
    print(f"{len(pages)} pagina's geschreven naar {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
