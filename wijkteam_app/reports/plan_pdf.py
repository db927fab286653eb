"""The ondersteuningsplan as PDF: A4, Dutch, embedded fonts, same input → same bytes.

Layout: a header with the municipality's name (and logo) on every page; a footer with
"Vertrouwelijk", "Versie N · vingerafdruk <12 hex>" and "Pagina x van y" on every page. The
sections follow brief §6: household and participants, the question, the situation (ZRM table
and chart, participatieladder), goals, agreements per goal in the eigen-kracht order, regie,
mandate and toets, evaluation, the resident's view, consent, signatures.

Only the embedded Vera TrueType family is used (`fonts.py`), also in tables and the chart,
and as the canvas's initial font, so no standard (non-embedded) font ends up in the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import ImageReader
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
    Table,
    TableStyle,
)

from wijkteam_app.domain.plans import (
    GoalResult,
    Horizon,
    PlanStatus,
    ResidentAgreement,
    short_fingerprint,
)
from wijkteam_app.reports.document import (
    DocGoal,
    DocPerson,
    DocProfessionalSupport,
    DocSigner,
    DocZrm,
    PlanDocument,
    ReportSettings,
)
from wijkteam_app.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2 * cm
MARGIN_TOP = 3.0 * cm
MARGIN_BOTTOM = 2.2 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
QUOTE_PAD = 3 * mm

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#0b5c75")
RULE = colors.HexColor("#b8c4ce")
GRID = colors.HexColor("#dde4ea")
SHADE = colors.HexColor("#eef3f6")
CURRENT_BAR = colors.HexColor("#0b5c75")
TARGET_BAR = colors.HexColor("#8cc5a6")

STATUS_LABELS: dict[PlanStatus, str] = {
    PlanStatus.CONCEPT: "Concept",
    PlanStatus.TER_BEOORDELING: "Ter beoordeling",
    PlanStatus.GOEDGEKEURD: "Goedgekeurd",
    PlanStatus.TERUGGESTUURD: "Teruggestuurd",
    PlanStatus.TER_ONDERTEKENING: "Ter ondertekening",
    PlanStatus.ONDERTEKEND: "Ondertekend",
    PlanStatus.IN_UITVOERING: "In uitvoering",
    PlanStatus.GEEVALUEERD: "Geëvalueerd",
    PlanStatus.AFGESLOTEN: "Afgesloten",
}
HORIZON_LABELS: dict[Horizon, str] = {
    Horizon.EERSTE_STAP: "Eerste stap",
    Horizon.DRIE_MAANDEN: "Over 3 maanden",
    Horizon.EEN_JAAR: "Over 1 jaar",
}
AGREEMENT_LABELS: dict[ResidentAgreement, str] = {
    ResidentAgreement.AKKOORD: "Akkoord",
    ResidentAgreement.AKKOORD_ONDER_PROTEST: "Akkoord onder protest",
    ResidentAgreement.NIET_AKKOORD: "Niet akkoord",
}
RESULT_LABELS: dict[GoalResult, str] = {
    GoalResult.BEHAALD: "Behaald",
    GoalResult.DEELS: "Deels behaald",
    GoalResult.NIET_BEHAALD: "Niet behaald",
}
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)
EIGEN_KRACHT_LABELS = (
    "1. Zelf",
    "2. Netwerk",
    "3. Voorliggende voorzieningen",
    "4. Professionele ondersteuning",
)


# --- formatting ----------------------------------------------------------------------------


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def euro(cents: int) -> str:
    """Dutch notation: € 1.234,56."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{sign}€ {grouped},{rest:02d}"


def text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(value.strip()).replace("\n", "<br/>")


# Quotation marks a person may type around their own words: (opening, closing).
_QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("„", "”"), ("„", "“"), ("'", "'"), ("‘", "’"),
                ("«", "»"), ("‚", "’"))


def quoted(value: str) -> str:
    """The resident's own words between Dutch quotation marks, once: quotes typed around
    the whole text are not doubled."""
    inner = value.strip()
    changed = True
    while changed and len(inner) >= 2:
        changed = False
        for opening, closing in _QUOTE_PAIRS:
            if inner.startswith(opening) and inner.endswith(closing):
                inner = inner[len(opening):len(inner) - len(closing)].strip()
                changed = True
                break
    return f"“{text(inner)}”"


# --- styles --------------------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK,
            bulletFontName=REGULAR,
        )
        self.body = base
        self.para = ParagraphStyle("para", parent=base, spaceAfter=1.5 * mm)
        self.small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BOLD)
        self.cell_head = ParagraphStyle(
            "cell_head", parent=self.cell, fontName=BOLD, textColor=colors.white
        )
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=20, leading=24, textColor=ACCENT,
            spaceAfter=2 * mm,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", parent=base, fontSize=12, leading=16, textColor=INK, spaceAfter=5 * mm
        )
        self.h1 = ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=13, leading=17, textColor=ACCENT,
            spaceBefore=7 * mm, spaceAfter=2.5 * mm, keepWithNext=1,
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=10.5, leading=14, textColor=INK,
            spaceBefore=4 * mm, spaceAfter=1.5 * mm, keepWithNext=1,
        )
        # The shaded box reaches `borderPadding` beyond the text on each side: indent the
        # text by exactly that much, so the box stands within the margins.
        self.quote = ParagraphStyle(
            "quote", parent=base, fontName=ITALIC, fontSize=10.5, leading=15,
            leftIndent=QUOTE_PAD, rightIndent=QUOTE_PAD,
            borderPadding=(2 * mm, QUOTE_PAD, 2 * mm, QUOTE_PAD),
            backColor=SHADE, spaceBefore=2.5 * mm, spaceAfter=3 * mm,
        )


def _table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    table = Table(list(map(list, rows)), colWidths=list(widths), repeatRows=1 if header else 0,
                  hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # also for any plain-string cell
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ]
    if zebra:
        start = 1 if header else 0
        for row in range(start + 1, len(rows), 2):
            style.append(("BACKGROUND", (0, row), (-1, row), SHADE))
    style += list(extra)
    table.setStyle(TableStyle(style))
    return table


# --- page decoration -----------------------------------------------------------------------


class _PlanCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Keeps finished pages until the end, so every footer can say "Pagina x van y"."""

    decorate: Callable[[Canvas, int, int], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab API
        self._pending.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pending)
        for number, state in enumerate(self._pending, start=1):
            self.__dict__.update(state)
            if self.decorate is not None:
                self.decorate(self, number, total)
            super().showPage()
        super().save()


def _canvas_class(decorate: Callable[[Canvas, int, int], None]) -> type[_PlanCanvas]:
    return type("_BoundPlanCanvas", (_PlanCanvas,), {"decorate": staticmethod(decorate)})


def _decorator(doc: PlanDocument, settings: ReportSettings) -> Callable[[Canvas, int, int], None]:
    logo = None
    if settings.logo_path is not None and settings.logo_path.is_file():
        logo = ImageReader(str(settings.logo_path))
    footer_mid = f"Versie {doc.version_number} · vingerafdruk {short_fingerprint(doc.fingerprint)}"

    def decorate(canv: Canvas, number: int, total: int) -> None:
        canv.saveState()
        top = PAGE_HEIGHT - 1.3 * cm
        text_x = MARGIN_X
        if logo is not None:
            width, height = logo.getSize()
            box_h = 1.2 * cm
            box_w = min(4 * cm, box_h * width / height)
            canv.drawImage(logo, MARGIN_X, PAGE_HEIGHT - 2.0 * cm, box_w, box_h,
                           preserveAspectRatio=True, anchor="sw", mask="auto")
            text_x = MARGIN_X + box_w + 4 * mm
        canv.setFillColor(ACCENT)
        canv.setFont(BOLD, 12)
        canv.drawString(text_x, top - 0.1 * cm, settings.municipality_name)
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, 8.5)
        canv.drawString(text_x, top - 0.55 * cm, "Sociaal wijkteam · Ondersteuningsplan")
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 0.1 * cm, doc.household_name)
        canv.drawRightString(
            PAGE_WIDTH - MARGIN_X, top - 0.55 * cm, f"Datum {long_date(doc.document_date)}"
        )
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, PAGE_HEIGHT - 2.2 * cm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 2.2 * cm)
        # footer
        canv.line(MARGIN_X, 1.55 * cm, PAGE_WIDTH - MARGIN_X, 1.55 * cm)
        canv.setFont(BOLD, 8)
        canv.setFillColor(INK)
        canv.drawString(MARGIN_X, 1.1 * cm, "Vertrouwelijk")
        canv.setFont(REGULAR, 8)
        canv.drawCentredString(PAGE_WIDTH / 2, 1.1 * cm, footer_mid)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, 1.1 * cm, f"Pagina {number} van {total}")
        canv.restoreState()

    return decorate


# --- sections ------------------------------------------------------------------------------


def _title_block(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    rows = [
        [Paragraph("Huishouden", st.cell_bold), Paragraph(text(doc.household_name), st.cell)],
        [Paragraph("Adres", st.cell_bold),
         Paragraph("<br/>".join(text(line) for line in doc.address_lines), st.cell)],
        [Paragraph("Wijk", st.cell_bold), Paragraph(text(doc.wijk), st.cell)],
        [Paragraph("Regisseur", st.cell_bold), Paragraph(text(doc.regisseur_name), st.cell)],
        [Paragraph("Versie en status", st.cell_bold),
         Paragraph(f"Versie {doc.version_number} · {STATUS_LABELS[doc.status]}", st.cell)],
        [Paragraph("Datum", st.cell_bold), Paragraph(long_date(doc.document_date), st.cell)],
        [Paragraph("Vingerafdruk", st.cell_bold),
         Paragraph(f"{short_fingerprint(doc.fingerprint)} "
                   f"<font color='#5f6b7a' size='7.5'>(SHA-256: {doc.fingerprint})</font>",
                   st.cell)],
    ]
    return [
        Paragraph("Ondersteuningsplan", st.title),
        Paragraph(text(_household_title(doc.household_name)), st.subtitle),
        _table(rows, (4 * cm, CONTENT_WIDTH - 4 * cm), header=False, zebra=False,
               extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        Spacer(1, 2 * mm),
        Paragraph(
            "Dit plan hebben we samen met u gemaakt. Het beschrijft uw vraag, wat u wilt "
            "bereiken en wie wat doet: eerst wat u zelf kunt, dan wat mensen om u heen doen, "
            "dan wat er in de wijk is, en pas daarna professionele ondersteuning.",
            st.muted,
        ),
    ]


def _person_rows(persons: Sequence[DocPerson], st: _Styles, show_bsn: bool) -> list[list[Any]]:
    head = ["Naam", "Rol", "Leeftijd", "Geboortedatum"] + (["BSN"] if show_bsn else [])
    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in head]]
    for person in persons:
        row: list[Any] = [
            Paragraph(text(person.name), st.cell),
            Paragraph(text(person.role), st.cell),
            Paragraph("" if person.age is None else f"{person.age} jaar", st.cell),
            Paragraph("" if person.birth_date is None else short_date(person.birth_date), st.cell),
        ]
        if show_bsn:
            row.append(Paragraph(text(person.bsn), st.cell))
        rows.append(row)
    return rows


def _household_section(doc: PlanDocument, st: _Styles, settings: ReportSettings) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("1. Het huishouden en wie meedeed", st.h1)]
    if doc.persons:
        widths = [6.4 * cm, 4 * cm, 2.6 * cm, 4 * cm]
        if settings.show_bsn:
            widths = [5.4 * cm, 3.2 * cm, 2.2 * cm, 3 * cm, 3.2 * cm]
        out.append(_table(_person_rows(doc.persons, st, settings.show_bsn), widths))
    if doc.participants:
        out.append(Paragraph("Aan dit plan werkten mee", st.h2))
        out.append(Paragraph(", ".join(text(p) for p in doc.participants), st.body))
    if doc.network:
        out.append(Paragraph("Netwerk", st.h2))
        rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                                  ("Naam", "Relatie", "Wat doet of kan deze persoon doen")]]
        rows += [[Paragraph(text(m.name), st.cell), Paragraph(text(m.relation), st.cell),
                  Paragraph(text(m.support), st.cell)] for m in doc.network]
        out.append(_table(rows, (4.5 * cm, 3.5 * cm, CONTENT_WIDTH - 8 * cm)))
    return out


def _question_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    return [
        KeepTogether([Paragraph("2. Uw vraag, in uw eigen woorden", st.h1),
                      Paragraph(quoted(doc.question), st.quote)]),
    ]


def _zrm_table(zrm: DocZrm, st: _Styles) -> Table:
    names = dict(zrm.level_names)

    def cell(value: int | None, missing: str) -> Paragraph:
        if value is None:
            return Paragraph(f"<font color='#5f6b7a'>{missing}</font>", st.cell)
        label = names.get(value)
        return Paragraph(f"<b>{value}</b>" + (f" · {escape(label)}" if label else ""), st.cell)

    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                              ("Leefgebied", "Score nu", "Doelscore")]]
    # No target is no verdict: "geen doelscore", not "niet besproken".
    rows += [[Paragraph(text(s.domain_name), st.cell), cell(s.current, "niet besproken"),
              cell(s.target, "geen doelscore")] for s in zrm.scores]
    return _table(rows, (5.4 * cm, 5.8 * cm, CONTENT_WIDTH - 11.2 * cm))


def _zrm_chart(zrm: DocZrm) -> Drawing:
    """Grouped bars (score now, target) per domain, built from plain shapes.

    Plain `reportlab.graphics` shapes instead of the VerticalBarChart widget: the same
    picture at a fraction of the rendering cost (the widget expands to ~100 nodes per chart).
    """
    width, height = CONTENT_WIDTH, 7.0 * cm
    left, bottom, top_pad = 0.8 * cm, 2.6 * cm, 0.9 * cm
    plot_w, plot_h = width - left - 0.2 * cm, height - bottom - top_pad
    drawing = Drawing(width, height, initialFontName=REGULAR, initialFontSize=7)
    unit = plot_h / 5
    for level in range(6):
        y = bottom + level * unit
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=GRID if level else RULE,
                         strokeWidth=0.4 if level else 0.6))
        drawing.add(String(left - 4, y - 2.5, str(level), fontName=REGULAR, fontSize=7,
                           fillColor=MUTED, textAnchor="end"))
    slot = plot_w / max(1, len(zrm.scores))
    bar_w = min(0.42 * cm, slot * 0.34)
    for i, score in enumerate(zrm.scores):
        centre = left + slot * (i + 0.5)
        for value, colour, offset in ((score.current, CURRENT_BAR, -bar_w - 0.5),
                                      (score.target, TARGET_BAR, 0.5)):
            if value:
                drawing.add(Rect(centre + offset, bottom, bar_w, value * unit,
                                 fillColor=colour, strokeColor=None))
        label = Group(String(0, 0, score.domain_name, fontName=REGULAR, fontSize=6.5,
                             fillColor=INK, textAnchor="end"))
        label.transform = (0.819, 0.574, -0.574, 0.819, centre + 2, bottom - 6)  # 35 degrees
        drawing.add(label)
    legend_y = height - 0.45 * cm
    for i, (colour, name) in enumerate(((CURRENT_BAR, "Score nu"), (TARGET_BAR, "Doelscore"))):
        x = left + i * 2.6 * cm
        drawing.add(Rect(x, legend_y, 8, 8, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 12, legend_y + 1, name, fontName=REGULAR, fontSize=7.5,
                           fillColor=INK))
    return drawing


def _situation_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("3. Uw situatie per leefgebied", st.h1)]
    if doc.situation:
        rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                                  ("Leefgebied", "Hoe het nu gaat")]]
        rows += [[Paragraph(text(s.domain_name), st.cell_bold), Paragraph(text(s.text), st.cell)]
                 for s in doc.situation]
        out.append(_table(rows, (4.5 * cm, CONTENT_WIDTH - 4.5 * cm)))
    for zrm in doc.zrm:
        out.append(CondPageBreak(9 * cm))
        out.append(Paragraph(f"Zelfredzaamheid-Matrix: {text(zrm.person_name)}", st.h2))
        out.append(Paragraph(
            f"{text(zrm.definition_name)} (versie {text(zrm.definition_version)}), ingevuld op "
            f"{long_date(zrm.assessed_on)}", st.muted))
        out.append(Spacer(1, 1.5 * mm))
        out.append(_zrm_table(zrm, st))
        out.append(Spacer(1, 3 * mm))
        out.append(KeepTogether([_zrm_chart(zrm), Paragraph(
            "Score 1 = acute problematiek, 2 = niet zelfredzaam, 3 = beperkt zelfredzaam, "
            "4 = voldoende zelfredzaam, 5 = volledig zelfredzaam. Een leefgebied zonder balk "
            "is niet besproken.", st.muted)]))
    if doc.ladder:
        out.append(Paragraph("Participatieladder", st.h2))
        rows = [[Paragraph(h, st.cell_head) for h in
                 ("Persoon", "Trede nu", "Haalbare trede", "Termijn")]]
        for lad in doc.ladder:
            potential = "" if lad.potential is None else (
                f"<b>{lad.potential}</b> · {escape(lad.potential_name)}")
            rows.append([
                Paragraph(text(lad.person_name), st.cell),
                Paragraph(f"<b>{lad.actual}</b> · {escape(lad.actual_name)}", st.cell),
                Paragraph(potential, st.cell),
                Paragraph("" if lad.horizon is None else f"tot {long_date(lad.horizon)}", st.cell),
            ])
        out.append(_table(rows, (4 * cm, 5 * cm, 5 * cm, CONTENT_WIDTH - 14 * cm)))
    return out


def _goals_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("4. Uw doelen", st.h1)]
    if not doc.goals:
        return [*out, Paragraph("Er zijn nog geen doelen afgesproken.", st.body)]
    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                              ("Nr.", "Leefgebied", "Doel", "Score nu", "Doelscore",
                               "Termijn")]]
    for number, goal in enumerate(doc.goals, start=1):
        rows.append([
            Paragraph(str(number), st.cell_bold),
            Paragraph(text(goal.domain_name), st.cell),
            Paragraph(text(goal.description) + _for_whom_markup(goal), st.cell),
            Paragraph(str(goal.current_level), st.cell),
            Paragraph(f"<b>{goal.target_level}</b>", st.cell),
            Paragraph(HORIZON_LABELS[goal.horizon], st.cell),
        ])
    widths = (1.0 * cm, 3.3 * cm, 6.1 * cm, 2.1 * cm, 2.1 * cm)
    out.append(_table(rows, (*widths, CONTENT_WIDTH - sum(widths))))
    return out


def _support_markup(support: DocProfessionalSupport) -> str:
    mandate = "" if support.within_mandate else (
        " · <font color='#a33a00'>buiten mandaat: gemeentelijke toets</font>")
    return (
        f"<b>{text(support.product_name)}</b> "
        f"<font color='#5f6b7a'>(productcode {escape(support.product_code)})</font><br/>"
        f"Door: {text(support.provider)}<br/>"
        f"Omvang: {support.volume} {escape(support.unit_name)} {escape(support.frequency_name)}"
        f" · van {short_date(support.start)} tot en met {short_date(support.end)}<br/>"
        f"Kosten: {euro(support.cost_cents)}{mandate}"
    )


def _goal_block(number: int, goal: DocGoal, st: _Styles) -> list[Flowable]:
    none = "<font color='#5f6b7a'>Niets afgesproken.</font>"
    netwerk = "<br/>".join(
        f"<b>{text(t.member_name)}</b>: {text(t.task)}" for t in goal.netwerk) or none
    voorzieningen = "<br/>".join(
        f"<b>{text(p.name)}</b>"
        + (f" ({text(p.provider)})" if p.provider else "")
        + (f": {text(p.note)}" if p.note else "")
        for p in goal.voorzieningen) or none
    professional = "<br/><br/>".join(_support_markup(s) for s in goal.professioneel) or none
    rows = [
        [Paragraph(EIGEN_KRACHT_LABELS[0], st.cell_bold),
         Paragraph(text(goal.zelf) or none, st.cell)],
        [Paragraph(EIGEN_KRACHT_LABELS[1], st.cell_bold), Paragraph(netwerk, st.cell)],
        [Paragraph(EIGEN_KRACHT_LABELS[2], st.cell_bold), Paragraph(voorzieningen, st.cell)],
        [Paragraph(EIGEN_KRACHT_LABELS[3], st.cell_bold), Paragraph(professional, st.cell)],
    ]
    if goal.evaluation is not None:
        ev = goal.evaluation
        when = f" ({long_date(ev.evaluated_on)})" if ev.evaluated_on else ""
        rows.append([Paragraph("Evaluatie", st.cell_bold), Paragraph(
            f"<b>{RESULT_LABELS[ev.result]}</b>{when}"
            + (f": {text(ev.note)}" if ev.note else ""), st.cell)])
    heading = Paragraph(
        f"Doel {number}: {text(goal.domain_name)} "
        f"<font size='8.5' color='#5f6b7a'>· {HORIZON_LABELS[goal.horizon]} · score nu "
        f"{goal.current_level}, doel {goal.target_level}</font>", st.h2)
    table = _table(rows, (4.6 * cm, CONTENT_WIDTH - 4.6 * cm), header=False, zebra=False,
                   extra=[("BACKGROUND", (0, 0), (0, -1), SHADE),
                          ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT)])
    return [KeepTogether([heading, Paragraph(text(goal.description) + _for_whom_markup(goal),
                                             st.body),
                          Spacer(1, 1.5 * mm), table])]


def _for_whom_markup(goal: DocGoal) -> str:
    """"Voor: Noor de Vries" under a goal that is for some members (none: the household)."""
    if not goal.for_whom:
        return ""
    return f"<br/><font color='#5f6b7a'>Voor: {', '.join(text(n) for n in goal.for_whom)}</font>"


def _agreements_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph("5. Wie doet wat", st.h1),
        Paragraph("Per doel staat hieronder wie wat doet, in deze volgorde: wat u zelf doet, "
                  "wat mensen uit uw netwerk doen, welke voorzieningen in de wijk helpen en "
                  "welke professionele ondersteuning nodig is.", st.body),
    ]
    for number, goal in enumerate(doc.goals, start=1):
        out += _goal_block(number, goal, st)
    return out


def _regie_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph("6. Regie en betrokken professionals", st.h1),
        Paragraph(f"Uw regisseur is <b>{text(doc.regisseur_name)}</b> "
                  f"({text(doc.regisseur_role)}). De regisseur houdt het overzicht en is uw "
                  "vaste aanspreekpunt.", st.body),
    ]
    if doc.professionals:
        rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                                  ("Organisatie", "Naam", "Functie", "Contact")]]
        rows += [[Paragraph(text(p.organisation), st.cell), Paragraph(text(p.name), st.cell),
                  Paragraph(text(p.discipline), st.cell), Paragraph(text(p.contact), st.cell)]
                 for p in doc.professionals]
        out += [Spacer(1, 2 * mm),
                _table(rows, (4.6 * cm, 3.8 * cm, 3.8 * cm, CONTENT_WIDTH - 12.2 * cm))]
    return out


def _mandate_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("7. Mandaat en gemeentelijke toets", st.h1)]
    supports = [s for g in doc.goals for s in g.professioneel]
    total = sum(s.cost_cents for s in supports)
    if not supports:
        out.append(Paragraph("In dit plan is geen professionele ondersteuning opgenomen.",
                             st.para))
        return out
    out.append(Paragraph(
        f"De professionele ondersteuning in dit plan kost in totaal <b>{euro(total)}</b>.",
        st.para))
    if not doc.toets_needed:
        out.append(Paragraph("Alle professionele ondersteuning valt binnen het mandaat van de "
                             "regisseur. Een gemeentelijke toets is niet nodig.", st.para))
        return out
    outside = ", ".join(text(s.product_name) for s in supports if not s.within_mandate)
    out.append(Paragraph(
        "Een deel van de ondersteuning valt buiten het mandaat van de regisseur"
        + (f" ({outside})" if outside else "")
        + ". Daarom toetst een medewerker van de gemeente, niet de regisseur, dit plan.",
        st.para))
    if doc.toets is None:
        out.append(Paragraph("<b>De gemeentelijke toets is nog niet gedaan.</b>", st.para))
    else:
        t = doc.toets
        decision = "positief" if t.positive else "negatief"
        out.append(Paragraph(
            f"Getoetst door <b>{text(t.toetser_name)}</b> op {long_date(t.decided_on)}: "
            f"<b>{decision}</b>." + (f" {text(t.note)}" if t.note else ""), st.para))
    return out


def _evaluation_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    dates = ", ".join(long_date(d) for d in doc.evaluation_dates) or "nog niet afgesproken"
    label = "Evaluatiedatum" if len(doc.evaluation_dates) == 1 else "Evaluatiedata"
    return [
        Paragraph("8. Evaluatie", st.h1),
        Paragraph(f"{label}: <b>{dates}</b>", st.body),
        Spacer(1, 1.5 * mm),
        Paragraph(text(doc.evaluation_method), st.body),
    ]


def _view_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    agreement = (AGREEMENT_LABELS[doc.resident_agreement] if doc.resident_agreement
                 else "nog niet vastgelegd")
    out: list[Flowable] = [
        Paragraph("9. Uw mening over dit plan", st.h1),
        Paragraph(f"Uw oordeel: <b>{agreement}</b>", st.body),
    ]
    if doc.resident_words.strip():
        out.append(Paragraph(quoted(doc.resident_words), st.quote))
    return [KeepTogether(out)]  # the heading never stands alone at the foot of a page


def _consent_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("10. Toestemming voor het delen van gegevens", st.h1)]
    if not doc.consents:
        out.append(Paragraph("U heeft geen toestemming gegeven om gegevens te delen. Wij delen "
                             "alleen gegevens als de wet dat verplicht.", st.body))
        return out
    out.append(Paragraph("U geeft toestemming om gegevens te delen met deze ontvangers, alleen "
                         "voor het genoemde doel. U kunt uw toestemming altijd intrekken.",
                         st.body))
    rows: list[list[Any]] = [[Paragraph(h, st.cell_head) for h in
                              ("Ontvanger", "Doel", "Toestemming gegeven door")]]
    rows += [[Paragraph(text(c.recipient), st.cell), Paragraph(text(c.purpose), st.cell),
              Paragraph(text(c.given_by), st.cell)] for c in doc.consents]
    out += [Spacer(1, 2 * mm), _table(rows, (4.6 * cm, CONTENT_WIDTH - 9.2 * cm, 4.6 * cm))]
    return out


def _signature_box(signer: DocSigner, st: _Styles) -> Table:
    rows = [
        [Paragraph(f"<b>{text(signer.name)}</b>", st.cell), ""],
        [Paragraph(text(signer.role), st.muted), ""],
        [Paragraph("Datum", st.cell), ""],
        [Paragraph("Plaats", st.cell), ""],
        [Paragraph("Handtekening", st.cell), ""],
        ["", ""],
    ]
    box = Table(rows, colWidths=[2.9 * cm, 4.9 * cm], rowHeights=[None, None, 20, 20, 40, 6])
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (0, 1), (-1, 1)),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (-1, 1), SHADE),
        ("LINEBELOW", (1, 2), (1, 4), 0.7, INK),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return box


def _signature_section(doc: PlanDocument, st: _Styles) -> list[Flowable]:
    intro = [
        Paragraph("11. Ondertekening", st.h1),
        Paragraph(
            f"Met uw handtekening geeft u aan dat dit plan (versie {doc.version_number}, "
            f"vingerafdruk {short_fingerprint(doc.fingerprint)}) samen met u is gemaakt. Uw "
            "mening over het plan staat in onderdeel 9. Wordt het plan later gewijzigd, dan "
            "komt er een nieuwe versie die opnieuw wordt ondertekend.", st.body),
        Spacer(1, 3 * mm),
    ]
    if not doc.signers:
        return [*intro, Paragraph("Er zijn nog geen ondertekenaars bepaald.", st.body)]
    boxes: list[Any] = [_signature_box(s, st) for s in doc.signers]
    if len(boxes) % 2:
        boxes.append("")
    pairs = [boxes[i:i + 2] for i in range(0, len(boxes), 2)]
    rows: list[Flowable] = []
    for pair in pairs:
        row = Table([pair], colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2], hAlign="LEFT")
        row.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        rows.append(row)
    return [KeepTogether([*intro, rows[0]]), *rows[1:]]


def build_story(doc: PlanDocument, settings: ReportSettings) -> list[Flowable]:
    """The flowables of the plan, in the section order of brief §6."""
    register_fonts()
    st = _Styles()
    story: list[Flowable] = []
    story += _title_block(doc, st)
    story += _household_section(doc, st, settings)
    story += _question_section(doc, st)
    story += _situation_section(doc, st)
    story += _goals_section(doc, st)
    story += _agreements_section(doc, st)
    story += _regie_section(doc, st)
    story += _mandate_section(doc, st)
    story += _evaluation_section(doc, st)
    story += _view_section(doc, st)
    story += _consent_section(doc, st)
    story += _signature_section(doc, st)
    return story


def render_plan_pdf(doc: PlanDocument, settings: ReportSettings) -> bytes:
    """The plan as PDF bytes. Deterministic: the same input gives the same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        # Metadata shows in file lists, search indexes and print queues: no household name.
        title=f"Ondersteuningsplan versie {doc.version_number}",
        author=settings.author or settings.municipality_name,
        subject=f"Ondersteuningsplan sociaal wijkteam {settings.municipality_name}; "
        f"vingerafdruk {short_fingerprint(doc.fingerprint)}",
        creator="Wijkteam",
        keywords="ondersteuningsplan, vertrouwelijk",
        lang="nl-NL",
        invariant=1,
        initialFontName=REGULAR,
        initialFontSize=9.5,
        displayDocTitle=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  id="inhoud", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="plan", frames=[frame])])
    template.build(build_story(doc, settings),
                   canvasmaker=_canvas_class(_decorator(doc, settings)))
    return buffer.getvalue()


def _household_title(name: str) -> str:
    """'Huishouden De Vries' whether or not the stored name already says 'Huishouden'."""
    return name if name.casefold().startswith("huishouden") else f"Huishouden {name}"
