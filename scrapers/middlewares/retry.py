"""Retries that honour ``Retry-After`` on 429/503 (Scrapy retries at once; issue #3849).

A response with a ``Retry-After`` of at most ``TANGGUH_MAX_RETRY_AFTER`` seconds waits that
long before its retry (holding that host's slot, which is the point); a longer one gives up
on the request at once. In a distributed crawl the wait closes the host's shared slot to
every worker instead (``scrapers.cluster.hostslot``), and the retry goes back to the shared
queue. Other settings as Scrapy's RetryMiddleware (RETRY_TIMES,
RETRY_HTTP_CODES). Stats: ``tangguh/retry_after/waited``, ``tangguh/retry_after/too_long``.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    import time

    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: Any):
        super().__init__(settings)
        self.max_wait = settings.getfloat("TANGGUH_MAX_RETRY_AFTER", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        from scrapers.cluster.hostslot import host_slots

        mw = cls(crawler.settings)
        mw.crawler = crawler
        mw.shared = host_slots(crawler)
        return mw

    async def process_response(self, request: Any, response: Any) -> Any:
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None:
                stats = self.crawler.stats
                if wait > self.max_wait:
                    stats.inc_value("tangguh/retry_after/too_long")
                    return response
                if wait > 0 and getattr(self, "shared", None) is not None:
                    stats.inc_value("tangguh/retry_after/waited")
                    self.shared.hold(urlparse_cached(request).netloc, wait)
                elif wait > 0:
                    stats.inc_value("tangguh/retry_after/waited")
                    from twisted.internet import reactor

                    await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return super().process_response(request, response)
