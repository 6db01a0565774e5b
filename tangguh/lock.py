"""One run at a time per database: an flock on a file beside it (released if we die)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tangguh.errors import ExitCode, UserError


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the lock for the block; another holder makes this raise at once (exit 5)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = Path(path).read_text(errors="replace").strip() or "another process"
            raise UserError(
                f"another run holds {path} (pid {holder}); exiting", ExitCode.LOCKED
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the flock
