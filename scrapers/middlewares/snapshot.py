"""Spider middleware: attach the raw response each document was parsed from.

Kept so parsing bugs are fixed by re-parsing stored snapshots, not by re-crawling, and so a
judge can show exactly what was judged. The store keeps each body once, compressed, under
its sha256, however many documents (a post and its comments) came from it.
Settings: `TANGGUH_SNAPSHOTS` (bool, default True).
"""

from __future__ import annotations

from scrapers.items import DocumentItem

_KEEP_HEADERS = (b"Content-Type", b"ETag", b"Last-Modified", b"Date", b"Content-Language")


def snapshot_of(response) -> dict:
    """What the store keeps of a response. A spider that yields an item from a later
    response (an article's page 2) attaches its first page's snapshot with this itself."""
    headers = {
        k.decode("latin-1"): response.headers[k].decode("latin-1")
        for k in _KEEP_HEADERS
        if k in response.headers
    }
    return {
        "url": response.url,
        "body": bytes(response.body),
        "status": response.status,
        "headers": headers,
    }


class SnapshotMiddleware:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("TANGGUH_SNAPSHOTS", True))

    def _attach(self, response, item):
        if self.enabled and isinstance(item, DocumentItem) and "snapshot" not in item.extra:
            item.extra["snapshot"] = snapshot_of(response)
        return item

    def process_spider_output(self, response, result, spider=None):
        for item in result:
            yield self._attach(response, item)

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            yield self._attach(response, item)
