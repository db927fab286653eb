"""Checking a case file (`wijkteam check`). Read-only: it never migrates, repairs or writes;
the file is opened by SQLite in read-only mode."""

from __future__ import annotations

from wijkteam_app.errors import CaseFileDamaged, WrongKey
from wijkteam_app.paths import ProfilePaths
from wijkteam_app.persistence.database import CheckReport, check_casefile
from wijkteam_app.persistence.engine import make_engine
from wijkteam_app.persistence.integrity import verify_casefile
from wijkteam_app.security import keys

DAMAGE_FINDINGS = {
    "empty": "bestand: leeg (0 bytes); er valt niets te controleren",
    "truncated": "bestand: afgekapt (korter dan het volgens zijn eigen kop hoort te zijn)",
    "first_page": "cipher_integrity_check: de eerste pagina is beschadigd; de sleutel past wel "
    "bij de rest van het bestand",
}


def check_profile(paths: ProfilePaths, passphrase: str) -> CheckReport:
    """Unlock the key (proves passphrase and keyring secret), check the file's size, key and
    pages read-only, then its integrity, foreign keys, schema revision and audit chain. Every
    finding is one Dutch line; nothing is written."""
    data_key = keys.unlock_data_key(paths.keyfile, passphrase)
    report = CheckReport()
    try:
        verify_casefile(paths.casefile, data_key)
    except WrongKey:
        report.problems.append("sleutel: past op geen enkele pagina van dit bestand (het "
                               "sleutelbestand hoort bij een ander dossierbestand)")
        return report
    except CaseFileDamaged as damaged:
        if damaged.kind in ("empty", "truncated", "first_page"):
            report.problems.append(DAMAGE_FINDINGS[damaged.kind])
            return report  # nothing more can be read
        # Damaged pages or structure: the full check below counts and names them.
    else:
        report.facts.append("bestand: volledig, sleutel past, elke pagina klopt")
    engine = make_engine(paths.casefile, data_key, read_only=True)
    try:
        found = check_casefile(engine)
    finally:
        engine.dispose()
    report.facts += found.facts
    report.problems += [p for p in found.problems if p not in report.problems]
    return report
