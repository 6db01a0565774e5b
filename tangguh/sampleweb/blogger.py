"""A Blogger (blogspot) blog: routes, comment threading, and the site's ground truth.

URL shapes follow blogspot: posts ``/YYYY/MM/slug.html``, archives ``/YYYY/MM/``, labels
``/search/label/X``, the home pager ``/search?updated-max=...``, feeds under ``/feeds/``.
Comment permalinks are ``POST?showComment=<epoch ms>#c<ID>``. Blogger threads are one
level deep: a reply to a reply is shown (and fed) as a reply to the thread's first
comment, which is what the manifest records too.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, unquote

from . import blogger_feeds, blogger_html
from .blogger_settings import BloggerSettings, feed_failure, feed_off
from .body import body_text
from .manifest import ManifestRecord
from .model import Blog, Comment, Post, stable_int
from .responses import Request, Response, redirect, text
from .site import Origin, Site, SiteInfo

REMOVED = {
    "id": "Komentar ini telah dihapus oleh pengarang.",
    "en": "This comment has been removed by the author.",
}
ANONYMOUS = {"id": "Anonim", "en": "Anonymous"}
HOME_PAGE_SIZE = 5

_POST = re.compile(r"^/(\d{4})/(\d{2})/([^/]+)\.html$")
_ARCHIVE = re.compile(r"^/(\d{4})(?:/(\d{2}))?/?$")
_COMMENT_FEED = re.compile(r"^/feeds/(\d+)/comments/(default|full|summary)/?$")
_POST_ENTRY = re.compile(r"^/feeds/posts/(?:default|full|summary)/(\d+)/?$")
_COMMENT_ENTRY = re.compile(r"^/feeds/(\d+)/comments/(?:default|full)/(\d+)/?$")
_POST_FEED = re.compile(r"^/feeds/posts/(default|full|summary)(?:/-/(.+?))?/?$")


class BloggerSite(Site):
    server_header = "GSE"

    def __init__(
        self, blog: Blog, origin: Origin, seed: int = 0, settings: BloggerSettings | None = None
    ) -> None:
        super().__init__(origin)
        self.blog = blog
        self.host = blog.host
        self.name = blog.source or blog.host.split(".")[0]
        self.seed = seed
        self.settings = settings or BloggerSettings()
        self._added = 0

    @property
    def language(self) -> str:
        return self.settings.language or self.blog.language

    # -- model helpers -------------------------------------------------------------------

    def posts_desc(self) -> list[Post]:
        return sorted(self.blog.posts, key=lambda p: (p.published, p.slug), reverse=True)

    def post_path(self, post: Post) -> str:
        return f"/{post.published.year:04d}/{post.published.month:02d}/{post.slug}.html"

    def post_url(self, post: Post) -> str:
        return self.url(self.post_path(post))

    def find_post(self, path: str) -> Post | None:
        for post in self.blog.posts:
            if self.post_path(post) == path:
                return post
        return None

    def locate(self, url: str) -> Post | None:
        """The post at ``url`` (any query, fragment or ``?m=1`` variant), if on this blog."""
        rest = url.split("://", 1)[-1]
        hostport, _, path = rest.partition("/")
        if hostport.split(":")[0] != self.host:
            return None
        return self.find_post("/" + path.split("?")[0].split("#")[0])

    def locate_comment(self, post: Post, ref: str) -> Comment | None:
        """A comment of ``post`` by permalink, ``c<ID>``, native id or corpus key."""
        tail = ref.rsplit("#", 1)[-1].removeprefix("c")
        for c in post.comments:
            if tail == str(c.native_id) or ref == c.key:
                return c
        return None

    def post_by_id(self, native_id: str) -> Post | None:
        for post in self.blog.posts:
            if str(post.native_id) == native_id:
                return post
        return None

    def comment_ms(self, post: Post, comment: Comment) -> int:
        jitter = stable_int(self.seed, "ms", post.slug, comment.key, digits=4) % 1000
        return int(comment.published.timestamp()) * 1000 + jitter

    def comment_url(self, post: Post, comment: Comment) -> str:
        if self.settings.comment_permalinks == "anchor":
            return f"{self.post_url(post)}#c{comment.native_id}"
        ms = self.comment_ms(post, comment)
        return f"{self.post_url(post)}?showComment={ms}#c{comment.native_id}"

    def thread_root(self, post: Post, comment: Comment) -> Comment | None:
        """The top-level comment this one hangs under, or None for a top-level comment."""
        if comment.reply_to is None:
            return None
        seen = {comment.key}
        current = post.comment(comment.reply_to)
        while current.reply_to is not None and current.reply_to not in seen:
            seen.add(current.key)
            current = post.comment(current.reply_to)
        return current

    def comments_asc(self, post: Post) -> list[Comment]:
        return sorted(post.comments, key=lambda c: (c.published, c.native_id))

    def threads(self, post: Post) -> list[tuple[Comment, list[Comment]]]:
        ordered = self.comments_asc(post)
        tops = [c for c in ordered if c.reply_to is None]
        replies: dict[str, list[Comment]] = {c.key: [] for c in tops}
        for c in ordered:
            root = self.thread_root(post, c)
            if root is not None:
                replies[root.key].append(c)
        return [(top, replies[top.key]) for top in tops]

    def author_name(self, comment: Comment) -> str:
        return comment.author or self.settings.anonymous_label or ANONYMOUS[self.language]

    def comment_text(self, comment: Comment) -> str:
        return REMOVED[self.language] if comment.deleted else comment.text

    def profile_url(self, name: str) -> str:
        return (
            f"https://www.blogger.com/profile/{stable_int(self.seed, 'profile', name, digits=20)}"
        )

    def post_last_modified(self, post: Post) -> datetime:
        return max([post.updated, *(c.published for c in post.comments)])

    def last_modified(self) -> datetime:
        return max(self.post_last_modified(p) for p in self.blog.posts)

    def labels(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for post in self.blog.posts:
            for label in post.labels:
                counts[label] = counts.get(label, 0) + 1
        return dict(sorted(counts.items()))

    def label_url(self, label: str) -> str:
        return self.url("/search/label/" + quote(label))

    # -- mutation ------------------------------------------------------------------------

    def add_comment(
        self,
        post: Post,
        *,
        author: str | None,
        text: str,
        published: datetime,
        reply_to: Comment | None,
    ) -> Comment:
        with self.lock:
            self._added += 1
            comment = Comment(
                key=f"added-{self._added}",
                author=author,
                published=published,
                text=text,
                reply_to=reply_to.key if reply_to else None,
                native_id=stable_int(self.seed, "added", self.host, self._added),
            )
            post.comments.append(comment)
            return comment

    # -- routes --------------------------------------------------------------------------

    def robots_txt(self) -> str:
        return (
            "User-agent: Mediapartners-Google\nDisallow: \n\n"
            "User-agent: *\nCrawl-delay: 0\nDisallow: /search\nAllow: /\n\n"
            f"Sitemap: {self.url('/sitemap.xml')}\n"
        )

    def handle(self, request: Request) -> Response:
        path = request.path
        if path in ("/", "/index.html"):
            return blogger_html.listing_page(self, self.posts_desc(), kind="home", request=request)
        if m := _POST.match(path):
            post = self.find_post(path)
            if post is None:
                return self.not_found_page()
            return blogger_html.post_response(self, post, request)
        if m := _ARCHIVE.match(path):
            year, month = int(m.group(1)), m.group(2)
            posts = [
                p
                for p in self.posts_desc()
                if p.published.year == year and (month is None or p.published.month == int(month))
            ]
            if not posts:
                return self.not_found_page()
            return blogger_html.listing_page(self, posts, kind="archive", request=request)
        if path.startswith("/search/label/"):
            label = unquote(path.removeprefix("/search/label/"))
            posts = [p for p in self.posts_desc() if label in p.labels]
            if not posts:
                return self.not_found_page()
            older = self.older_than(request, posts)
            if isinstance(older, Response):
                return older
            return blogger_html.listing_page(self, older, kind="label", request=request)
        if path == "/search":
            return self.search(request)
        if path == "/atom.xml" or path.startswith("/feeds/"):
            return self.feed(request)
        if path.startswith("/p/") and path.endswith(".html"):
            return blogger_html.static_page(self, path)
        if path == "/sitemap.xml" and self.settings.sitemap:
            return blogger_feeds.sitemap(self)
        return self.not_found_page()

    def feed(self, request: Request) -> Response:
        """Feed routes, as far as the blog's settings let them answer."""
        path = request.path
        comments = path != "/atom.xml" and not path.startswith("/feeds/posts/")
        if (off := feed_off(self, comments=comments)) is not None:
            return off
        if path == "/feeds/posts/default/":
            return redirect(self.url("/feeds/posts/default"))
        if path == "/atom.xml":
            return blogger_feeds.posts_feed(self, request, mode="default", label=None)
        if m := _POST_FEED.match(path):
            if (broken := feed_failure(self, request, comments=False)) is not None:
                return broken
            label = unquote(m.group(2)) if m.group(2) else None
            return blogger_feeds.posts_feed(self, request, mode=m.group(1), label=label)
        if path.rstrip("/") == "/feeds/comments/default":
            return blogger_feeds.comments_feed(self, request, None)
        if m := _POST_ENTRY.match(path):
            post = self.post_by_id(m.group(1))
            if post is None:
                return text("Blog post not found", "text/html; charset=UTF-8", status=404)
            return blogger_feeds.post_entry(self, request, post)
        if m := _COMMENT_ENTRY.match(path):
            post = self.post_by_id(m.group(1))
            found = self.locate_comment(post, m.group(2)) if post else None
            if post is None or found is None:
                return text("Comment not found", "text/html; charset=UTF-8", status=404)
            return blogger_feeds.comment_entry(self, request, post, found)
        if m := _COMMENT_FEED.match(path):
            post = self.post_by_id(m.group(1))
            if post is None:
                return text("Blog post not found", "text/html; charset=UTF-8", status=404)
            if (broken := feed_failure(self, request, comments=True)) is not None:
                return broken
            return blogger_feeds.comments_feed(self, request, post)
        return self.not_found_page()

    def search(self, request: Request) -> Response:
        posts = self.posts_desc()
        if (q := request.arg("q")) is not None:
            words = q.lower().split()
            posts = [
                p
                for p in posts
                if all(w in (p.title + " " + " ".join(p.paragraphs)).lower() for w in words)
            ]
        older = self.older_than(request, posts)
        if isinstance(older, Response):
            return older
        return blogger_html.listing_page(self, older, kind="search", request=request)

    def older_than(self, request: Request, posts: list[Post]) -> list[Post] | Response:
        """The pager's ``updated-max`` window (posts strictly older than the cut-off)."""
        before = request.arg("updated-max")
        if before is None:
            return posts
        try:
            limit = datetime.fromisoformat(before.replace(" ", "+"))
        except ValueError:
            return text("Invalid updated-max", "text/plain; charset=UTF-8", status=400)
        if limit.tzinfo is None:
            return text("updated-max needs an offset", "text/plain; charset=UTF-8", status=400)
        return [p for p in posts if p.published < limit]

    def not_found_page(self) -> Response:
        return blogger_html.error_page(self)

    # -- ground truth --------------------------------------------------------------------

    def info(self) -> SiteInfo:
        return SiteInfo(
            host=self.host,
            name=self.name,
            kind="blogger",
            template=self.blog.template,
            title=self.blog.title,
            start_urls=[self.url("/")],
            feed_urls=[
                self.url("/feeds/posts/default?alt=json"),
                self.url("/feeds/posts/default"),
            ]
            if self.settings.post_feed_on
            else [],
            rest_enabled=False,
        )

    def manifest_records(self) -> list[ManifestRecord]:
        out: list[ManifestRecord] = []
        for post in self.posts_desc():
            purl = self.post_url(post)
            out.append(
                ManifestRecord(
                    url=purl,
                    kind="post",
                    platform="blogger",
                    site=self.host,
                    title=post.title,
                    author=post.author or self.blog.owner,
                    published=post.published.isoformat(),
                    updated=post.updated.isoformat(),
                    text=body_text(post, language=self.language),
                    syndicated_group=post.syndicated_group,
                    contest_entry=post.contest_entry,
                    topic=post.topic,
                    native_id=str(post.native_id),
                    labels=tuple(post.labels),
                )
            )
            for c in self.comments_asc(post):
                root = self.thread_root(post, c)
                out.append(
                    ManifestRecord(
                        url=self.comment_url(post, c),
                        kind="comment",
                        platform="blogger",
                        site=self.host,
                        title="",
                        author=c.author,
                        published=c.published.isoformat(),
                        text=self.comment_text(c),
                        parent_url=purl,
                        reply_to=self.comment_url(post, root) if root else None,
                        deleted=c.deleted,
                        native_id=str(c.native_id),
                    )
                )
        return out
