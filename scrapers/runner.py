"""Run configured sources (and/or single URLs) in one Scrapy run, in this process.

``run_crawl`` is what `tangguh crawl`, `tangguh fetch`, the demo, the tests and the
benchmark call. All sources share one ``CrawlerRunner`` (one downloader per source, one
reactor for the process), so they crawl concurrently. Settings are layered:
``scrapers.settings`` < ``settings=`` argument. Values that are live objects (a pipeline
chain, a crawl state) are handed to each crawler directly instead of being deep-copied
with the settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.settings import Settings

from scrapers import reactor_thread
from scrapers.sources import Source

_PLAIN = (str, int, float, bool, type(None), list, tuple, dict, set)


@dataclass
class CrawlResult:
    """Stats of a run: merged, per source (``fetch`` for URL mode), and the items counts."""

    stats: dict[str, Any] = field(default_factory=dict)
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, source: str, key: str) -> int:
        return int(self.per_source.get(source, {}).get(key, 0) or 0)

    @property
    def items(self) -> int:
        return int(self.stats.get("item_scraped_count", 0) or 0)

    @property
    def ok(self) -> bool:
        return all(s.get("finish_reason") == "finished" for s in self.per_source.values())


def build_settings(settings: dict[str, Any] | None = None) -> tuple[Settings, dict[str, Any]]:
    """Project settings overlaid with ``settings``; live objects returned separately."""
    base = Settings()
    base.setmodule("scrapers.settings", priority="project")
    live: dict[str, Any] = {}
    for key, value in (settings or {}).items():
        if isinstance(value, _PLAIN):
            base.set(key, value, priority="cmdline")
        else:
            live[key] = value
    return base, live


def run_crawl(
    sources: list[Source],
    *,
    settings: dict[str, Any] | None = None,
    crawl_state: Any = None,
    urls: list[str] | None = None,
) -> CrawlResult:
    """Crawl every source (and ``urls`` in fetch mode) and wait for the end."""
    from scrapers.spiders import spider_for
    from scrapers.spiders.fetch import FetchSpider

    base, live = build_settings(settings)
    if crawl_state is not None:
        live.setdefault("TANGGUH_CRAWL_STATE", crawl_state)
    jobs: list[tuple[str, type, dict[str, Any]]] = [
        (src.name, spider_for(src.kind), {"source": src, "crawl_state": crawl_state})
        for src in sources
    ]
    if urls:
        jobs.append(("fetch", FetchSpider, {"urls": list(urls), "crawl_state": crawl_state}))
    if not jobs:
        return CrawlResult()

    def start() -> Any:
        from scrapy.crawler import Crawler, CrawlerRunner
        from twisted.internet import reactor

        class Runner(CrawlerRunner):
            def create_crawler(self, crawler_or_spidercls: Any) -> Any:
                # A crawler made here has the runner's settings with its spider's own
                # (`update_settings`) on top; merging the runner's in again, as Scrapy does
                # when `crawl` is handed a Crawler, would undo the spider's at equal priority.
                if isinstance(crawler_or_spidercls, Crawler):
                    return crawler_or_spidercls
                return super().create_crawler(crawler_or_spidercls)

        from scrapers.middlewares.resolver import GuardedResolver

        # CrawlerRunner does not install a resolver; the reactor is shared, so each run
        # installs its own (runs are sequential: run_crawl blocks).
        GuardedResolver.from_settings(base, reactor).install_on_reactor()
        from twisted.internet import defer

        runner = Runner(base)
        crawlers = []
        started = []
        for name, spidercls, kwargs in jobs:
            crawler = runner.create_crawler(spidercls)
            for key, value in live.items():
                crawler.settings.set(key, value, priority="cmdline")
            # One Scrapy job directory per source (TANGGUH_JOBDIRS = {source: path}): its
            # request queue and seen-set survive a clean stop, so the next run resumes.
            jobdir = (base.getdict("TANGGUH_JOBDIRS") or {}).get(name)
            if jobdir:
                crawler.settings.set("JOBDIR", jobdir, priority="cmdline")
            crawlers.append((name, crawler))
            started.append(runner.crawl(crawler, **kwargs))
        d = defer.gatherResults(started, consumeErrors=True)
        d.addErrback(lambda failure: failure.value.subFailure.raiseException())
        d.addCallback(lambda _: crawlers)
        return d

    crawlers = reactor_thread.call(start)
    result = CrawlResult()
    for name, crawler in crawlers:
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        result.per_source[name] = stats
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                result.stats[key] = result.stats.get(key, 0) + value
    return result
