"""Blogger: post feed first, comment feeds per post, HTML (both templates) as fallback.

The JSON post feed is paged by ``start-index`` until ``openSearch:totalResults``. A post's
comment feed is fetched only when its ``thr:total`` differs from the stored count, and the
post itself is re-yielded only when its ``updated`` time or count changed. The post item
goes out after its comments, so a stored count always means its comments were handed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from w3lib.url import add_or_replace_parameters

from scrapers.items import DocumentItem
from scrapers.pages.blogger_feed import (
    FeedComment,
    FeedPost,
    feed_comments,
    feed_posts,
    parse_feed,
)
from scrapers.pages.blogger_html import BloggerPostPage, blogger_post_url
from scrapers.pages.text import comment_author
from scrapers.spiders.base import HANDLED, TangguhSpider, root_of

_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_ARCHIVE_PATH = re.compile(r"^/\d{4}(?:/\d{2})?/?$|^/\d{4}_\d{2}_\d{2}_archive\.html$")


class BloggerSpider(TangguhSpider):
    name = "blogger"
    platform = "blogger"

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._post_feed(root_of(url), 1, url)

    # --- post feed -----------------------------------------------------------------------
    def _post_feed(self, root: str, start: int, start_url: str) -> scrapy.Request:
        size = self.settings.getint("TANGGUH_BLOGGER_PAGE_SIZE", 100)
        url = f"{root}feeds/posts/default?alt=json&start-index={start}&max-results={size}"
        return scrapy.Request(
            url,
            callback=self.parse_post_feed,
            errback=self.feed_failed,
            cb_kwargs={"root": root, "start_url": start_url},
            meta={"handle_httpstatus_list": HANDLED, "start_url": start_url},
            priority=10,
        )

    def feed_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.errback(failure)
        self.count("fallback/html")
        yield self._listing(failure.request.meta["start_url"])

    def parse_post_feed(self, response: Any, root: str, start_url: str) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            page = parse_feed(response.body)
        except ValueError:
            self.count("fallback/html")
            yield self._listing(start_url)
            return
        self.count("pages/post_feed")
        for post in feed_posts(page):
            yield from self._feed_post(post, page.blog_id)
        nxt = page.next_start_index(len(page.entries))
        if nxt is not None:
            yield self._post_feed(root, nxt, start_url)

    def _feed_post(self, post: FeedPost, blog_id: str | None) -> Iterator[Any]:
        item = DocumentItem(
            url=blogger_post_url(post.url),
            kind="post",
            platform="blogger",
            title=post.title,
            author=post.author,
            published_raw=post.published,
            updated_raw=post.updated,
            text=post.text,
            body_html=post.html,
            comment_count=post.comment_count,
            extra={
                "post_id": post.post_id,
                "blog_id": blog_id,
                "labels": post.labels,
                "via": "feed",
            },
        )
        if not self.on_topic(item.title, item.text):
            self.count("skipped/off_topic")
            return
        known = self.known(item.url)
        post_changed = known is None or known.updated_raw != post.updated
        comments_changed = post.comment_count != 0 and (
            known is None
            or known.comment_count is None
            or known.comment_count != post.comment_count
        )
        if post.summary_only and post_changed:
            yield self._post_page(item.url, feed_item=item)
        elif comments_changed and post.comments_feed:
            yield self._comment_feed(post.comments_feed, item, [], 1)
        elif comments_changed:
            yield self._post_page(item.url, feed_item=item)
        elif post_changed:
            yield self.finish(item)
        else:
            self.count("unchanged")

    # --- comment feed --------------------------------------------------------------------
    def _comment_feed(
        self, feed: str, item: DocumentItem, collected: list[FeedComment], start: int
    ) -> scrapy.Request:
        size = self.settings.getint("TANGGUH_BLOGGER_COMMENT_PAGE_SIZE", 200)
        url = add_or_replace_parameters(
            feed, {"alt": "json", "start-index": str(start), "max-results": str(size)}
        )
        return scrapy.Request(
            url,
            callback=self.parse_comment_feed,
            errback=self.comment_feed_failed,
            cb_kwargs={"feed": feed, "item": item, "collected": collected},
            meta={"handle_httpstatus_list": HANDLED, "item": item},
        )

    def comment_feed_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.errback(failure)
        item = failure.request.meta["item"]
        yield self._post_page(item.url, feed_item=item)

    def parse_comment_feed(
        self, response: Any, feed: str, item: DocumentItem, collected: list[FeedComment]
    ) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            page = parse_feed(response.body)
        except ValueError:
            self.count("fallback/comments_html")
            yield self._post_page(item.url, feed_item=item, feed_comments=collected)
            return
        self.count("pages/comment_feed")
        collected.extend(feed_comments(page))
        nxt = page.next_start_index(len(page.entries))
        if nxt is not None:
            yield self._comment_feed(feed, item, collected, nxt)
            return
        if item.comment_count is not None and len(collected) < item.comment_count:
            # A cut feed, or removed comments the feed leaves out: the page has them all.
            self.count("fallback/comments_short")
            yield self._post_page(item.url, feed_item=item, feed_comments=collected)
            return
        yield from self._emit(item, comments_from_feed(item.url, collected), None)

    # --- HTML ----------------------------------------------------------------------------
    def _post_page(
        self,
        url: str,
        feed_item: DocumentItem | None = None,
        feed_comments: list[FeedComment] | None = None,
    ) -> scrapy.Request:
        headers = {} if feed_item is not None else self.conditional_headers(url)
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_post_page,
            errback=self.post_page_failed,
            cb_kwargs={"feed_item": feed_item, "feed_comments": feed_comments},
            meta={"handle_httpstatus_list": HANDLED, "feed_item": feed_item},
            dont_filter=feed_item is not None,
        )

    def post_page_failed(self, failure: Any) -> Iterator[DocumentItem]:
        self.errback(failure)
        item = failure.request.meta.get("feed_item")
        if item is not None:  # keep the post, but leave its count unknown: retried next run
            item.comment_count = None
            yield self.finish(item)

    def parse_post_page(
        self,
        response: Any,
        feed_item: DocumentItem | None,
        feed_comments: list[FeedComment] | None,
    ) -> Iterator[Any]:
        if response.status == 304:
            self.count("unchanged")
            return
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            if feed_item is not None:
                feed_item.comment_count = None
                yield self.finish(feed_item)
            return
        page = BloggerPostPage.from_response(response)
        self.count("pages/post_html")
        html_post = page.post()
        comments = page.comments()
        if feed_item is None:
            if not self.on_topic(html_post.title, html_post.text):
                self.count("skipped/off_topic")
                return
            yield from self._emit(html_post, comments, response)
            return
        item = merge_post(feed_item, html_post)
        if feed_comments:
            comments = merge_comments(comments_from_feed(item.url, feed_comments), comments)
        yield from self._emit(item, comments, None)

    def page(self, response: Any) -> Iterator[Any]:
        """`tangguh fetch` entry point: a single post page with its comments."""
        yield from self.parse_post_page(response, None, None)

    def _listing(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.errback,
            meta={"handle_httpstatus_list": HANDLED},
        )

    def parse_listing(self, response: Any) -> Iterator[scrapy.Request]:
        """HTML fallback navigation: home, archive and label pages to post pages."""
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/listing")
        host = urlsplit(response.url).hostname
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip())
            parts = urlsplit(url)
            if parts.hostname != host:
                continue
            if _POST_PATH.match(parts.path) and not parts.query:
                yield self._post_page(blogger_post_url(url))
            elif _ARCHIVE_PATH.match(parts.path) and not parts.query:
                yield self._listing(url)
        older = response.css("a.blog-pager-older-link::attr(href)").get()
        if older:
            yield self._listing(urljoin(response.url, older))

    # --- output --------------------------------------------------------------------------
    def _emit(
        self, post: DocumentItem, comments: list[DocumentItem], response: Any
    ) -> Iterator[DocumentItem]:
        for comment in self.new_comments(comments):
            yield self.finish(comment)
        if post.comment_count is None or post.comment_count < len(comments):
            post.comment_count = len(comments)
        yield self.finish(post, response)


def comments_from_feed(post_url: str, comments: list[FeedComment]) -> list[DocumentItem]:
    """Comment items from feed records, replies pointing at their parent's permalink."""
    urls: dict[str, str] = {}
    items = []
    for c in comments:
        ms = c.published_ms
        url = (
            f"{post_url}?showComment={ms}#c{c.comment_id}" if ms else f"{post_url}#c{c.comment_id}"
        )
        urls[c.comment_id] = url
        deleted = c.deleted
        extra: dict[str, Any] = {"comment_id": c.comment_id, "published_iso": c.published}
        if ms is not None:
            extra["published_ms"] = ms
        items.append(
            (
                c,
                DocumentItem(
                    url=url,
                    kind="comment",
                    platform="blogger",
                    site=urlsplit(post_url).hostname,
                    author=comment_author(c.author),
                    published_raw=c.display_time or c.published,
                    text="" if deleted else c.text,
                    parent_url=post_url,
                    deleted=deleted,
                    extra=extra,
                ),
            )
        )
    for c, item in items:
        if c.parent_id:
            item.reply_to = urls.get(c.parent_id)
    return [item for _, item in items]


def merge_comments(
    primary: list[DocumentItem], secondary: list[DocumentItem]
) -> list[DocumentItem]:
    """Feed comments first, plus page comments the feed left out (same ``#cID``)."""

    def cid(item: DocumentItem) -> str:
        return item.url.rsplit("#c", 1)[-1]

    seen = {cid(c) for c in primary}
    return primary + [c for c in secondary if cid(c) not in seen]


def merge_post(feed_item: DocumentItem, html_post: DocumentItem) -> DocumentItem:
    """The feed's exact times and ids, the page's full body when the feed had a summary."""
    item = feed_item
    if len(html_post.text) > len(item.text):
        item.text = html_post.text
        item.body_html = html_post.body_html
    item.title = item.title or html_post.title
    item.author = item.author or html_post.author
    item.page_canonical = html_post.page_canonical
    return item
