"""Start requests only from the seeding process of a distributed crawl.

`tangguh crawl --queue` runs each spider's ``start()`` into the shared queue; the workers
that join (`tangguh worker`) take requests from the queue only, or every worker would
seed the crawl again. Settings: ``TANGGUH_CLUSTER``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.exceptions import NotConfigured

from scrapers.cluster.context import cluster_of


class SeedOnlyStartMiddleware:
    def __init__(self, seeds: bool):
        self.seeds = seeds

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeedOnlyStartMiddleware:
        cluster = cluster_of(crawler)
        if cluster is None:
            raise NotConfigured("not a distributed crawl")
        return cls(cluster.seeds)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        if not self.seeds:
            return
        async for request in start:
            yield request
