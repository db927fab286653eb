"""Embedded TrueType fonts for every PDF we produce.

We use the Bitstream Vera fonts that ship inside the reportlab package (Bitstream Vera
licence, see ``reportlab/fonts/bitstream-vera-license.txt``); nothing is copied into this
repository. The 14 standard PDF fonts are never used: they are not embedded, so a printer
or archive may substitute them.
"""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "WijkteamSans"
BOLD = "WijkteamSans-Bold"
ITALIC = "WijkteamSans-Italic"
BOLD_ITALIC = "WijkteamSans-BoldItalic"

_FILES = {
    REGULAR: "Vera.ttf",
    BOLD: "VeraBd.ttf",
    ITALIC: "VeraIt.ttf",
    BOLD_ITALIC: "VeraBI.ttf",
}


def font_directory() -> Path:
    return Path(reportlab.__file__).resolve().parent / "fonts"


def register_fonts() -> None:
    """Register the family once per process (idempotent)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_directory() / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
