"""Write docs/screenshots/README.md: every screenshot, grouped, with a caption made from its
file name. Run after the scripts/screenshots*.py scripts (see scripts/screenshots_all.sh)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
GROUPS = [
    ("0", "Eerste start, ontgrendelen en hoofdvenster"),
    ("eerste-start", "Eerste start (wizard)"),
    ("intake", "Aanmelding (intake)"),
    ("huishouden", "Huishouden"),
    ("dialoog", "Dialogen op de huishoudpagina"),
    ("instrumenten", "ZRM en participatieladder"),
    ("plan-pagina", "Geprint ondersteuningsplan (PDF, pagina's)"),
    ("plan", "Ondersteuningsplan in de app"),
    ("sync", "Synchronisatie"),
    ("rollen", "Rollen: wat iemand mag"),
]


def caption(path: Path) -> str:
    words = path.stem.replace("-", " ").split()
    words = [w for w in words if not w.isdigit()]
    return " ".join(words).capitalize() or path.stem


def main() -> None:
    images = sorted(FOLDER.glob("*.png"))
    lines = ["# Screenshots", "",
             "Made offscreen by the `scripts/screenshots*.py` scripts "
             "(`bash scripts/screenshots_all.sh`), with fictitious demo data.", ""]
    used: set[Path] = set()
    for prefix, title in GROUPS:
        members = [p for p in images if p.name.startswith(prefix) and p not in used]
        if not members:
            continue
        lines += [f"## {title}", ""]
        for path in members:
            used.add(path)
            lines.append(f"**{caption(path)}**  ")
            lines.append(f"![{caption(path)}]({path.name})")
            lines.append("")
    rest = [p for p in images if p not in used]
    if rest:
        lines += ["## Overig", ""]
        for path in rest:
            lines += [f"**{caption(path)}**  ", f"![{caption(path)}]({path.name})", ""]
    (FOLDER / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(images)} screenshots in {FOLDER / 'README.md'}")


if __name__ == "__main__":
    main()
