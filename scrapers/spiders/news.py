"""News and government sites: paginated listings to articles, extracted per ``sources.toml``.

Listings are newest first, so a re-crawl stops following "next page" at the first listing
page whose articles are all stored (unless ``TANGGUH_REVALIDATE_KNOWN``, which re-asks for
known articles with If-None-Match / If-Modified-Since instead of skipping them, or
``TANGGUH_FULL_LISTING``, set after an incomplete run, which walks every listing page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from scrapers.items import DocumentItem, GoneItem
from scrapers.pages.news import NewsArticlePage
from scrapers.pages.news_listing import NewsListingPage
from scrapers.spiders.base import HANDLED, TangguhSpider

REQUIRED = ("title", "text")


class NewsSpider(TangguhSpider):
    name = "news"
    platform = "generic"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._seen_links: set[str] = set()
        self._sitemaps_read = 0
        pattern = self.source.url_pattern if self.source else None
        self._url_pattern = re.compile(pattern) if pattern else None

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._sitemap(url) if is_sitemap_url(url) else self._listing(url, 1)

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
        fresh = [u for u in page.links() if u not in self._seen_links and self._allowed(u)]
        self._seen_links.update(fresh)
        requests, wanted, known = self._article_requests(fresh)
        yield from requests
        if not fresh:  # nothing new here: a pager that loops or repeats the first page
            return
        revalidate = self.settings.getbool("TANGGUH_REVALIDATE_KNOWN")
        limit = self.source.max_pages if self.source else None
        # After an interrupted or partial run the older pages may still hold unstored
        # articles: the runner then sets TANGGUH_FULL_LISTING and we walk every page.
        full = self.settings.getbool("TANGGUH_FULL_LISTING")
        # (a page with no article matching url_pattern says nothing: walk on)
        all_known = wanted > 0 and known == wanted and not revalidate and not full
        nxt = page.next_page()
        if nxt and self._allowed(nxt) and not all_known and (limit is None or depth < limit):
            yield self._listing(nxt, depth + 1)

    def _article_requests(self, urls: list[str]) -> tuple[list[scrapy.Request], int, int]:
        """``(requests, wanted, known)`` for new article URLs: those matching the source's
        ``url_pattern`` are wanted; stored ones are skipped unless TANGGUH_REVALIDATE_KNOWN
        (then re-asked for with If-None-Match / If-Modified-Since)."""
        revalidate = self.settings.getbool("TANGGUH_REVALIDATE_KNOWN")
        requests: list[scrapy.Request] = []
        wanted = known = 0
        for url in urls:
            if self._url_pattern is not None and not self._url_pattern.search(url):
                self.count("skipped/url_pattern")
                continue
            wanted += 1
            if self.known(url) is not None:
                known += 1
                if not revalidate:
                    self.count("unchanged")
                    continue
            requests.append(self._article(url))
        return requests, wanted, known

    # --- sitemaps ------------------------------------------------------------------------
    def _sitemap(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.errback,
            meta={"handle_httpstatus_list": HANDLED},
            priority=10,
        )

    def parse_sitemap(self, response: Any) -> Iterator[scrapy.Request]:
        """A sitemap index leads to its sitemaps; a sitemap's <loc> URLs are articles."""
        if response.status != 200:
            self.count(f"http/{response.status}")
            return
        sitemap = read_sitemap(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        if sitemap is None:
            ctype = (response.headers.get(b"Content-Type") or b"").lower()
            if b"html" in ctype:  # an HTML "Peta Situs" page: read it as a listing
                yield from self.parse_listing(response, 1)
                return
            self.count("errors/sitemap")
            self.logger.warning("%s is not a readable sitemap", response.url)
            return
        self._sitemaps_read += 1
        self.count("pages/sitemap")
        locs = [e["loc"].strip() for e in sitemap if e.get("loc")]
        fresh = [u for u in locs if u not in self._seen_links and self._allowed(u)]
        self._seen_links.update(fresh)
        if sitemap.type == "sitemapindex":
            limit = self.source.max_pages if self.source else None
            room = None if limit is None else max(0, limit - self._sitemaps_read)
            yield from (self._sitemap(u) for u in fresh[:room])
            return
        yield from self._article_requests(fresh)[0]

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
        view_all, numbered = page.parts()
        if item.text and (view_all or 2 in numbered):
            # Split over pages: the item waits for the rest of its text. The first page's
            # validators and snapshot go with it (the item is yielded from a later page).
            self.count("pages/split_article")
            self.hold(item, response)
            if view_all:  # one request for the whole text; page 2 if that one fails
                yield self._part(item, response.url, view_all, 0, numbered.get(2))
            else:
                yield self._part(item, response.url, numbered[2], 2)
            return
        yield from self._emit(item, response)

    def _emit(self, item: DocumentItem, response: Any) -> Iterator[DocumentItem]:
        if not self.on_topic(item.title, item.text):
            self.count("skipped/off_topic")
            return
        yield self.finish(item, response)

    def _part(
        self, item: DocumentItem, first: str, url: str, number: int, page2: str | None = None
    ) -> scrapy.Request:
        """The request for page ``number`` of a split article (0: its view-all page, with
        ``page2`` to go on with if that fails)."""
        return scrapy.Request(
            url,
            callback=self.parse_part,
            errback=self.part_failed,
            cb_kwargs={"item": item, "first": first, "number": number, "page2": page2},
            meta={"handle_httpstatus_list": HANDLED},
            priority=5,  # finish an article before starting others
            # The item travels with this request: a duplicate filter that dropped it (a
            # page that redirects to page 1, a URL seen before a resume) would lose it.
            dont_filter=True,
        )

    def parse_part(
        self,
        response: Any,
        item: DocumentItem,
        first: str,
        number: int,
        page2: str | None = None,
    ) -> Iterator[Any]:
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            yield from self._incomplete(item, first, number, page2)
            return
        self.count("pages/article_part")
        page = NewsArticlePage.from_response(response, selectors=self.selectors)
        text = page.text()
        if number == 0:  # the view-all page: its text, if it holds more, replaces page 1's
            if len(text) > len(item.text):
                item.text = text
            yield from self._emit(item, None)
            return
        item.text = join_parts(item.text, text)
        _, numbered = page.parts(first)
        if number + 1 in numbered:
            yield self._part(item, first, numbered[number + 1], number + 1)
        else:
            yield from self._emit(item, None)

    def part_failed(self, failure: Any) -> Iterator[Any]:
        self.errback(failure)
        kw = failure.request.cb_kwargs
        yield from self._incomplete(kw["item"], kw["first"], kw["number"], kw.get("page2"))

    def _incomplete(
        self, item: DocumentItem, first: str, number: int, page2: str | None
    ) -> Iterator[Any]:
        """A later page failed: page by page if it was the view-all page, else store what
        the earlier pages gave, and say so."""
        if number == 0 and page2:
            self.count("pages/view_all_failed")
            yield self._part(item, first, page2, 2)
            return
        self.count("errors/article_part")
        item.extra["incomplete_from_page"] = number or 2
        self.logger.warning(
            "%s: page %s of the article failed, stored without it", item.url, number or "all"
        )
        yield from self._emit(item, None)

    def page(self, response: Any) -> Iterator[Any]:
        """`tangguh fetch` entry point: one article page."""
        yield from self.parse_article(response)


def is_sitemap_url(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return path.endswith((".xml", ".xml.gz")) or "sitemap" in path


def read_sitemap(body: bytes, max_size: int = 0) -> Sitemap | None:
    """The parsed sitemap (gzipped or not), or None for anything else (an HTML error page,
    a truncated or hostile file); entities are never resolved."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=max_size or 0)
        sitemap = Sitemap(body)
    except Exception:  # lxml / gzip errors on junk: not a sitemap
        return None
    return sitemap if sitemap.type in ("urlset", "sitemapindex") else None


def join_parts(text: str, more: str) -> str:
    """Page 1's text followed by a later page's, without the paragraphs it repeats (some
    portals print the lead again on every page)."""
    seen = {p.strip() for p in text.split("\n\n") if p.strip()}
    new = [p for p in more.split("\n\n") if p.strip() and p.strip() not in seen]
    return "\n\n".join([text, *new]) if new else text
