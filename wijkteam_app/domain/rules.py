"""A rule refused an action: the shared exception of the casework modules (stuck cases,
reports, conferences, client experience). `reason` is a stable code the UI words in Dutch."""

from __future__ import annotations


class RuleViolation(Exception):
    """A rule refused an action; nothing was changed."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotAllowed(RuleViolation):
    """The acting worker's role does not allow this step."""
