"""News and government sites: paginated listings to articles, extracted per ``sources.toml``.

Listings are newest first, so a re-crawl stops following "next page" at the first listing
page whose articles are all stored (unless ``TANGGUH_REVALIDATE_KNOWN``, which re-asks for
known articles with If-None-Match / If-Modified-Since instead of skipping them, or
``TANGGUH_FULL_LISTING``, set after an incomplete run, which walks every listing page).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy

from scrapers.items import GoneItem
from scrapers.pages.news import NewsArticlePage, NewsListingPage
from scrapers.spiders.base import HANDLED, TangguhSpider

REQUIRED = ("title", "text")


class NewsSpider(TangguhSpider):
    name = "news"
    platform = "generic"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._seen_links: set[str] = set()

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._listing(url, 1)

    def _listing(self, url: str, depth: int) -> scrapy.Request:
        # Listings go first: they feed the article queue and must not wait behind it.
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.errback,
            cb_kwargs={"depth": depth},
            meta={"handle_httpstatus_list": HANDLED},
            priority=10,
        )

    @property
    def selectors(self) -> dict[str, Any]:
        return self.source.selectors if self.source else {}

    def parse_listing(self, response: Any, depth: int) -> Iterator[scrapy.Request]:
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/listing")
        page = NewsListingPage.from_response(response, selectors=self.selectors)
        revalidate = self.settings.getbool("TANGGUH_REVALIDATE_KNOWN")
        links = [u for u in page.links() if self._allowed(u)]
        fresh = [u for u in links if u not in self._seen_links]
        self._seen_links.update(fresh)
        known = 0
        for url in fresh:
            if self.known(url) is not None:
                known += 1
                if not revalidate:
                    self.count("unchanged")
                    continue
            yield self._article(url)
        if not fresh:  # nothing new here: a pager that loops or repeats the first page
            return
        limit = self.source.max_pages if self.source else None
        # After an interrupted or partial run the older pages may still hold unstored
        # articles: the runner then sets TANGGUH_FULL_LISTING and we walk every page.
        full = self.settings.getbool("TANGGUH_FULL_LISTING")
        all_known = known == len(fresh) and not revalidate and not full
        nxt = page.next_page()
        if nxt and self._allowed(nxt) and not all_known and (limit is None or depth < limit):
            yield self._listing(nxt, depth + 1)

    def _allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        domains = self.allowed_domains or []
        return not domains or any(host == d or host.endswith("." + d) for d in domains)

    def _article(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            headers=self.conditional_headers(url),
            callback=self.parse_article,
            errback=self.errback,
            meta={"handle_httpstatus_list": HANDLED},
        )

    def parse_article(self, response: Any) -> Iterator[Any]:
        if response.status == 304:
            self.count("unchanged")
            return
        if response.status in (404, 410):
            self.count("gone")
            yield GoneItem(response.url, response.status)
            return
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/article")
        page = NewsArticlePage.from_response(response, selectors=self.selectors)
        item = page.article()
        missing = [f for f in REQUIRED if not getattr(item, f)]
        if missing:  # a layout change: keep what we have, count it, let validation decide
            item.extra["missing_fields"] = missing
            for name in missing:
                self.count(f"missing/{name}")
        if not self.on_topic(item.title, item.text):
            self.count("skipped/off_topic")
            return
        yield self.finish(item, response)

    def page(self, response: Any) -> Iterator[Any]:
        """`tangguh fetch` entry point: one article page."""
        yield from self.parse_article(response)
