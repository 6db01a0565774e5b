"""Run logs: a rotating file beside the database as well as the terminal."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from tangguh.paths import log_dir_for

MAX_BYTES = 5_000_000
BACKUPS = 5


def log_to_file(db_url: str) -> Path:
    """Attach (once) a rotating INFO log at `<data>/logs/tangguh.log`; returns its path."""
    path = log_dir_for(db_url) / "tangguh.log"
    root = logging.getLogger()
    for handler in root.handlers:
        if (
            isinstance(handler, RotatingFileHandler)
            and Path(handler.baseFilename) == path.resolve()
        ):
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
        for h in root.handlers:  # keep the terminal as quiet as the user asked
            if h is not handler and h.level == logging.NOTSET:
                h.setLevel(logging.WARNING)
    return path


class BriefFormatter(logging.Formatter):
    """Terminal lines without tracebacks: a DNS failure is one line, not sixty.

    The rotating log file keeps every traceback; `--verbose` shows them here too.
    """

    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info:
            return super().format(record)
        exc_type = record.exc_info[0]
        brief = logging.makeLogRecord(record.__dict__)
        brief.exc_info = None
        brief.exc_text = None
        brief.stack_info = None
        name = exc_type.__name__ if exc_type else "error"
        return f"{super().format(brief)} [{name}; traceback in the log file or with -v]"


def brief_terminal(root: logging.Logger | None = None) -> None:
    """Give the terminal handlers (not the log file) the brief formatter."""
    root = root or logging.getLogger()
    for handler in root.handlers:
        if type(handler) is logging.StreamHandler and handler.formatter is not None:
            handler.setFormatter(BriefFormatter(handler.formatter._fmt))  # noqa: SLF001
