"""The short reports (keukentafel, case conference) and the plan's financing, as printed:
content via pdftotext, structure via qpdf, fonts via pdffonts, determinism, like the plan."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.reports.test_plan_pdf import tool
from wijkteam_app.domain.plans import Financing, short_fingerprint
from wijkteam_app.reports import render_plan_pdf
from wijkteam_app.reports.casework_pdf import render_conference_pdf, render_kitchen_table_pdf
from wijkteam_app.reports.casework_sample import sample_conference, sample_kitchen_table
from wijkteam_app.reports.sample import SAMPLE_SETTINGS, sample_plan


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdftext(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("casework-pdf")
    out = {}
    for name, data in (
            ("keukentafel", render_kitchen_table_pdf(sample_kitchen_table(), SAMPLE_SETTINGS)),
            ("overleg", render_conference_pdf(sample_conference(), SAMPLE_SETTINGS)),
            ("plan", render_plan_pdf(sample_plan().document, SAMPLE_SETTINGS))):
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        out[name] = path
    return out


@pytest.mark.parametrize("name", ["keukentafel", "overleg", "plan"])
def test_qpdf_check_passes_and_only_embedded_fonts(pdfs: dict[str, Path], name: str) -> None:
    result = subprocess.run([tool("qpdf"), "--check", str(pdfs[name])], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    fonts = subprocess.run([tool("pdffonts"), str(pdfs[name])], check=True,
                           capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts
    for row in fonts:
        assert row.split()[-5] == "yes", row
        assert "Helvetica" not in row and "Times" not in row and "Courier" not in row


def test_the_plan_prints_financing_and_eigen_bijdrage_per_provision(
        pdfs: dict[str, Path]) -> None:
    doc = sample_plan().document
    text = flat(pdftext(pdfs["plan"]))
    supports = [s for g in doc.goals for s in g.professioneel]
    assert {s.financing for s in supports} == set(Financing)
    assert text.count("Financiering: Zorg in natura") == 2
    assert "Financiering: Persoonsgebonden budget (pgb) · pgb: gemeentelijke toets" in text
    assert "Financiering: Voucher (ondersteuningsbudget) · eigen bijdrage: abonnementstarief" \
        in text
    assert "7. Financiering, mandaat en gemeentelijke toets" in text
    assert "een persoonsgebonden budget vraagt altijd een toets (Dagbesteding)" in text
    for code in ("leveringsvorm 1", "leveringsvorm 2"):
        assert code in text
    assert "Afspraken met anderen" in text and "Verwijst Noor naar de praktijkondersteuner" in text


def test_the_kitchen_table_report_has_the_three_questions_the_wmo_topics_and_a_footer(
        pdfs: dict[str, Path]) -> None:
    doc = sample_kitchen_table()
    pages = [flat(p) for p in pdftext(pdfs["keukentafel"]).split("\f") if p.strip()]
    text = " ".join(pages)
    for question in ("Wat kunt u zelf?", "Wat kunt u zelf regelen, met mensen om u heen?",
                     "Waarbij heeft u hulp nodig?"):
        assert question in text
    for topic in ("Uw behoeften, persoonlijke situatie en voorkeuren",
                  "Wat mantelzorg en mensen uit uw netwerk kunnen doen",
                  "Ondersteuning die uw mantelzorger nodig heeft",
                  "Algemene voorzieningen in de wijk", "De eigen bijdrage die u kunt verwachten",
                  "Uw opmerkingen bij dit verslag"):
        assert topic in text
    assert flat(doc.content.help) in text and flat(doc.content.resident_remarks) in text
    assert "Versie 2 (vervangt versie 1), per post verstuurd op 11 maart 2025" in text
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page and "Vertrouwelijk" in page
        assert f"Versie 2 · vingerafdruk {short_fingerprint(doc.fingerprint)}" in page


def test_the_conference_report_lists_who_agreed_to_what_and_the_casemanager(
        pdfs: dict[str, Path]) -> None:
    doc = sample_conference()
    text = flat(pdftext(pdfs["overleg"]))
    assert "Verslag zorgoverleg" in text
    assert "Casemanager Jan Kok (Schuldhulp Voorbeeldstad)" in text
    for party in doc.participants:
        assert party.name in text
    for agreement in doc.agreements:
        assert flat(agreement.what) in text
    assert "open, in het plan" in text and "gedaan" in text
    assert "Pagina 1 van 1" in text


def test_same_input_same_bytes() -> None:
    assert render_conference_pdf(sample_conference(), SAMPLE_SETTINGS) == \
        render_conference_pdf(sample_conference(), SAMPLE_SETTINGS)
    assert render_kitchen_table_pdf(sample_kitchen_table(), SAMPLE_SETTINGS) == \
        render_kitchen_table_pdf(sample_kitchen_table(), SAMPLE_SETTINGS)
