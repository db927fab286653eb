"""The inzage export as a readable PDF: everything stored about one person, in sections.

Plain data in (an `InzageDocument` of sections with rows of label/value texts, built by the
service), PDF bytes out. The document metadata names no one: title and subject are generic,
the person's name is only on the pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wijkteam_app.reports.fonts import BOLD, REGULAR, register_fonts


@dataclass(frozen=True, slots=True)
class InzageSection:
    title: str
    intro: str = ""
    columns: tuple[str, ...] = ()  # a table when set, else label/value rows
    rows: tuple[tuple[str, ...], ...] = ()
    empty_text: str = "Niets vastgelegd."
    weights: tuple[float, ...] = ()  # relative column widths (equal when empty)


@dataclass(frozen=True, slots=True)
class InzageDocument:
    heading: str  # e.g. "Inzage in uw gegevens"
    person_name: str
    municipality: str
    made_on: str
    made_by: str
    intro: str
    sections: Sequence[InzageSection] = field(default_factory=tuple)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=17, leading=21,
                             spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=12, leading=15,
                             spaceBefore=10, spaceAfter=4, textColor=colors.HexColor("#1f3a5f")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _section(section: InzageSection, st: dict[str, ParagraphStyle],
             width: float) -> list[Flowable]:
    out: list[Flowable] = [_p(section.title, st["h2"])]
    if section.intro:
        out.append(_p(section.intro, st["small"]))
        out.append(Spacer(1, 3))
    if not section.rows:
        out.append(_p(section.empty_text, st["small"]))
        return out
    if section.columns:
        data = [[_p(c, st["head"]) for c in section.columns]]
        data += [[_p(v, st["cell"]) for v in row] for row in section.rows]
        weights = section.weights or (1.0,) * len(section.columns)
        widths = [width * w / sum(weights) for w in weights]
    else:
        data = [[_p(row[0], st["head"]), _p(row[1] if len(row) > 1 else "", st["cell"])]
                for row in section.rows]
        widths = [width * 0.3, width * 0.7]
    table = Table(data, colWidths=widths, repeatRows=1 if section.columns else 0)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c3ccd5")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6") if section.columns
         else colors.white),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    out.append(table)
    return out


def render_inzage_pdf(doc: InzageDocument) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
        bottomMargin=2 * cm,
        title="Inzage persoonsgegevens",  # no name in the metadata
        author=doc.municipality or "Wijkteam",
        subject="Inzageverzoek (AVG art. 15)",
        creator="Wijkteam",
        lang="nl-NL",
        invariant=1,
    )
    st = _styles()
    width = A4[0] - 4 * cm
    story: list[Flowable] = [
        _p(doc.heading, st["h1"]),
        _p(doc.person_name, st["h2"]),
        _p(f"{doc.municipality} · gemaakt op {doc.made_on} door {doc.made_by}", st["small"]),
        Spacer(1, 6),
        _p(doc.intro, st["base"]),
    ]
    for section in doc.sections:
        parts = _section(section, st, width)
        story.append(KeepTogether(parts[:2]))
        story += parts[2:]
    template.build(story)
    return buffer.getvalue()
