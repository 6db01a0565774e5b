"""`tangguh fetch`: single post or article URLs, platform detected per page.

Each page is fetched once, then handed to the Blogger, WordPress or generic article parsing
of the matching spider (Blogger generator meta or markup, WordPress generator or the
``api.w.org`` link, else a generic article), with the post's comments.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy

from scrapers.items import GoneItem
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

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(
                url,
                headers=self.conditional_headers(url),
                callback=self.parse_page,
                errback=self.errback,
                meta={"handle_httpstatus_list": HANDLED},
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


_PARSERS: dict[str, type[TangguhSpider]] = {
    "blogger": BloggerSpider,
    "wordpress": WordPressSpider,
    "generic": NewsSpider,
}
