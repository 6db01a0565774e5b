"""WordPress: REST records, RSS items and theme HTML post pages (with threaded comments).

REST is the first choice (exact ids, ``parent`` for threads, totals in headers); RSS plus
the theme's HTML serve blogs where a security plugin answers 401/403/404 on ``/wp-json/``.
Comment URLs are ``POST#comment-ID`` whatever the source, so the three paths agree.
"""

from __future__ import annotations

import html as htmllib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.base import Page, ld_name, node_text
from scrapers.pages.commenters import set_author
from scrapers.pages.decide import Candidate
from scrapers.pages.text import (
    AD_CLASS,
    clean_author,
    element_text,
    first,
    html_to_text,
    is_deleted_comment,
    site_like,
    strip_title_suffix,
)
from scrapers.pages.wordpress_comments import (
    comment_page_links,
    comment_page_number,
    comment_url,
    page_of_own_comments,
    parse_comments,
    wp_post_url,
)
from scrapers.provenance import mark

BODY_DROP = (
    ".sharedaddy",
    ".jp-relatedposts",
    ".sd-sharing-enabled",
    ".addtoany_share_save_container",
    ".a2a_kit",
    ".wp-block-buttons.share",
    ".post-navigation",
    ".nav-links",
    ".related-posts",
    ".yarpp-related",
    ".crp_related",
    ".entry-footer",
    ".tags-links",
    ".cat-links",
    ".adsbygoogle",
    "ins",
    ".code-block",
    ".wpcnt",
    ".comments-area",
    "#comments",
    ".author-bio",
    ".ads",
)
_NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


# --- REST --------------------------------------------------------------------------------
def rest_json(body: bytes | str) -> list[dict[str, Any]]:
    """A REST list response; ValueError if it is not a JSON list (a block page, HTML...)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(data, list):
        raise ValueError("REST answer is not a list")
    return [d for d in data if isinstance(d, dict)]


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def rest_post(d: dict[str, Any], site_name: str | None = None) -> DocumentItem | None:
    link = d.get("link")
    if not isinstance(link, str) or not link:
        return None
    author = None
    embedded = d.get("_embedded") or {}
    if isinstance(embedded, dict) and embedded.get("author"):
        author = ld_name(embedded["author"][0])
    html = _rendered(d.get("content"))
    url = wp_post_url(link)
    title = htmllib.unescape(html_to_text(_rendered(d.get("title")))) or None
    return DocumentItem(
        url=url,
        kind="post",
        platform="wordpress",
        site=urlsplit(url).hostname,
        title=strip_title_suffix(title, [site_name]),
        author=author,
        published_raw=d.get("date_gmt") and f"{d['date_gmt']}Z" or d.get("date"),
        updated_raw=d.get("modified_gmt") and f"{d['modified_gmt']}Z" or d.get("modified"),
        text=html_to_text(html, BODY_DROP),
        body_html=html,
        extra={"wp_id": d.get("id"), "date_local": d.get("date")},
    )


def rest_comment(d: dict[str, Any], post_url: str) -> DocumentItem | None:
    cid = d.get("id")
    if cid is None:
        return None
    html = _rendered(d.get("content"))
    text = html_to_text(html)
    deleted = d.get("status") in ("trash", "spam") or is_deleted_comment(text)
    parent = d.get("parent") or 0
    item = DocumentItem(
        url=comment_url(post_url, cid),
        kind="comment",
        platform="wordpress",
        site=urlsplit(post_url).hostname,
        published_raw=d.get("date_gmt") and f"{d['date_gmt']}Z" or d.get("date"),
        text="" if deleted else text,
        parent_url=wp_post_url(post_url),
        reply_to=comment_url(post_url, parent) if parent else None,
        deleted=deleted,
        extra={"wp_id": cid, "wp_post": d.get("post"), "date_local": d.get("date")},
    )
    set_author(
        item, d.get("author_name") if isinstance(d.get("author_name"), str) else None, "api", 1.0
    )
    for name in ("published_raw", "text", "reply_to"):
        if getattr(item, name):
            mark(item, name, "api", 1.0)
    return item


# --- RSS ---------------------------------------------------------------------------------
@dataclass
class RssItem:
    url: str
    title: str | None
    author: str | None
    published: str | None
    html: str
    comment_count: int | None
    comments_feed: str | None


def rss_items(body: bytes) -> list[RssItem]:
    """Items of a WordPress RSS2 feed; ValueError if the body is not RSS."""
    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"bad RSS: {exc}") from exc
    if root is None or root.find("channel") is None:
        raise ValueError("not RSS")
    out = []
    for item in root.iter("item"):
        link = (item.findtext("link") or "").strip()
        if not link:
            continue
        count = item.findtext("slash:comments", namespaces=_NS)
        out.append(
            RssItem(
                url=wp_post_url(link),
                title=(item.findtext("title") or "").strip() or None,
                author=(item.findtext("dc:creator", namespaces=_NS) or "").strip() or None,
                published=(item.findtext("pubDate") or "").strip() or None,
                html=item.findtext("content:encoded", namespaces=_NS)
                or item.findtext("description")
                or "",
                comment_count=int(count) if count and count.strip().isdigit() else None,
                comments_feed=(item.findtext("wfw:commentRss", namespaces=_NS) or "").strip()
                or None,
            )
        )
    return out


# --- theme HTML --------------------------------------------------------------------------
class WordPressPostPage(Page):
    """A single-post page of a WordPress theme, with its ``ol.comment-list``."""

    def is_wordpress(self) -> bool:
        gen = (self.meta("generator") or "").lower()
        return gen.startswith("wordpress") or bool(
            self.sel.xpath("//link[@rel='https://api.w.org/']")
            or self.sel.css("link[href*='/wp-content/'], script[src*='/wp-includes/']")
        )

    def _article(self) -> Selector:
        found = self.sel.css(
            "article.post, article[id^='post-'], div[id^='post-'].post, "
            "article.type-post, main article"
        )
        return found[0] if found else self.sel

    def post_url(self) -> str:
        return wp_post_url(self.canonical() or self.url)

    def title(self) -> str | None:
        art = self._article()
        raw = first(
            [
                node_text(art.css(_TITLE_H1)),
                node_text(self.sel.css(_TITLE_H1)),
                self.meta("og:title"),
                # Related-post modules reuse .entry-title: only the article's own counts.
                node_text(art.css(".entry-title")) if art is not self.sel else None,
                self.html_title(),
            ]
        )
        return strip_title_suffix(raw, [self.site_name()])

    def author(self) -> str | None:
        """The theme's byline; a meta/JSON-LD author that is only the site's name
        ("Radar Madiun") counts when the page shows no byline."""
        art = self._article()
        byline = clean_author(
            first(
                [
                    node_text(art.css(".byline .author a, .author.vcard a")),
                    node_text(art.css(".entry-meta .author, .byline")),
                    node_text(self.sel.css(_THEME_AUTHOR)),
                ]
            )
        )
        if byline:
            return byline
        meta = [
            clean_author(self.meta("author")),
            clean_author(ld_name((self.ld_article() or {}).get("author"))),
        ]
        sites = [self.site_name(), self.host]
        return first([m for m in meta if not site_like(m, sites)] + meta)

    def published_raw(self) -> str | None:
        art = self._article()
        return (
            first(
                [
                    art.css(
                        "time.entry-date.published::attr(datetime), time.published::attr(datetime), "
                        ".wp-block-post-date time::attr(datetime)"
                    ).get(),
                    self.meta("article:published_time"),
                    (self.ld_article() or {}).get("datePublished"),
                    art.css("time.entry-date::attr(datetime), time::attr(datetime)").get(),
                ]
            )
            or self._generic().published_raw()
        )

    def _generic(self) -> Any:
        """The generic article reading of this page, for themes our selectors miss (Astra
        prints the date only as text, Sahifa's body is ``div.entry``)."""
        if "_generic_page" not in self.__dict__:
            from scrapers.pages.news import NewsArticlePage

            self.__dict__["_generic_page"] = NewsArticlePage(self.url, self.sel)
        return self.__dict__["_generic_page"]

    def updated_raw(self) -> str | None:
        return first(
            [
                self._article().css("time.updated::attr(datetime)").get(),
                self.meta("article:modified_time"),
            ]
        )

    def body(self) -> Selector | None:
        found = self._body_match()
        return found[0] if found else None

    def _body_match(self) -> tuple[Selector, str] | None:
        art = self._article()
        # In order of preference, not document order: Jannah's <article> is .post-content
        # around the header, and its .entry-content holds the text.
        for expr in _BODY_SELECTORS:
            found = art.css(expr)
            if found:
                return found[0], expr
        return None

    def template_body(self) -> Candidate | None:
        """The theme's content container. Plugins fill it with share bars, author boxes and
        related posts, so it is always weighed against the general reading."""
        found = self._body_match()
        if found is None:
            return None
        body, expr = found
        return Candidate(element_text(body.root, BODY_DROP, AD_CLASS), "template", 0.8, expr)

    def text(self) -> str:
        return self.decided_text()

    def post(self) -> DocumentItem:
        url = self.post_url()
        body = self.body()
        chosen = self.body_choice()
        templated = body is not None and chosen is not None and chosen.source == "template"
        return self.document(
            url,
            "post",
            "wordpress",
            body.get() if templated else None,  # type: ignore[union-attr]
            comment_count=len(self.comments()),
            extra={} if templated or chosen is None else {"body_extractor": "generic"},
        )

    def comments(self) -> list[DocumentItem]:
        """This page's comments, whatever markup the theme uses (``wordpress_comments``)."""
        return list(self._comments)

    @cached_property
    def _comments(self) -> list[DocumentItem]:
        return parse_comments(self.sel.root, self.post_url())

    def comment_page(self) -> int | None:
        """Which comment page this is: N of ``/comment-page-N/`` or ``?cpage=N``, else the
        pager's current number, else the page its comments' permalinks name; None when the
        comments are not paged."""
        n = comment_page_number(self.url)
        if n is not None:
            return n
        current = self.sel.css(
            ".comment-navigation .current::text, .comments-pagination .current::text, "
            ".wp-block-comments-pagination [aria-current]::text, "
            "#comments [aria-current=page]::text, #comments .page-numbers.current::text"
        ).re_first(r"\d+")
        if current:
            return int(current)
        ids = {str(c.extra.get("wp_id")) for c in self._comments}
        return page_of_own_comments(self.sel.root, self.url, ids) if ids else None

    def comment_pages(self) -> dict[int, str]:
        """The post's other comment pages this page links to, ``{N: URL}``."""
        pages = comment_page_links(self.sel.root, self.url, self.post_url())
        pages.pop(self.comment_page() or 0, None)
        return pages

    def post_links(self) -> list[str]:
        """Post permalinks on a listing (home, /page/N/, archive) page."""
        hrefs = self.sel.css(
            "article .entry-title a::attr(href), h2.entry-title a::attr(href), "
            "article h2 a::attr(href), .wp-block-post-title a::attr(href)"
        ).getall()
        return list(dict.fromkeys(wp_post_url(self.absolute(h)) for h in hrefs))

    def next_page(self) -> str | None:
        href = self.sel.css(
            "a.next.page-numbers::attr(href), .nav-previous a::attr(href), "
            "a.wp-block-query-pagination-next::attr(href), link[rel=next]::attr(href)"
        ).get()
        return self.absolute(href) if href else None


_TITLE_H1 = (
    "h1.entry-title, h1.post-title, h1.tdb-title-text, h1.jeg_post_title, h1.wp-block-post-title"
)
# Bylines of popular news themes: tagDiv Newspaper (and its cloud templates), JNews, Jannah,
# Sahifa, Astra; and of every block theme (the core Post Author Name block).
_THEME_AUTHOR = (
    ".tdb-author-name, .td-post-author-name a, .jeg_meta_author a, .meta-author a, "
    ".post-meta-author a, .posted-by .author-name, .wp-block-post-author-name"
)
_BODY_SELECTORS = (
    ".entry-content",
    ".td-post-content",
    ".post-content",
    "[itemprop=articleBody]",
    ".entry",
    ".post-entry",
)
