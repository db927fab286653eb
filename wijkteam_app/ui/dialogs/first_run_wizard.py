"""First start on a laptop: server or local only, the passphrase, and logging in.

The pages, in order:

1. **Welkom** — the municipal server address (https only, checked at the field) or the choice
   "Alleen lokaal werken". IT can preset the address (see `preset_server_url`).
2. **Wachtwoord** — name, team, passphrase and its repetition, with what the passphrase
   protects and what a forgotten one means; optionally fictitious demo data. Leaving this page
   creates the profile (`services.profile.init_profile`) and unlocks it: with a server this
   is a commit page (no way back), without a server it is the last page.
3. **Inloggen** (only with a server) — username and password of the municipal account. The
   profile already exists and is unlocked, so the injected `login` callable receives the
   Workspace: ``login(workspace, url, username, password)``. Whatever it returns is kept in
   `login_result`; it raises to refuse: a `WijkteamError` whose code is in
   `wijkteam_app.messages` shows that Dutch message, another WijkteamError "Inloggen is niet
   gelukt…", an exception with a `code` and a Dutch `message` (the sync client's SyncError)
   that message, any other exception (transport errors) "server niet bereikbaar…"; the raw
   exception text is never shown or logged. "Later inloggen" (or Esc) finishes without
   logging in: the profile stays, local only, until the worker logs in from the app.

After `exec()` returns Accepted, `workspace` holds the unlocked profile and `server_url` the
chosen address (None for local only). Without a `login` callable the server choice is shown
but disabled, because there is nothing that could log in yet.
"""

from __future__ import annotations

import configparser
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from wijkteam_app import __version__
from wijkteam_app.domain.validation import ErrorCode
from wijkteam_app.errors import PassphraseTooWeak, WijkteamError
from wijkteam_app.messages import ERROR_MESSAGES
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services import profile
from wijkteam_app.services.profile import LocalIdentity, Workspace
from wijkteam_app.ui.dialogs.unlock_dialog import UnlockFunction, busy
from wijkteam_app.ui.i18n import error_text, field_text
from wijkteam_app.ui.widgets import ErrorLabel, muted_label

log = logging.getLogger(__name__)

LoginFunction = Callable[[Workspace, str, str, str], object]
"""``login(workspace, url, username, password)``: called once the profile exists and is
unlocked; raises (preferably a WijkteamError with a Dutch message code) to refuse."""
InitFunction = Callable[[ProfilePaths, str, LocalIdentity], None]
DemoFunction = Callable[[Workspace], int]

SERVER_URL_ENV = "WIJKTEAM_SERVER_URL"
CONFIG_NAME = "wijkteam.ini"

PAGE_WELCOME = 0
PAGE_PASSPHRASE = 1
PAGE_LOGIN = 2

WIZARD_WIDTH = 680
WIZARD_HEIGHT = 640  # leaves room for the taskbar at 1366x768


def _init_profile(paths: ProfilePaths, passphrase: str, identity: LocalIdentity) -> None:
    profile.init_profile(paths, passphrase, identity)


def _fill_demo(workspace: Workspace) -> int:
    from wijkteam_app.services.demo import fill_demo  # optional feature, loaded when asked

    return fill_demo(workspace)


def config_files() -> list[Path]:
    """Where IT may put `wijkteam.ini` with ``[server] url = https://...``; first one wins."""
    candidates: list[Path] = []
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).resolve().parent / CONFIG_NAME)
    if sys.platform == "win32":
        candidates.append(Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData"))
                          / "Wijkteam" / CONFIG_NAME)
    elif sys.platform == "darwin":
        candidates.append(Path("/Library/Application Support/Wijkteam") / CONFIG_NAME)
    else:
        candidates.append(Path("/etc/wijkteam") / CONFIG_NAME)
    return candidates


def preset_server_url() -> str:
    """The server address IT configured: the environment variable WIJKTEAM_SERVER_URL, else
    the first readable `wijkteam.ini` of `config_files()`; empty when none is set."""
    from_env = os.environ.get(SERVER_URL_ENV, "").strip()
    if from_env:
        return from_env
    for path in config_files():
        parser = configparser.ConfigParser()
        try:
            if not parser.read(path, encoding="utf-8"):
                continue
        except (OSError, configparser.Error):
            log.warning("server configuration not readable: %s", path)
            continue
        url = parser.get("server", "url", fallback="").strip()
        if url:
            return url
    return ""


def normalise_server_url(text: str) -> tuple[str | None, str]:
    """(the https URL, "") or (None, a Dutch message for the field). A bare host name gets
    https:// in front; http and other schemes are refused."""
    text = text.strip()
    tr = _translate
    if not text:
        return None, tr("Vul het adres van de server in, of kies 'Alleen lokaal werken'.")
    if "://" not in text:
        text = "https://" + text
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if url.scheme().lower() != "https":
        return None, tr("Het adres moet beginnen met https:// (een beveiligde verbinding).")
    host = url.host()
    if (not url.isValid() or not host or " " in text
            or ("." not in host and host != "localhost")
            or url.userName() or url.hasQuery() or url.hasFragment()):
        return None, tr("Dit is geen geldig serveradres. Een voorbeeld: "
                        "https://wijkteam.gemeente.nl")
    return url.toString().rstrip("/"), ""


def _translate(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("FirstRunWizard", text)


def _worker_message(exc: Exception) -> str:
    """The Dutch text an error meant for the worker carries: the sync client's errors have a
    `code` and a Dutch `message` (wijkteam_app.sync.transport.SyncError). Anything else
    (httpx, OSError) carries technical detail that is never shown; returns ""."""
    code, message = getattr(exc, "code", None), getattr(exc, "message", None)
    if isinstance(code, str) and isinstance(message, str):
        return _translate(message)
    return ""


def version_text() -> str:
    return _translate("Wijkteam versie {version}").format(version=__version__)


def _line_edit(accessible_name: str, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setMinimumHeight(30)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _field(layout: QVBoxLayout, caption: str | QLabel, edit: QLineEdit, error: ErrorLabel,
           hint: QLabel | None = None) -> QLabel:
    """Caption (with its mnemonic bound to the field), field, optional hint, error line."""
    label = caption if isinstance(caption, QLabel) else QLabel(caption)
    label.setBuddy(edit)
    layout.addWidget(label)
    layout.addWidget(edit)
    if hint is not None:
        layout.addWidget(hint)
    layout.addWidget(error)
    layout.addSpacing(4)
    return label


def _mark(edit: QLineEdit, error: ErrorLabel, message: str) -> None:
    error.show_message(message)
    edit.setAccessibleDescription(message)


def _unmark(edit: QLineEdit, error: ErrorLabel) -> None:
    error.clear_message()
    edit.setAccessibleDescription("")


class WelcomePage(QWizardPage):
    """Server address or local only."""

    def __init__(self, preset_url: str, server_possible: bool) -> None:
        super().__init__()
        self.setTitle(self.tr("Welkom bij Wijkteam"))
        self.setSubTitle(self.tr("Wijkteam wordt voor het eerst gestart op deze laptop. "
                                 "Eerst richt u het in; dat duurt een paar minuten."))
        self.server_url: str | None = None

        self.server_choice = QRadioButton(self.tr("Verbinden met de &server van de gemeente"))
        self.server_choice.setAccessibleName(self.tr("Verbinden met de server van de gemeente"))
        self.url = _line_edit(self.tr("Adres van de server"))
        self.url.setPlaceholderText("https://wijkteam.gemeente.nl")
        self.url.setText(preset_url)
        self.url_error = ErrorLabel()
        url_hint = muted_label(self.tr(
            "Dit adres krijgt u van de ICT-afdeling. Uw dossiers worden dan met de server "
            "van de gemeente gesynchroniseerd, zodat ze ook daar veilig staan."))
        self.local_choice = QRadioButton(self.tr("Alleen &lokaal werken"))
        self.local_choice.setAccessibleName(self.tr("Alleen lokaal werken"))
        local_hint = muted_label(self.tr(
            "Alle gegevens blijven uitsluitend op deze laptop. Er is dan geen kopie op de "
            "server van de gemeente."))
        self.choices = QButtonGroup(self)
        self.choices.addButton(self.server_choice)
        self.choices.addButton(self.local_choice)

        if server_possible:
            self.server_choice.setChecked(True)
        else:
            self.local_choice.setChecked(True)
            self.server_choice.setEnabled(False)
            url_hint.setText(self.tr("Verbinden met een server is in deze versie van Wijkteam "
                                     "nog niet beschikbaar."))
        self.server_choice.toggled.connect(self._choice_changed)

        self.url_label = QLabel(self.tr("&Adres van de server"))
        version = muted_label(version_text())
        version.setObjectName("versionLabel")

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.server_choice)
        indented = QVBoxLayout()
        indented.setContentsMargins(26, 0, 0, 0)
        indented.setSpacing(4)
        _field(indented, self.url_label, self.url, self.url_error, url_hint)
        layout.addLayout(indented)
        layout.addSpacing(10)
        layout.addWidget(self.local_choice)
        local_box = QVBoxLayout()
        local_box.setContentsMargins(26, 0, 0, 0)
        local_box.addWidget(local_hint)
        layout.addLayout(local_box)
        layout.addStretch(1)
        layout.addWidget(version)
        self._choice_changed()

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        # QWizard focuses the page's first control after this; ours goes after that.
        target = self.url if self.server_choice.isChecked() else self.local_choice
        QTimer.singleShot(0, target.setFocus)

    def uses_server(self) -> bool:
        return self.server_choice.isChecked()

    def _choice_changed(self) -> None:
        on = self.server_choice.isChecked()
        self.url.setEnabled(on)
        self.url_label.setEnabled(on)
        if not on:
            _unmark(self.url, self.url_error)

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        _unmark(self.url, self.url_error)
        if not self.uses_server():
            self.server_url = None
            return True
        url, message = normalise_server_url(self.url.text())
        if url is None:
            _mark(self.url, self.url_error, message)
            self.url.setFocus()
            self.url.selectAll()
            return False
        self.server_url = url
        self.url.setText(url)
        return True

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        return PAGE_PASSPHRASE


class PassphrasePage(QWizardPage):
    """Who works here and the passphrase; leaving it creates and unlocks the profile."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Uw wachtwoord voor dit dossier"))
        self.setSubTitle(self.tr("Kies een wachtwoord dat u goed onthoudt. U typt het elke "
                                 "keer als u Wijkteam opent."))

        explanation = QFrame()
        explanation.setObjectName("passphraseExplanation")
        explanation.setFrameShape(QFrame.Shape.StyledPanel)
        explanation.setStyleSheet(
            "QFrame#passphraseExplanation { background: #eef4f9; border: 1px solid #c9d9e8;"
            " border-radius: 4px; }")
        protects = QLabel(self.tr(
            "<b>Wat beschermt dit wachtwoord?</b> Alle gegevens van cliënten die u in Wijkteam "
            "vastlegt, staan versleuteld op deze laptop. Alleen met dit wachtwoord, op deze "
            "laptop en onder uw eigen account, zijn ze te openen."))
        protects.setWordWrap(True)
        self.forgotten = QLabel()
        self.forgotten.setWordWrap(True)
        box = QVBoxLayout(explanation)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(6)
        box.addWidget(protects)
        box.addWidget(self.forgotten)
        explanation.setAccessibleName(self.tr("Uitleg over het wachtwoord"))

        self.name = _line_edit(self.tr("Uw naam"))
        self.team = _line_edit(self.tr("Naam van het team"))
        self.passphrase = _line_edit(self.tr("Wachtwoord"), secret=True)
        self.repeat = _line_edit(self.tr("Herhaal wachtwoord"), secret=True)
        self.name_error = ErrorLabel()
        self.team_error = ErrorLabel()
        self.passphrase_error = ErrorLabel()
        self.repeat_error = ErrorLabel()
        self.general_error = ErrorLabel()
        hint = muted_label(self.tr(
            "Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden."))
        self.demo = QCheckBox(self.tr("Vul met fictieve &voorbeeldgegevens (demo)"))
        self.demo.setToolTip(self.tr(
            "Voegt verzonnen huishoudens toe om het programma te verkennen. Gebruik dit niet "
            "voor een dossier met echte cliënten."))

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(explanation)
        layout.addSpacing(8)
        names = QHBoxLayout()  # side by side: keeps the page within a 768-pixel screen
        names.setSpacing(12)
        for caption, edit, error in ((self.tr("&Uw naam"), self.name, self.name_error),
                                     (self.tr("&Naam van het team"), self.team,
                                      self.team_error)):
            column = QVBoxLayout()
            column.setSpacing(3)
            _field(column, caption, edit, error)
            column.addStretch(1)
            names.addLayout(column, 1)
        layout.addLayout(names)
        _field(layout, self.tr("&Wachtwoord"), self.passphrase, self.passphrase_error, hint)
        _field(layout, self.tr("&Herhaal wachtwoord"), self.repeat, self.repeat_error)
        layout.addWidget(self.demo)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        self._edits = ((self.name, self.name_error), (self.team, self.team_error),
                       (self.passphrase, self.passphrase_error), (self.repeat, self.repeat_error))

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        server = self._wizard.uses_server()
        if server:
            self.forgotten.setText(self.tr(
                "<b>Wachtwoord vergeten?</b> Dan is het dossier op deze laptop niet meer te "
                "openen; ook de ICT-afdeling kan het niet herstellen. Wat al met de server van "
                "de gemeente is gesynchroniseerd, staat daar veilig. Werk dat nog niet is "
                "gesynchroniseerd, gaat verloren. Synchroniseer daarom vaak."))
        else:
            self.forgotten.setText(self.tr(
                "<b>Wachtwoord vergeten?</b> Dan is het dossier op deze laptop niet meer te "
                "openen; ook de ICT-afdeling kan het niet herstellen. U werkt alleen lokaal: "
                "er is geen kopie op de server, dus dan zijn alle gegevens verloren."))
        self.forgotten.setAccessibleName(self.forgotten.text())
        # With a server the login page follows and there is no way back once the file exists.
        self.setCommitPage(server)
        create = self.tr("Dossier &aanmaken")
        self.setButtonText(QWizard.WizardButton.CommitButton, create)
        self.setButtonText(QWizard.WizardButton.FinishButton, create)
        self.name.setFocus()

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        return PAGE_LOGIN if self._wizard.uses_server() else -1

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        if self._wizard.workspace is not None:  # created already (e.g. validated twice)
            return True
        for edit, error in self._edits:
            _unmark(edit, error)
        self.general_error.clear_message()
        name, team = self.name.text().strip(), self.team.text().strip()
        passphrase = self.passphrase.text()
        invalid: list[QLineEdit] = []
        for edit, error, value in ((self.name, self.name_error, name),
                                   (self.team, self.team_error, team),
                                   (self.passphrase, self.passphrase_error, passphrase)):
            if not value:
                _mark(edit, error, field_text(ErrorCode.REQUIRED))
                invalid.append(edit)
        if passphrase and passphrase != self.repeat.text():
            _mark(self.repeat, self.repeat_error, error_text("passphrase_mismatch"))
            self.repeat.clear()
            invalid.append(self.repeat)
        if invalid:
            invalid[0].setFocus()
            return False
        try:
            self._wizard.create_profile(passphrase, LocalIdentity(display_name=name,
                                                                  team_name=team),
                                        demo=self.demo.isChecked())
        except PassphraseTooWeak as exc:
            _mark(self.passphrase, self.passphrase_error, error_text(exc.code))
            self.passphrase.clear()
            self.repeat.clear()
            self.passphrase.setFocus()
            return False
        except WijkteamError as exc:
            log.warning("profile creation refused: %s", exc.code)
            self.general_error.show_message(error_text(exc.code))
            self.passphrase.setFocus()
            return False
        return True


class LoginPage(QWizardPage):
    """The municipal account; the profile exists and is unlocked when this page shows."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("Inloggen bij de gemeente"))
        self.setSubTitle(self.tr("Het dossier op deze laptop is aangemaakt. Log nu in met uw "
                                 "account van de gemeente om te kunnen synchroniseren."))
        self.server = QLabel()
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.username = _line_edit(self.tr("Gebruikersnaam"))
        self.password = _line_edit(self.tr("Wachtwoord van uw gemeente-account"), secret=True)
        self.username_error = ErrorLabel()
        self.password_error = ErrorLabel()
        self.general_error = ErrorLabel()
        password_hint = muted_label(self.tr(
            "Dit is het wachtwoord van uw account bij de gemeente, niet het wachtwoord van het "
            "dossier dat u net koos."))
        later = muted_label(self.tr(
            "Geen verbinding of geen account bij de hand? Kies 'Later inloggen': u kunt "
            "meteen lokaal werken en later alsnog inloggen."))

        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(self.server)
        layout.addSpacing(10)
        _field(layout, self.tr("&Gebruikersnaam"), self.username, self.username_error)
        _field(layout, self.tr("W&achtwoord"), self.password, self.password_error,
               password_hint)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(later)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        self.server.setText(self.tr("Server: {url}").format(url=self._wizard.server_url or ""))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Inloggen"))
        self.username.setFocus()

    def nextId(self) -> int:  # noqa: N802 (Qt override)
        return -1

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        for edit, error in ((self.username, self.username_error),
                            (self.password, self.password_error)):
            _unmark(edit, error)
        self.general_error.clear_message()
        username, password = self.username.text().strip(), self.password.text()
        invalid = [edit for edit, error, value in (
            (self.username, self.username_error, username),
            (self.password, self.password_error, password)) if not value]
        for edit in invalid:
            error = self.username_error if edit is self.username else self.password_error
            _mark(edit, error, field_text(ErrorCode.REQUIRED))
        if invalid:
            invalid[0].setFocus()
            return False
        message = self._wizard.log_in(username, password)
        if message:
            self.general_error.show_message(message)
            self.password.setAccessibleDescription(message)
            self.password.clear()
            self.password.setFocus()
            return False
        return True


class FirstRunWizard(QWizard):
    """Sets up Wijkteam on this laptop; after Accepted, `workspace` is the unlocked profile."""

    def __init__(
        self,
        paths: ProfilePaths,
        parent: QWidget | None = None,
        login: LoginFunction | None = None,
        init: InitFunction = _init_profile,
        demo_fill: DemoFunction = _fill_demo,
        unlock: UnlockFunction = profile.unlock,
        server_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._login = login
        self._init = init
        self._demo_fill = demo_fill
        self._unlock = unlock
        self.workspace: Workspace | None = None
        self.login_result: object = None
        self.logged_in = False

        self.setWindowTitle(self.tr("Wijkteam instellen"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, False)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("&Later inloggen"))
        later = self.button(QWizard.WizardButton.CustomButton1)
        if isinstance(later, QPushButton):
            later.setAutoDefault(False)  # Return means "Inloggen", never "Later"
        self.customButtonClicked.connect(self._custom_button)
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Afsluiten"))
        self.resize(WIZARD_WIDTH, WIZARD_HEIGHT)
        self.setMinimumWidth(600)

        preset = server_url if server_url is not None else preset_server_url()
        self.welcome = WelcomePage(preset, server_possible=login is not None)
        self.passphrase_page = PassphrasePage(self)
        self.login_page = LoginPage(self)
        self.setPage(PAGE_WELCOME, self.welcome)
        self.setPage(PAGE_PASSPHRASE, self.passphrase_page)
        self.setPage(PAGE_LOGIN, self.login_page)
        self.setStartId(PAGE_WELCOME)
        self.currentIdChanged.connect(self._page_changed)

    # --- state the pages share -------------------------------------------------------------

    @property
    def server_url(self) -> str | None:
        return self.welcome.server_url if self.welcome.uses_server() else None

    def uses_server(self) -> bool:
        return self.welcome.uses_server()

    def create_profile(self, passphrase: str, identity: LocalIdentity, demo: bool) -> None:
        """Create and unlock the profile (raises WijkteamError), then add demo data if asked."""
        with busy(self):
            self._init(self._paths, passphrase, identity)
            self.workspace = self._unlock(self._paths, passphrase)
        log.info("profile created from the first-run wizard")
        if demo:
            self._add_demo_data(self.workspace)

    def log_in(self, username: str, password: str) -> str:
        """Call the injected login; "" on success, else a Dutch message."""
        assert self.workspace is not None and self._login is not None
        url = self.server_url or ""
        try:
            with busy(self):
                self.login_result = self._login(self.workspace, url, username, password)
        except WijkteamError as exc:
            log.info("login refused: %s", exc.code)
            if exc.code in ERROR_MESSAGES and exc.code != WijkteamError.code:
                return error_text(exc.code)
            return self.tr("Inloggen is niet gelukt. Controleer uw gebruikersnaam en "
                           "wachtwoord en probeer het opnieuw.")
        except Exception as exc:  # the sync client's and the transport's errors
            log.warning("login failed: %s", type(exc).__name__)
            dutch = _worker_message(exc)
            if dutch:
                return dutch
            return self.tr("Inloggen is niet gelukt: de server is niet bereikbaar of gaf een "
                           "onverwacht antwoord. Controleer het adres en de netwerkverbinding, "
                           "of kies 'Later inloggen'.")
        self.logged_in = True
        log.info("logged in to the server from the first-run wizard")
        return ""

    def _add_demo_data(self, workspace: Workspace) -> None:
        try:
            with busy(self):
                count = self._demo_fill(workspace)
        except (WijkteamError, ImportError) as exc:
            log.warning("demo data not added: %s", type(exc).__name__)
            QMessageBox.warning(self, self.tr("Voorbeeldgegevens"), self.tr(
                "De voorbeeldgegevens konden niet worden toegevoegd. Het dossier zelf is wel "
                "aangemaakt."))
            return
        log.info("demo data added: %d households", count)

    # --- buttons ---------------------------------------------------------------------------

    def fit_to_content(self) -> None:
        """Grow (never shrink) when error messages need room, within the available screen."""
        wanted = self.sizeHint().height()
        screen = self.screen()
        if screen is not None:
            wanted = min(wanted, screen.availableGeometry().height() - 40)
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt override)
        valid = super().validateCurrentPage()
        if not valid:
            self.fit_to_content()
        return valid

    def _page_changed(self, page_id: int) -> None:
        on_login = page_id == PAGE_LOGIN
        self.setOption(QWizard.WizardOption.HaveCustomButton1, on_login)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, on_login)
        # Once the profile exists there is nothing to cancel: "Later inloggen" replaces it.
        self.setOption(QWizard.WizardOption.NoCancelButton, on_login)

    def _custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.finish_without_login()

    def finish_without_login(self) -> None:
        log.info("first-run wizard finished without logging in")
        QDialog.done(self, QDialog.DialogCode.Accepted.value)

    def reject(self) -> None:
        """Esc or closing the window: before the profile exists this quits; afterwards it
        means "Later inloggen" (the profile is made and open, nothing to undo)."""
        if self.workspace is not None:
            self.finish_without_login()
            return
        super().reject()
