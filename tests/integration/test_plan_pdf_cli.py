"""`wijkteam plan pdf`: a signed version gives exactly the signed bytes (and says so); only
versions that are not signed are rendered."""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.integration.test_plans_service import add_worker, start_plan
from wijkteam_app import cli
from wijkteam_app.domain.plans import ReviewOutcome, Signer, ToetsDecision
from wijkteam_app.domain.workers import Role
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.households import HouseholdService
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.profile import unlock
from wijkteam_app.services.settings import AppSettings, SettingsService


@pytest.fixture
def quiet_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`cli.main` sets up logging and the excepthook for the process; undo both."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def run(profile: ProfilePaths, tmp_path: Path, *args: str) -> int:
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return cli.main(["--data-dir", str(profile.root), "--passphrase-file", str(pw), *args])


def test_plan_pdf_of_a_signed_version_is_the_signed_copy(
        profile: ProfilePaths, tmp_path: Path, quiet_cli: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    ws = unlock(profile, PASSPHRASE)
    try:
        fill_demo(ws, households=2)
        household_id = next(h.id for h in HouseholdService(ws).list() if h.members > 1)
        plans, version = start_plan(ws, household_id)
        version = plans.submit(version)
        me = ws.worker
        ws.worker = add_worker(ws, Role.TEAMCOACH, "Coach Test")
        version = plans.review(version, ReviewOutcome.GOEDKEUREN)
        ws.worker = add_worker(ws, Role.TOETSER, "Toetser Test")
        version = plans.record_toets(version, ToetsDecision.POSITIEF)
        ws.worker = me
        version = plans.to_signing(version)
        unsigned_out = tmp_path / "ter-ondertekening.pdf"
    finally:
        ws.close()

    # Not signed yet: rendered, and said so.
    assert run(profile, tmp_path, "plan", "pdf", household_id, "-o", str(unsigned_out)) == 0
    assert "niet ondertekend" in capsys.readouterr().out

    ws = unlock(profile, PASSPHRASE)
    try:
        plans = PlanService(ws)
        version = plans.version(version.id)
        signed_pdf = plans.render_pdf(version, SettingsService(ws).report_settings())
        plans.record_signature(version, signed_pdf, [Signer("Inwoner", "inwoner")],
                               date(2026, 11, 23), "Voorbeeldstad", b"%PDF scan", "scan.pdf",
                               "application/pdf")
        # Later renderings differ (document date, status), which is why they must not be
        # handed out as "the signed plan".
        SettingsService(ws).set(AppSettings(municipality_name="Gemeente Anders"))
    finally:
        ws.close()

    out = tmp_path / "plan.pdf"
    assert run(profile, tmp_path, "plan", "pdf", household_id, "-o", str(out)) == 0
    said = capsys.readouterr().out
    assert out.read_bytes() == signed_pdf
    digest = hashlib.sha256(signed_pdf).hexdigest()
    assert "is ondertekend op 23-11-2026" in said
    assert "de ondertekende PDF (ongewijzigd, SHA-256 " + digest in said
