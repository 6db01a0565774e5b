"""The Redis parts of a distributed crawl, on this machine's Redis: leases and host slots."""

from __future__ import annotations

import time

import scrapy

from scrapers.cluster.context import ClusterContext, RunKeys
from scrapers.cluster.hostslot import POLL_S, HostSlots
from scrapers.cluster.queue import LeasedPriorityQueue


class _Spider(scrapy.Spider):
    name = "t"

    def parse(self, response):  # pragma: no cover - never called
        yield from ()


def _queue(client, lease_ms=300) -> LeasedPriorityQueue:
    keys = RunKeys(1)
    return LeasedPriorityQueue(
        client,
        _Spider(),
        keys.queue("src"),
        leases_key=keys.leases("src"),
        inflight_key=keys.inflight("src"),
        lease_ms=lease_ms,
    )


def test_a_pop_is_a_lease_that_returns_to_the_queue_when_not_renewed(redis_client):
    queue = _queue(redis_client)
    for i, priority in ((1, 0), (2, 10), (3, 5)):
        queue.push(scrapy.Request(f"http://a.test/{i}", priority=priority))
    token, request = queue.pop_leased()
    assert request.url == "http://a.test/2"  # the highest priority first, as scrapy-redis
    assert queue.pending() == (2, 1)
    assert queue.requeue_expired() == 0  # still within its lease
    time.sleep(0.5)  # the worker "died": nobody renewed it
    assert queue.requeue_expired() == 1
    assert queue.pending() == (3, 0)
    _token, again = queue.pop_leased()
    assert again.url == "http://a.test/2"  # back with its priority


def test_renewed_leases_stay_and_acknowledged_ones_are_gone(redis_client):
    queue = _queue(redis_client)
    queue.push(scrapy.Request("http://a.test/1"))
    queue.push(scrapy.Request("http://a.test/2"))
    first, _ = queue.pop_leased()
    second, _ = queue.pop_leased()
    for _ in range(3):
        time.sleep(0.2)
        queue.renew([first, second])
    assert queue.requeue_expired() == 0
    queue.ack([first])
    assert queue.pending() == (0, 1)
    assert queue.give_back([second]) == 1  # a graceful stop returns it at once
    assert queue.pending() == (1, 0)
    assert not redis_client.hlen(RunKeys(1).inflight("src"))


def test_the_duplicate_mark_and_the_push_are_one_step(redis_client):
    """A request is marked seen only together with being queued: a worker killed between the
    two steps would otherwise leave a request every worker takes for already queued."""
    queue = _queue(redis_client)
    seen_key = RunKeys(1).dupefilter("src")
    first = scrapy.Request("http://a.test/1")
    assert queue.push_unseen(first, seen_key, "fp-1") is True
    assert queue.push_unseen(scrapy.Request("http://a.test/1"), seen_key, "fp-1") is False
    assert redis_client.sismember(seen_key, "fp-1")
    assert queue.pending() == (1, 0)
    # a request that is not filtered (dont_filter) is queued every time, and marks nothing
    again = scrapy.Request("http://a.test/2", dont_filter=True)
    assert queue.push_unseen(again, seen_key, None) is True
    assert queue.pending() == (2, 0) and redis_client.scard(seen_key) == 1


def _slots(client, concurrency=2, delay=0.0, hold=5.0) -> HostSlots:
    return HostSlots(ClusterContext(redis=client, keys=RunKeys(1)), concurrency, delay, hold)


def test_host_slot_admits_at_most_its_concurrency_across_clients(redis_client, redis_url):
    import redis

    other = redis.Redis.from_url(redis_url)  # another worker: another connection
    a, b = _slots(redis_client), _slots(other)
    assert a.try_acquire("h.test", "t1") == 0
    assert b.try_acquire("h.test", "t2") == 0
    assert b.try_acquire("h.test", "t3") == POLL_S  # full: ask again shortly
    assert a.try_acquire("other.test", "t4") == 0  # hosts are separate
    a.release("h.test", "t1")
    assert b.try_acquire("h.test", "t3") == 0


def test_host_slot_spaces_starts_by_the_delay_and_crawl_delay_raises_it(redis_client):
    slots = _slots(redis_client, concurrency=8, delay=0.2)
    assert slots.try_acquire("h.test", "t1") == 0
    wait = slots.try_acquire("h.test", "t2")
    assert 0.1 < wait <= 0.2
    slots.set_delay("h.test", 1.0)  # robots.txt Crawl-delay: 1
    time.sleep(wait + 0.01)
    assert slots.try_acquire("h.test", "t2") == 0
    assert slots.try_acquire("h.test", "t3") > 0.8


def test_a_dead_holder_frees_the_slot_after_its_hold_time(redis_client):
    slots = _slots(redis_client, concurrency=1, hold=0.3)
    assert slots.try_acquire("h.test", "dead") == 0
    assert slots.try_acquire("h.test", "t2") == POLL_S
    time.sleep(0.35)
    assert slots.try_acquire("h.test", "t2") == 0


def test_retry_after_closes_the_host_to_every_worker(redis_client):
    slots = _slots(redis_client, concurrency=4)
    slots.hold("h.test", 0.5)
    assert 0.3 < slots.try_acquire("h.test", "t1") <= 0.5
    assert slots.try_acquire("other.test", "t2") == 0
