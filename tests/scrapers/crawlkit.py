"""Helpers for crawl tests: a pipeline that collects items and "commits" them to a state."""

from __future__ import annotations

from typing import Any

from scrapers.items import DocumentItem
from scrapers.state import MemoryCrawlState


class Sink:
    """Where the collecting pipeline puts items; passed live through ``run_crawl`` settings."""

    def __init__(self, state: MemoryCrawlState | None = None) -> None:
        self.items: list[DocumentItem] = []
        self.state = state

    def clear(self) -> None:
        self.items.clear()


class CollectPipeline:
    def __init__(self, sink: Sink) -> None:
        self.sink = sink

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectPipeline:
        return cls(crawler.settings.get("TEST_SINK"))

    def process_item(self, item: DocumentItem) -> DocumentItem:
        self.sink.items.append(item)
        if self.sink.state is not None:
            self.sink.state.remember_item(item)  # what the store does once it committed
        return item


def crawl_settings(sink: Sink, **extra: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "TANGGUH_RESOLVE": {"*.test": "127.0.0.1"},
        "ITEM_PIPELINES": {"crawlkit.CollectPipeline": 100},
        "TEST_SINK": sink,
        "LOG_LEVEL": "WARNING",
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    }
    settings.update(extra)
    return settings
