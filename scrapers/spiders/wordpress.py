"""WordPress: REST first, RSS + theme HTML when ``/wp-json/`` answers 401/403/404.

REST posts are read newest-modified first and paging stops at a page with no changed post;
comments are read blog-wide newest first and paging stops at the first stored comment, so a
re-crawl of an unchanged blog costs two requests (``TANGGUH_FULL_LISTING``, set after an
incomplete run, reads every page). Without REST, RSS pages give every post
with its ``slash:comments`` count, and only posts whose count changed are fetched as HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy

from scrapers.items import DocumentItem
from scrapers.pages.text import html_to_text
from scrapers.pages.wordpress import (
    RssItem,
    WordPressPostPage,
    rest_comment,
    rest_json,
    rest_post,
    rss_items,
)
from scrapers.pages.wordpress_comments import MAX_COMMENT_PAGES, comment_page_number, wp_post_url
from scrapers.spiders.base import HANDLED, TangguhSpider, root_of


@dataclass
class _Blog:
    """Per-blog crawl context carried through the REST request chain."""

    root: str
    start_url: str
    on_topic: set[str] = field(default_factory=set)
    urls_by_id: dict[int, str] = field(default_factory=dict)
    rss_seen: set[str] = field(default_factory=set)
    changed: list[str] = field(default_factory=list)  # new or modified posts of this run


@dataclass
class _Thread:
    """A post page's comments, collected over its comment pages before anything is emitted
    (the post goes out last, so a stored comment count means its comments were handed over)."""

    post: DocumentItem
    feed_count: int | None  # the RSS ``slash:comments`` count, when RSS led here
    comments: dict[str, DocumentItem] = field(default_factory=dict)
    seen: set[int | None] = field(default_factory=set)  # comment pages read (None: the post's)
    pending: list[tuple[int | None, str]] = field(default_factory=list)
    complete: bool = True

    def add(self, comments: list[DocumentItem]) -> None:
        for comment in comments:
            self.comments.setdefault(comment.url, comment)

    def queue(self, number: int | None, url: str) -> None:
        if number not in self.seen and all(n != number for n, _ in self.pending):
            self.pending.append((number, url))


class WordPressSpider(TangguhSpider):
    name = "wordpress"
    platform = "wordpress"

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._rest_posts(_Blog(root_of(url), url), 1)

    def _size(self) -> int:
        return self.settings.getint("TANGGUH_WP_PAGE_SIZE", 100)

    # --- REST posts ----------------------------------------------------------------------
    def _rest_posts(self, blog: _Blog, page: int) -> scrapy.Request:
        url = (
            f"{blog.root}wp-json/wp/v2/posts?per_page={self._size()}&page={page}"
            "&orderby=modified&order=desc&_embed=author"
        )
        return scrapy.Request(
            url,
            callback=self.parse_rest_posts,
            errback=self.rest_failed,
            cb_kwargs={"blog": blog, "page": page},
            meta={"handle_httpstatus_list": HANDLED + [400], "blog": blog},
        )

    def rest_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.errback(failure)
        yield self._rss(failure.request.meta["blog"], 1)

    def parse_rest_posts(self, response: Any, blog: _Blog, page: int) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            records = rest_json(response.body)
        except ValueError:
            if page == 1:
                self.count("fallback/rss")
                yield self._rss(blog, 1)
            else:  # paged past the end (WordPress answers 400): go on to the comments
                yield self._rest_comments(blog, 1)
            return
        self.count("pages/rest_posts")
        changed = unchanged = 0
        for record in records:
            item = rest_post(record)
            if item is None:
                continue
            blog.urls_by_id[int(record.get("id") or 0)] = item.url
            if not self.on_topic(item.title, item.text):
                self.count("skipped/off_topic")
                continue
            blog.on_topic.add(item.url)
            known = self.known(item.url)
            if known is not None and known.updated_raw == item.updated_raw:
                unchanged += 1
                self.count("unchanged")
                continue
            changed += 1
            blog.changed.append(item.url)
            yield self.finish(item)
        total_pages = _int_header(response, b"X-WP-TotalPages")
        more = bool(records) and (total_pages is None or page < total_pages)
        stop_early = unchanged and not changed and not self.settings.getbool("TANGGUH_FULL_LISTING")
        if more and not stop_early:
            yield self._rest_posts(blog, page + 1)
        else:
            yield self._rest_comments(blog, 1)

    # --- REST comments -------------------------------------------------------------------
    def _rest_comments(self, blog: _Blog, page: int) -> scrapy.Request:
        url = f"{blog.root}wp-json/wp/v2/comments?per_page={self._size()}&page={page}"
        return scrapy.Request(
            url,
            callback=self.parse_rest_comments,
            errback=self.errback,
            cb_kwargs={"blog": blog, "page": page},
            meta={"handle_httpstatus_list": HANDLED + [400]},
        )

    def parse_rest_comments(self, response: Any, blog: _Blog, page: int) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            records = rest_json(response.body)
        except ValueError:
            # Comments closed to REST (some security plugins) while posts are open: read
            # the threads from the theme HTML of the posts that are new or changed.
            self.count(f"http/{response.status}")
            if page == 1:
                self.count("fallback/comments_html")
                for url in blog.changed:
                    yield self._post_page(url)
            return
        self.count("pages/rest_comments")
        reached_known = False
        for record in records:
            link = record.get("link")
            post_url = (
                wp_post_url(link)
                if isinstance(link, str) and link
                else blog.urls_by_id.get(int(record.get("post") or 0))
            )
            if not post_url:
                continue
            if self._topic and post_url not in blog.on_topic and self.known(post_url) is None:
                continue
            item = rest_comment(record, post_url)
            if item is None:
                continue
            if self.known(item.url) is not None:
                reached_known = True
                self.count("comments_known")
                continue
            yield self.finish(item)
        total_pages = _int_header(response, b"X-WP-TotalPages")
        if reached_known and self.settings.getbool("TANGGUH_FULL_LISTING"):
            reached_known = False  # after an incomplete run: read every page
        if records and not reached_known and (total_pages is None or page < total_pages):
            yield self._rest_comments(blog, page + 1)

    # --- RSS + HTML fallback ---------------------------------------------------------------
    def _rss(self, blog: _Blog, page: int) -> scrapy.Request:
        url = f"{blog.root}feed/" + (f"?paged={page}" if page > 1 else "")
        return scrapy.Request(
            url,
            callback=self.parse_rss,
            errback=self.rss_failed,
            cb_kwargs={"blog": blog, "page": page},
            meta={"handle_httpstatus_list": HANDLED, "blog": blog, "page": page},
        )

    def rss_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.errback(failure)
        if failure.request.meta["page"] == 1:
            yield self._listing(failure.request.meta["blog"].start_url)

    def parse_rss(self, response: Any, blog: _Blog, page: int) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            items = rss_items(response.body)
        except ValueError:
            if page == 1:
                self.count("fallback/html")
                yield self._listing(blog.start_url)
            return
        self.count("pages/rss")
        for entry in items:
            if not self.on_topic(entry.title, html_to_text(entry.html)):
                self.count("skipped/off_topic")
                continue
            known = self.known(entry.url)
            if (
                known is not None
                and entry.comment_count is not None
                and known.comment_count == entry.comment_count
            ):
                self.count("unchanged")
                continue
            yield self._post_page(entry.url, entry)
        fresh = {e.url for e in items} - blog.rss_seen
        blog.rss_seen |= fresh
        if fresh:  # a feed that ignores ?paged= repeats page 1: stop there
            yield self._rss(blog, page + 1)

    def _post_page(self, url: str, entry: RssItem | None = None) -> scrapy.Request:
        return scrapy.Request(
            url,
            headers=self.conditional_headers(url),
            callback=self.parse_post_page,
            errback=self.errback,
            cb_kwargs={"entry": entry},
            meta={"handle_httpstatus_list": HANDLED},
        )

    def parse_post_page(self, response: Any, entry: RssItem | None = None) -> Iterator[Any]:
        if response.status == 304:
            self.count("unchanged")
            return
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/post_html")
        page = WordPressPostPage.from_response(response)
        post = page.post()
        if entry is not None:
            post.published_raw = post.published_raw or entry.published
            post.author = post.author or entry.author
            post.title = post.title or entry.title
        elif not self.on_topic(post.title, post.text):
            self.count("skipped/off_topic")
            return
        self.hold(post, response)  # the post page's, not a later comment page's
        thread = _Thread(post, entry.comment_count if entry is not None else None)
        yield from self._comment_pages(thread, page)

    def _comment_pages(self, thread: _Thread, page: WordPressPostPage) -> Iterator[Any]:
        """Collect this page's comments; ask for the next comment page (``/comment-page-N/``,
        ``?cpage=N``) or emit the comments and then the post."""
        thread.add(page.comments())
        here = comment_page_number(page.url)
        thread.seen.update({here, page.comment_page()})
        if here is not None:
            thread.queue(None, page.post_url())  # the post's own URL shows another page
        for number, url in page.comment_pages().items():
            thread.queue(number, url)
        if thread.pending and len(thread.seen) <= MAX_COMMENT_PAGES:
            number, url = thread.pending.pop(0)
            thread.seen.add(number)
            yield scrapy.Request(
                url,
                callback=self.parse_comment_page,
                errback=self.comment_page_failed,
                cb_kwargs={"thread": thread},
                meta={"handle_httpstatus_list": HANDLED},
                dont_filter=True,
            )
            return
        yield from self._emit(thread)

    def parse_comment_page(self, response: Any, thread: _Thread) -> Iterator[Any]:
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            thread.complete = False
            yield from self._emit(thread)
            return
        self.count("pages/comment_page")
        yield from self._comment_pages(thread, WordPressPostPage.from_response(response))

    def comment_page_failed(self, failure: Any) -> Iterator[Any]:
        self.errback(failure)
        thread = failure.request.cb_kwargs["thread"]
        thread.complete = False
        yield from self._emit(thread)

    def _emit(self, thread: _Thread) -> Iterator[Any]:
        post = thread.post
        if not thread.complete:
            post.comment_count = None  # some comments missing: read the post again next run
        elif thread.feed_count is not None:
            post.comment_count = thread.feed_count
        else:
            post.comment_count = len(thread.comments)
        for comment in self.new_comments(thread.comments.values()):
            yield self.finish(comment)
        yield self.finish(post)

    def page(self, response: Any) -> Iterator[Any]:
        """`tangguh fetch` entry point: one post page with its comments."""
        yield from self.parse_post_page(response, None)

    def _listing(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.errback,
            meta={"handle_httpstatus_list": HANDLED},
        )

    def parse_listing(self, response: Any) -> Iterator[scrapy.Request]:
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/listing")
        page = WordPressPostPage.from_response(response)
        for url in page.post_links():
            yield self._post_page(url)
        nxt = page.next_page()
        if nxt:
            yield self._listing(nxt)


def _int_header(response: Any, name: bytes) -> int | None:
    value = response.headers.get(name)
    try:
        return int(value) if value else None
    except ValueError:
        return None
