"""Per-host politeness for the whole crawl, not per process: a shared slot in Redis.

Scrapy's download slots (``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``) live in
one process, so N workers would hit a host N times as hard. Right before a request leaves
for the network, ``SharedSlotHTTPDownloadHandler`` takes the host's shared slot: one Lua
call that admits it only while fewer than the per-host concurrency hold the slot and the
host's delay since the last start has passed (by the Redis clock, which every machine
shares). The slot is given back when the download ends; a holder that dies frees it after
``DOWNLOAD_TIMEOUT`` plus a margin. ``Crawl-delay`` (scrapers.middlewares.
crawldelay) raises the host's delay for every worker, and a ``Retry-After`` (scrapers.
middlewares.retry) closes the host to every worker until it has passed.

Settings: ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``, ``DOWNLOAD_TIMEOUT``,
``TANGGUH_CLUSTER``. Stats: ``tangguh/hostslot/waited``, ``tangguh/hostslot/wait_s``.
"""

from __future__ import annotations

import uuid
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.httpobj import urlparse_cached

from scrapers.cluster.context import ClusterContext, cluster_of

# KEYS: active (zset token -> expiry ms), next (ms when the next start is allowed), delay
# (ms, a Crawl-delay raising the configured one). ARGV: token, concurrency, delay ms,
# hold ms. Returns 0 when admitted, else how many ms to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if nxt > now then return nxt - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local delay = tonumber(ARGV[3])
local raised = tonumber(redis.call('GET', KEYS[3]) or '0')
if raised > delay then delay = raised end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 60000) end
return 0
"""

# KEYS: next. ARGV: ms from now before which no request may start (Retry-After).
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > nxt then redis.call('SET', KEYS[1], untl, 'PX', tonumber(ARGV[1]) + 60000) end
return untl
"""

POLL_S = 0.02  # a full slot is asked again this often (a slot frees when a download ends)


class HostSlots:
    """The shared per-host slots of one run."""

    def __init__(self, cluster: ClusterContext, concurrency: int, delay_s: float, hold_s: float):
        self.redis = cluster.redis
        self.keys = cluster.keys
        self.concurrency = max(1, int(concurrency))
        self.delay_ms = int(delay_s * 1000)
        self.hold_ms = int(hold_s * 1000)
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._hold = self.redis.register_script(_HOLD)

    def _k(self, netloc: str) -> list[str]:
        return [self.keys.host(netloc, p) for p in ("active", "next", "delay")]

    def try_acquire(self, netloc: str, token: str) -> float:
        """0 when the slot is ours, else seconds to wait before trying again."""
        wait = int(
            self._acquire(
                keys=self._k(netloc),
                args=[token, self.concurrency, self.delay_ms, self.hold_ms],
            )
        )
        if wait == 0:
            return 0.0
        return POLL_S if wait < 0 else wait / 1000

    def release(self, netloc: str, token: str) -> None:
        self.redis.zrem(self.keys.host(netloc, "active"), token)

    def set_delay(self, netloc: str, seconds: float) -> None:
        """A host's robots.txt ``Crawl-delay``, for every worker of the run."""
        self.redis.set(self.keys.host(netloc, "delay"), int(seconds * 1000))

    def hold(self, netloc: str, seconds: float) -> None:
        """No request to this host, from any worker, for ``seconds`` (``Retry-After``)."""
        self._hold(keys=[self.keys.host(netloc, "next")], args=[int(seconds * 1000)])


def host_slots(crawler: Any) -> HostSlots | None:
    """The run's shared slots (one object per process), or None outside a cluster."""
    cluster = cluster_of(crawler)
    if cluster is None:
        return None
    slots = cluster.extra.get("host_slots")
    if slots is None:
        s = crawler.settings
        slots = HostSlots(
            cluster,
            s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            s.getfloat("DOWNLOAD_DELAY"),
            s.getfloat("DOWNLOAD_TIMEOUT") + 30,
        )
        cluster.extra["host_slots"] = slots
    return slots


class SharedSlotHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, taking the host's shared slot around each download.

    A download handler, not a middleware: it runs after Scrapy's own slot has let the
    request go (its local delay and AutoThrottle included), right before the bytes leave,
    so the time between two starts at the host is what the shared slot allowed."""

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self.slots = host_slots(crawler)
        self.stats = crawler.stats

    async def download_request(self, request: Any) -> Any:
        if self.slots is None:
            return await super().download_request(request)
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        netloc = urlparse_cached(request).netloc
        token = uuid.uuid4().hex
        waited = 0.0
        while (wait := self.slots.try_acquire(netloc, token)) > 0:
            waited += wait
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        if waited:
            self.stats.inc_value("tangguh/hostslot/waited")
            self.stats.inc_value("tangguh/hostslot/wait_s", round(waited, 3))
        try:
            return await super().download_request(request)
        finally:
            self.slots.release(netloc, token)
