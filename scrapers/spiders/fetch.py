"""`tangguh fetch`: single post or article URLs, platform detected per page.

Each page is fetched once, then handed to the Blogger, WordPress or generic article parsing
of the matching spider (Blogger generator meta or markup, WordPress generator or the
``api.w.org`` link, else a generic article), with the post's comments.

Every listed URL gets an outcome (`scrapers.outcomes`): its start request carries the URL as
listed, and `EntryTracker` follows that request's own chain to the documents it produced or
to the reason it produced none. Variants of one page in the list (``?m=1``, share-button
parameters) are fetched once and reported as the same page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy

from pipelines.canonical import canonical_url
from scrapers.items import GoneItem
from scrapers.middlewares.outcomes import EntryTracker, PerEntryFingerprinter
from scrapers.outcomes import ALIASES, ENTRY
from scrapers.pages.blogger_html import is_post_url
from scrapers.pages.detect import detect_platform
from scrapers.spiders.base import HANDLED, TangguhSpider
from scrapers.spiders.blogger import BloggerSpider
from scrapers.spiders.news import NewsSpider
from scrapers.spiders.wordpress import WordPressSpider


class FetchSpider(TangguhSpider):
    name = "fetch"

    def __init__(self, urls: list[str] | None = None, *args: Any, **kwargs: Any):
        super().__init__(None, *args, **kwargs)
        self.urls = list(urls or [])
        self._delegates: dict[str, Any] = {}

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # Next to the engine: it must see every request and item that really goes out.
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", EntryTracker, 10)
        settings.set("REQUEST_FINGERPRINTER_CLASS", PerEntryFingerprinter, priority="spider")

    async def start(self) -> Any:
        # A judge's list holds the same post as pasted from a phone (?m=1), from a share
        # button (utm_*, fbclid) and from a comment link: fetch each page once.
        pages: dict[str, list[str]] = {}
        for url in self.urls:
            try:
                key = canonical_url(url)
            except ValueError:
                key = url
            pages.setdefault(key, []).append(url)
        for first, *same in pages.values():
            if same:
                self.count("skipped/same_page", len(same))
            url = desktop_url(first)
            yield scrapy.Request(
                url,
                headers=self.conditional_headers(url),
                callback=self.parse_page,
                errback=self.errback,
                meta={"handle_httpstatus_list": HANDLED, ENTRY: first, ALIASES: same},
            )

    def parse_page(self, response: Any) -> Iterator[Any]:
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
        platform = detect_platform(response.selector)
        self.count(f"platform/{platform}")
        yield from self._delegate(platform).page(response)

    def _delegate(self, platform: str) -> Any:
        """A platform spider sharing this crawler and state, used for its page parsing."""
        if platform not in self._delegates:
            cls = _PARSERS[platform]
            spider = cls(None, self.crawl_state)
            spider.crawler = self.crawler
            spider.settings = self.settings
            self._delegates[platform] = spider
        return self._delegates[platform]


def desktop_url(url: str) -> str:
    """A Blogger post URL without ``?m=1``/``?m=0``: on classic blogs ``m=1`` serves the
    mobile template, whose markup is not the blog's own; other URLs are left alone."""
    parts = urlsplit(url)
    if not parts.query or not is_post_url(url):
        return url
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k == "m" and v in ("0", "1"))
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


_PARSERS: dict[str, type[TangguhSpider]] = {
    "blogger": BloggerSpider,
    "wordpress": WordPressSpider,
    "generic": NewsSpider,
}
