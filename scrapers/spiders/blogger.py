"""Blogger: post feed first, comment feeds per post, HTML (both templates) as fallback.

The JSON post feed is paged by ``start-index`` until ``openSearch:totalResults``. A post's
comment feed is fetched only when its ``thr:total`` differs from the stored count, and the
post itself is re-yielded only when its ``updated`` time or count changed. The post item
goes out after its comments, so a stored count always means its comments were handed over.

When the post feed is missing (404, an HTML notice, an empty feed) or cut (it stops before
``totalResults``), the blog's pages are walked: home, archive pages, the "Posting Lama"
pager (blogspot's robots.txt disallows ``/search``, so usually refused), each post page's
older/newer links, and at the end ``/sitemap.xml``. Posts the feed already gave are not
fetched again. A stored post is fetched again (conditionally) only when a listing shows a
comment count other than the stored one, or when no listing shows its count at all (or
with ``TANGGUH_REVALIDATE_KNOWN``). A comment feed that fails or comes up short is
completed from the post page, all of its ``?commentPage=N`` pages included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from w3lib.url import add_or_replace_parameter, add_or_replace_parameters

from scrapers.items import DocumentItem
from scrapers.pages.blogger_feed import (
    FeedComment,
    FeedPost,
    feed_comments,
    feed_posts,
    parse_feed,
)
from scrapers.pages.blogger_html import (
    BloggerListingPage,
    BloggerPostPage,
    blogger_post_url,
    is_post_url,
)
from scrapers.pages.commenters import set_author
from scrapers.provenance import mark
from scrapers.spiders.base import HANDLED, TangguhSpider, root_of

_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


class BloggerSpider(TangguhSpider):
    name = "blogger"
    platform = "blogger"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._feed_posts: set[str] = set()  # posts the feed handed over this run
        self._decided: set[str] = set()  # posts fetched or skipped through the pages
        self._undecided: set[str] = set()  # stored posts linked without a count
        self._sitemaps: list[str] = []  # see _sitemap_roots (used without a job directory)
        self._html_roots: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BloggerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

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
        yield from self._walk_pages(failure.request.meta["start_url"])

    def parse_post_feed(self, response: Any, root: str, start_url: str) -> Iterator[Any]:
        try:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            page = parse_feed(response.body)
        except ValueError:
            self.count("fallback/html")
            yield from self._walk_pages(start_url)
            return
        self.count("pages/post_feed")
        for post in feed_posts(page):
            self._feed_posts.add(blogger_post_url(post.url))
            yield from self._feed_post(post, page.blog_id)
        nxt = page.next_start_index(len(page.entries))
        if nxt is not None:
            yield self._post_feed(root, nxt, start_url)
            return
        shown = page.start_index - 1 + len(page.entries)
        if (page.total is not None and shown < page.total) or (
            page.start_index == 1 and not page.entries
        ):
            # Cut before totalResults, or empty (a switched-off feed may answer so):
            # the pages have the posts the feed left out.
            self.count("fallback/post_feed_short")
            yield from self._walk_pages(start_url)

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
            meta={"handle_httpstatus_list": HANDLED, "item": item, "collected": collected},
        )

    def comment_feed_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        self.errback(failure)
        self.count("fallback/comments_html")
        meta = failure.request.meta
        yield self._post_page(
            meta["item"].url, feed_item=meta["item"], feed_comments=meta.get("collected")
        )

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

    # --- post pages ----------------------------------------------------------------------
    def _post_page(
        self,
        url: str,
        feed_item: DocumentItem | None = None,
        feed_comments: list[FeedComment] | None = None,
        walk: bool = False,
    ) -> scrapy.Request:
        headers = {} if feed_item is not None else self.conditional_headers(url)
        return scrapy.Request(
            url,
            headers=headers,
            callback=self.parse_post_page,
            errback=self.post_page_failed,
            cb_kwargs={"feed_item": feed_item, "feed_comments": feed_comments, "walk": walk},
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
        feed_item: DocumentItem | None = None,
        feed_comments: list[FeedComment] | None = None,
        walk: bool = False,
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
        if walk:  # "Posting Lama" / "Posting Lebih Baru": posts no listing may show
            for url in page.neighbour_links():
                if (request := self._discovered(url, None)) is not None:
                    yield request
        html_post = page.post()
        if feed_item is None:
            if not self.on_topic(html_post.title, html_post.text):
                self.count("skipped/off_topic")
                return
            item, primary = html_post, []
        else:
            item = merge_post(feed_item, html_post)
            primary = comments_from_feed(item.url, feed_comments or [])
        yield from self._comment_pages(item, primary, page.comments(), page, response)

    def _comment_pages(
        self,
        item: DocumentItem,
        primary: list[DocumentItem],
        comments: list[DocumentItem],
        page: BloggerPostPage,
        response: Any,
    ) -> Iterator[Any]:
        """Ask for the next ``?commentPage=N`` page, or emit the post with every comment."""
        later = [n for n in page.comment_pages() if n > page.comment_page()]
        if later:
            if response is not None:  # the first page's validators, for the next run
                self.hold(item, response)
            yield scrapy.Request(
                add_or_replace_parameter(item.url, "commentPage", str(later[0])),
                callback=self.parse_comment_page,
                errback=self.comment_page_failed,
                cb_kwargs={"item": item, "primary": primary, "comments": comments},
                meta={"handle_httpstatus_list": HANDLED, "item": item},
                dont_filter=True,
            )
            return
        merged = merge_comments(primary, comments) if primary else comments
        yield from self._emit(item, merged, response)

    def parse_comment_page(
        self,
        response: Any,
        item: DocumentItem,
        primary: list[DocumentItem],
        comments: list[DocumentItem],
    ) -> Iterator[Any]:
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            item.comment_count = None  # incomplete: fetched again next run
            yield from self._emit(item, merge_comments(primary, comments), None)
            return
        self.count("pages/comment_page")
        page = BloggerPostPage.from_response(response)
        more = merge_comments(comments, page.comments())
        yield from self._comment_pages(item, primary, more, page, None)

    def comment_page_failed(self, failure: Any) -> Iterator[DocumentItem]:
        self.errback(failure)
        kwargs = failure.request.cb_kwargs
        item = kwargs["item"]
        item.comment_count = None
        yield from self._emit(item, merge_comments(kwargs["primary"], kwargs["comments"]), None)

    def page(self, response: Any) -> Iterator[Any]:
        """`tangguh fetch` entry point: a single post page with its comments."""
        yield from self.parse_post_page(response, None, None)

    # --- walking the pages (no usable feed) ----------------------------------------------
    def _walk_pages(self, start_url: str) -> Iterator[scrapy.Request]:
        root = root_of(start_url)
        if root not in self._html_roots:
            self._html_roots.add(root)
            self._sitemap_roots().append(root)
        yield self._listing(start_url)
        if blogger_post_url(root) != blogger_post_url(start_url):
            yield self._listing(root)

    def _listing(self, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            meta={"handle_httpstatus_list": HANDLED},
        )

    def listing_failed(self, failure: Any) -> None:
        if failure.check(IgnoreRequest):  # blogspot's robots.txt disallows /search
            self.count("skipped/robots")
            return
        self.errback(failure)

    def parse_listing(self, response: Any) -> Iterator[scrapy.Request]:
        """Home, archive and pager pages: posts (with their counts) and further pages."""
        if response.status != 200 or not self.usable_html(response):
            self.count(f"http/{response.status}")
            return
        self.count("pages/listing")
        page = BloggerListingPage.from_response(response)
        for url, count in page.posts().items():
            if (request := self._discovered(url, count)) is not None:
                yield request
        for url in page.archive_links() + page.older_links():
            yield self._listing(url)

    def _discovered(self, url: str, count: int | None, *, last: bool = False) -> Any:
        """The request for a post found on the pages, or None when it is not needed."""
        if url in self._feed_posts or url in self._decided or not is_post_url(url):
            return None
        known = self.known(url)
        if known is not None and not self.settings.getbool("TANGGUH_REVALIDATE_KNOWN"):
            if count is None and not last:
                self._undecided.add(url)  # a listing may still show its count
                return None
            if count is not None and known.comment_count == count:
                self._decided.add(url)
                self.count("unchanged")
                return None
        self._decided.add(url)
        return self._post_page(url, walk=True)

    def _sitemap_roots(self) -> list[str]:
        """Blog roots whose sitemap is still to be read. With a job directory they live in
        Scrapy's spider state: a run stopped by --max-runtime resumes its queue from there,
        but not the feed check that decided to walk the pages, so the roots must outlive
        the process."""
        state = getattr(self, "state", None)  # set by Scrapy's SpiderState with a JOBDIR
        if isinstance(state, dict):
            return state.setdefault("tangguh_sitemaps", [])
        return self._sitemaps

    def on_idle(self) -> None:
        """After the listings: the sitemap, then stored posts no listing gave a count."""
        requests: list[scrapy.Request] = []
        pending = self._sitemap_roots()
        if pending:
            roots = list(pending)
            pending.clear()  # asked for now: from here on the request is in the queue
            requests = [
                scrapy.Request(
                    f"{root}sitemap.xml",
                    callback=self.parse_sitemap,
                    errback=self.listing_failed,
                    meta={"handle_httpstatus_list": HANDLED},
                )
                for root in roots
            ]
        elif self._undecided:
            urls, self._undecided = sorted(self._undecided), set()
            requests = [r for u in urls if (r := self._discovered(u, None, last=True))]
        if requests:
            for request in requests:
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    def parse_sitemap(self, response: Any) -> Iterator[scrapy.Request]:
        if response.status != 200:
            self.count(f"http/{response.status}")
            return
        self.count("pages/sitemap")
        host = urlsplit(response.url).hostname
        for loc in _SITEMAP_LOC.findall(response.text):
            url = blogger_post_url(loc.replace("&amp;", "&"))
            if urlsplit(url).hostname == host and (r := self._discovered(url, None, last=True)):
                yield r

    # --- output --------------------------------------------------------------------------
    def _emit(
        self, post: DocumentItem, comments: list[DocumentItem], response: Any
    ) -> Iterator[DocumentItem]:
        for comment in comments:
            comment.extra.pop("parent_id", None)  # a parent no page could show
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
        item = DocumentItem(
            url=url,
            kind="comment",
            platform="blogger",
            site=urlsplit(post_url).hostname,
            published_raw=c.display_time or c.published,
            text="" if deleted else c.text,
            parent_url=post_url,
            deleted=deleted,
            extra=extra,
        )
        set_author(item, c.author, "feed", 1.0)
        for name in ("published_raw", "text"):
            if getattr(item, name):
                mark(item, name, "feed", 1.0)
        items.append((c, item))
    for c, item in items:
        if c.parent_id:
            item.reply_to = urls.get(c.parent_id)
            if item.reply_to:
                mark(item, "reply_to", "feed", 1.0)
            if item.reply_to is None:  # its parent is past a cut: merge_comments finds it
                item.extra["parent_id"] = c.parent_id
    return [item for _, item in items]


def merge_comments(
    primary: list[DocumentItem], secondary: list[DocumentItem]
) -> list[DocumentItem]:
    """Feed comments first, plus page comments the feed left out (same ``#cID``).

    A feed reply whose parent the feed left out gets the parent's permalink from the
    page; the page's threading fills in what the feed's ``related`` link could not.
    """

    def cid(item: DocumentItem) -> str:
        return item.url.rsplit("#c", 1)[-1]

    seen = {cid(c) for c in primary}
    merged = primary + [c for c in secondary if cid(c) not in seen]
    urls = {cid(c): c.url for c in merged}
    on_page = {cid(c): c for c in secondary}
    for c in primary:
        parent = c.extra.pop("parent_id", None)
        if c.reply_to is None and parent is not None:
            c.reply_to = urls.get(parent)
        if c.reply_to is None and (shown := on_page.get(cid(c))) is not None:
            c.reply_to = shown.reply_to
    return merged


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
