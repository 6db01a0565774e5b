"""Exit codes (documented in the README) and the error type the CLI turns into messages."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # unexpected failure (a bug: the message says where the log is)
    USAGE = 2  # bad command line (Typer/Click's own code)
    PARTIAL = 3  # the run finished but some inputs or items failed (bad lines, failed writes)
    BAD_CONFIG = 4  # sources.toml / contest.toml / a URL list could not be read
    LOCKED = 5  # another run holds the lock
    STORE = 6  # the database could not be opened or written
    WARNING = 7  # finished, but a source yielded nothing or far fewer items than usual


class UserError(Exception):
    """An error explained for the user; printed without a traceback."""

    def __init__(self, message: str, code: ExitCode = ExitCode.ERROR):
        super().__init__(message)
        self.code = code
