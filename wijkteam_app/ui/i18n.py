"""Translation support for the UI. Dutch is the source language.

Every literal shown to a person goes through Qt's translator (`self.tr(...)` in QObject
subclasses, `QCoreApplication.translate(context, text)` elsewhere). The shared catalogue in
`wijkteam_app.messages` is passed through the translator here too, under the context
`MESSAGES_CONTEXT`, so a translation file can override those texts as well.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.messages import error_message, field_message
from wijkteam_app.paths import resources_dir

log = logging.getLogger(__name__)

MESSAGES_CONTEXT = "messages"

# Translators must outlive the application's use of them; keep references here.
_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> None:
    """Load Qt's own Dutch strings (standard buttons, context menus) and, when present, an
    application translation for the current locale from `resources/i18n`."""
    locale = locale or QLocale("nl_NL")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [("qtbase", qt_dir), ("wijkteam", str(resources_dir() / "i18n"))]
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            _installed.append(translator)
            log.info("translation loaded: %s", name)


def error_text(code: str) -> str:
    """The Dutch message for an error code, passed through the translator."""
    return QCoreApplication.translate(MESSAGES_CONTEXT, error_message(code))


def field_text(code: ErrorCode) -> str:
    """The Dutch message for a field validation code, passed through the translator."""
    return QCoreApplication.translate(MESSAGES_CONTEXT, field_message(code))
