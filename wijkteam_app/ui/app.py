"""Starting the desktop application: style, translations, unlocking, the main window.

The main window paints first: with a passphrase file it opens on a busy page and unlocks
after its first paint; the case file, the services and the pages are imported only then.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from wijkteam_app import __version__
from wijkteam_app.errors import WijkteamError
from wijkteam_app.paths import APP_NAME, ProfilePaths
from wijkteam_app.ui.i18n import error_text, install_translators
from wijkteam_app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from wijkteam_app.services.profile import Workspace

log = logging.getLogger(__name__)

_CONTEXT = "app"
MIN_POINT_SIZE = 10.0

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]

_STYLE_SHEET = """
QTableView {
    border: 1px solid #d3dae1;
    border-radius: 4px;
    selection-background-color: #2f6690;
    selection-color: #ffffff;
}
QTableView::item {
    padding: 0 6px;
}
QHeaderView::section:horizontal {
    padding: 0 6px 0 9px;
}
QFrame#emptyState {
    background: #ffffff;
    border: 1px solid #d3dae1;
    border-radius: 4px;
}
QLineEdit {
    padding: 2px 6px;
}
QStatusBar QLabel {
    padding: 0 6px;
}
"""


def calm_palette() -> QPalette:
    """A light, low-contrast-chrome palette with a muted blue accent."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#f3f5f7",
        QPalette.ColorRole.WindowText: "#1f2933",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f1f5f9",
        QPalette.ColorRole.Text: "#1f2933",
        QPalette.ColorRole.PlaceholderText: "#7b8794",
        QPalette.ColorRole.Button: "#e9edf1",
        QPalette.ColorRole.ButtonText: "#1f2933",
        QPalette.ColorRole.Highlight: "#2f6690",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2933",
        QPalette.ColorRole.Link: "#2f6690",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e4e9ee",
        QPalette.ColorRole.Mid: "#c3ccd5",
        QPalette.ColorRole.Dark: "#9aa5b1",
        QPalette.ColorRole.Shadow: "#616e7c",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(disabled, role, QColor("#9aa5b1"))
    return palette


def configure_application(app: QApplication) -> None:
    """Name, style, palette, font and translations; safe to call more than once."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    app.setPalette(calm_palette())
    font = QFont(app.font())
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
        app.setFont(font)
    app.setStyleSheet(_STYLE_SHEET)
    install_translators(app)


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    configure_application(app)
    return app


# --- exceptions ----------------------------------------------------------------------------

_hook_installed = False
_showing_error = False


def _log_type_and_location(exc_type: type[BaseException], exc: BaseException,
                           tb: TracebackType | None) -> None:
    """Fallback crash log: the exception type and code locations, never its message."""
    where: list[str] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        where.append(f"{Path(code.co_filename).name}:{tb.tb_lineno} {code.co_name}")
        tb = tb.tb_next
    logging.getLogger("wijkteam.crash").error(
        "unhandled %s at %s", exc_type.__name__, " <- ".join(reversed(where)))


def install_exception_dialog() -> None:
    """Unhandled exceptions in Qt slots are logged without personal data (by the hook the
    CLI installed, or a fallback) and shown as a plain Dutch message; the app keeps running."""
    global _hook_installed
    if _hook_installed:
        return
    previous: ExceptHook = sys.excepthook
    if previous is sys.__excepthook__:  # would print the message and values to stderr
        previous = _log_type_and_location

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        previous(exc_type, exc, tb)
        if issubclass(exc_type, KeyboardInterrupt):
            return
        _show_error(exc)

    sys.excepthook = hook
    _hook_installed = True


def _show_error(exc: BaseException) -> None:
    global _showing_error
    if _showing_error or QApplication.instance() is None:
        return
    if isinstance(exc, WijkteamError):
        text = error_text(exc.code)
    else:
        text = QCoreApplication.translate(
            _CONTEXT, "Er ging iets onverwachts mis. De fout is vastgelegd in het logbestand, "
            "zonder persoonsgegevens. Wat al was opgeslagen, blijft bewaard.")
    _showing_error = True
    try:
        QMessageBox.critical(QApplication.activeWindow(),
                             QCoreApplication.translate(_CONTEXT, "Fout"), text)
    finally:
        _showing_error = False


# --- start-up ------------------------------------------------------------------------------

def open_workspace(paths: ProfilePaths, parent: QWidget | None = None) -> Workspace | None:
    """Create the profile on first start, otherwise unlock it; None when the person quits."""
    from wijkteam_app.services import profile
    from wijkteam_app.ui.dialogs.first_run_wizard import FirstRunWizard
    from wijkteam_app.ui.dialogs.unlock_dialog import FRESH_START, UnlockDialog

    if profile.profile_exists(paths):
        unlock_dialog = UnlockDialog(paths, parent=parent)
        result = unlock_dialog.exec()
        if result == QDialog.DialogCode.Accepted:
            return unlock_dialog.workspace
        if result != FRESH_START:
            return None
        # The damaged file is set aside: make a new one and fetch the dossier again.
    wizard = FirstRunWizard(paths, parent=parent, login=_login_on_server)
    if wizard.exec() == QDialog.DialogCode.Accepted:
        return wizard.workspace
    return None


def _login_on_server(workspace: Workspace, url: str, username: str, password: str) -> object:
    """The first-run wizard's login: register this laptop with the municipal server."""
    from wijkteam_app.services.sync import SyncService

    service = SyncService(workspace)
    try:
        return service.login(url, username, password)
    finally:
        service.close()


def run(paths: ProfilePaths, passphrase: str | None = None,
        quit_after_start: bool = False) -> int:
    """The GUI entry point used by `wijkteam` / `wijkteam gui`; returns the exit code.

    With `passphrase` (from --passphrase-file) the profile is unlocked without the dialog.
    `quit_after_start` closes the app again once the main window is shown: the smoke test
    of the installed bundle (`wijkteam ... gui --quit-after-start`).
    """
    app = create_application()
    install_exception_dialog()
    if passphrase is not None:
        def unlock() -> Workspace:
            from wijkteam_app.services import profile

            return profile.unlock(paths, passphrase)

        # Paint first; the key derivation and the case file follow (one KDF).
        window = MainWindow(opener=unlock)
    else:
        workspace = open_workspace(paths)
        if workspace is None:
            log.info("start cancelled at the unlock step")
            return 0
        window = MainWindow(workspace)
    window.show()
    if quit_after_start:  # the bundle's smoke test: the case file was opened and listed
        window.ready.connect(lambda: QTimer.singleShot(0, app.quit))
    try:
        code = app.exec()
    finally:
        window.close_workspace()
    if window.open_error is not None:
        raise window.open_error  # wrong passphrase, missing file...: the CLI says so
    return code
