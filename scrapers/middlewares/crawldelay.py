"""Honour robots.txt ``Crawl-delay`` (Scrapy parses it but never acts on it).

On the ``robots_parsed`` signal the host's delay is remembered; each request to that host
then raises its download slot's delay to at least that value and tells AutoThrottle not to
lower it; in a distributed crawl the delay is also set on the host's shared slot, for every
worker (``scrapers.cluster.hostslot``). Settings: ``TANGGUH_MAX_CRAWL_DELAY`` (cap, seconds,
default 30). Stats:
``tangguh/robots/crawl_delay_hosts``.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached


class CrawlDelayMiddleware:
    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("TANGGUH_MAX_CRAWL_DELAY", 30.0)
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get(
            "USER_AGENT"
        )
        self.delays: dict[str, float] = {}
        from scrapers.cluster.hostslot import host_slots

        self.shared = host_slots(crawler)
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelayMiddleware:
        return cls(crawler)

    def _robots_parsed(self, robotparser: Any, request: Any, **_: Any) -> None:
        getter = getattr(robotparser, "crawl_delay", None)
        try:
            delay = getter(self.user_agent) if getter else None
        except Exception:
            delay = None
        if delay:
            netloc = urlparse_cached(request).netloc
            self.delays[netloc] = min(float(delay), self.cap)
            if self.shared is not None:
                self.shared.set_delay(netloc, self.delays[netloc])
            self.crawler.stats.inc_value("tangguh/robots/crawl_delay_hosts")

    def process_request(self, request: Any) -> None:
        delay = self.delays.get(urlparse_cached(request).netloc)
        if not delay:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        try:
            _, slot = self.crawler.engine.downloader._get_slot(request)
        except Exception:  # internal API moved: fall back to Scrapy's own delay
            return
        if slot.delay < delay:
            slot.delay = delay
