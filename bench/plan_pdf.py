"""Plan PDF rendering: our renderer against a bare reportlab document, in the same run.

Run by hand (not a CI gate; always exits 0):

    python bench/plan_pdf.py [--repeat R] [--extra-goals N]

"ours" is `render_plan_pdf` on the fictitious sample plan (five goals plus --extra-goals
copies; the default gives about seven pages). "bare" builds the same content in a plain
`SimpleDocTemplate`: our story with the chart and conditional page breaks removed,
KeepTogether groups flattened, every table rebuilt from the same cell contents without any
TableStyle, every paragraph re-made with the same text in one plain style; no header, footer,
page-x-of-y canvas, logo or metadata. Two bare variants: with the embedded Vera fonts (the
fair one: embedding is a requirement, not our overhead) and with reportlab's standard fonts.
Runs alternate (A B C, C B A, ...); each figure is the median of --repeat runs; ratios are
medians of per-run ratios. Target (issue 4): ours / bare <= 1.5.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from wijkteam_app.reports import render_plan_pdf
from wijkteam_app.reports.fonts import REGULAR, register_fonts
from wijkteam_app.reports.plan_pdf import build_story
from wijkteam_app.reports.sample import sample_plan


def strip(flowables: Iterable[Any], style: ParagraphStyle) -> list[Any]:
    """The same content as plain flowables (see the module docstring)."""
    out: list[Any] = []
    for f in flowables:
        if isinstance(f, Drawing | CondPageBreak):
            continue
        if isinstance(f, KeepTogether):
            out += strip(f._content, style)
        elif isinstance(f, Table):
            rows = [[_cell(value, style) for value in row] for row in f._cellvalues]
            out.append(Table(rows, colWidths=f._argW))
        elif isinstance(f, Paragraph):
            out.append(Paragraph(f.text, style))
        elif isinstance(f, Spacer):
            out.append(f)
        else:
            raise TypeError(type(f).__name__)
    return out


def _cell(value: Any, style: ParagraphStyle) -> Any:
    if isinstance(value, Paragraph):
        return Paragraph(value.text, style)
    if isinstance(value, Table):
        return strip([value], style)[0]
    return value


def render_bare(story: list[Any], *, vera: bool) -> bytes:
    style = getSampleStyleSheet()["BodyText"]
    if vera:
        register_fonts()
        style = ParagraphStyle("plain", parent=style, fontName=REGULAR)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(strip(story, style))
    return buffer.getvalue()


def timed(fn: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pages(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        try:
            out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True,
                                 check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return "?"
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--extra-goals", type=int, default=0)
    args = parser.parse_args(argv)
    sample = sample_plan(extra_goals=args.extra_goals)
    doc, settings = sample.document, sample.settings

    def ours() -> bytes:
        return render_plan_pdf(doc, settings)

    def bare_vera() -> bytes:
        return render_bare(build_story(doc, settings), vera=True)

    def bare_std() -> bytes:
        return render_bare(build_story(doc, settings), vera=False)

    variants: dict[str, Callable[[], bytes]] = {
        "ours": ours, "bare (Vera)": bare_vera, "bare (standard fonts)": bare_std,
    }
    for fn in variants.values():  # warm up: font registration, imports, caches
        fn()
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for run in range(args.repeat):
        order = names if run % 2 == 0 else list(reversed(names))
        for name in order:
            times[name].append(timed(variants[name]))
    med = {name: statistics.median(values) for name, values in times.items()}
    paired = [a / b for a, b in zip(times["ours"], times["bare (Vera)"], strict=True)]
    paired_std = [a / b for a, b in zip(times["ours"], times["bare (standard fonts)"],
                                        strict=True)]
    print(f"python {platform.python_version()} on {platform.platform()}; repeat={args.repeat}")
    print(f"pages: ours {pages(ours())}, bare {pages(bare_vera())}")
    for name, value in med.items():
        print(f"  {name:24s} median {value * 1000:8.1f} ms")
    print(f"ratio ours / bare (Vera)           {statistics.median(paired):.2f}  (target <= 1.5)")
    print(f"ratio ours / bare (standard fonts) {statistics.median(paired_std):.2f}")
    return 0


if __name__ == "__main__":
    main(sys.argv[1:])
    raise SystemExit(0)
