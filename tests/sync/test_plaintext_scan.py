"""No personal data in plaintext at rest, after a full session: a demo case file, a sync with
a signed-plan attachment, the access log, a lock and unlock, a plan PDF and an inzage export
the worker saved. Every byte of the laptop's profile folder (case file, WAL, shared memory,
key file, backups, logs), of the temporary folder the app used, and of the server's
attachment folder is searched for every demo name and BSN; the saved PDFs carry names only
in their page text, never in their metadata.

Out of scope, and said so in docs/server.md: the server's *database* (its disk must be
encrypted by the municipality) and files the worker chose to export (the page text)."""

from __future__ import annotations

import logging
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSPHRASE
from tests.server.conftest import Server
from tests.sync.test_attachments import store_scan
from wijkteam_app.log import setup_logging
from wijkteam_app.persistence.schema import HouseholdRecord, PersonRecord
from wijkteam_app.services.access_log import AccessLogService
from wijkteam_app.services.demo import fill_demo
from wijkteam_app.services.plans import PlanService
from wijkteam_app.services.rights import RightsService
from wijkteam_app.services.settings import SettingsService

MIN_LENGTH = 6  # shorter words could turn up in ciphertext by chance


def secrets_of(laptop) -> set[bytes]:  # type: ignore[no-untyped-def]
    words: set[str] = set()
    with laptop.workspace.casefile.read() as session:
        for person in session.scalars(select(PersonRecord)):
            words |= {person.first_name, person.last_name, person.bsn}
        for household in session.scalars(select(HouseholdRecord)):
            words |= {household.name, household.street}
    return {w.encode() for w in words if len(w) >= MIN_LENGTH}


def files_under(*roots: Path, skip: tuple[Path, ...] = ()) -> list[Path]:
    out = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not any(path.is_relative_to(s) for s in skip):
                out.append(path)
    return out


def pdf_info_and_text(path: Path) -> tuple[str, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return info, text


def test_no_demo_name_or_bsn_in_plaintext_anywhere(
        server: Server, make_laptop, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    app_tmp = tmp_path / "app-tmp"
    app_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(app_tmp))
    monkeypatch.setenv("TMPDIR", str(app_tmp))
    laptop = make_laptop(server.account(server.team()))
    setup_logging(laptop.paths.logs)
    try:
        fill_demo(laptop.workspace, households=6)
        secrets = secrets_of(laptop)
        assert len(secrets) > 20
        plans = PlanService(laptop.workspace)
        with laptop.workspace.casefile.read() as session:
            households = sorted(session.scalars(select(HouseholdRecord.id)))
        version = next(v for v in (plans.current(h) for h in households) if v)
        pdf = plans.render_pdf(version, SettingsService(laptop.workspace).report_settings())
        household = laptop.households.get(version.household_id)
        member = household.members[0]
        scan = (b"%PDF-1.4\n% scan van het getekende plan: " + member.full_name.encode()
                + b" " + member.bsn.encode() + b"\n" + pdf)
        assert any(s in scan for s in secrets)  # so the scan would find it in plaintext
        store_scan(laptop, version.household_id, scan)
        AccessLogService(laptop.workspace).viewed_household(version.household_id)
        laptop.workspace.lock()
        laptop.workspace.unlock_again(PASSPHRASE)
        report = laptop.sync_ok()
        assert report.uploaded == 1

        exports = tmp_path / "door-de-medewerker-opgeslagen"
        exports.mkdir()
        (exports / "plan.pdf").write_bytes(pdf)
        inzage = RightsService(laptop.workspace).export(member.id, laptop.workspace.today())
        (exports / "inzage.pdf").write_bytes(inzage.pdf_bytes)
        laptop.sync_ok()
    finally:
        setup_logging(None)
        logging.shutdown()

    # The worker's exports: names in the page text only, never in the metadata.
    for name in ("plan.pdf", "inzage.pdf"):
        info, text = pdf_info_and_text(exports / name)
        assert not [s for s in secrets if s.decode() in info], name
        assert any(s.decode() in text for s in secrets), name

    laptop.close()
    scanned = files_under(laptop.paths.root, app_tmp, server.data_dir / "attachments")
    scanned += [p for p in server.data_dir.iterdir()
                if p.is_file() and not p.name.startswith("server.db")]
    assert any(p.name == "dossier.wijkteam" for p in scanned)
    assert any(p.parent.name == "logs" for p in scanned)
    assert any(p.parent.name == "attachments" for p in scanned)
    found = [(str(p), s.decode()) for p in scanned for s in secrets if s in p.read_bytes()]
    assert found == []
