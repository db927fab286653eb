"""The plan PDF: content via pdftotext, structure via qpdf, fonts via pdffonts, determinism."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from wijkteam_app.domain.plans import short_fingerprint
from wijkteam_app.reports import render_plan_pdf
from wijkteam_app.reports.sample import SAMPLE_BSN, sample_plan


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sample = sample_plan()
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    path.write_bytes(render_plan_pdf(sample.document, sample.settings))
    return path


def pdftext(path: Path, *extra: str) -> str:
    out = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", *extra, str(path), "-"],
                         check=True, capture_output=True, text=True)
    return out.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_text_contains_every_goal_agreement_and_the_fingerprint(sample_pdf: Path) -> None:
    doc = sample_plan().document
    text = flat(pdftext(sample_pdf))
    assert short_fingerprint(doc.fingerprint) in text
    assert doc.fingerprint in text.replace(" ", "")  # the full value on the first page
    for goal in doc.goals:
        assert flat(goal.description) in text
        assert flat(goal.zelf) in text
        for task in goal.netwerk:
            assert task.member_name in text and flat(task.task) in text
        for use in goal.voorzieningen:
            assert use.name in text
        for support in goal.professioneel:
            assert support.product_name in text and support.provider in text
            assert support.product_code in text
    for label in ("1. Zelf", "2. Netwerk", "3. Voorliggende voorzieningen",
                  "4. Professionele ondersteuning"):
        assert text.count(label) == len(doc.goals)
    for heading in ("Uw vraag, in uw eigen woorden", "Uw situatie per leefgebied",
                    "Participatieladder", "Evaluatie", "Uw mening over dit plan",
                    "Toestemming voor het delen van gegevens", "Ondertekening",
                    "Akkoord onder protest"):
        assert heading in text
    for signer in doc.signers:
        assert signer.name in text


def test_every_page_has_footer_with_page_x_of_y(sample_pdf: Path) -> None:
    doc = sample_plan().document
    pages = pdftext(sample_pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        page = flat(page)
        assert f"Pagina {number} van {len(pages)}" in page
        assert "Vertrouwelijk" in page
        assert f"Versie {doc.version_number} · vingerafdruk "\
               f"{short_fingerprint(doc.fingerprint)}" in page
        assert "Gemeente Voorbeeldstad" in page


def test_qpdf_check_passes(sample_pdf: Path) -> None:
    result = subprocess.run([tool("qpdf"), "--check", str(sample_pdf)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_embedded_fonts(sample_pdf: Path) -> None:
    out = subprocess.run([tool("pdffonts"), str(sample_pdf)], check=True, capture_output=True,
                         text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # columns: name type encoding emb sub uni object ID; "emb" is 5th from the end
        assert row.split()[-5] == "yes", row
        assert "Helvetica" not in row and "Times" not in row and "Courier" not in row


def test_metadata_and_language(sample_pdf: Path) -> None:
    info = subprocess.run([tool("pdfinfo"), str(sample_pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert "Title:           Ondersteuningsplan versie 2" in info
    assert "Author:          Sociaal wijkteam Noord" in info
    assert "Subject:" in info and "Page size:       595.276 x 841.89 pts (A4)" in info
    qdf = subprocess.run([tool("qpdf"), "--qdf", "--object-streams=disable", str(sample_pdf),
                          "-"], check=True, capture_output=True).stdout
    assert b"/Lang (nl-NL)" in qdf


def test_no_bsn_unless_the_setting_asks(tmp_path: Path) -> None:
    sample = sample_plan()
    hidden = tmp_path / "zonder.pdf"
    hidden.write_bytes(render_plan_pdf(sample.document, sample.settings))
    assert SAMPLE_BSN not in flat(pdftext(hidden)).replace(" ", "")
    assert SAMPLE_BSN.encode() not in hidden.read_bytes()
    shown = tmp_path / "met.pdf"
    shown.write_bytes(render_plan_pdf(sample.document,
                                      dataclasses.replace(sample.settings, show_bsn=True)))
    assert SAMPLE_BSN in flat(pdftext(shown))


def test_byte_identical_on_rerender() -> None:
    sample = sample_plan()
    first = render_plan_pdf(sample.document, sample.settings)
    assert render_plan_pdf(sample.document, sample.settings) == first
    other = dataclasses.replace(sample.document, question=sample.document.question + "!")
    assert render_plan_pdf(other, sample.settings) != first


def write_png(path: Path, width: int = 60, height: int = 20) -> None:
    """A small solid-colour PNG written with the standard library only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x0b\x5c\x75" * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_renders_with_logo_and_minimal_content(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    write_png(logo)
    sample = sample_plan()
    minimal = dataclasses.replace(sample.document, goals=(), zrm=(), ladder=(), persons=(),
                                  network=(), professionals=(), consents=(), signers=(),
                                  situation=(), evaluation_dates=(), toets=None,
                                  resident_agreement=None, resident_words="")
    settings = dataclasses.replace(sample.settings, logo_path=logo)
    pdf = tmp_path / "minimaal.pdf"
    data = render_plan_pdf(minimal, settings)
    pdf.write_bytes(data)
    assert b"/Subtype /Image" in data
    text = flat(pdftext(pdf))
    assert "Er zijn nog geen doelen afgesproken." in text
    assert "Pagina 1 van" in text


def info_fields(path: Path) -> dict[str, str]:
    info = subprocess.run([tool("pdfinfo"), str(path)], check=True, capture_output=True,
                          text=True).stdout
    return {k.strip(): v.strip() for k, _s, v in (line.partition(":") for line in
                                                  info.splitlines())}


def test_metadata_never_holds_the_household_name(sample_pdf: Path) -> None:
    """Observed: the Title held the household name (it shows in file lists and queues)."""
    fields = info_fields(sample_pdf)
    for key in ("Title", "Subject", "Keywords", "Author", "Creator"):
        assert "De Vries" not in fields.get(key, ""), key
    raw = subprocess.run([tool("qpdf"), "--qdf", "--object-streams=disable", str(sample_pdf),
                          "-"], check=True, capture_output=True).stdout
    info = raw[raw.find(b"/Title"):raw.find(b"/Title") + 200]
    assert b"De Vries" not in info


def shaded_boxes(path: Path) -> list[tuple[float, float]]:
    """Left and right edge (absolute, in pt) of every paragraph drawn on a shaded box: a
    paragraph is placed with its own `cm`, then its background is filled."""
    qdf = subprocess.run([tool("qpdf"), "--qdf", "--object-streams=disable", str(path), "-"],
                         check=True, capture_output=True).stdout.decode("latin-1")
    pattern = re.compile(
        r"1 0 0 1 ([-\d.]+) ([-\d.]+) cm\s+q\s+\.933333 \.952941 \.964706 rg\s+"
        r"n ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re f")
    return [(float(m[1]) + float(m[3]), float(m[1]) + float(m[3]) + float(m[5]))
            for m in pattern.finditer(qdf)]


def test_the_quote_boxes_stay_within_the_margins(sample_pdf: Path) -> None:
    """Observed: the shaded quote box ran about 8 pt past the right margin."""
    from wijkteam_app.reports.plan_pdf import MARGIN_X, PAGE_WIDTH

    text = flat(pdftext(sample_pdf))
    assert "“We willen weer rust in huis." in text
    boxes = shaded_boxes(sample_pdf)
    assert boxes, "no shaded box found"
    quotes = [(left, right) for left, right in boxes if right - left > PAGE_WIDTH / 2]
    assert len(quotes) == 2  # the question and the resident's own words
    for left, right in quotes:
        assert left >= MARGIN_X - 0.5, (left, right)
        assert right <= PAGE_WIDTH - MARGIN_X + 0.5, (left, right)


def test_typed_quotes_are_not_doubled(tmp_path: Path) -> None:
    sample = sample_plan()
    doc = dataclasses.replace(sample.document, question='"Ik wil weer rust in huis."',
                              resident_words="“Akkoord, maar spannend.”")
    path = tmp_path / "quotes.pdf"
    path.write_bytes(render_plan_pdf(doc, sample.settings))
    text = flat(pdftext(path))
    assert "“Ik wil weer rust in huis.”" in text
    assert '"Ik wil' not in text and "““" not in text and "””" not in text
    assert "“Akkoord, maar spannend.”" in text


def test_a_zrm_without_target_says_geen_doelscore(tmp_path: Path) -> None:
    """Observed: "Doelscore: niet besproken" read as a verdict when no target was set."""
    sample = sample_plan()
    zrm = sample.document.zrm[0]
    scores = tuple(dataclasses.replace(s, target=None) for s in zrm.scores)
    doc = dataclasses.replace(sample.document,
                              zrm=(dataclasses.replace(zrm, scores=scores),))
    path = tmp_path / "zonder-doel.pdf"
    path.write_bytes(render_plan_pdf(doc, sample.settings))
    text = flat(pdftext(path))
    assert text.count("geen doelscore") == len(scores)


@pytest.mark.parametrize("padding", range(0, 60, 3))
def test_a_section_heading_never_ends_a_page(tmp_path: Path, padding: int) -> None:
    """Observed: heading 9 at the foot of a page, its text on the next. Shift the layout
    line by line (a longer text in section 8, just before it) and check no page ends with a
    section heading."""
    sample = sample_plan()
    doc = dataclasses.replace(
        sample.document,
        evaluation_method=sample.document.evaluation_method + " We kijken samen." * padding)
    path = tmp_path / f"kop-{padding}.pdf"
    path.write_bytes(render_plan_pdf(doc, sample.settings))
    heading = re.compile(r"^\d{1,2}\. [A-Z]")
    pages = pdftext(path).split("\f")
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith(("Vertrouwelijk", "Versie "))
                and not re.match(r"^Pagina \d+ van \d+$", line)]
        if body:
            assert not heading.match(body[-1]), body[-3:]
    # Section 9 keeps its verdict and the resident's own words on the heading's page.
    nine = next(p for p in pages if "9. Uw mening over dit plan" in p)
    assert "Uw oordeel" in nine and "“We zijn het eens met het plan" in nine
