"""Logs never carry personal data, not even when code makes a mistake."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from wijkteam_app.log import log_exception, setup_logging


def test_personal_looking_values_are_masked_and_crashes_keep_only_the_type(
    tmp_path: Path,
) -> None:
    setup_logging(tmp_path)
    try:
        logging.getLogger("test").warning("saving %s at %s", "999990019", "1234 AB")
        try:
            raise ValueError("Anouk Proefmans lives at Proefstraat 12")
        except ValueError:
            log_exception(*sys.exc_info())  # type: ignore[arg-type]
        logging.getLogger("test").exception("also via .exception()")
    finally:
        setup_logging(None)
    text = (tmp_path / "wijkteam.log").read_text(encoding="utf-8")
    assert "999990019" not in text and "1234 AB" not in text
    assert "Proefmans" not in text and "Proefstraat" not in text
    assert "unhandled ValueError at test_log.py" in text
