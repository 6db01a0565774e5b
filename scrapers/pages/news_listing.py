"""News and government listing pages: the article links they show and the next page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from scrapers.pages.article_parts import strip_amp
from scrapers.pages.base import Page, node_text
from scrapers.pages.regions import denoise
from scrapers.pages.text import first


class NewsListingPage(Page):
    """A listing (index, category, tag) page: article links and the next page."""

    def __init__(self, url: str, html: str | Selector, selectors: dict[str, Any] | None = None):
        super().__init__(url, html)
        self.selectors = selectors or {}

    def links(self) -> list[str]:
        expr = self.selectors.get("listing_links")
        if expr:
            hrefs = self.sel.xpath(expr) if expr.startswith(("/", "(")) else self.sel.css(expr)
            values = [
                h.attrib.get("href") if not isinstance(h.root, str) else h.root for h in hrefs
            ]
        else:
            values = self._guess_links()
        out = []
        for href in values:
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            out.append(strip_amp(self.absolute(href)))
        return list(dict.fromkeys(out))

    def _guess_links(self) -> list[str]:
        """Article links without configured selectors: headline links on this host.

        A link counts when its path ends in a multi-word slug (``/berita/warga-bentuk-...``)
        or its text reads like a headline (five words or more), and it is not pagination.
        """
        clean = denoise(self.sel)
        host = self.host
        here = urlsplit(self.url)
        links: list[tuple[str, bool]] = []
        for a in clean.css("article a[href], h2 a[href], h3 a[href], h4 a[href], li a[href]"):
            absolute = self.absolute(a.attrib["href"])
            parts = urlsplit(absolute)
            if parts.hostname != host or (parts.path, parts.query) == (here.path, here.query):
                continue
            if re.search(r"(^|[?&])(page|paged|hal)=|/page/\d+", absolute):
                continue
            slug = parts.path.rstrip("/").rsplit("/", 1)[-1]
            headline = slug.count("-") >= 2 or len(node_text([a]).split()) >= 5
            links.append((absolute, headline))
        # Short headlines ("Vaksinasi Lansia") count too when their URL has the same shape
        # as the clear ones: same directory and the same query keys.
        shapes = {url_shape(url) for url, headline in links if headline}
        return [url for url, headline in links if headline or url_shape(url) in shapes]

    def next_page(self) -> str | None:
        expr = self.selectors.get("next_page")
        href = None
        if expr:
            found = self.sel.xpath(expr) if expr.startswith(("/", "(")) else self.sel.css(expr)
            if found:
                node = found[0]
                href = node.root if isinstance(node.root, str) else node.attrib.get("href")
        if not href:
            href = first(
                [
                    self.sel.css("link[rel=next]::attr(href), a[rel=next]::attr(href)").get(),
                    self.sel.css(
                        ".pagination a.next::attr(href), a.next::attr(href), "
                        "li.pager-next a::attr(href)"
                    ).get(),
                    self.sel.xpath(
                        "//a[normalize-space()='Selanjutnya' or normalize-space()='Next'"
                        " or normalize-space()='›' or normalize-space()='»' or "
                        "normalize-space()='Berikutnya']/@href"
                    ).get(),
                ]
            )
        return self.absolute(href) if href else None


def url_shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    keys = tuple(sorted({q.split("=", 1)[0] for q in parts.query.split("&") if q}))
    return parts.path.rstrip("/").rsplit("/", 1)[0], keys
