"""The half-year (or annual) report as PDF, in the house style of the plan PDF.

Same page, fonts, colours, table style and header/footer scheme as `plan_pdf` (whose
helpers it uses): the municipality on every page, "Pagina x van y", embedded Vera fonts only.
Input is a `SteeringReport` of already suppressed, already formatted strings; nothing else
reaches the page. Same input, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
)

from wijkteam_app.reports.fonts import BOLD, REGULAR, register_fonts
from wijkteam_app.reports.plan_pdf import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    SHADE,
    _canvas_class,
    _Styles,
    _table,
    long_date,
    text,
)
from wijkteam_app.reports.steering_document import ReportTable, SteeringReport


def _decorator(report: SteeringReport) -> Callable[[Canvas, int, int], None]:
    right = f"{report.period_label} · peildatum {long_date(report.peildatum)}"

    def decorate(canv: Canvas, number: int, total: int) -> None:
        canv.saveState()
        top = PAGE_HEIGHT - 1.3 * cm
        canv.setFillColor(ACCENT)
        canv.setFont(BOLD, 12)
        canv.drawString(MARGIN_X, top - 0.1 * cm, report.municipality_name)
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, 8.5)
        canv.drawString(MARGIN_X, top - 0.55 * cm, f"Sociaal wijkteam · {report.title}")
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 0.1 * cm, right)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 0.55 * cm,
                             f"Opgesteld {long_date(report.generated_on)}")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, PAGE_HEIGHT - 2.2 * cm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 2.2 * cm)
        canv.line(MARGIN_X, 1.55 * cm, PAGE_WIDTH - MARGIN_X, 1.55 * cm)
        canv.setFont(BOLD, 8)
        canv.setFillColor(INK)
        canv.drawString(MARGIN_X, 1.1 * cm, "Geaggregeerde cijfers")
        canv.setFont(REGULAR, 8)
        canv.drawCentredString(PAGE_WIDTH / 2, 1.1 * cm, "Aantallen onder 5 staan als <5")
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, 1.1 * cm, f"Pagina {number} van {total}")
        canv.restoreState()

    return decorate


def _report_table(table: ReportTable, st: _Styles) -> list[Flowable]:
    columns = len(table.columns)
    weights = table.widths or (3.0, *([1.0] * (columns - 1)))
    unit = CONTENT_WIDTH / sum(weights)
    widths = [w * unit for w in weights]
    head_right = ParagraphStyle("cell_head_right", parent=st.cell_head, alignment=TA_RIGHT)
    rows: list[list[Any]] = [[Paragraph(text(c), st.cell_head if n == 0 else head_right)
                              for n, c in enumerate(table.columns)]]
    for row in table.rows:
        cells: list[Any] = [Paragraph(text(row[0]), st.cell)]
        cells += [Paragraph(text(value), st.cell_right) for value in row[1:]]
        rows.append(cells)
    out: list[Flowable] = [Paragraph(text(table.title), st.h2), _table(rows, widths)]
    if table.note:
        out.append(Paragraph(text(table.note), st.muted))
    return [KeepTogether(out)]


def build_story(report: SteeringReport) -> list[Flowable]:
    register_fonts()
    st = _Styles()
    story: list[Flowable] = [
        Paragraph(text(report.title), st.title),
        Paragraph(text(report.subtitle), st.subtitle),
        Paragraph(
            f"Periode {report.period_start:%d-%m-%Y} tot en met {report.period_end:%d-%m-%Y}, "
            f"peildatum {long_date(report.peildatum)}. Deze rapportage bevat alleen "
            "geaggregeerde cijfers: geen namen, adressen, BSN of geboortedata. Kleine aantallen "
            "zijn afgeschermd; zie de verantwoording achteraan.", st.muted),
        Spacer(1, 3 * mm),
    ]
    story += _report_table(report.overview, st)
    for group in report.groups:
        story.append(CondPageBreak(8 * cm))
        story.append(Paragraph(text(group.name), st.h1))
        for table in group.tables:
            story += _report_table(table, st)
    story.append(CondPageBreak(6 * cm))
    story.append(Paragraph("Verantwoording", st.h1))
    story += [Paragraph(text(p), st.para) for p in report.method]
    story.append(Paragraph("Definities", st.h2))
    definitions = [[Paragraph(text(label), st.cell_bold), Paragraph(text(meaning), st.cell)]
                   for label, meaning in report.definitions]
    if definitions:
        story.append(_table(definitions, (5.2 * cm, CONTENT_WIDTH - 5.2 * cm), header=False,
                            extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)], zebra=False))
    return story


def render_steering_pdf(report: SteeringReport) -> bytes:
    """The report as PDF bytes. Deterministic: the same input gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{report.title}, {report.period_label}",
        author=report.municipality_name,
        subject=f"{report.title} {report.municipality_name}; geaggregeerde cijfers",
        creator="Wijkteam", keywords="rapportage, geaggregeerd", lang="nl-NL", invariant=1,
        initialFontName=REGULAR, initialFontSize=9.5, displayDocTitle=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH,
                  PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="inhoud", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="rapportage", frames=[frame])])
    template.build(build_story(report), canvasmaker=_canvas_class(_decorator(report)))
    return buffer.getvalue()
