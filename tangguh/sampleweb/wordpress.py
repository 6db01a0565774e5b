"""A self-hosted WordPress blog: routes, comment threading, and the site's ground truth.

Permalinks are ``/YYYY/MM/DD/slug/``, comment permalinks ``POST#comment-ID``. Comments
nest to any depth (``ol.children``). A deleted (trashed) comment is not shown anywhere;
its replies keep their ``parent`` in the REST API and are shown at top level in HTML.
The ``wp-rest-off`` template answers 404 on ``/wp-json/`` (a security plugin), so that
blog must be crawled from RSS and HTML.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote

from . import wordpress_api, wordpress_html, wordpress_themes
from .body import body_text
from .manifest import ManifestRecord
from .model import Blog, Comment, Post
from .responses import Request, Response, html, json_response, redirect, text
from .site import Origin, Site, SiteInfo
from .slugs import slugify
from .wordpress_settings import WordPressSettings

_POST = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)/(feed/|comment-page-(\d+)/)?$")
_PAGE = re.compile(r"^/page/(\d+)/?$")
_MONTH = re.compile(r"^/(\d{4})/(\d{2})/(?:page/(\d+)/)?$")
_CATEGORY = re.compile(r"^/category/([^/]+)/(?:page/(\d+)/)?$")
_AUTHOR = re.compile(r"^/author/([^/]+)/(?:page/(\d+)/)?$")
PAGE_SIZE = 10


class WordPressSite(Site):
    server_header = "nginx"

    def __init__(
        self,
        blog: Blog,
        origin: Origin,
        seed: int = 0,
        settings: WordPressSettings | None = None,
    ) -> None:
        super().__init__(origin)
        self.blog = blog
        self.host = blog.host
        self.name = blog.source or blog.host.split(".")[0]
        self.seed = seed
        self.settings = settings or WordPressSettings()
        self._next_comment_id = 1 + max(
            (c.native_id for p in blog.posts for c in p.comments), default=100
        )

    @property
    def rest_enabled(self) -> bool:
        if self.settings.rest is not None:
            return self.settings.rest
        return self.blog.template != "wp-rest-off"

    # -- model helpers -------------------------------------------------------------------

    def posts_desc(self) -> list[Post]:
        return sorted(self.blog.posts, key=lambda p: (p.published, p.slug), reverse=True)

    def post_path(self, post: Post) -> str:
        d = post.published
        return f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{post.slug}/"

    def post_url(self, post: Post) -> str:
        return self.url(self.post_path(post))

    def comment_url(self, post: Post, comment: Comment) -> str:
        return f"{self.post_url(post)}#comment-{comment.native_id}"

    def find_post(self, path: str) -> Post | None:
        for post in self.blog.posts:
            if self.post_path(post) == path:
                return post
        return None

    def post_by_id(self, native_id: int) -> Post | None:
        for post in self.blog.posts:
            if post.native_id == native_id:
                return post
        return None

    def locate(self, url: str) -> Post | None:
        rest = url.split("://", 1)[-1]
        hostport, _, path = rest.partition("/")
        if hostport.split(":")[0] != self.host:
            return None
        path = "/" + path.split("?")[0].split("#")[0]
        return self.find_post(path if path.endswith("/") else path + "/")

    def locate_comment(self, post: Post, ref: str) -> Comment | None:
        tail = ref.rsplit("#", 1)[-1].removeprefix("comment-")
        for c in post.comments:
            if tail == str(c.native_id) or ref == c.key:
                return c
        return None

    def visible_comments(self, post: Post) -> list[Comment]:
        return sorted(
            (c for c in post.comments if not c.deleted), key=lambda c: (c.published, c.native_id)
        )

    def parent_of(self, post: Post, comment: Comment) -> Comment | None:
        return post.comment(comment.reply_to) if comment.reply_to else None

    def tree(self, post: Post) -> list[tuple[Comment, list]]:
        """Visible comments as nested (comment, children) pairs; orphans at top level."""
        visible = self.visible_comments(post)
        keys = {c.key for c in visible}
        children: dict[str | None, list[Comment]] = {}
        for c in visible:
            parent = c.reply_to if c.reply_to in keys else None
            children.setdefault(parent, []).append(c)

        def build(key: str | None) -> list[tuple[Comment, list]]:
            return [(c, build(c.key)) for c in children.get(key, [])]

        return build(None)

    def comment_page_count(self, post: Post) -> int:
        per_page = self.settings.comments_per_page
        if per_page is None:
            return 1
        return max(1, -(-len(self.tree(post)) // per_page))

    def default_comment_page(self, post: Post) -> int:
        """The comment page the post's own URL shows."""
        newest = self.settings.default_comments_page == "newest"
        return self.comment_page_count(post) if newest else 1

    def comment_page_url(self, post: Post, page: int) -> str:
        if page == self.default_comment_page(post):
            return self.post_url(post)
        return f"{self.post_url(post)}comment-page-{page}/"

    def thread_page(self, post: Post, page: int) -> list[tuple[Comment, list]]:
        """The threads (top-level comments with their replies) on comment page ``page``,
        oldest page first, as WordPress pages them."""
        threads = self.tree(post)
        per_page = self.settings.comments_per_page
        if per_page is None:
            return threads
        return threads[(page - 1) * per_page : page * per_page]

    def post_last_modified(self, post: Post) -> datetime:
        return max([post.updated, *(c.published for c in post.comments)])

    def last_modified(self) -> datetime:
        return max(self.post_last_modified(p) for p in self.blog.posts)

    def categories(self) -> dict[str, str]:
        """slug -> name of every label used, sorted by name."""
        names = sorted({label for p in self.blog.posts for label in p.labels})
        return {slugify(n): n for n in names}

    def category_url(self, name: str) -> str:
        return self.url(f"/category/{quote(slugify(name))}/")

    def author_slug(self, name: str) -> str:
        return slugify(name)

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
            comment = Comment(
                key=f"added-{self._next_comment_id}",
                author=author,
                published=published,
                text=text,
                reply_to=reply_to.key if reply_to else None,
                native_id=self._next_comment_id,
            )
            self._next_comment_id += 1
            post.comments.append(comment)
            return comment

    # -- routes --------------------------------------------------------------------------

    def robots_txt(self) -> str:
        return (
            "User-agent: *\nCrawl-delay: 0\nDisallow: /wp-admin/\n"
            "Allow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {self.url('/wp-sitemap.xml')}\n"
        )

    def handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/wp-json") or request.arg("rest_route") is not None:
            if not self.rest_enabled:
                return json_response(
                    {
                        "code": "rest_disabled",
                        "message": "REST API dinonaktifkan oleh administrator situs.",
                        "data": {"status": 404},
                    },
                    status=404,
                )
            return wordpress_api.route(self, request)
        if path == "/" and (p := request.arg("p")):
            post = self.post_by_id(int(p)) if p.isdigit() else None
            return redirect(self.post_url(post)) if post else self.not_found_page()
        if path in ("/feed/", "/feed") and not self.settings.rss:
            return self.not_found_page()
        if path in ("/feed/", "/feed"):
            return wordpress_api.posts_rss(self, request)
        if path in ("/comments/feed/", "/comments/feed"):
            return wordpress_api.comments_rss(self, None)
        if path == "/wp-sitemap.xml":
            return wordpress_api.sitemap_index(self)
        if path == "/wp-sitemap-posts-post-1.xml":
            return wordpress_api.sitemap_posts(self)
        if path == "/":
            return self.listing(self.posts_desc(), 1, "/", request)
        if m := _PAGE.match(path):
            return self.listing(self.posts_desc(), int(m.group(1)), "/", request)
        if m := _POST.match(path):
            post = self.find_post(self.post_path_of(m))
            if post is None:
                return self.not_found_page()
            if m.group(5) == "feed/":
                return (
                    wordpress_api.comments_rss(self, post)
                    if self.settings.rss
                    else self.not_found_page()
                )
            page = int(m.group(6) or request.arg("cpage") or self.default_comment_page(post))
            if not 1 <= page <= self.comment_page_count(post):
                return self.not_found_page()
            return html(self.render_post(post, page), last_modified=self.post_last_modified(post))
        if not path.endswith("/") and _POST.match(path + "/"):
            return redirect(self.url(path + "/"))
        if m := _MONTH.match(path):
            year, month = int(m.group(1)), int(m.group(2))
            posts = [
                p
                for p in self.posts_desc()
                if (p.published.year, p.published.month) == (year, month)
            ]
            return self.listing(posts, int(m.group(3) or 1), f"/{year}/{month:02d}/", request)
        if path == "/xmlrpc.php":
            return text(
                "XML-RPC server accepts POST requests only.",
                "text/plain; charset=UTF-8",
                status=405,
            )
        if m := _AUTHOR.match(path):
            posts = [
                p
                for p in self.posts_desc()
                if self.author_slug(p.author or self.blog.owner) == m.group(1)
            ]
            return self.listing(posts, int(m.group(2) or 1), f"/author/{m.group(1)}/", request)
        if m := _CATEGORY.match(path):
            name = self.categories().get(m.group(1))
            posts = [p for p in self.posts_desc() if name in p.labels] if name else []
            return self.listing(posts, int(m.group(2) or 1), f"/category/{m.group(1)}/", request)
        return self.not_found_page()

    def post_path_of(self, m: re.Match[str]) -> str:
        return f"/{m.group(1)}/{m.group(2)}/{m.group(3)}/{m.group(4)}/"

    def render_post(self, post: Post, page: int) -> str:
        """Comment page ``page`` of a post, in the blog's theme."""
        theme = self.settings.theme
        if theme == "block":
            return wordpress_themes.block_post_page(self, post, page)
        comments = wordpress_themes.div_comments(self, post, page) if theme == "divs" else None
        return wordpress_html.post_page(self, post, page, comments)

    def listing(self, posts: list[Post], page: int, base: str, request: Request) -> Response:
        pages = max(1, -(-len(posts) // PAGE_SIZE))
        if not posts or page < 1 or page > pages:
            return self.not_found_page()
        window = posts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        render = (
            wordpress_themes.block_listing_page
            if self.settings.theme == "block"
            else wordpress_html.listing_page
        )
        body = render(self, window, page=page, pages=pages, base=base)
        return html(body, last_modified=max(self.post_last_modified(p) for p in window))

    def not_found_page(self) -> Response:
        return html(wordpress_html.not_found_page(self), status=404)

    # -- ground truth --------------------------------------------------------------------

    def info(self) -> SiteInfo:
        feeds = [self.url("/feed/")] if self.settings.rss else []
        if self.rest_enabled:
            feeds.insert(0, self.url("/wp-json/wp/v2/posts"))
        return SiteInfo(
            host=self.host,
            name=self.name,
            kind="wordpress",
            template=self.blog.template,
            title=self.blog.title,
            start_urls=[self.url("/")],
            feed_urls=feeds,
            rest_enabled=self.rest_enabled,
        )

    def manifest_records(self) -> list[ManifestRecord]:
        out: list[ManifestRecord] = []
        for post in self.posts_desc():
            purl = self.post_url(post)
            out.append(
                ManifestRecord(
                    url=purl,
                    kind="post",
                    platform="wordpress",
                    site=self.host,
                    title=post.title,
                    author=post.author or self.blog.owner,
                    published=post.published.isoformat(),
                    updated=post.updated.isoformat(),
                    text=body_text(post),
                    syndicated_group=post.syndicated_group,
                    contest_entry=post.contest_entry,
                    topic=post.topic,
                    native_id=str(post.native_id),
                    labels=tuple(post.labels),
                )
            )
            for c in sorted(post.comments, key=lambda c: (c.published, c.native_id)):
                parent = self.parent_of(post, c)
                out.append(
                    ManifestRecord(
                        url=self.comment_url(post, c),
                        kind="comment",
                        platform="wordpress",
                        site=self.host,
                        title="",
                        author=c.author,
                        published=c.published.isoformat(),
                        text=c.text,
                        parent_url=purl,
                        reply_to=self.comment_url(post, parent) if parent else None,
                        deleted=c.deleted,
                        native_id=str(c.native_id),
                        visible=not c.deleted,
                    )
                )
        return out
