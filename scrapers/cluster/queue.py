"""scrapy-redis's scheduler with leases, so a worker killed mid-request loses nothing.

Plain scrapy-redis pops a request from the shared queue and forgets it: a worker killed
with ``kill -9`` takes its in-flight requests with it. Here a pop moves the request, in
one Lua call, from the queue into ``inflight`` under a lease (a token whose expiry time,
by the Redis clock, sits in the ``leases`` sorted set). The worker renews its leases once a
second and acknowledges a request only when the engine is done with it (its callback's
items handed to the pipelines, its new requests queued) *and* the pipeline chain has
committed since: a request counts as done only once its data is in the database. Any
worker puts expired leases back in the queue, so the survivors finish a dead worker's
share; a document fetched twice that way is still stored once (upserts by canonical URL).

The queue stays scrapy-redis's ``PriorityQueue`` (its key, its scores, its serializer) and
the duplicate filter its ``RFPDupeFilter``; ``SCHEDULER_PERSIST`` is forced on, since a
worker that ends must not clear a queue the others still use.

Settings: ``TANGGUH_CLUSTER`` (``context.ClusterContext``: Redis, key names, lease and idle
times). Stats: ``scheduler/enqueued/redis``, ``scheduler/dequeued/redis``,
``tangguh/cluster/acked``, ``tangguh/cluster/requeued_expired``,
``tangguh/cluster/returned``.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from scrapers.cluster.context import ClusterContext, cluster_of

log = logging.getLogger(__name__)

# KEYS: queue, leases, inflight. ARGV: lease ms, token suffix. The token starts with the
# request's queue score so that a re-queue restores its priority.
_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local token = item[2] .. '|' .. ARGV[2]
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), token)
redis.call('HSET', KEYS[3], token, item[1])
return {token, item[1]}
"""

# KEYS: queue, leases, inflight. ARGV: tokens to put back now (none: the expired ones).
_REQUEUE = """
local tokens = ARGV
if #tokens == 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  tokens = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
end
local moved = 0
for _, token in ipairs(tokens) do
  local data = redis.call('HGET', KEYS[3], token)
  if data then
    local score = string.match(token, '^([^|]+)|')
    redis.call('ZADD', KEYS[1], score, data)
    redis.call('HDEL', KEYS[3], token)
    moved = moved + 1
  end
  redis.call('ZREM', KEYS[2], token)
end
return moved
"""

# KEYS: queue, dupefilter. ARGV: score, request, fingerprint ('' when not filtered). The
# fingerprint is marked seen and the request queued in one step: a worker killed between
# the two would leave a request that every worker takes for already queued.
_PUSH_UNSEEN = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: leases. ARGV: lease ms, tokens. Only leases still held are renewed (XX).
_RENEW = """
local t = redis.call('TIME')
local until_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', until_ms, ARGV[i]) end
return #ARGV - 1
"""


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pops are leases (see the module docstring)."""

    def __init__(
        self,
        server: Any,
        spider: Any,
        key: str,
        serializer: Any = None,
        *,
        leases_key: str,
        inflight_key: str,
        lease_ms: int,
    ):
        super().__init__(server, spider, key, serializer)
        self.leases_key = leases_key
        self.inflight_key = inflight_key
        self.lease_ms = int(lease_ms)
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE)
        self._renew = server.register_script(_RENEW)
        self._push_unseen = server.register_script(_PUSH_UNSEEN)
        self._keys = [self.key, leases_key, inflight_key]

    def push_unseen(self, request: Any, dupefilter_key: str, fingerprint: str | None) -> bool:
        """Queue ``request`` unless its ``fingerprint`` was seen (None: no filtering), and
        mark it seen, atomically; True when it was queued."""
        data = self._encode_request(request)
        args = [-request.priority, data, fingerprint or ""]
        return bool(self._push_unseen(keys=[self.key, dupefilter_key], args=args))

    def pop_leased(self) -> tuple[str, Any] | None:
        """``(token, request)`` of the best request, now leased to this worker; or None."""
        result = self._pop(keys=self._keys, args=[self.lease_ms, uuid.uuid4().hex])
        if not result:
            return None
        token, data = result
        token = token.decode() if isinstance(token, bytes) else token
        return token, self._decode_request(data)

    def pop(self, timeout: int = 0) -> Any:
        popped = self.pop_leased()
        return popped[1] if popped else None

    def ack(self, tokens: list[str]) -> None:
        if tokens:
            pipe = self.server.pipeline()
            pipe.hdel(self.inflight_key, *tokens)
            pipe.zrem(self.leases_key, *tokens)
            pipe.execute()

    def renew(self, tokens: list[str]) -> None:
        if tokens:
            self._renew(keys=[self.leases_key], args=[self.lease_ms, *tokens])

    def requeue_expired(self) -> int:
        return int(self._requeue(keys=self._keys, args=[]))

    def give_back(self, tokens: list[str]) -> int:
        """Put these leased requests back in the queue now (a graceful stop)."""
        return int(self._requeue(keys=self._keys, args=tokens)) if tokens else 0

    def pending(self) -> tuple[int, int]:
        """(queued, leased) right now, over every worker."""
        pipe = self.server.pipeline()
        pipe.zcard(self.key)
        pipe.zcard(self.leases_key)
        queued, leased = pipe.execute()
        return int(queued), int(leased)

    def clear(self) -> None:
        self.server.delete(self.key, self.leases_key, self.inflight_key)


class LeasedScheduler(Scheduler):
    """scrapy-redis's ``Scheduler`` over ``LeasedPriorityQueue``, for one source's crawler.

    Besides scheduling it keeps the worker's side of the leases (a one-second tick: commit
    the chain through ``ClusterContext.tick``, acknowledge finished requests, renew the
    others, re-queue expired leases of dead workers) and decides when the worker may stop:
    only once the queue *and* every worker's leases have been empty for
    ``ClusterContext.idle_exit`` seconds, since a request in flight elsewhere may still
    add work.
    """

    TICK_S = 1.0
    POLL_BUSY_S = 0.05  # an empty queue while others hold leases: new work comes soon
    POLL_IDLE_S = 0.5

    def __init__(self, server: Any, cluster: ClusterContext, crawler: Any):
        super().__init__(
            server,
            persist=True,
            queue_cls="scrapers.cluster.queue.LeasedPriorityQueue",
            serializer=picklecompat,
        )
        self.cluster = cluster
        self.crawler = crawler
        self.stats = crawler.stats
        self._held: dict[Any, str] = {}  # request -> lease token, while the engine has it
        self._done: list[str] = []  # finished, acknowledged after the next commit
        self._idle_since: float | None = None
        self._loop: Any = None
        self.source = ""

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedScheduler:
        cluster = cluster_of(crawler)
        if cluster is None:
            raise ValueError("LeasedScheduler needs the TANGGUH_CLUSTER setting")
        return cls(cluster.redis, cluster, crawler)

    def open(self, spider: Any) -> None:
        self.spider = spider
        source = spider.source.name if getattr(spider, "source", None) else spider.name
        self.source = source
        keys = self.cluster.keys
        self.queue = LeasedPriorityQueue(
            self.server,
            spider,
            keys.queue(source),
            self.serializer,
            leases_key=keys.leases(source),
            inflight_key=keys.inflight(source),
            lease_ms=int(self.cluster.lease_s * 1000),
        )
        self.df = RFPDupeFilter(self.server, key=keys.dupefilter(source))
        self._hook_engine()
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        from twisted.internet.task import LoopingCall

        self._loop = LoopingCall(self._tick)
        self._loop.start(self.TICK_S, now=False)

    # -- the engine's side -------------------------------------------------------------

    def enqueue_request(self, request: Any) -> bool:
        # As scrapy-redis's (without the spider argument Scrapy 2.14+ deprecates in stats),
        # but the duplicate filter's mark and the push are one Redis step.
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push_unseen(request, self.df.key, fingerprint):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        popped = self.queue.pop_leased()
        if popped is None:
            return None
        token, request = popped
        self._held[request] = token
        self._idle_since = None
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _hook_engine(self) -> None:
        """Learn when the engine is done with a request: after its callback's output was
        handled, the engine removes it from its slot. Scrapy has no signal for that
        moment, so the slot's ``remove_request`` is wrapped (Scrapy 2.13-2.19 API)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        original = getattr(slot, "remove_request", None)
        if original is None:  # pragma: no cover - a Scrapy without the hook
            log.warning("scrapy engine slot not found: leases acknowledged at the download")
            self.crawler.signals.connect(self._finished, signal=signals.request_left_downloader)
            return

        def remove_request(request: Any) -> None:
            try:
                original(request)
            finally:
                self._finished(request)

        slot.remove_request = remove_request

    def _finished(self, request: Any, **_: Any) -> None:
        token = self._held.pop(request, None)
        if token is not None:
            self._done.append(token)

    # -- upkeep ------------------------------------------------------------------------

    def _tick(self) -> None:
        try:
            done, self._done = self._done, []
            # Commit first: a request is acknowledged only once its items are stored.
            self.cluster.run_tick()
            self.queue.ack(done)
            self.stats.inc_value("tangguh/cluster/acked", len(done))
            self.queue.renew(list(self._held.values()))
            moved = self.queue.requeue_expired()
            if moved:
                self.stats.inc_value("tangguh/cluster/requeued_expired", moved)
                log.warning(
                    "%s: %d request(s) of a lost worker put back in the queue", self.source, moved
                )
        except Exception:  # Redis or the database briefly away: try again next second
            log.exception("%s: lease upkeep failed", self.source)

    def _on_idle(self, spider: Any = None) -> None:
        queued, leased = self.queue.pending()
        now = time.monotonic()
        busy = bool(queued or leased)
        if busy:
            self._idle_since = None
        elif self._idle_since is None:
            self._idle_since = now
        if busy or now - (self._idle_since or now) < self.cluster.idle_exit:
            # Another worker's request may queue more any moment: look again soon.
            self._wake(self.POLL_BUSY_S if busy else self.POLL_IDLE_S)
            raise DontCloseSpider

    def _wake(self, delay: float) -> None:
        """Ask the engine for requests again soon (it would otherwise wait 5 s)."""
        from twisted.internet import reactor

        def nudge() -> None:
            slot = getattr(self.crawler.engine, "_slot", None)
            nextcall = getattr(slot, "nextcall", None)
            if nextcall is not None:
                nextcall.schedule()

        reactor.callLater(delay, nudge)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        try:
            done, self._done = self._done, []
            self.cluster.run_tick()
            self.queue.ack(done)
            # Still held after the engine closed (a --max-runtime stop): back to the queue.
            back = self.queue.give_back(list(self._held.values()))
            self._held.clear()
            if back:
                self.stats.inc_value("tangguh/cluster/returned", back)
        except Exception:
            log.exception(
                "%s: could not settle the leases at close; they expire instead", self.source
            )

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0
