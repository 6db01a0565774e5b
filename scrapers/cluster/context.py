"""What a distributed crawl's components share in one process: Redis, key names, timings.

``ClusterContext`` is handed to every crawler as the ``TANGGUH_CLUSTER`` setting (a live
object, like ``TANGGUH_CHAIN``). Settings it carries (read by the application layer):
lease and idle times, the worker's role (``seed`` runs the spiders' start requests,
``worker`` only takes requests from the queue), and ``tick``: what a worker does once a
second besides queue upkeep (commit pending items, heartbeat in the database).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PREFIX = "tangguh"
ACTIVE_RUN = f"{PREFIX}:run"


def safe(name: str) -> str:
    """A key part from a free-form name (a source name, a host:port)."""
    tame = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]
    if tame == name:
        return name
    return f"{tame}~{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class RunKeys:
    """Redis key names of one run (see the package docstring)."""

    run_id: int

    @property
    def base(self) -> str:
        return f"{PREFIX}:{self.run_id}"

    def queue(self, source: str) -> str:
        return f"{self.base}:{safe(source)}:requests"

    def dupefilter(self, source: str) -> str:
        return f"{self.base}:{safe(source)}:dupefilter"

    def leases(self, source: str) -> str:
        return f"{self.base}:{safe(source)}:leases"

    def inflight(self, source: str) -> str:
        return f"{self.base}:{safe(source)}:inflight"

    def host(self, netloc: str, part: str) -> str:
        return f"{self.base}:host:{safe(netloc)}:{part}"

    def robots(self, netloc: str) -> str:
        return f"{self.base}:robots:{safe(netloc)}"

    @property
    def dedup_log(self) -> str:
        return f"{self.base}:dedup:log"

    @property
    def dedup_lock(self) -> str:
        return f"{self.base}:dedup:lock"

    def wipe(self, client: Any) -> int:
        """Delete every key of the run."""
        removed = 0
        batch: list[Any] = []
        for key in client.scan_iter(match=f"{self.base}:*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                removed += client.delete(*batch)
                batch = []
        if batch:
            removed += client.delete(*batch)
        return removed


@dataclass
class ClusterContext:
    """The live, process-wide state of a worker (see the module docstring)."""

    redis: Any
    keys: RunKeys
    role: str = "worker"  # "seed" for `tangguh crawl --queue`, else "worker"
    lease_s: float = 30.0  # a popped request returns to the queue this long after its
    # worker stopped renewing it
    idle_exit: float = 30.0  # exit once the queue and the leases were empty this long
    tick: Callable[[], None] | None = None  # once a second: commit items, heartbeat
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def seeds(self) -> bool:
        return self.role == "seed"

    def run_tick(self) -> None:
        if self.tick is not None:
            self.tick()


def cluster_of(crawler: Any) -> ClusterContext | None:
    """The crawler's ``TANGGUH_CLUSTER``, or None for a crawl by one process."""
    value = crawler.settings.get("TANGGUH_CLUSTER")
    return value if isinstance(value, ClusterContext) else None


def redis_now_ms(client: Any) -> int:
    """The Redis server's clock: the one clock every machine of the crawl agrees on."""
    seconds, micros = client.time()
    return int(seconds) * 1000 + int(micros) // 1000
