"""Scrapy item pipeline that hands every item to the shared `PipelineChain`.

Settings read (once, in from_crawler):
- `TANGGUH_CHAIN`: a ready `PipelineChain` (the runner passes the run's own), or else
- `TANGGUH_DB`: a database URL to open a chain on (defaults as the CLI's).
Counts land in the crawler's stats under `tangguh/...`. A dropped item is logged as one line
with its URL (`scrapers.logformatter`), so the reasons here leave the URL out.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from pipelines.chain import PipelineChain
from scrapers.items import DocumentItem, GoneItem


class TangguhPipeline:
    def __init__(self, chain: PipelineChain, stats) -> None:
        self.chain = chain
        self.crawler_stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        chain = crawler.settings.get("TANGGUH_CHAIN")
        if chain is None:
            from store.db import open_database

            chain = PipelineChain(open_database(crawler.settings.get("TANGGUH_DB")))
        return cls(chain, crawler.stats)

    def process_item(self, item, spider=None):
        if isinstance(item, GoneItem):
            self.crawler_stats.inc_value("tangguh/gone")
            self.chain.mark_gone(item.url)
            raise DropItem(f"gone (HTTP {item.status})", log_level="INFO")
        if not isinstance(item, DocumentItem):
            return item
        outcome = self.chain.process(item)
        self.crawler_stats.inc_value(f"tangguh/{outcome.status}")
        if outcome.status == "invalid":
            raise DropItem(f"{outcome.status}: {outcome.reason}")
        if outcome.status == "dropped":
            # On purpose (off topic, deleted comment): counted, not worth a warning.
            raise DropItem(outcome.reason, log_level="DEBUG")
        return item

    def close_spider(self, spider=None):
        self.chain.close()
        # What was committed is only known after the last flush.
        for status in ("new", "updated", "unchanged", "failed"):
            self.crawler_stats.set_value(f"tangguh/stored/{status}", self.chain.stats[status])
