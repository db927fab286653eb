"""Short reports in the plan's house style: the verslag of the keukentafelgesprek (for the
resident) and the report of a case conference.

Same page as the plan (`plan_pdf`): A4, the municipality's name (and logo) in the header,
"Vertrouwelijk" and "Pagina x van y" in the footer, only the embedded Vera fonts,
deterministic bytes for the same input. The keukentafel report carries its version and
fingerprint on every page, like the plan.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from wijkteam_app.domain.conferences import ConferenceKind
from wijkteam_app.domain.kitchen_table import IssueMethod
from wijkteam_app.domain.plans import short_fingerprint
from wijkteam_app.reports.casework_documents import ConferenceDocument, KitchenTableDocument
from wijkteam_app.reports.document import ReportSettings
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
    _household_title,
    _Styles,
    _table,
    long_date,
    short_date,
    text,
)

KIND_LABELS: dict[ConferenceKind, str] = {
    ConferenceKind.MULTIDISCIPLINAIR_OVERLEG: "Multidisciplinair overleg",
    ConferenceKind.ZORGOVERLEG: "Zorgoverleg",
    ConferenceKind.EIGEN_KRACHT_CONFERENTIE: "Eigen-kracht-conferentie",
}
ISSUE_LABELS: dict[IssueMethod, str] = {
    IssueMethod.MEEGEGEVEN: "meegegeven",
    IssueMethod.PER_POST: "per post verstuurd",
    IssueMethod.PER_EMAIL: "per e-mail verstuurd",
}
# The report's sections: (heading, content field names with their question).
REPORT_SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("1. Uw situatie", (("situation", ""),)),
    ("2. Uw vraag, in drie vragen", (
        ("self_", "Wat kunt u zelf?"),
        ("arrange", "Wat kunt u zelf regelen, met mensen om u heen?"),
        ("help", "Waarbij heeft u hulp nodig?"),
    )),
    ("3. Wat we samen hebben onderzocht", (
        ("needs", "Uw behoeften, persoonlijke situatie en voorkeuren"),
        ("own_strength", "Wat u op eigen kracht of met gebruikelijke hulp kunt"),
        ("network", "Wat mantelzorg en mensen uit uw netwerk kunnen doen"),
        ("carer_support", "Ondersteuning die uw mantelzorger nodig heeft"),
        ("general_provisions", "Algemene voorzieningen in de wijk"),
        ("coordination", "Afstemming met andere organisaties (zorgverzekeraar, Wlz, "
                         "jeugdhulp, onderwijs, werk en inkomen)"),
        ("contribution", "De eigen bijdrage die u kunt verwachten"),
    )),
    ("4. Uitkomst en vervolgafspraken", (("outcome", ""),)),
    ("5. Uw opmerkingen bij dit verslag", (("resident_remarks", ""),)),
)


def _decorator(settings: ReportSettings, kind: str, household: str, day: str,
               footer_mid: str) -> Callable[[Canvas, int, int], None]:
    logo = None
    if settings.logo_path is not None and settings.logo_path.is_file():
        logo = ImageReader(str(settings.logo_path))

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
        canv.drawString(text_x, top - 0.55 * cm, f"Sociaal wijkteam · {kind}")
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 0.1 * cm, household)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 0.55 * cm, day)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, PAGE_HEIGHT - 2.2 * cm, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 2.2 * cm)
        canv.line(MARGIN_X, 1.55 * cm, PAGE_WIDTH - MARGIN_X, 1.55 * cm)
        canv.setFont(BOLD, 8)
        canv.setFillColor(INK)
        canv.drawString(MARGIN_X, 1.1 * cm, "Vertrouwelijk")
        canv.setFont(REGULAR, 8)
        if footer_mid:
            canv.drawCentredString(PAGE_WIDTH / 2, 1.1 * cm, footer_mid)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, 1.1 * cm, f"Pagina {number} van {total}")
        canv.restoreState()

    return decorate


def _render(story: list[Flowable], settings: ReportSettings, title: str, subject: str,
            decorate: Callable[[Canvas, int, int], None]) -> bytes:
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title,
        author=settings.author or settings.municipality_name, subject=subject,
        creator="Wijkteam", keywords="vertrouwelijk", lang="nl-NL", invariant=1,
        initialFontName=REGULAR, initialFontSize=9.5, displayDocTitle=1,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  id="inhoud", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="verslag", frames=[frame])])
    template.build(story, canvasmaker=_canvas_class(decorate))
    return buffer.getvalue()


def _facts(rows: list[tuple[str, str]], st: _Styles) -> Flowable:
    cells = [[Paragraph(label, st.cell_bold), Paragraph(value, st.cell)] for label, value in rows]
    return _table(cells, (4 * cm, CONTENT_WIDTH - 4 * cm), header=False, zebra=False,
                  extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])


def _para_or_dash(value: str, st: _Styles) -> Paragraph:
    if value.strip():
        return Paragraph(text(value), st.para)
    return Paragraph("<font color='#5f6b7a'>Niet besproken.</font>", st.para)


# --- keukentafelgesprek --------------------------------------------------------------------


def kitchen_table_story(doc: KitchenTableDocument) -> list[Flowable]:
    register_fonts()
    st = _Styles()
    story: list[Flowable] = [
        Paragraph("Verslag van het keukentafelgesprek", st.title),
        Paragraph(text(_household_title(doc.household_name)), st.subtitle),
    ]
    version = f"Versie {doc.number}"
    if doc.based_on_number:
        version += f" (vervangt versie {doc.based_on_number})"
    rows = [
        ("Huishouden", text(doc.household_name)),
        ("Adres", "<br/>".join(text(line) for line in doc.address_lines)),
        ("Gesprek op", f"{long_date(doc.held_on)}"
         + (f", {text(doc.location)}" if doc.location.strip() else "")),
        ("Aanwezig", ", ".join(text(p) for p in doc.participants) or "—"),
        ("Wijkwerker", text(doc.worker_name)),
        ("Verslag", f"{version}, {ISSUE_LABELS[doc.issued_how]} op {long_date(doc.issued_on)}"),
        ("Vingerafdruk", f"{short_fingerprint(doc.fingerprint)} "
         f"<font color='#5f6b7a' size='7.5'>(SHA-256: {doc.fingerprint})</font>"),
    ]
    if doc.referral_date is not None:
        rows.insert(2, ("Aanmelding", long_date(doc.referral_date)))
    story += [
        _facts(rows, st),
        Spacer(1, 2 * mm),
        Paragraph(
            "In dit verslag staat wat we samen aan de keukentafel hebben besproken: uw "
            "situatie, wat u zelf kunt, wat mensen om u heen kunnen doen en waarbij u hulp "
            "nodig heeft. Zo staat het in de Wet maatschappelijke ondersteuning (artikel 2.3.2). "
            "Klopt er iets niet of wilt u iets toevoegen? Laat het uw wijkwerker weten; uw "
            "opmerkingen komen in een nieuwe versie van dit verslag.", st.muted),
    ]
    for heading, fields in REPORT_SECTIONS:
        story.append(Paragraph(heading, st.h1))
        for name, question in fields:
            value = str(getattr(doc.content, name))
            if question:
                story.append(Paragraph(text(question), st.h2))
            if name in ("self_", "arrange", "help") and value.strip():
                story.append(Paragraph(f"“{text(value)}”", st.quote))
            else:
                story.append(_para_or_dash(value, st))
    return story


def render_kitchen_table_pdf(doc: KitchenTableDocument, settings: ReportSettings) -> bytes:
    """The verslag as PDF bytes; the same input gives the same bytes."""
    register_fonts()
    footer = f"Versie {doc.number} · vingerafdruk {short_fingerprint(doc.fingerprint)}"
    decorate = _decorator(settings, "Verslag keukentafelgesprek", doc.household_name,
                          f"Datum {long_date(doc.document_date)}", footer)
    return _render(kitchen_table_story(doc), settings,
                   f"Verslag keukentafelgesprek {doc.household_name} (versie {doc.number})",
                   f"Verslag keukentafelgesprek; vingerafdruk {short_fingerprint(doc.fingerprint)}",
                   decorate)


# --- case conference -----------------------------------------------------------------------


def conference_story(doc: ConferenceDocument) -> list[Flowable]:
    register_fonts()
    st = _Styles()
    kind = KIND_LABELS[doc.kind]
    story: list[Flowable] = [
        Paragraph(f"Verslag {kind.lower()}", st.title),
        Paragraph(text(_household_title(doc.household_name)), st.subtitle),
    ]
    rows = [
        ("Huishouden", text(doc.household_name)),
        ("Soort overleg", kind),
        ("Datum", long_date(doc.held_on)),
        ("Regisseur", text(doc.regisseur_name) or "—"),
        ("Casemanager", text(doc.casemanager) if doc.casemanager else
         "<font color='#5f6b7a'>niet aangesteld</font>"),
        ("Verslag door", text(doc.recorded_by)),
    ]
    story.append(_facts(rows, st))
    story.append(Paragraph("Aanwezig", st.h1))
    if doc.participants:
        head: list[Any] = [Paragraph(h, st.cell_head) for h in ("Naam", "Rol")]
        body: list[list[Any]] = [[Paragraph(text(p.name), st.cell),
                                  Paragraph(text(p.role), st.cell)] for p in doc.participants]
        story.append(_table([head, *body], (7 * cm, CONTENT_WIDTH - 7 * cm)))
    else:
        story.append(Paragraph("—", st.body))
    story += [Paragraph("Aanleiding", st.h1), _para_or_dash(doc.reason, st),
              Paragraph("Besproken en besloten", st.h1), _para_or_dash(doc.discussion, st),
              Paragraph("Afspraken: wie doet wat, wanneer", st.h1)]
    if doc.agreements:
        head = [Paragraph(h, st.cell_head) for h in ("Wat", "Wie", "Wanneer", "Stand")]
        body = []
        for a in doc.agreements:
            state = "gedaan" if a.done else "open"
            if a.in_plan:
                state += ", in het plan"
            body.append([Paragraph(text(a.what), st.cell), Paragraph(text(a.who), st.cell),
                         Paragraph(short_date(a.due) if a.due else "—", st.cell),
                         Paragraph(state, st.cell)])
        story.append(_table([head, *body], (7.6 * cm, 4.2 * cm, 2.4 * cm,
                                            CONTENT_WIDTH - 14.2 * cm)))
    else:
        story.append(Paragraph("Er zijn geen afspraken gemaakt.", st.body))
    story += [Spacer(1, 4 * mm), Paragraph(
        "Eén gezin, één plan, één regisseur: afspraken uit dit overleg worden waar nodig "
        "opgenomen in het ondersteuningsplan van het huishouden.", st.muted)]
    return story


def render_conference_pdf(doc: ConferenceDocument, settings: ReportSettings) -> bytes:
    """The short report of a case conference as PDF bytes (deterministic)."""
    register_fonts()
    kind = KIND_LABELS[doc.kind]
    decorate = _decorator(settings, kind, doc.household_name,
                          f"Overleg van {long_date(doc.held_on)}", "")
    return _render(conference_story(doc), settings,
                   f"{kind} {doc.household_name} ({short_date(doc.held_on)})",
                   f"Verslag {kind.lower()}, sociaal wijkteam {settings.municipality_name}",
                   decorate)
