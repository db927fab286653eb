"""The Team menu: the dashboard by keyboard and mouse, the households behind a figure, the
filters, the worker's own view, and saving the report."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import FAST_KDF, PASSPHRASE
from wijkteam_app.domain.cases import Case, CaseStatus, ContactKind, ContactMoment, ReferralSource
from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.indicators import Indicator
from wijkteam_app.domain.instruments import Assessment, ItemScore
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.domain.workers import Role, Worker
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence import repositories as repo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import LocalIdentity, Workspace, init_profile, unlock
from wijkteam_app.services.steering import Dashboard, DashboardFilter, SteeringService
from wijkteam_app.ui.controllers.dashboard_warmer import USER_BUSY_MS, DashboardWarmer
from wijkteam_app.ui.dialogs.report_dialog import ReportDialog
from wijkteam_app.ui.main_window import MainWindow
from wijkteam_app.ui.pages.team_page import HouseholdListDialog, TeamPage

pytestmark = pytest.mark.gui

TODAY = date(2026, 12, 15)


def workspace_as(tmp_path: Path, role: Role) -> Workspace:
    paths = ProfilePaths(tmp_path / f"profiel-{role.value}")
    init_profile(paths, PASSPHRASE, LocalIdentity(display_name="Karin Proef", role=role,
                                                  team_name="Wijkteam Noord",
                                                  wijken=("Noord", "Oost")), kdf=FAST_KDF)
    return unlock(paths, PASSPHRASE, lambda: TODAY)


def fill(ws: Workspace) -> dict[str, str]:
    """Four households of this worker and two of a colleague, in the second half of 2026:
    profiles 3, 3, 1 and none; three persons rose on the ladder, one fell."""
    colleague = Worker(new_id(), "collega", "Sanne Collega", Role.WIJKWERKER, ws.team.id)
    with ws.casefile.save(ws.actor_id, "test.collega", "medewerker") as ctx:
        repo.save_worker(ctx.session, colleague)
    service = HouseholdService(ws)
    ids: dict[str, str] = {}
    plan = [("Appel", "Noord", 3, 1, 2, ws.worker.id), ("Boon", "Noord", 3, 2, 4, ws.worker.id),
            ("Citroen", "Oost", 1, 4, 3, ws.worker.id), ("Dadel", "Oost", None, 1, 2,
                                                          ws.worker.id),
            ("Eik", "Noord", 2, None, None, colleague.id),
            ("Framboos", "Oost", 2, None, None, colleague.id)]
    for name, wijk, profile, first, last, regisseur in plan:
        household = Household(new_id(), f"Huishouden {name}",
                              Address("Proefstraat", 1, "", "1234 AB", "Voorbeeldstad"), wijk)
        person = Person(new_id(), household.id, "Proef", name, HouseholdRole.HOOFDBEWONER,
                        birth_date=date(1980, 1, 1))
        service.create(household, [person])
        case = Case(new_id(), household.id, ws.team.id, regisseur, CaseStatus.UITVOERING,
                    ReferralSource.HUISARTS, date(2026, 8, 3), client_profile=profile)
        contact = ContactMoment(new_id(), case.id, date(2026, 8, 5), 60,
                                ContactKind.HUISBEZOEK, regisseur)
        # Stored as the case's regisseur would (a colleague's case is not this worker's to
        # write once it exists).
        with ws.casefile.save(regisseur, "test.casus", "casus") as ctx:
            repo.save_case(ctx.session, case)
            ctx.session.flush()
            repo.save_contact(ctx.session, contact, household.id)
        if first is not None and last is not None:
            with ws.casefile.save(ws.actor_id, "test.ladder", "meting") as ctx:
                for day, rung in ((date(2026, 8, 10), first), (date(2026, 11, 10), last)):
                    repo.save_assessment(ctx.session, Assessment(
                        new_id(), "participatieladder", "2008", day, ws.worker.id,
                        (ItemScore("trede", rung),), person_id=person.id), household.id)
        ids[name] = household.id
    return ids


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[tuple[Workspace, dict[str, str]]]:
    ws = workspace_as(tmp_path, Role.TEAMCOACH)
    ids = fill(ws)
    yield ws, ids
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, coach: tuple[Workspace, dict[str, str]]) -> Iterator[MainWindow]:
    win = MainWindow(coach[0])
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_workspace()


def open_team(qtbot: QtBot, win: MainWindow) -> TeamPage:
    assert win.team is None  # nothing of the dashboard is made before it is asked for
    qtbot.keyClick(win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.team is not None and win.team.isVisible())
    assert win.team is not None
    qtbot.waitUntil(lambda: not win.team.busy)  # type: ignore[union-attr]
    return win.team


def choose(qtbot: QtBot, page: TeamPage, change: Callable[[], None]) -> None:
    """Change a filter and wait for its figures."""
    change()
    qtbot.waitUntil(lambda: not page.busy)


def dialog_names(dialog: HouseholdListDialog) -> list[str]:
    return [row.name for row in dialog.model.items()]


def test_ctrl_t_opens_the_team_dashboard_with_its_figures(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    page = open_team(qtbot, window)
    assert window.pages.currentWidget() is page
    tiles = page.tiles
    assert tiles[Indicator.HOUSEHOLDS_IN_VIEW].accessibleName() == "huishoudens in beeld: 6"
    assert tiles[Indicator.REFERRALS_NEW].number.text() == "6"
    assert "Wijkteam Noord" in page.scope_label.text()
    assert "31-12-2026" not in page.scope_label.text()  # the period is still running
    assert "15-12-2026" in page.scope_label.text()
    profiles = {r.label: r.cells[0] for r in page.profile_model.items()}
    assert profiles["Profiel 3: één persoon, meervoudige problematiek"] == "2"
    ladder = {r.label: r.cells[0] for r in page.ladder_model.items()}
    assert ladder == {"Gestegen": "3", "Gelijk gebleven": "0", "Gedaald": "1"}
    assert "75 % van 4 personen" in page.ladder_panel.note.text()
    caseload = {r.label: r.cells[0] for r in page.caseload_model.items()}
    assert caseload == {"Karin Proef": "4", "Sanne Collega": "2"}


def test_the_team_page_and_report_dialog_have_unique_mnemonics(qtbot: QtBot,
                                                               window: MainWindow) -> None:
    from tests.ui.test_mnemonics import clashes

    open_team(qtbot, window)
    assert clashes(window) == {}
    dialog = ReportDialog(window.team.service, window.plan.report_settings, window)  # type: ignore[union-attr]
    qtbot.addWidget(dialog)
    dialog.show()
    assert clashes(dialog) == {}


def test_a_tile_shows_the_households_behind_it_and_one_opens(
        qtbot: QtBot, window: MainWindow, coach: tuple[Workspace, dict[str, str]]) -> None:
    page = open_team(qtbot, window)
    qtbot.mouseClick(page.tiles[Indicator.HOUSEHOLDS_IN_VIEW], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    dialog = page.last_dialog
    assert dialog is not None
    assert dialog_names(dialog) == [f"Huishouden {n}" for n in
                                    ("Appel", "Boon", "Citroen", "Dadel", "Eik", "Framboos")]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.household)
    assert window.household.current_household_id() == coach[1]["Boon"]
    assert not dialog.isVisible()


def test_a_table_cell_opens_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    page = open_team(qtbot, window)
    view = page.ladder_view
    view.setFocus()
    view.setCurrentIndex(page.ladder_model.index(0, 1))  # Gestegen, Personen
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    assert dialog_names(page.last_dialog) == ["Huishouden Appel", "Huishouden Boon",  # type: ignore[arg-type]
                                              "Huishouden Dadel"]


def test_clicking_a_bar_shows_its_households(qtbot: QtBot, window: MainWindow) -> None:
    page = open_team(qtbot, window)
    page.scroller.ensureWidgetVisible(page.profile_chart.view)
    qtbot.waitUntil(lambda: page.profile_chart.view.isVisible())
    chart = page.profile_chart.chart
    series = chart.series()[0]
    # The middle of the bar of profile 3 (the third category, two households).
    scene = chart.mapToPosition(QPointF(2, 1), series)
    point = page.profile_chart.view.mapFromScene(scene)
    qtbot.mouseClick(page.profile_chart.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    dialog = page.last_dialog
    assert dialog is not None
    assert "Profiel 3" in dialog.windowTitle()
    assert dialog_names(dialog) == ["Huishouden Appel", "Huishouden Boon"]


def test_filters_narrow_the_figures(qtbot: QtBot, window: MainWindow) -> None:
    page = open_team(qtbot, window)
    page.wijk.setFocus()
    qtbot.keyClicks(page.wijk, "Oost")
    qtbot.waitUntil(lambda: page.wijk.currentData() == "Oost")
    qtbot.waitUntil(lambda: not page.busy)
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "3"
    choose(qtbot, page, lambda: page.worker.setCurrentIndex(
        page.worker.findText("Sanne Collega")))
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "1"
    choose(qtbot, page, lambda: page.period.setCurrentIndex(page.period.findData("2026H1")))
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "0"


def test_a_worker_sees_only_their_own_caseload(qtbot: QtBot, tmp_path: Path) -> None:
    ws = workspace_as(tmp_path, Role.WIJKWERKER)
    fill(ws)
    page = TeamPage(ws)
    qtbot.addWidget(page)
    try:
        qtbot.waitUntil(lambda: not page.busy)
        assert not page.worker.isEnabled()
        assert page.worker.currentText() == "Karin Proef"
        assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "4"
        assert "Uw eigen caseload" in page.scope_label.text()
        figure = page.dashboard.figure(Indicator.HOUSEHOLDS_IN_VIEW)  # type: ignore[union-attr]
        names = [r.name for r in page.service.drill_rows(sorted(figure.households))]
        assert "Huishouden Eik" not in names and len(names) == 4
    finally:
        ws.close()


def drive_report_dialog(qtbot: QtBot, steps: Callable[[ReportDialog], None],
                        failures: list[BaseException]) -> None:
    """Run `steps` on the modal report dialog once it is up; never leave it hanging."""
    def run() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ReportDialog) and w.isVisible())
        try:
            steps(dialog)
        except BaseException as exc:  # reported by the test after exec() returns
            failures.append(exc)
            dialog.reject()
    QTimer.singleShot(0, run)


def test_the_report_is_saved_as_pdf_and_as_csv(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path) -> None:
    page = open_team(qtbot, window)
    failures: list[BaseException] = []

    def pdf(dialog: ReportDialog) -> None:
        dialog.path.clear()
        qtbot.keyClicks(dialog.path, str(tmp_path / "nergens" / "rapport.pdf"))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Opslaan is the default button
        assert dialog.isVisible()
        assert dialog.error.isVisible() and "bestaat niet" in dialog.error.text()
        dialog.path.clear()
        qtbot.keyClicks(dialog.path, str(tmp_path / "rapport.pdf"))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)

    drive_report_dialog(qtbot, pdf, failures)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert not failures, failures
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "nergens").exists()
    assert "rapport.pdf" in window.statusBar().currentMessage()

    def csv(dialog: ReportDialog) -> None:
        qtbot.mouseClick(dialog.as_csv, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.per_team, Qt.MouseButton.LeftButton)
        assert dialog.as_csv.isChecked() and dialog.per_team.isChecked()
        assert dialog.path.text().endswith("-per-team.csv")
        dialog.path.setText(str(tmp_path / "rapport.csv"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    drive_report_dialog(qtbot, csv, failures)
    window.report_action.trigger()
    assert not failures, failures
    text = (tmp_path / "rapport.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("periode;peildatum;groepering;groep;indicator")
    assert ";Wijkteam Noord;households_in_view;" in text
    assert "Appel" not in text and "Proefstraat" not in text


def test_the_main_window_does_not_load_the_dashboard_until_asked() -> None:
    """Start-up stays quick: QtCharts, the dashboard and the steering service are loaded only
    when the Team menu is used."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "import wijkteam_app.ui.main_window\n"
             "loaded = [m for m in ('PySide6.QtCharts', 'wijkteam_app.ui.pages.team_page',\n"
             "                      'wijkteam_app.services.steering',\n"
             "                      'wijkteam_app.domain.indicators') if m in sys.modules]\n"
             "print(loaded)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_a_change_made_after_opening_shows_when_the_dashboard_is_opened_again(
        qtbot: QtBot, window: MainWindow, coach: tuple[Workspace, dict[str, str]]) -> None:
    page = open_team(qtbot, window)
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"
    ws = coach[0]
    household = Household(new_id(), "Huishouden Gember",
                          Address("Proefstraat", 2, "", "1234 AB", "Voorbeeldstad"), "Noord")
    service = HouseholdService(ws)
    service.create(household, [Person(new_id(), household.id, "Proef", "Gember",
                                      HouseholdRole.HOOFDBEWONER)])
    service.save_case(Case(new_id(), household.id, ws.team.id, ws.worker.id,
                           CaseStatus.AANGEMELD, ReferralSource.INWONER, date(2026, 12, 1)))
    window.show_caseload()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.isVisible() and not page.busy)
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "7"


def test_after_a_save_the_last_figures_stay_on_screen_while_they_are_updated(
        qtbot: QtBot, window: MainWindow, coach: tuple[Workspace, dict[str, str]]) -> None:
    """Back to Team right after a save: no empty page while the file is read again; the
    previous figures show at once, marked as being updated, then the new ones."""
    page = open_team(qtbot, window)
    window.dashboard_warmer.stop()  # no background catching up: the click must compute
    ws = coach[0]
    household = Household(new_id(), "Huishouden Hazelnoot",
                          Address("Proefstraat", 4, "", "1234 AB", "Voorbeeldstad"), "Noord")
    service = HouseholdService(ws)
    service.create(household, [Person(new_id(), household.id, "Proef", "Hazelnoot",
                                      HouseholdRole.HOOFDBEWONER)])
    service.save_case(Case(new_id(), household.id, ws.team.id, ws.worker.id,
                           CaseStatus.AANGEMELD, ReferralSource.INWONER, date(2026, 12, 1)))
    window.show_caseload()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert page.isVisible() and page.busy
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"
    assert page.busy_label.isVisible() and "bijgewerkt" in page.busy_label.text()
    assert page.scroller.isEnabled() and not page.report_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy)
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "7"
    assert not page.busy_label.isVisible() and page.report_button.isEnabled()


def test_the_next_session_opens_the_dashboard_with_the_last_figures_while_it_computes(
        qtbot: QtBot, tmp_path: Path, window: MainWindow,
        coach: tuple[Workspace, dict[str, str]]) -> None:
    """A coach who opens Team straight after starting the app sees the figures the last
    session left (marked as being updated) instead of an empty page, then the current."""
    page = open_team(qtbot, window)
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"
    window.close_workspace()  # the window closes: the last figures stay in the case file
    ws = unlock(ProfilePaths(tmp_path / "profiel-teamcoach"), PASSPHRASE, lambda: TODAY)
    try:
        household = Household(new_id(), "Huishouden Kers",
                              Address("Proefstraat", 6, "", "1234 AB", "Voorbeeldstad"),
                              "Noord")
        service = HouseholdService(ws)
        service.create(household, [Person(new_id(), household.id, "Proef", "Kers",
                                          HouseholdRole.HOOFDBEWONER)])
        service.save_case(Case(new_id(), household.id, ws.team.id, ws.worker.id,
                               CaseStatus.AANGEMELD, ReferralSource.INWONER,
                               date(2026, 12, 1)))
        again = MainWindow(ws)
        qtbot.addWidget(again)
        again.show()
        qtbot.waitExposed(again)
        qtbot.waitUntil(lambda: again.is_ready)
        again.dashboard_warmer.stop()  # Team chosen before anything was prepared
        qtbot.keyClick(again, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        fresh = again.team
        assert fresh is not None and fresh.isVisible() and fresh.busy
        assert fresh.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"  # last time's
        assert "bijgewerkt" in fresh.busy_label.text()
        qtbot.waitUntil(lambda: not fresh.busy)
        assert fresh.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "7"
        again.close_workspace()
    finally:
        ws.close()


def test_the_next_session_with_nothing_changed_opens_the_kept_figures_as_current(
        qtbot: QtBot, tmp_path: Path, window: MainWindow,
        coach: tuple[Workspace, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing was saved since the last session (households were only looked at): the kept
    figures are today's, so they show without "bijgewerkt"; a figure clicked before the
    households behind it are known opens its list as soon as they are."""
    open_team(qtbot, window)
    window.close_workspace()
    ws = unlock(ProfilePaths(tmp_path / "profiel-teamcoach"), PASSPHRASE, lambda: TODAY)
    release = threading.Event()
    computing = SteeringService.dashboard

    def held(self: SteeringService, flt: DashboardFilter) -> Dashboard:
        release.wait(30)  # the households behind the figures arrive when the test says so
        return computing(self, flt)

    monkeypatch.setattr(SteeringService, "dashboard", held)
    try:
        again = MainWindow(ws)
        qtbot.addWidget(again)
        again.show()
        qtbot.waitExposed(again)
        qtbot.waitUntil(lambda: again.is_ready)
        again.dashboard_warmer.stop()
        again.open_household(coach[1]["Appel"])  # a view: logged, changes no figure
        qtbot.waitUntil(lambda: again.pages.currentWidget() is again.household)
        qtbot.keyClick(again, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        fresh = again.team
        assert fresh is not None and fresh.isVisible()
        assert fresh.figures_current and not fresh.busy_label.isVisible()
        assert fresh.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"
        qtbot.mouseClick(fresh.tiles[Indicator.HOUSEHOLDS_IN_VIEW], Qt.MouseButton.LeftButton)
        assert fresh.last_dialog is None
        assert fresh.busy_label.isVisible() and "opgezocht" in fresh.busy_label.text()
        release.set()
        qtbot.waitUntil(lambda: fresh.last_dialog is not None and fresh.last_dialog.isVisible())
        assert fresh.last_dialog is not None
        assert len(dialog_names(fresh.last_dialog)) == 6
        assert not fresh.busy and not fresh.busy_label.isVisible()
        fresh.last_dialog.close()
        again.close_workspace()
    finally:
        release.set()
        ws.close()


def test_looking_at_a_household_keeps_the_dashboard_at_hand(
        qtbot: QtBot, window: MainWindow, coach: tuple[Workspace, dict[str, str]]) -> None:
    """Opening a household is logged (the access log) but changes no figure: back on Team,
    the figures are there at once, nothing is computed again."""
    page = open_team(qtbot, window)
    window.dashboard_warmer.stop()
    window.open_household(coach[1]["Boon"])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.household)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert page.isVisible() and not page.busy and not page.busy_label.isVisible()
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"


def test_the_dashboard_is_prepared_once_the_window_is_idle_and_then_opens_at_once(
        qtbot: QtBot, window: MainWindow) -> None:
    """The first open in a session: prepared in the background, shown without waiting."""
    with qtbot.waitSignal(window.dashboard_warmer.prepared, timeout=30_000):
        pass  # the window has been idle for a moment
    assert window.team is None  # prepared, not built: the page is made when asked for
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    page = window.team
    assert page is not None and page.isVisible()
    # No computing after the click: the figures are on the page straight away.
    assert not page.busy and not page.busy_label.isVisible()
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"


def test_the_dashboard_is_not_prepared_while_the_worker_types_or_clicks(
        qtbot: QtBot, coach: tuple[Workspace, dict[str, str]]) -> None:
    """Preparing competes with the worker for the processor: it waits until they have not
    touched keyboard or mouse for a moment, then goes ahead."""
    quiet = [200]
    warmer = DashboardWarmer(coach[0], user_quiet_ms=lambda: quiet[0])
    warmer.start(delay_ms=0)
    warmer._tick()  # the start delay is over: the worker typed 200 ms ago
    assert not warmer.busy and warmer.timer.isActive()
    assert warmer.timer.interval() == USER_BUSY_MS - 200  # looks again when they may be done
    quiet[0] = USER_BUSY_MS + 1
    with qtbot.waitSignal(warmer.prepared, timeout=30_000):
        warmer._tick()
    warmer.stop()


def test_between_its_steps_the_preparing_gives_way_while_the_worker_is_busy(
        coach: tuple[Workspace, dict[str, str]]) -> None:
    asked: list[int] = []

    def quiet() -> int:  # busy at the first look, quiet at the second
        asked.append(len(asked))
        return 0 if len(asked) == 1 else USER_BUSY_MS

    warmer = DashboardWarmer(coach[0], user_quiet_ms=quiet)
    assert warmer._give_way()
    assert asked == [0, 1]  # it waited, looked again, went on
    asked.clear()
    warmer.page_visible = True  # the worker opened Team: the figures are wanted now
    assert warmer._give_way()
    assert asked == []
    warmer.page_visible = False
    warmer.pause()  # the lock screen: the preparing ends at the next step, nothing read
    assert not warmer._give_way() and not warmer._prepare()
    assert asked == []


def test_while_the_figures_are_computed_the_page_says_so(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    window.dashboard_warmer.stop()  # nothing prepared: the click starts the computing
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    page = window.team
    assert page is not None and page.isVisible()
    assert page.busy and page.busy_label.isVisible() and "berekend" in page.busy_label.text()
    assert not page.report_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy)
    assert not page.busy_label.isVisible() and page.report_button.isEnabled()
    assert page.tiles[Indicator.HOUSEHOLDS_IN_VIEW].number.text() == "6"


def record_experiences(ws: Workspace, ids: dict[str, str], count: int) -> None:
    from wijkteam_app.domain.client_experience import Moment
    from wijkteam_app.services.client_experience import ClientExperienceService

    service = ClientExperienceService(ws)
    houses = HouseholdService(ws)
    mine = ("Appel", "Boon", "Citroen", "Dadel")
    for n in range(count):
        case = houses.cases(ids[mine[n % len(mine)]])[0].case
        service.record(case.id, Moment.EVALUATIE,
                       {"gehoord": 4 + n % 2, "eigen_regie": 3, "netwerk": None,
                        "passend": 5, "zelfredzaam": 2 + n % 3},
                       comment="Tevreden", answered_on=date(2026, 9, 1 + n))


def experience_rows(page: TeamPage) -> dict[str, tuple[str, ...]]:
    return {r.label: r.cells for r in page.experience_model.items()}


def test_client_experience_shows_anonymous_figures_from_five_answers(
        qtbot: QtBot, window: MainWindow, coach: tuple[Workspace, dict[str, str]]) -> None:
    ws, ids = coach
    record_experiences(ws, ids, 4)
    page = open_team(qtbot, window)
    rows = experience_rows(page)
    # Four questionnaires: no number at all, only that there are too few.
    assert rows["Gehoord en serieus genomen"] == ("–", "–", "<5")
    assert "Minder dan 5" in page.experience_panel.note.text()
    record_experiences(ws, ids, 2)  # two more: six
    window.show_caseload()
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not page.busy)
    rows = experience_rows(page)
    assert rows["Gehoord en serieus genomen"] == ("4,5", "100 %", "6")
    assert rows["Ondersteuning past bij wat nodig is"] == ("5", "100 %", "6")
    assert rows["Mensen om mij heen betrokken zoals gewenst"] == ("–", "–", "0")
    assert "6 ingevulde vragenlijsten" in page.experience_panel.note.text()
    # Anonymous: a cell of the table opens no list of households.
    view = page.experience_view
    view.setFocus()
    view.setCurrentIndex(page.experience_model.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert page.last_dialog is None
