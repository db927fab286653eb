"""Translation support for the UI. Dutch is the source language.

Every literal shown to a person goes through Qt's translator (`self.tr(...)` in QObject
subclasses, `QCoreApplication.translate(context, text)` elsewhere). The shared catalogue in
`wijkteam_app.messages` is passed through the translator here too, under the context
`MESSAGES_CONTEXT`, so a translation file can override those texts as well.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.messages import error_message, field_message
from wijkteam_app.paths import resources_dir

log = logging.getLogger(__name__)

MESSAGES_CONTEXT = "messages"

# Translators must outlive the application's use of them; keep references here.
_installed: list[QTranslator] = []


def qt_translation_folders() -> list[str]:
    """Where Qt's own .qm files may be: Qt's configured folder, the PySide6 package (also
    inside the PyInstaller bundle) and the system's Qt 6 translations."""
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    try:
        import PySide6

        folders.append(str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"))
    except ImportError:  # pragma: no cover - PySide6 is what runs this code
        pass
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(str(Path(bundle) / "PySide6" / "Qt" / "translations"))
    folders.append("/usr/share/qt6/translations")
    return [f for n, f in enumerate(folders) if f and f not in folders[:n]]


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> bool:
    """Load Qt's own Dutch strings (file and print dialogs, standard buttons, context menus)
    and, when present, an application translation for the current locale from
    `resources/i18n`. Returns whether Qt's Dutch (qtbase) was found; a missing one is logged,
    since the file dialogs then speak English."""
    locale = locale or QLocale("nl_NL")
    qtbase = False
    for folder in qt_translation_folders():
        translator = QTranslator(app)
        if translator.load(locale, "qtbase", "_", folder):
            app.installTranslator(translator)
            _installed.append(translator)
            log.info("translation loaded: qtbase")
            qtbase = True
            break
    if not qtbase:
        log.warning("Qt's Dutch translation (qtbase_nl.qm) was not found: file dialogs in "
                    "English")
    translator = QTranslator(app)
    if translator.load(locale, "wijkteam", "_", str(resources_dir() / "i18n")):
        app.installTranslator(translator)
        _installed.append(translator)
        log.info("translation loaded: wijkteam")
    return qtbase


def error_text(code: str) -> str:
    """The Dutch message for an error code, passed through the translator."""
    return QCoreApplication.translate(MESSAGES_CONTEXT, error_message(code))


def field_text(code: ErrorCode) -> str:
    """The Dutch message for a field validation code, passed through the translator."""
    return QCoreApplication.translate(MESSAGES_CONTEXT, field_message(code))
