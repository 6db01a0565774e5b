"""What every Tangguh spider shares: its source, the crawl state, and item finishing.

Spiders only decide what to fetch next; page objects parse. A spider gets its ``Source``
and an optional ``crawl_state`` (``scrapers.state.CrawlState``) as keyword arguments, or
the state from the ``TANGGUH_CRAWL_STATE`` setting.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from pipelines.relevance import TopicFilter
from scrapers.items import DocumentItem
from scrapers.middlewares.snapshot import snapshot_of
from scrapers.outcomes import SKIPPED
from scrapers.sources import Source
from scrapers.state import CrawlState, KnownDoc

# Statuses a spider wants to see itself rather than have filtered (conditional, gone, blocked).
HANDLED = [304, 401, 403, 404, 410]
_BLOCK_PAGE = re.compile(
    r"just a moment\.\.\.|attention required|checking your browser|cf-browser-verification|"
    r"enable javascript and cookies to continue|ddos protection by",
    re.IGNORECASE,
)


class TangguhSpider(scrapy.Spider):
    name = "tangguh"
    platform = "generic"

    def __init__(
        self,
        source: Source | None = None,
        crawl_state: CrawlState | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.source = source
        self.crawl_state = crawl_state
        self._fallback_sites: set[str | None] = set()  # warned of an unknown body layout
        if source is not None:
            self.allowed_domains = list(source.allowed_domains)
            self.start_urls = list(source.start_urls)
        # The same matcher the relevance pipeline uses, so both agree on what is on topic.
        self._topic = TopicFilter(source.topic if source else [])

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TangguhSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.crawl_state is None:
            spider.crawl_state = crawler.settings.get("TANGGUH_CRAWL_STATE")
        return spider

    # --- state ---------------------------------------------------------------------------
    def known(self, url: str) -> KnownDoc | None:
        if self.crawl_state is None:
            return None
        return self.crawl_state.known(url)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what the store kept for ``url``."""
        doc = self.known(url)
        headers: dict[str, str] = {}
        if doc is not None and doc.etag:
            headers["If-None-Match"] = doc.etag
        if doc is not None and doc.last_modified:
            headers["If-Modified-Since"] = doc.last_modified
        return headers

    # --- items ---------------------------------------------------------------------------
    def on_topic(self, *texts: str | None) -> bool:
        """True when the source has no topic, or one of its phrases occurs in the texts."""
        return self._topic.matches(None, " ".join(t for t in texts if t))

    def finish(self, item: DocumentItem, response: Response | None = None) -> DocumentItem:
        """Stamp source, fetch time and HTTP validators on an item the page object built."""
        item.source = self.source.name if self.source else "fetch"
        item.fetched_at = datetime.now(UTC)
        if item.site is None:
            item.site = urlsplit(item.url).hostname
        if response is not None and item.kind != "comment":
            self.keep_validators(item, response)
        if item.extra.get("body_extractor") == "generic":
            # The page's layout was not recognised and the general extractor read the body:
            # kept, but an operator should hear of it (once per site) before it gets worse.
            self.count("layout/body_fallback")
            if item.site not in self._fallback_sites:
                self._fallback_sites.add(item.site)
                self.logger.warning(
                    "%s: post body container not recognised, read by the general extractor "
                    "(%s); check the site's layout",
                    item.site,
                    item.url,
                )
        self.count(f"items/{item.kind}")
        return item

    @staticmethod
    def keep_validators(item: DocumentItem, response: Response) -> None:
        """ETag / Last-Modified of the page the item came from, for the next conditional GET."""
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        if etag:
            item.extra["etag"] = etag.decode("latin-1")
        if modified:
            item.extra["last_modified"] = modified.decode("latin-1")
        item.extra.setdefault("http_status", response.status)

    def hold(self, item: DocumentItem, response: Response) -> None:
        """Keep the validators and the snapshot of the page ``item`` was read from, when the
        item will be yielded from a later response (an article's page 2, a post's next
        comment page): the snapshot a judge or a re-parse needs is the item's own page."""
        self.keep_validators(item, response)
        if self._snapshots:
            item.extra["snapshot"] = snapshot_of(response)

    @cached_property
    def _snapshots(self) -> bool:
        settings = getattr(self, "settings", None)
        return settings.getbool("TANGGUH_SNAPSHOTS", True) if settings is not None else True

    def new_comments(self, comments: Iterable[DocumentItem]) -> list[DocumentItem]:
        """Comments the store does not hold yet (a stored comment is never re-yielded)."""
        out = []
        for comment in comments:
            if self.known(comment.url) is None:
                out.append(comment)
            else:
                self.count("comments_known")
        return out

    # --- bookkeeping ---------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"tangguh/{key}", n)
            if self.source is not None:
                self.crawler.stats.inc_value(f"tangguh/source/{self.source.name}/{key}", n)

    def usable_html(self, response: Response) -> bool:
        """False (and counted, and noted on the response) for non-HTML, empty and block pages."""
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if (
            not isinstance(response, TextResponse)
            or (ctype and "html" not in ctype and "xml" not in ctype)
            or response.body[:5] == b"%PDF-"
            or b"\x00" in response.body[:2048]
        ):
            kind = "application/pdf" if response.body[:5] == b"%PDF-" else ctype.split(";")[0]
            return self.skip(response, "non_html", f"not_html: {kind or 'binary data'}")
        body = response.text if response.body else ""
        if len(body.strip()) < 40:
            return self.skip(response, "empty", "empty")
        head = body[:4000]
        if _BLOCK_PAGE.search(head) and len(body) < 30000:
            return self.skip(response, "block_page", "block_page")
        return True

    def skip(self, response: Response, key: str, reason: str) -> bool:
        """Count a page passed over, and tell the request's outcome why (see
        `scrapers.outcomes`: a listed URL whose page is skipped is named with this reason)."""
        self.count(f"skipped/{key}")
        # A response built without its request (page-object tests) has no meta.
        with contextlib.suppress(AttributeError):
            response.meta[SKIPPED] = reason
        return False

    def errback(self, failure: Any) -> None:
        """Count a failed request by exception type; the crawl goes on."""
        self.count(f"errors/{failure.type.__name__}")
        self.logger.info("request failed: %s (%s)", failure.request.url, failure.value)


def root_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"
