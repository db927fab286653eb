"""Logging that never writes personal data.

Policy: log lines name actions, record ids (random UUIDs), counts and error *types*. They never
contain names, addresses, BSNs, dates of birth, notes or exception messages (which may quote a
value). As a safety net a filter masks anything that looks like a BSN, a postcode or an e-mail
address, and the crash hook logs the exception type and the code location only.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

_PATTERNS = [
    re.compile(r"\b\d{9}\b"),  # BSN-like
    re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b"),  # postcode
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # e-mail
]


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern in _PATTERNS:
            message = pattern.sub("[verwijderd]", message)
        record.msg = message
        record.args = None
        record.exc_info = None  # tracebacks may quote values; see log_exception
        record.exc_text = None
        return True


def setup_logging(log_dir: Path | None, level: int = logging.INFO) -> bool:
    """Log to `log_dir/wijkteam.log` (and warnings to stderr). Returns False when the log
    folder cannot be made or written (a file in its place, read-only, disk full): logging
    then goes to stderr only, and never raises or prints a traceback."""
    logging.raiseExceptions = False  # a log write that fails (disk full) stays silent
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_wijkteam", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    handlers: list[logging.Handler] = []
    to_file = log_dir is not None
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.handlers.RotatingFileHandler(
                log_dir / "wijkteam.log", maxBytes=2_000_000, backupCount=5,
                encoding="utf-8"))
        except OSError:
            to_file = False
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)
    handlers.append(stderr)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(RedactingFilter())
        handler._wijkteam = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return to_file


def log_exception(exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    """Crash report without personal data: exception type and code locations only."""
    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    logging.getLogger("wijkteam.crash").error("unhandled %s at %s", exc_type.__name__, where)


def install_excepthook() -> None:
    sys.excepthook = log_exception
