"""Render the ZRM and participatieladder forms and the "Metingen" panel to PNG files in
docs/screenshots/ (offscreen, 1366x768 laptop size).

Uses a throw-away profile in a temporary folder, an in-memory keyring and a fast key
derivation, filled with the demo data (`wijkteam demo`) plus one invented family. Nothing
touches the real profile or the system keyring.

    python scripts/screenshots_instruments.py [output-folder]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import _screens
from PySide6.QtWidgets import QWidget

from wijkteam_app.domain.ids import new_id
from wijkteam_app.domain.instruments import (
    ZRM_2013_ID,
    Assessment,
    InstrumentKind,
    ItemScore,
    latest_of,
)
from wijkteam_app.domain.people import Address, Household, HouseholdRole, Person
from wijkteam_app.services.assessments import AssessmentService
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.profile import Workspace
from wijkteam_app.ui.app import create_application
from wijkteam_app.ui.forms.ladder_form import LadderDialog
from wijkteam_app.ui.forms.zrm_form import ZrmDialog
from wijkteam_app.ui.pages.assessments_panel import AssessmentsPanel

SCREEN = (1366, 768)
DIALOG = (1200, 740)  # what ZrmDialog takes on a 1366x768 screen (taskbar left free)


def settle(widget: QWidget) -> None:
    _screens.settle(widget, rounds=8)


def save(widget: QWidget, out: Path, name: str) -> None:
    _screens.save(widget, out, name, rounds=8)


def invented_family(workspace: Workspace) -> tuple[Household, Person, Person, Person]:
    """Clearly invented: an adult, a 15-year-old and an 8-year-old."""
    today = workspace.today()
    home = Household(new_id(), "Familie Voorbeeld",
                     Address("Proefstraat", 12, "A", "1234 AB", "Verzinstad"), "Noord")
    adult = Person(new_id(), home.id, "Anouk", "Voorbeeld", HouseholdRole.HOOFDBEWONER,
                   birth_date=date(1984, 3, 2))
    teen = Person(new_id(), home.id, "Daan", "Voorbeeld", HouseholdRole.KIND,
                  birth_date=date(today.year - 15, 2, 1))
    child = Person(new_id(), home.id, "Mila", "Voorbeeld", HouseholdRole.KIND,
                   birth_date=date(today.year - 8, 6, 9))
    HouseholdService(workspace).create(home, [adult, teen, child])
    return home, adult, teen, child


def richest_demo_person(workspace: Workspace) -> tuple[str, str]:
    """(household id, person id) of the demo adult with the longest ZRM history."""
    service = AssessmentService(workspace)
    households = HouseholdService(workspace)
    best: tuple[int, str, str] = (-1, "", "")
    for summary in households.list():
        for member in households.get(summary.id).members:
            count = sum(1 for a in service.history(person_id=member.id)
                        if service.definitions[a.definition_key].kind is InstrumentKind.ZRM)
            if count > best[0]:
                best = (count, summary.id, member.id)
    return best[1], best[2]


def add_older_2013_history(workspace: Workspace, person_id: str) -> None:
    """Two older ZRM 2013 assessments, so the panel shows its version selector."""
    service = AssessmentService(workspace)
    z13 = latest_of(service.definitions, ZRM_2013_ID)
    first = min(a.assessed_on for a in service.history(person_id=person_id))
    for offset, base in ((420, 2), (300, 3)):
        scores = tuple(ItemScore(item.code, min(5, base + (i % 3) - 1))
                       for i, item in enumerate(z13.items))
        service.record(Assessment(new_id(), z13.id, z13.version,
                                  first - timedelta(days=offset), workspace.worker.id, scores,
                                  person_id=person_id))


def main(argv: list[str]) -> int:
    out = _screens.output_folder(argv[1] if len(argv) > 1 else None)
    _screens.use_memory_keyring()
    app = create_application()

    with tempfile.TemporaryDirectory(prefix="wijkteam-screens-") as tmp:
        workspace = _screens.new_workspace(tmp)
        fill_demo(workspace, households=4)
        home, adult, teen, _child = invented_family(workspace)

        # ZRM for an adult: half scored, the focus on the next domain, a target set.
        zrm = ZrmDialog(workspace, home.id, adult.id)
        zrm.resize(*DIALOG)
        settle(zrm)
        rows = list(zrm.rows.values())
        for row, score in zip(rows, (3, 2, 4, 2, None), strict=False):
            row.picker.set_score(score)
        rows[1].set_target_score(3)
        rows[5].picker.setFocus()
        save(zrm, out, "instrumenten-01-zrm-volwassene.png")

        # The same form after "Opslaan" with domains still open: messages at the domains.
        zrm.save()
        zrm.scroll_area.verticalScrollBar().setValue(0)
        rows[5].picker.setFocus()
        save(zrm, out, "instrumenten-02-zrm-ontbrekende-score.png")
        zrm.close()

        youth = ZrmDialog(workspace, home.id, teen.id)
        youth.resize(*DIALOG)
        save(youth, out, "instrumenten-03-zrm-jongeren.png")
        youth.close()

        family = ZrmDialog(workspace, home.id, None)
        family.resize(*DIALOG)
        settle(family)
        family_rows = list(family.rows.values())
        for row, score in zip(family_rows, (3, 4, 2, 3, 4), strict=False):
            row.picker.set_score(score)
        family_rows[5].picker.setFocus()  # the first domain about the children
        save(family, out, "instrumenten-04-zrm-huishouden-met-kinderen.png")
        family.close()

        ladder = LadderDialog(workspace, home.id, adult.id)
        ladder.current.set_score(3)
        ladder.potential.set_score(4)
        ladder.horizon.set_value(workspace.today() + timedelta(days=180))
        ladder.notes.setPlainText("Wil graag vrijwilligerswerk doen bij de buurtkamer.")
        ladder.potential.setFocus()
        save(ladder, out, "instrumenten-05-participatieladder.png")
        ladder.close()

        household_id, person_id = richest_demo_person(workspace)
        add_older_2013_history(workspace, person_id)
        panel = AssessmentsPanel(workspace)
        panel.resize(*SCREEN)
        settle(panel)
        panel.show_household(household_id)
        panel.select_subject(person_id)
        panel.table.setFocus()
        save(panel, out, "instrumenten-06-metingen-overzicht.png")
        panel.tabs.setCurrentIndex(1)
        save(panel, out, "instrumenten-07-metingen-grafieken.png")
        panel.tabs.setCurrentIndex(2)
        save(panel, out, "instrumenten-08-metingen-vergelijken.png")
        panel.first_combo.setCurrentIndex(panel.first_combo.count() - 1)  # a ZRM 2013
        save(panel, out, "instrumenten-09-metingen-versies-niet-vergelijkbaar.png")
        panel.close()
        workspace.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
