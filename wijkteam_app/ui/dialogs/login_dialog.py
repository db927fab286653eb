"""Logging in to the municipal server from inside the app.

For a worker who chose "Alleen lokaal werken" at first start (or skipped the login there):
server address (https only, checked at the field; IT's preset is filled in), username and
password. The dialog calls ``service.login(url, username, password)`` on the GUI thread, like
the first-run wizard does. A `SyncError` shows its Dutch ``message`` under the form and the
dialog stays open; any other exception shows a general Dutch message, never its text. On
success it says who is logged in (and in which team) and accepts; `result_login` holds the
`LoginResult`.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.errors import WijkteamError
from wijkteam_app.messages import ERROR_MESSAGES
from wijkteam_app.services.sync import LoginResult, UnsyncedWork
from wijkteam_app.sync.transport import SyncError
from wijkteam_app.ui.dialogs.first_run_wizard import (
    _field,
    _line_edit,
    _mark,
    _unmark,
    normalise_server_url,
    preset_server_url,
)
from wijkteam_app.ui.dialogs.unlock_dialog import busy
from wijkteam_app.ui.i18n import error_text, field_text
from wijkteam_app.ui.widgets import ErrorLabel, muted_label

log = logging.getLogger(__name__)


class LoginService(Protocol):
    """What the dialog needs of `wijkteam_app.services.sync.SyncService`."""

    def login(self, url: str, username: str, password: str) -> LoginResult: ...

    def is_logged_in(self) -> bool: ...


class LoginDialog(QDialog):
    """Server address, username and password; Accepted once the server took the login."""

    def __init__(self, service: LoginService, parent: QWidget | None = None,
                 server_url: str | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.result_login: LoginResult | None = None
        self.setWindowTitle(self.tr("Aanmelden bij de server"))
        self.setMinimumWidth(480)

        intro = muted_label(self.tr(
            "Meld u aan met uw account van de gemeente. Daarna wordt het dossier op deze "
            "laptop met de server van de gemeente gesynchroniseerd; wat u lokaal vastlegde, "
            "gaat mee."))

        self.url = _line_edit(self.tr("Adres van de server"))
        self.url.setPlaceholderText("https://wijkteam.gemeente.nl")
        self.url.setText(server_url if server_url is not None else preset_server_url())
        self.url.editingFinished.connect(self._check_url)
        self.username = _line_edit(self.tr("Gebruikersnaam"))
        self.password = _line_edit(self.tr("Wachtwoord van uw gemeente-account"),
                                   secret=True)
        self.url_error = ErrorLabel()
        self.username_error = ErrorLabel()
        self.password_error = ErrorLabel()
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("loginError")
        password_hint = muted_label(self.tr(
            "Het wachtwoord van uw account bij de gemeente, niet het wachtwoord van het "
            "dossier."))

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(
            self.tr("&Aanmelden"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(
            self.tr("A&nnuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)  # Return anywhere in the form submits
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(intro)
        layout.addSpacing(8)
        _field(layout, self.tr("&Serveradres"), self.url, self.url_error)
        _field(layout, self.tr("&Gebruikersnaam"), self.username, self.username_error)
        _field(layout, self.tr("&Wachtwoord"), self.password, self.password_error,
                    password_hint)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        (self.username if self.url.text() else self.url).setFocus()

    # --- checking and logging in -----------------------------------------------------------

    def _url_problem(self) -> tuple[str | None, str]:
        if not self.url.text().strip():
            return None, field_text(ErrorCode.REQUIRED)
        return normalise_server_url(self.url.text())

    def _check_url(self) -> None:
        """Leaving the address field: say at once what is wrong with it (if anything)."""
        if not self.url.text().strip():
            return  # an empty field is only an error when submitting
        url, message = self._url_problem()
        if url is None:
            _mark(self.url, self.url_error, message)
        else:
            _unmark(self.url, self.url_error)

    def _validate(self) -> tuple[str, str, str] | None:
        """(url, username, password), or None with the fields that are wrong marked."""
        for edit, error in ((self.url, self.url_error), (self.username, self.username_error),
                            (self.password, self.password_error)):
            _unmark(edit, error)
        self.general_error.clear_message()
        invalid: list[QLineEdit] = []
        url, message = self._url_problem()
        if url is None:
            _mark(self.url, self.url_error, message)
            invalid.append(self.url)
        username, password = self.username.text().strip(), self.password.text()
        for edit, error, value in ((self.username, self.username_error, username),
                                   (self.password, self.password_error, password)):
            if not value:
                _mark(edit, error, field_text(ErrorCode.REQUIRED))
                invalid.append(edit)
        if invalid or url is None:
            invalid[0].setFocus()
            invalid[0].selectAll()
            return None
        self.url.setText(url)
        return url, username, password

    def submit(self) -> None:
        values = self._validate()
        if values is None:
            return
        message = self._log_in(*values)
        if message:
            self.general_error.show_message(message)
            self.password.setAccessibleDescription(message)
            self.password.clear()
            self.password.setFocus()
            return
        assert self.result_login is not None
        self.confirm(self.result_login)
        self.accept()

    def _log_in(self, url: str, username: str, password: str) -> str:
        """"" on success, else the Dutch message to show under the form."""
        try:
            with busy(self):
                self.result_login = self._service.login(url, username, password)
        except SyncError as exc:
            log.info("login refused: %s", exc.code)
            return exc.message
        except UnsyncedWork as exc:  # another server while work still waits for this one
            log.info("login refused: %s", exc.code)
            return UnsyncedWork.message
        except WijkteamError as exc:
            log.warning("login failed: %s", exc.code)
            if exc.code in ERROR_MESSAGES and exc.code != WijkteamError.code:
                return error_text(exc.code)
            return self._general_failure()
        except Exception as exc:  # never shown: may carry technical detail
            log.warning("login failed: %s", type(exc).__name__)
            return self._general_failure()
        log.info("logged in to the server from the login dialog")
        return ""

    def _general_failure(self) -> str:
        return self.tr("Aanmelden is niet gelukt. Controleer het adres van de server en de "
                       "netwerkverbinding en probeer het opnieuw; er is niets gewijzigd.")

    def confirmation_text(self, result: LoginResult) -> str:
        return self.tr("U bent aangemeld als {name} (team {team}). Het dossier wordt nu "
                       "gesynchroniseerd.").format(name=result.display_name,
                                                   team=result.team_name)

    def confirm(self, result: LoginResult) -> None:
        """Say who is logged in (a modal message: Return or Esc closes it)."""
        QMessageBox.information(self, self.tr("Aangemeld"), self.confirmation_text(result))
