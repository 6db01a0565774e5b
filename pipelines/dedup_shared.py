"""Duplicate detection shared by the workers of a distributed crawl.

The in-memory ``DuplicateDetector`` of one process cannot see what another worker stored.
So every worker keeps its detector as a cache of a shared, ordered log in Redis: each
entry is one document's signature (MinHash, from which its LSH band keys follow, plus the
exact-text digest) with its ordering fields, in the order the documents were checked.
A worker that flushes a batch takes the run's dedup lock, replays the entries the others
appended since its last turn (so its index holds every document stored so far, with the
same groups), checks its own batch, commits it to the database and appends its entries,
then lets go. Checks and commits are thereby one total order across the workers: the same
story fetched by two workers at once is found as a duplicate, and a group root that moves
(an earlier-published original crawled late) is re-pointed in rows that are already
committed. A worker that joins late loads the stored documents under the lock, at a known
position of the log, and replays from there.

The log lives as long as the run (``tangguh:<run>:dedup:log``); the database keeps every
signature (``documents.dedup_signature``), so a later run starts from the store as before.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pipelines.dedup import DedupRecord, DuplicateDetector

log = logging.getLogger(__name__)

# A holder killed mid-turn blocks the others at most this long, and they wait with their
# reactor stopped (no lease renewals: their requests are re-queued meanwhile). A turn is a
# check, one commit and one publish: well under a second. 60 s stalled a test crawl for a
# minute after a kill; 20 s still leaves a slow commit twenty times its usual time.
LOCK_TIMEOUT_S = 20


def encode(rec: DedupRecord) -> bytes:
    return json.dumps(
        {
            "k": rec.key,
            "t": rec.kind,
            "p": rec.published_utc.timestamp() if rec.published_utc else None,
            "f": rec.first_seen.timestamp() if rec.first_seen else None,
            "s": base64.b64encode(rec.signature or b"").decode("ascii"),
        },
        separators=(",", ":"),
    ).encode()


def decode(raw: bytes) -> DedupRecord:
    data = json.loads(raw)

    def when(value: float | None) -> datetime | None:
        return datetime.fromtimestamp(value, UTC) if value is not None else None

    return DedupRecord(
        key=data["k"],
        kind=data["t"],
        text="",
        published_utc=when(data["p"]),
        first_seen=when(data["f"]),
        signature=base64.b64decode(data["s"]) or None,
    )


class SharedDedupLog:
    """The run's dedup log and lock in Redis (see the module docstring)."""

    def __init__(self, client: Any, log_key: str, lock_key: str):
        self.redis = client
        self.log_key = log_key
        self.lock_key = lock_key
        self.cursor = 0  # entries of the log already in this worker's detector

    @contextmanager
    def turn(self) -> Iterator[SharedDedupLog]:
        """Hold the run's dedup lock: check, commit and publish as one step."""
        lock = self.redis.lock(self.lock_key, timeout=LOCK_TIMEOUT_S, blocking_timeout=None)
        lock.acquire(blocking=True)
        try:
            yield self
        finally:
            try:
                lock.release()
            except Exception:  # expired while we held it: the next holder has it now
                log.warning("the shared dedup lock expired during a turn")

    def load(self, build: Callable[[], DuplicateDetector]) -> DuplicateDetector:
        """Build the detector from the store, inside a turn: the store then holds exactly
        the log's documents, so replaying starts after them."""
        self.cursor = int(self.redis.llen(self.log_key))
        return build()

    def catch_up(self, detector: DuplicateDetector) -> int:
        """Add what the other workers stored since this worker's last turn."""
        entries = self.redis.lrange(self.log_key, self.cursor, -1)
        for raw in entries:
            detector.check_and_add(decode(raw))
        self.cursor += len(entries)
        return len(entries)

    def publish(self, records: list[DedupRecord]) -> None:
        if records:
            self.cursor = int(self.redis.rpush(self.log_key, *(encode(r) for r in records)))
