"""Fixtures of the distributed-crawl tests: this machine's Redis and PostgreSQL.

They skip with a message when ``TANGGUH_TEST_REDIS`` / ``TANGGUH_TEST_PG`` name no
server (``.ci/run`` sets both when the services answer). Only Tangguh's own keys
(``tangguh:*``) are removed from the Redis database, before and after each test.
"""

from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("TANGGUH_TEST_REDIS")


def _clear(client) -> None:
    keys = list(client.scan_iter(match="tangguh:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip(
            "distributed-crawl tests need TANGGUH_TEST_REDIS (e.g. redis://127.0.0.1:6379/0)"
        )
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    _clear(client)
    yield REDIS_URL
    _clear(client)
    client.close()


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()
