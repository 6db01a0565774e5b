"""robots.txt fetched once per host per run, whatever the number of workers.

The first worker to need a host's robots.txt takes a short Redis lock, downloads it and
stores the answer (status and body, or "failed") for the run; the others wait for that
answer and parse it themselves. A holder that dies lets its lock expire and the next
worker fetches instead. ``scrapers.middlewares.robots`` uses this in a distributed crawl.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from scrapers.cluster.context import ClusterContext

LOCK_S = 60  # longer than a robots.txt download may take (DOWNLOAD_TIMEOUT 30)
POLL_S = 0.05
FAILED = -1  # the stored status of a download that raised (RFC 9309: unreachable)


class SharedRobots:
    def __init__(self, cluster: ClusterContext):
        self.redis = cluster.redis
        self.keys = cluster.keys

    def cached(self, netloc: str) -> tuple[int, bytes] | None:
        found = self.redis.hmget(self.keys.robots(netloc), "status", "body")
        if found[0] is None:
            return None
        return int(found[0]), found[1] or b""

    async def get(
        self, netloc: str, fetch: Callable[[], Awaitable[tuple[int, bytes]]]
    ) -> tuple[int, bytes]:
        """``(status, body)`` of the host's robots.txt for this run; ``status`` is
        ``FAILED`` when the download failed. ``fetch`` runs in at most one worker."""
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        key = self.keys.robots(netloc)
        lock = f"{key}:lock"
        while True:
            found = self.cached(netloc)
            if found is not None:
                return found
            if self.redis.set(lock, b"1", nx=True, ex=LOCK_S):
                try:
                    try:
                        status, body = await fetch()
                    except Exception:
                        status, body = FAILED, b""
                    self.redis.hset(key, mapping={"status": status, "body": body})
                    return status, body
                finally:
                    self.redis.delete(lock)
            await maybe_deferred_to_future(deferLater(reactor, POLL_S, lambda: None))


def shared_robots(cluster: Any) -> SharedRobots | None:
    if cluster is None:
        return None
    robots = cluster.extra.get("robots")
    if robots is None:
        robots = cluster.extra["robots"] = SharedRobots(cluster)
    return robots
