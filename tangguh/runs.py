"""Run records: every crawl, fetch and import leaves one row with its summary.

Bookkeeping never stands in the way of data: if the database is locked when a run
starts or ends, the run goes on (documents that cannot be written go to the dead-letter
file) and the missing record is logged.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy.exc import OperationalError

from store import repo
from store.db import Database

log = logging.getLogger(__name__)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_run(db: Database, command: str, names: list[str]) -> int | None:
    """Record a run as started (and runs whose process died as interrupted)."""
    try:
        with db.write() as session:
            repo.mark_interrupted_runs(session, pid_alive)
            return repo.start_run(session, command, names, os.getpid())
    except OperationalError as exc:
        log.error("could not record the start of this %s run: %s", command, exc.orig)
        return None


def finish_run(db: Database, run_id: int | None, *, status: str, stats: dict, code: int) -> None:
    if run_id is None:
        return
    try:
        with db.write() as session:
            repo.finish_run(session, run_id, status=status, stats=stats, exit_code=code)
    except OperationalError as exc:
        log.error("could not record the end of run %s (%s): %s", run_id, status, exc.orig)


def previous_incomplete(db: Database, command: str, run_id: int | None) -> bool:
    """Whether the last run of `command` before this one ended early (killed, stopped,
    partial): listings must then be walked in full, not only up to the first known page."""
    if run_id is None:
        return True
    with db.read() as session:
        previous = repo.previous_run(session, command, run_id)
    return previous is not None and previous.status not in ("ok", "warning")
