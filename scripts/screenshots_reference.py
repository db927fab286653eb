"""Screenshots of the municipality's reference data on a laptop, after a sync with a real,
throw-away `wijkteam-server` (SQLite, loopback): the plan editor's mandate line before and
after the municipality widens the mandate on the server (the editor stays open), and the
header of the plan PDF with the municipality's name and logo from the server, and a ZRM form
showing (invented stand-ins for) licensed texts the municipality published.

Everything is invented (demo households, "Gemeente Voorbeeldstad", a drawn logo); the
laptop profile lives in a temporary folder with an in-memory keyring.

    python scripts/screenshots_reference.py [output-folder]

Writes ``referentie-1-mandaat-voor-sync.png``, ``referentie-2-mandaat-na-sync.png``,
``referentie-3-plan-pdf-koptekst.png`` (page 1 at 80 dpi; needs `pdftoppm`) and
``referentie-4-zrm-gelicentieerde-teksten.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _screens
import httpx
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath
from PySide6.QtWidgets import QWidget

from wijkteam_app.domain.plans import PlanStatus
from wijkteam_app.paths import resources_dir
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.services.settings import SettingsService
from wijkteam_app.services.sync import SyncService
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.forms.zrm_form import ZrmDialog
from wijkteam_app.ui.pages.plan_page import PlanPage
from wijkteam_server import admin
from wijkteam_server.db import make_engine
from wijkteam_server.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SCREEN = (1366, 768)
USERNAME = "fenna"
PASSWORD = "voorbeeld-wachtwoord-2026"  # noqa: S105 (throw-away demo server)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_cli(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "wijkteam_server", *args], check=True, env=env,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


def draw_logo(path: Path) -> None:
    """An invented emblem: a house under a roof in the municipality's colours."""
    image = QImage(240, 240, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#0b5c75"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(10, 10, 220, 220), 36, 36)
    roof = QPainterPath()
    roof.moveTo(40, 120)
    roof.lineTo(120, 48)
    roof.lineTo(200, 120)
    roof.closeSubpath()
    painter.setBrush(QColor("#f2b705"))
    painter.drawPath(roof)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(QRectF(64, 116, 112, 80))
    painter.setPen(QColor("#0b5c75"))
    font = QFont()
    font.setPixelSize(44)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(64, 116, 112, 80), Qt.AlignmentFlag.AlignCenter, "VS")
    painter.end()
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    data = folder / "server"
    server_cli("init", "--data-dir", str(data))
    engine = make_engine(load_settings(data).database_url)
    admin.add_team(engine, "Wijkteam Noord")
    admin.add_user(engine, USERNAME, "Wijkteam Noord", "wijkwerker", PASSWORD,
                   display_name="Fenna Voorbeeld")
    admin.set_mandate(engine, USERNAME, "1500", ["L06SB1"])
    kaart = json.loads((resources_dir() / "sociale-kaart" / "voorbeeld.json")
                       .read_text(encoding="utf-8"))
    kaart_file = folder / "kaart.json"
    kaart_file.write_text(json.dumps(kaart), encoding="utf-8")
    admin.load_sociale_kaart(engine, kaart_file)
    logo = folder / "logo.png"
    draw_logo(logo)
    admin.set_municipality(engine, "Gemeente Voorbeeldstad", logo)
    texts = folder / "teksten.json"
    texts.write_text(json.dumps([
        {"definition_id": "zrm-2017", "definition_version": "2017", "key": "financien.help",
         "text": "[Voorbeeld van een gelicentieerde tekst] Toelichting op het domein "
                 "financiën zoals de gemeente die met haar licentie levert."},
        {"definition_id": "zrm-2017", "definition_version": "2017", "key": "financien.2",
         "text": "[Voorbeeld van een gelicentieerd criterium voor niveau 2]"},
    ]), encoding="utf-8")
    admin.load_instrument_texts(engine, texts)
    engine.dispose()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "wijkteam_server", "serve", "--data-dir",
                             str(data), "--host", "127.0.0.1", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("the server did not start")
        time.sleep(0.1)


def scroll_to(page: PlanPage, widget: QWidget, above: int) -> None:
    _screens.settle(page, rounds=8)
    editor = page.editor
    assert editor is not None
    top = widget.mapTo(editor, QPoint(0, 0)).y()
    page.editor_scroll.verticalScrollBar().setValue(max(top - above, 0))


def main(out: Path) -> None:
    _screens.use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp))
        try:
            run(Path(tmp), url, out)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    del app


def run(folder: Path, url: str, out: Path) -> None:
    workspace = _screens.new_workspace(folder, wijken=("Noord", "Centrum"))
    sync = SyncService(workspace)
    try:
        sync.login(url, USERNAME, PASSWORD)
        assert sync.sync_once().reference_updated
        fill_demo(workspace, households=6)
        plans = PlanService(workspace)
        household_id = concept_household(workspace)
        page = PlanPage(workspace)
        page.report_settings = SettingsService(workspace).report_settings()
        page.resize(*SCREEN)
        page.show_household(household_id)
        editor = page.editor
        assert editor is not None
        scroll_to(page, editor.mandate_label, 330)
        _screens.save(page, out, "referentie-1-mandaat-voor-sync.png", rounds=8)

        engine = make_engine(load_settings(folder / "server").database_url)
        admin.set_mandate(engine, USERNAME, "3500", ["L06SB1", "L07DB1", "L02BI1"])
        engine.dispose()
        report = sync.sync_once()
        assert report.ok and report.reference_updated, report.errors
        page.reference_data_changed(SettingsService(workspace).report_settings())
        scroll_to(page, editor.mandate_label, 330)
        _screens.save(page, out, "referentie-2-mandaat-na-sync.png", rounds=8)

        version = plans.current(household_id)
        assert version is not None
        pdf = plans.render_pdf(version, SettingsService(workspace).report_settings())
        write_first_page(pdf, folder, out / "referentie-3-plan-pdf-koptekst.png")

        member = HouseholdService(workspace).get(household_id).members[0]
        zrm = ZrmDialog(workspace, household_id, member.id)
        zrm.resize(1200, 740)
        first = next(iter(zrm.rows.values()))
        first.picker.set_score(2)
        first.picker.setFocus()
        _screens.save(zrm, out, "referentie-4-zrm-gelicentieerde-teksten.png", rounds=8)
        zrm.close()
    finally:
        sync.close()
        workspace.close()


def concept_household(workspace: Workspace) -> str:
    """The demo household whose plan is still a concept (the editor is open for it)."""
    plans = PlanService(workspace)
    for summary in HouseholdService(workspace).list():
        current = plans.current(summary.id)
        if current is not None and current.status is PlanStatus.CONCEPT:
            return summary.id
    raise SystemExit("no concept plan among the demo households")


def write_first_page(pdf: bytes, folder: Path, target: Path) -> None:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm ontbreekt (installeer poppler-utils)", file=sys.stderr)
        return
    source = folder / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(source),
                    str(folder / "pagina")], check=True)
    page = next(folder.glob("pagina-*.png"))
    shutil.copyfile(page, target)
    print(target)


if __name__ == "__main__":
    main(_screens.output_folder(sys.argv[1] if len(sys.argv) > 1 else None))
