"""Screenshots of the team dashboard and the report into docs/screenshots/: the coach's
dashboard (top and scrolled), a drill-down list, a filtered view and the report dialog; plus
pages of the report PDF (per wijk) as PNG (via pdftoppm): the overview, the first wijk and
the method section.

Uses a throw-away profile with an in-memory keyring, filled with invented households
(`bench/steering_data.py`). Nothing touches the real profile or keyring.

    python scripts/screenshots_team.py [output-folder]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import _screens

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402

from bench.steering_data import fill  # noqa: E402
from wijkteam_app.domain.indicators import Indicator  # noqa: E402
from wijkteam_app.domain.workers import Role  # noqa: E402
from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.reports.document import ReportSettings  # noqa: E402
from wijkteam_app.services.profile import LocalIdentity, unlock  # noqa: E402
from wijkteam_app.services.steering import SteeringService  # noqa: E402
from wijkteam_app.sync.aggregates import Grouping  # noqa: E402
from wijkteam_app.ui.app import create_application  # noqa: E402
from wijkteam_app.ui.dialogs.report_dialog import ReportDialog  # noqa: E402
from wijkteam_app.ui.main_window import MainWindow  # noqa: E402

SCREEN = (1366, 768)


def main(out: Path) -> None:
    _screens.use_memory_keyring()
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        paths = ProfilePaths(Path(tmp) / "profiel")
        _screens.fast_init(paths, _screens.PASSPHRASE, LocalIdentity(
            display_name="Karin de Coach", team_name="Wijkteam Noord",
            wijken=("Noord", "Oost", "Centrum"), role=Role.TEAMCOACH))
        workspace = unlock(paths, _screens.PASSPHRASE)
        try:
            fill(workspace, 90, seed=12)
            run(workspace, out, Path(tmp))
        finally:
            workspace.close()
    del app


def run(workspace: object, out: Path, tmp: Path) -> None:
    window = MainWindow(workspace)  # type: ignore[arg-type]
    window.resize(*SCREEN)
    _screens.settle(window)
    window.team_action.trigger()
    page = window.team
    assert page is not None
    while page.busy:  # the figures are computed on a worker thread
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    _screens.save(window, out, "team-1-dashboard.png", rounds=10)
    bar = page.scroller.verticalScrollBar()
    bar.setValue(page.ladder_panel.y() - 10)
    _screens.save(window, out, "team-2-dashboard-ladder.png", rounds=10)
    bar.setValue(page.zrm_panel.y() - 10)
    _screens.save(window, out, "team-3-dashboard-zrm.png", rounds=10)
    bar.setValue(0)
    page.show_households(page.dashboard.figure(Indicator.PLANS_WAITING_REVIEW))  # type: ignore[union-attr]
    dialog = page.last_dialog
    assert dialog is not None
    _screens.save(dialog, out, "team-4-huishoudens-achter-getal.png")
    dialog.close()
    page.wijk.setCurrentIndex(page.wijk.findData("Oost"))
    page.worker.setCurrentIndex(2)
    while page.busy:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    _screens.save(window, out, "team-5-dashboard-gefilterd.png", rounds=10)
    settings = ReportSettings("Gemeente Voorbeeldstad", author="Karin de Coach")
    report = ReportDialog(page.service, settings, window, page.period.currentData())
    report.path.setText(str(tmp / "rapportage.pdf"))
    _screens.save(report, out, "team-6-rapportage-maken.png")
    report.close()
    window.close_workspace()
    window.close()
    QCoreApplication.processEvents()
    pdf = SteeringService(workspace).report_pdf(  # type: ignore[arg-type]
        page.current_filter().period, Grouping.WIJK, settings)
    pdf_path = tmp / "rapportage.pdf"
    pdf_path.write_bytes(pdf)
    tool = shutil.which("pdftoppm")
    if tool is None:
        print("pdftoppm not found: no PDF pages")
        return
    for old in out.glob("rapportage-pagina-*.png"):
        old.unlink()
    info = subprocess.run([tool.replace("pdftoppm", "pdfinfo"), str(pdf_path)],
                          capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines()
                     if line.startswith("Pages:")))
    # The overview and the first wijk, then the method section at the end.
    for first, last in ((1, min(3, pages)), (max(pages - 1, 4), pages)):
        subprocess.run([tool, "-png", "-r", "80", "-f", str(first), "-l", str(last),
                        str(pdf_path), str(out / "rapportage-pagina")], check=True)
    for page_png in sorted(out.glob("rapportage-pagina-*.png")):
        print(page_png)


if __name__ == "__main__":
    main(_screens.output_folder(sys.argv[1] if len(sys.argv) > 1 else None))
