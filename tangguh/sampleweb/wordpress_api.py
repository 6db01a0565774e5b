"""WordPress machine-readable routes: REST ``/wp-json/wp/v2/*``, RSS2 feeds, core sitemaps.

REST paging is the core's: ``page``/``per_page`` (1-100, default 10), totals in
``X-WP-Total``/``X-WP-TotalPages``, a page past the end is a 400
``rest_post_invalid_page_number``. Comments come newest first, filterable by ``post`` and
``parent``. RSS items carry ``slash:comments`` and ``wfw:commentRss`` like
``wp-includes/feed-rss2.php``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from .body import body_html, excerpt
from .feedtree import El, to_xml
from .model import Comment, Post
from .responses import Request, Response, json_response, text

if TYPE_CHECKING:
    from .wordpress import WordPressSite

WP_VERSION = "6.4.3"
RSS_NS = {
    "version": "2.0",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:wfw": "http://wellformedweb.org/CommentAPI/",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:sy": "http://purl.org/rss/1.0/modules/syndication/",
    "xmlns:slash": "http://purl.org/rss/1.0/modules/slash/",
}
_USER_ID = re.compile(r"^/wp-json/wp/v2/users/(\d+)/?$")
_POST_ID = re.compile(r"^/wp-json/wp/v2/(posts|comments)/(\d+)/?$")


def _local(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC)).replace("-0000", "+0000")


def _lines(value: str) -> str:
    return escape(value, quote=False).replace("\n", "<br />\n")


def _error(code: str, message: str, status: int) -> Response:
    return json_response(
        {"code": code, "message": message, "data": {"status": status}}, status=status
    )


def _paging(request: Request) -> tuple[int, int] | Response:
    try:
        page = int(request.arg("page") or 1)
        per_page = int(request.arg("per_page") or 10)
    except ValueError:
        return _error("rest_invalid_param", "Parameter tidak valid: page, per_page", 400)
    if page < 1 or not 1 <= per_page <= 100:
        return _error("rest_invalid_param", "Parameter tidak valid: per_page", 400)
    return page, per_page


def _paged_json(
    request: Request, items: list, render, base: str, invalid_code: str, last: datetime
) -> Response:
    paging = _paging(request)
    if isinstance(paging, Response):
        return paging
    page, per_page = paging
    total = len(items)
    pages = -(-total // per_page)
    if total and page > pages:
        return _error(
            invalid_code, "Nomor halaman yang diminta lebih besar dari jumlah halaman.", 400
        )
    window = items[(page - 1) * per_page : page * per_page]
    links = []
    if page > 1:
        links.append(f'<{base}page={page - 1}&per_page={per_page}>; rel="prev"')
    if page < pages:
        links.append(f'<{base}page={page + 1}&per_page={per_page}>; rel="next"')
    extra = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    if links:
        extra.append(("Link", ", ".join(links)))
    return json_response([render(x) for x in window], last_modified=last, extra=extra)


def _base(site: WordPressSite, route: str, request: Request, drop: tuple[str, ...]) -> str:
    keep = [f"{k}={v[0]}" for k, v in request.query.items() if k not in drop]
    return site.url(route) + "?" + "".join(x + "&" for x in keep)


def _authors(site: WordPressSite) -> list[str]:
    return sorted({p.author or site.blog.owner for p in site.blog.posts})


def _author_id(site: WordPressSite, name: str) -> int:
    return 1 + _authors(site).index(name)


def user_json(site: WordPressSite, name: str) -> dict:
    uid = _author_id(site, name)
    slug = site.author_slug(name)
    return {
        "id": uid,
        "name": name,
        "url": "",
        "description": "",
        "link": site.url(f"/author/{slug}/"),
        "slug": slug,
        "avatar_urls": {"96": "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g"},
        "_links": {"self": [{"href": site.url(f"/wp-json/wp/v2/users/{uid}")}]},
    }


def post_json(site: WordPressSite, post: Post, *, embed: bool = False) -> dict:
    url = site.post_url(post)
    cats = site.categories()
    cat_ids = [sorted(cats).index(s) + 2 for s, n in cats.items() if n in post.labels]
    data = {
        "id": post.native_id,
        "date": _local(post.published),
        "date_gmt": _gmt(post.published),
        "guid": {"rendered": site.url(f"/?p={post.native_id}")},
        "modified": _local(post.updated),
        "modified_gmt": _gmt(post.updated),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": url,
        "title": {"rendered": escape(post.title, quote=False)},
        "content": {"rendered": body_html(post, image_style="wp") + "\n", "protected": False},
        "excerpt": {
            "rendered": f"<p>{escape(excerpt(post, 55), quote=False)}</p>\n",
            "protected": False,
        },
        "author": _author_id(site, post.author or site.blog.owner),
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "open",
        "sticky": False,
        "template": "",
        "format": "standard",
        "meta": {"footnotes": ""},
        "categories": cat_ids,
        "tags": [],
        "class_list": [f"post-{post.native_id}", "post", "type-post", "status-publish"],
        "_links": {
            "self": [{"href": site.url(f"/wp-json/wp/v2/posts/{post.native_id}")}],
            "collection": [{"href": site.url("/wp-json/wp/v2/posts")}],
            "author": [
                {
                    "embeddable": True,
                    "href": site.url(
                        f"/wp-json/wp/v2/users/{_author_id(site, post.author or site.blog.owner)}"
                    ),
                }
            ],
            "replies": [
                {
                    "embeddable": True,
                    "href": site.url(f"/wp-json/wp/v2/comments?post={post.native_id}"),
                }
            ],
        },
    }
    if embed:
        data["_embedded"] = {"author": [user_json(site, post.author or site.blog.owner)]}
    return data


def comment_json(site: WordPressSite, post: Post, c: Comment) -> dict:
    parent = site.parent_of(post, c)
    return {
        "id": c.native_id,
        "post": post.native_id,
        "parent": parent.native_id if parent else 0,
        "author": 0,
        "author_name": c.author or "",
        "author_url": "",
        "date": _local(c.published),
        "date_gmt": _gmt(c.published),
        "content": {"rendered": "<p>" + _lines(c.text) + "</p>\n"},
        "link": site.comment_url(post, c),
        "status": "approved",
        "type": "comment",
        "author_avatar_urls": {
            "24": "https://secure.gravatar.com/avatar/?s=24&d=mm&r=g",
            "48": "https://secure.gravatar.com/avatar/?s=48&d=mm&r=g",
            "96": "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g",
        },
        "meta": [],
        "_links": {
            "self": [{"href": site.url(f"/wp-json/wp/v2/comments/{c.native_id}")}],
            "up": [
                {
                    "embeddable": True,
                    "post_type": "post",
                    "href": site.url(f"/wp-json/wp/v2/posts/{post.native_id}"),
                }
            ],
        },
    }


def _date_filter(request: Request, items: list, get, names: tuple[str, str]) -> list | Response:
    try:
        for name, newer in ((names[0], True), (names[1], False)):
            if (raw := request.arg(name)) is not None:
                bound = datetime.fromisoformat(raw.replace(" ", "+").replace("Z", "+00:00"))
                if bound.tzinfo is None:
                    bound = bound.replace(tzinfo=get(items[0]).tzinfo) if items else bound
                items = [i for i in items if (get(i) > bound if newer else get(i) < bound)]
    except (ValueError, TypeError):
        return _error("rest_invalid_param", "Parameter tidak valid: tanggal", 400)
    return items


def route(site: WordPressSite, request: Request) -> Response:
    path = request.path
    if request.arg("rest_route") is not None:
        path = "/wp-json" + (request.arg("rest_route") or "/")
    if path.rstrip("/") == "/wp-json":
        return json_response(
            {
                "name": site.blog.title,
                "description": "",
                "url": site.url("/").rstrip("/"),
                "home": site.url("/").rstrip("/"),
                "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
                "routes": {"/wp/v2/posts": {}, "/wp/v2/comments": {}},
            }
        )
    if path.rstrip("/") == "/wp-json/wp/v2/posts":
        posts = site.posts_desc()
        if slug := request.arg("slug"):
            posts = [p for p in posts if p.slug == slug]
        filtered = _date_filter(request, posts, lambda p: p.published, ("after", "before"))
        if isinstance(filtered, Response):
            return filtered
        filtered = _date_filter(
            request, filtered, lambda p: p.updated, ("modified_after", "modified_before")
        )
        if isinstance(filtered, Response):
            return filtered
        keys = {
            "date": lambda p: (p.published, p.native_id),
            "modified": lambda p: (p.updated, p.native_id),
            "id": lambda p: p.native_id,
            "title": lambda p: p.title.lower(),
            "slug": lambda p: p.slug,
        }
        orderby = request.arg("orderby") or "date"
        if orderby not in keys:
            return _error("rest_invalid_param", "Parameter tidak valid: orderby", 400)
        filtered = sorted(filtered, key=keys[orderby], reverse=request.arg("order") != "asc")
        embed = request.arg("_embed") is not None
        base = _base(site, "/wp-json/wp/v2/posts", request, ("page", "per_page"))
        last = max(site.post_last_modified(p) for p in site.blog.posts)
        return _paged_json(
            request,
            filtered,
            lambda p: post_json(site, p, embed=embed),
            base,
            "rest_post_invalid_page_number",
            last,
        )
    if path.rstrip("/") == "/wp-json/wp/v2/comments":
        pairs = [(p, c) for p in site.blog.posts for c in site.visible_comments(p)]
        if (pid := request.arg("post")) is not None:
            wanted = {int(x) for x in pid.split(",") if x.strip().isdigit()}
            pairs = [(p, c) for p, c in pairs if p.native_id in wanted]
        if (parent := request.arg("parent")) is not None:
            wanted = {int(x) for x in parent.split(",") if x.strip().isdigit()}

            def parent_id(pc: tuple[Post, Comment]) -> int:
                par = site.parent_of(pc[0], pc[1])
                return par.native_id if par else 0

            pairs = [pc for pc in pairs if parent_id(pc) in wanted]
        pairs.sort(
            key=lambda pc: (pc[1].published, pc[1].native_id), reverse=request.arg("order") != "asc"
        )
        base = _base(site, "/wp-json/wp/v2/comments", request, ("page", "per_page"))
        last = max([site.last_modified(), *(c.published for _, c in pairs)])
        return _paged_json(
            request,
            pairs,
            lambda pc: comment_json(site, *pc),
            base,
            "rest_comment_invalid_page_number",
            last,
        )
    if m := _USER_ID.match(path):
        for name in _authors(site):
            if _author_id(site, name) == int(m.group(1)):
                return json_response(user_json(site, name))
        return _error("rest_user_invalid_id", "ID pengguna tidak valid.", 404)
    if m := _POST_ID.match(path):
        native = int(m.group(2))
        if m.group(1) == "posts":
            post = site.post_by_id(native)
            if post is None:
                return _error("rest_post_invalid_id", "ID pos tidak valid.", 404)
            embed = request.arg("_embed") is not None
            return json_response(
                post_json(site, post, embed=embed), last_modified=site.post_last_modified(post)
            )
        for p in site.blog.posts:
            for c in site.visible_comments(p):
                if c.native_id == native:
                    return json_response(comment_json(site, p, c))
        return _error("rest_comment_invalid_id", "ID komentar tidak valid.", 404)
    return _error(
        "rest_no_route", "Tidak ada rute yang cocok dengan URL dan metode permintaan.", 404
    )


def _channel(
    site: WordPressSite, title: str, self_url: str, link: str, last: datetime
) -> tuple[El, El]:
    rss = El("rss", dict(RSS_NS))
    channel = rss.add("channel")
    channel.add("title", title)
    channel.add("atom:link", href=self_url, rel="self", type="application/rss+xml")
    channel.add("link", link)
    channel.add("description", site.blog.owner)
    channel.add("lastBuildDate", _rfc822(last))
    channel.add("language", "id")
    channel.add("sy:updatePeriod", "hourly")
    channel.add("sy:updateFrequency", "1")
    channel.add("generator", f"https://wordpress.org/?v={WP_VERSION}")
    return rss, channel


def posts_rss(site: WordPressSite, request: Request) -> Response:
    posts = site.posts_desc()
    page = request.int_arg("paged", 1, 1)
    window = posts[(page - 1) * 10 : page * 10]
    if not window:
        return site.not_found_page()
    last = max(site.post_last_modified(p) for p in site.blog.posts)
    self_url = site.url("/feed/") + (f"?paged={page}" if page > 1 else "")
    rss, channel = _channel(
        site, site.blog.title, self_url, site.url("/"), max(p.updated for p in posts)
    )
    for post in window:
        url = site.post_url(post)
        item = channel.add("item")
        item.add("title", post.title)
        item.add("link", url)
        item.add("comments", f"{url}#respond")
        item.add("dc:creator", post.author or site.blog.owner)
        item.add("pubDate", _rfc822(post.published))
        for label in post.labels:
            item.add("category", label)
        item.add("guid", site.url(f"/?p={post.native_id}"), isPermaLink="false")
        item.add("description", excerpt(post, 55))
        item.add("content:encoded", body_html(post, image_style="wp"))
        item.add("wfw:commentRss", f"{url}feed/")
        item.add("slash:comments", str(len(site.visible_comments(post))))
    body = to_xml(rss, declaration='<?xml version="1.0" encoding="UTF-8"?>')
    return text(body, "application/rss+xml; charset=UTF-8", last_modified=last)


def comments_rss(site: WordPressSite, post: Post | None) -> Response:
    pairs = [
        (p, c) for p in ([post] if post else site.blog.posts) for c in site.visible_comments(p)
    ]
    pairs.sort(key=lambda pc: (pc[1].published, pc[1].native_id), reverse=True)
    pairs = pairs[:10] if post is None else pairs
    if post is not None:
        title = f"Komentar pada: {post.title}"
        self_url, link = site.post_url(post) + "feed/", site.post_url(post)
        last = site.post_last_modified(post)
    else:
        title = f"Komentar untuk {site.blog.title}"
        self_url, link = site.url("/comments/feed/"), site.url("/")
        last = site.last_modified()
    rss, channel = _channel(site, title, self_url, link, last)
    for p, c in pairs:
        item = channel.add("item")
        item.add("title", f"Oleh: {c.author or 'Anonim'}")
        item.add("link", site.comment_url(p, c))
        item.add("dc:creator", c.author or "Anonim")
        item.add("pubDate", _rfc822(c.published))
        item.add("guid", site.comment_url(p, c), isPermaLink="false")
        item.add("description", c.text)
        item.add("content:encoded", f"<p>{_lines(c.text)}</p>")
    body = to_xml(rss, declaration='<?xml version="1.0" encoding="UTF-8"?>')
    return text(body, "application/rss+xml; charset=UTF-8", last_modified=last)


def sitemap_index(site: WordPressSite) -> Response:
    root = El("sitemapindex", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    root.add("sitemap").add("loc", site.url("/wp-sitemap-posts-post-1.xml"))
    return text(to_xml(root), "application/xml; charset=UTF-8", last_modified=site.last_modified())


def sitemap_posts(site: WordPressSite) -> Response:
    root = El("urlset", {"xmlns": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    for post in site.posts_desc():
        url = root.add("url")
        url.add("loc", site.post_url(post))
        url.add("lastmod", post.updated.isoformat())
    return text(to_xml(root), "application/xml; charset=UTF-8", last_modified=site.last_modified())
