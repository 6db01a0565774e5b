"""Blogger's GData feeds: posts and comments, Atom or ``alt=json``, paged like the service.

Paging follows the service: ``start-index`` is 1-based, ``max-results`` defaults to 25
and is capped at 150, ``openSearch:totalResults`` gives the total; ``published-min/max``
filter always, ``updated-min/max`` only with ``orderby=updated`` (as documented). Post
entries carry ``thr:total`` and ``rel=replies`` links; comment entries carry
``thr:in-reply-to`` and, for replies, a ``rel=related`` link to the parent comment.
Removed comments stay in the feed with the removal notice and
``blogger.contentRemoved``. The blog's ``BloggerSettings`` may serve summaries, leave a
switched-off feed empty, or cut a feed short while its totals still count everything.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from .body import body_html, excerpt
from .feedtree import El, to_blogger_json, to_xml
from .localefmt import blogger_comment_time, comments_label
from .model import Comment, Post
from .responses import Request, Response, text

if TYPE_CHECKING:
    from .blogger import BloggerSite

NS = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns:openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns:blogger": "http://schemas.google.com/blogger/2008",
    "xmlns:georss": "http://www.georss.org/georss",
    "xmlns:gd": "http://schemas.google.com/g/2005",
    "xmlns:thr": "http://purl.org/syndication/thread/1.0",
}
DEFAULT_PAGE = 25
MAX_PAGE = 150


def _stamp(moment: datetime) -> str:
    """Blogger's timestamp: milliseconds and the blog's offset."""
    return moment.isoformat(timespec="milliseconds")


def _tag(site: BloggerSite, suffix: str = "") -> str:
    return f"tag:blogger.com,1999:blog-{site.blog.native_id}{suffix}"


def _author(parent: El, site: BloggerSite, name: str | None) -> None:
    author = parent.add("author")
    author.add("name", name or site.settings.anonymous_label or "Anonymous")
    if name:
        author.add("uri", site.profile_url(name))
    author.add("email", "noreply@blogger.com")
    author.add(
        "gd:image",
        rel="http://schemas.google.com/g/2005#thumbnail",
        width="16",
        height="16",
        src="https://img1.blogblog.com/img/b16-rounded.gif",
    )


def _page(request: Request, total: int) -> tuple[int, int] | Response:
    try:
        start = int(request.arg("start-index") or 1)
        size = int(request.arg("max-results") or DEFAULT_PAGE)
    except ValueError:
        return text("Invalid paging parameter", "text/plain; charset=UTF-8", status=400)
    if start < 1 or size < 0:
        return text("start-index must be >= 1", "text/plain; charset=UTF-8", status=400)
    return start, min(size, MAX_PAGE)


def _time_filter(request: Request, items: list, published, updated) -> list | Response:
    try:
        for key, getter, ok in (
            ("published-min", published, lambda v, b: v >= b),
            ("published-max", published, lambda v, b: v < b),
        ):
            if (raw := request.arg(key)) is not None:
                bound = datetime.fromisoformat(raw.replace(" ", "+"))
                items = [i for i in items if ok(getter(i), bound)]
        if request.arg("orderby") == "updated":
            items = sorted(items, key=updated, reverse=True)
            for key, ok in (
                ("updated-min", lambda v, b: v >= b),
                ("updated-max", lambda v, b: v < b),
            ):
                if (raw := request.arg(key)) is not None:
                    bound = datetime.fromisoformat(raw.replace(" ", "+"))
                    items = [i for i in items if ok(updated(i), bound)]
    except (ValueError, TypeError):
        return text("Invalid date parameter", "text/plain; charset=UTF-8", status=400)
    return items


def _feed_links(
    feed: El, site: BloggerSite, base: str, request: Request, start: int, size: int, total: int
) -> None:
    params = {k: v[0] for k, v in request.query.items() if k not in ("start-index", "max-results")}

    def with_page(s: int) -> str:
        query = urlencode({**params, "start-index": s, "max-results": size})
        return f"{base}?{query}"

    feed.add(
        "link", rel="http://schemas.google.com/g/2005#feed", type="application/atom+xml", href=base
    )
    feed.add("link", rel="self", type="application/atom+xml", href=with_page(start))
    feed.add("link", rel="alternate", type="text/html", href=site.url("/"))
    feed.add("link", rel="hub", href="http://pubsubhubbub.appspot.com/")
    if start > 1 and size:
        feed.add(
            "link",
            rel="previous",
            type="application/atom+xml",
            href=with_page(max(1, start - size)),
        )
    if size and start - 1 + size < total:
        feed.add("link", rel="next", type="application/atom+xml", href=with_page(start + size))


def _serve(site: BloggerSite, request: Request, feed: El, last_modified: datetime) -> Response:
    alt = request.arg("alt") or "atom"
    if alt == "json":
        body = json.dumps(to_blogger_json(feed), ensure_ascii=False, separators=(",", ":"))
        return text(body, "application/json; charset=UTF-8", last_modified=last_modified)
    if alt == "json-in-script":
        callback = request.arg("callback") or "gdata.io.handleScriptLoaded"
        if not callback.replace(".", "").replace("_", "").isalnum():
            return text("Invalid callback", "text/plain; charset=UTF-8", status=400)
        body = json.dumps(to_blogger_json(feed), ensure_ascii=False, separators=(",", ":"))
        return text(
            f"// API callback\n{callback}({body});",
            "text/javascript; charset=UTF-8",
            last_modified=last_modified,
        )
    if alt == "rss":
        return text(
            _as_rss(site, feed), "application/rss+xml; charset=UTF-8", last_modified=last_modified
        )
    if alt in ("atom", ""):
        return text(
            to_xml(feed), "application/atom+xml; charset=UTF-8", last_modified=last_modified
        )
    return text(f"Invalid alt parameter: {alt}", "text/plain; charset=UTF-8", status=400)


def _new_feed(feed_id: str, updated: datetime) -> El:
    feed = El("feed", dict(NS))
    feed.add("id", feed_id)
    feed.add("updated", _stamp(updated))
    return feed


def posts_feed(site: BloggerSite, request: Request, *, mode: str, label: str | None) -> Response:
    # a feed switched off with feeds_off_answer="empty" still answers, without entries
    posts = site.posts_desc() if site.settings.post_feed_on else []
    if label is not None:
        posts = [p for p in posts if label in p.labels]
    filtered = _time_filter(request, posts, lambda p: p.published, lambda p: p.updated)
    if isinstance(filtered, Response):
        return filtered
    posts = filtered
    paging = _page(request, len(posts))
    if isinstance(paging, Response):
        return paging
    start, size = paging
    window = _capped(posts, start, size, site.settings.post_feed_cap)
    updated = site.last_modified()
    feed = _new_feed(_tag(site), updated)
    for name in site.labels():
        feed.add("category", term=name)
    feed.add("title", site.blog.title, type="text")
    feed.add("subtitle", "", type="html")
    base = site.url(f"/feeds/posts/{mode}" + (f"/-/{quote(label)}" if label else ""))
    _feed_links(feed, site, base, request, start, size, len(posts))
    _author(feed, site, site.blog.owner)
    feed.add("generator", "Blogger", version="7.00", uri="http://www.blogger.com")
    feed.add("openSearch:totalResults", str(len(posts)))
    feed.add("openSearch:startIndex", str(start))
    feed.add("openSearch:itemsPerPage", str(size))
    summary = mode == "summary" or site.settings.post_feed == "short"
    for post in window:
        feed.append(_post_entry(site, post, summary=summary))
    last = max([updated, *(site.post_last_modified(p) for p in window)])
    return _serve(site, request, feed, last)


def _capped(items: list, start: int, size: int, cap: int | None) -> list:
    """The page ``start``..``start+size-1`` (1-based) of ``items``, none past ``cap``: a
    feed cut short still counts every item in ``totalResults``."""
    end = start - 1 + size if cap is None else min(start - 1 + size, cap)
    return items[start - 1 : max(start - 1, end)]


def _post_entry(site: BloggerSite, post: Post, *, summary: bool) -> El:
    entry = El("entry")
    entry.add("id", _tag(site, f".post-{post.native_id}"))
    entry.add("published", _stamp(post.published))
    entry.add("updated", _stamp(post.updated))
    for label in post.labels:
        entry.add("category", scheme="http://www.blogger.com/atom/ns#", term=label)
    entry.add("title", post.title, type="text")
    if summary:
        entry.add("summary", excerpt(post, 60), type="text")
    else:
        entry.add("content", body_html(post, language=site.language), type="html")
    purl = site.post_url(post)
    count = len(post.comments)
    entry.add(
        "link",
        rel="replies",
        type="application/atom+xml",
        href=site.url(f"/feeds/{post.native_id}/comments/default"),
        title="Posting Komentar" if site.language == "id" else "Post Comments",
    )
    entry.add(
        "link",
        rel="replies",
        type="text/html",
        href=f"{purl}#comment-form",
        title=comments_label(count, site.language).title(),
    )
    entry.add(
        "link",
        rel="edit",
        type="application/atom+xml",
        href=site.url(f"/feeds/posts/default/{post.native_id}"),
    )
    entry.add(
        "link",
        rel="self",
        type="application/atom+xml",
        href=site.url(f"/feeds/posts/default/{post.native_id}"),
    )
    entry.add("link", rel="alternate", type="text/html", href=purl, title=post.title)
    _author(entry, site, post.author or site.blog.owner)
    if post.images:
        entry.add(
            "media:thumbnail",
            **{"xmlns:media": "http://search.yahoo.com/mrss/"},
            url=site.url(post.images[0].src)
            if post.images[0].src.startswith("/")
            else post.images[0].src,
            height="72",
            width="72",
        )
    entry.add("thr:total", str(count))
    return entry


def comments_feed(site: BloggerSite, request: Request, post: Post | None) -> Response:
    posts = [post] if post else site.blog.posts
    if not site.settings.comment_feeds_on:  # switched off, answering as an empty feed
        posts = []
    pairs = [(p, c) for p in posts for c in p.comments]
    # the service lists comments newest first
    pairs.sort(key=lambda pc: (pc[1].published, pc[1].native_id), reverse=True)
    filtered = _time_filter(request, pairs, lambda pc: pc[1].published, lambda pc: pc[1].published)
    if isinstance(filtered, Response):
        return filtered
    pairs = filtered
    paging = _page(request, len(pairs))
    if isinstance(paging, Response):
        return paging
    start, size = paging
    window = _capped(pairs, start, size, site.settings.comment_feed_cap if post else None)
    if post is not None:
        updated = site.post_last_modified(post)
        feed = _new_feed(_tag(site, f".post{post.native_id}..comments"), updated)
        feed.add(
            "title",
            f"Komentar pada {post.title}"
            if site.language == "id"
            else f"Comments on {site.blog.title}: {post.title}",
            type="text",
        )
        base = site.url(f"/feeds/{post.native_id}/comments/default")
    else:
        updated = site.last_modified()
        feed = _new_feed(_tag(site, ".comments"), updated)
        feed.add("title", site.blog.title, type="text")
        base = site.url("/feeds/comments/default")
    _feed_links(feed, site, base, request, start, size, len(pairs))
    _author(feed, site, site.blog.owner)
    feed.add("generator", "Blogger", version="7.00", uri="http://www.blogger.com")
    feed.add("openSearch:totalResults", str(len(pairs)))
    feed.add("openSearch:startIndex", str(start))
    feed.add("openSearch:itemsPerPage", str(size))
    for p, c in window:
        feed.append(_comment_entry(site, p, c))
    return _serve(site, request, feed, updated)


def _comment_entry(site: BloggerSite, post: Post, comment: Comment) -> El:
    entry = El("entry")
    entry.add("id", _tag(site, f".post-{comment.native_id}"))
    entry.add("published", _stamp(comment.published))
    entry.add("updated", _stamp(comment.published))
    body = site.comment_text(comment)
    entry.add("title", body[:60] + ("..." if len(body) > 60 else ""), type="text")
    # comment bodies are HTML in the feed: Blogger escapes what people type, <br /> per line
    entry.add("content", escape(body, quote=False).replace("\n", "<br />"), type="html")
    self_href = site.url(f"/feeds/{post.native_id}/comments/default/{comment.native_id}")
    entry.add("link", rel="edit", type="application/atom+xml", href=self_href)
    entry.add("link", rel="self", type="application/atom+xml", href=self_href)
    entry.add(
        "link", rel="alternate", type="text/html", href=site.comment_url(post, comment), title=""
    )
    root = site.thread_root(post, comment)
    if root is not None:
        entry.add(
            "link",
            rel="related",
            type="application/atom+xml",
            href=site.url(f"/feeds/{post.native_id}/comments/default/{root.native_id}"),
        )
    _author(entry, site, comment.author)
    entry.add(
        "thr:in-reply-to",
        href=site.post_url(post),
        ref=_tag(site, f".post-{post.native_id}"),
        source=site.url(f"/feeds/posts/default/{post.native_id}"),
        type="text/html",
    )
    entry.add(
        "gd:extendedProperty", name="blogger.itemClass", value=f"pid-{comment.native_id % 10**9}"
    )
    entry.add(
        "gd:extendedProperty",
        name="blogger.displayTime",
        value=blogger_comment_time(comment.published, site.language),
    )
    if comment.deleted:
        entry.add("gd:extendedProperty", name="blogger.contentRemoved", value="true")
    return entry


def _single(site: BloggerSite, request: Request, entry: El, last_modified: datetime) -> Response:
    """One entry as its own document (the ``self``/``related`` links point here)."""
    entry.attrs = {**NS, **entry.attrs}
    if (request.arg("alt") or "atom") == "json":
        data = to_blogger_json(entry)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text(body, "application/json; charset=UTF-8", last_modified=last_modified)
    if (request.arg("alt") or "atom") != "atom":
        return text("Invalid alt parameter", "text/plain; charset=UTF-8", status=400)
    return text(to_xml(entry), "application/atom+xml; charset=UTF-8", last_modified=last_modified)


def post_entry(site: BloggerSite, request: Request, post: Post) -> Response:
    entry = _post_entry(site, post, summary=False)
    return _single(site, request, entry, site.post_last_modified(post))


def comment_entry(site: BloggerSite, request: Request, post: Post, comment: Comment) -> Response:
    return _single(site, request, _comment_entry(site, post, comment), comment.published)


def sitemap(site: BloggerSite) -> Response:
    urlset = El("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for post in site.posts_desc():
        url = urlset.add("url")
        url.add("loc", site.post_url(post))
        url.add("lastmod", post.updated.isoformat())
    return text(
        to_xml(urlset), "application/xml; charset=UTF-8", last_modified=site.last_modified()
    )


def _as_rss(site: BloggerSite, feed: El) -> str:
    """Blogger's ``alt=rss``: the same entries as RSS 2.0, without comment counts."""
    rss = El(
        "rss",
        {
            "version": "2.0",
            "xmlns:atom": "http://www.w3.org/2005/Atom",
            "xmlns:openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
        },
    )
    channel = rss.add("channel")
    for child in feed.children:
        if child.name == "id":
            channel.add("atom:id", child.text)
        elif child.name == "title":
            channel.add("title", child.text)
        elif child.name.startswith("openSearch:"):
            channel.add(child.name, child.text)
    channel.add("link", site.url("/"))
    channel.add("description", "")
    for entry in (c for c in feed.children if c.name == "entry"):
        item = channel.add("item")
        fields = {c.name: c for c in entry.children}
        item.add("guid", fields["id"].text, isPermaLink="false")
        item.add("pubDate", format_datetime(datetime.fromisoformat(fields["published"].text)))
        item.add("atom:updated", fields["updated"].text)
        item.add("title", fields["title"].text)
        body = fields.get("content") or fields.get("summary")
        item.add("description", body.text if body is not None else "")
        for link in (c for c in entry.children if c.name == "link"):
            if link.attrs.get("rel") == "alternate":
                item.add("link", link.attrs["href"])
        item.add("author", "noreply@blogger.com")
    return to_xml(rss)
