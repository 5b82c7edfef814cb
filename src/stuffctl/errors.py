"""The one error family and the exit codes of the command-line contract.

Services raise these; the CLI boundary (``stuffctl.cli.main.run``) turns each
into one line on stderr (plus a JSON error line under ``--json``) and its exit
code. Library exceptions are caught where they happen and re-raised as ours,
in the user's words.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of every stuffctl command (docs/exit-codes.md)."""

    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    NOT_FOUND = 3
    CONFLICT = 4
    BUSY = 5
    INTERRUPTED = 130


class RemindStatus(IntEnum):
    """Exit codes of ``remind run --exit-status`` (docs/exit-codes.md), apart from errors."""

    NOTHING_DUE = 0
    DUE = 10
    OVERDUE = 11
    # any `remind run`: a notification could not be delivered (the command failed, or a
    # channel did not accept a message; retried by the next runs, docs/notify.md)
    NOT_DELIVERED = 12


class StuffctlError(Exception):
    """Base of every error stuffctl reports to a person."""

    code = "failed"
    exit_code = ExitCode.FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class OperationFailed(StuffctlError):
    """I/O or database failure: the operation could not be carried out."""


class Damaged(OperationFailed):
    """The database file cannot be read as a database (garbage, truncated, malformed):
    ``db check`` says what it can of it, ``restore`` replaces it."""


class NewerDatabase(OperationFailed):
    """The database was written by a newer stuffctl."""


class InvalidInput(StuffctlError):
    """Bad usage or bad input: the person can fix the command and retry."""

    code = "invalid_input"
    exit_code = ExitCode.BAD_INPUT


class NotFound(StuffctlError):
    """The thing referred to does not exist."""

    code = "not_found"
    exit_code = ExitCode.NOT_FOUND


class Conflict(StuffctlError):
    """Changed meanwhile, uid clash, or still referred to by something."""

    code = "conflict"
    exit_code = ExitCode.CONFLICT


class Busy(StuffctlError):
    """The database stayed locked by another process past the busy timeout."""

    code = "busy"
    exit_code = ExitCode.BUSY


def for_option(option: str, error: InvalidInput) -> InvalidInput:
    """Re-raise a parser's error under the name of the option that carried it."""
    return InvalidInput(f"{option}: {error.message}")
