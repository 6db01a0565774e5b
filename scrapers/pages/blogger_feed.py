"""Blogger post and comment feeds (``alt=json`` and Atom) as neutral records.

The feed is the best source on Blogger: machine-readable ``published``/``updated`` times,
``thr:total`` comment counts and per-post comment feeds. The same records come out of the
JSON and Atom forms, so a blog that blocks one format still parses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from scrapers.pages.text import html_to_text, is_deleted_comment

_POST_ID = re.compile(r"\.post-(\d+)$")
_NS = {
    "a": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearchrss/1.0/",
    "os11": "http://a9.com/-/spec/opensearch/1.1/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
}


@dataclass
class FeedPost:
    post_id: str
    url: str
    title: str | None
    html: str
    published: str | None
    updated: str | None
    author: str | None
    labels: list[str] = field(default_factory=list)
    comment_count: int | None = None
    comments_feed: str | None = None
    summary_only: bool = False

    @property
    def text(self) -> str:
        return html_to_text(self.html)


@dataclass
class FeedComment:
    comment_id: str
    url: str
    post_url: str | None
    html: str
    published: str | None
    display_time: str | None
    author: str | None
    parent_id: str | None = None

    @property
    def deleted(self) -> bool:
        return is_deleted_comment(html_to_text(self.html))

    @property
    def text(self) -> str:
        return html_to_text(self.html)

    @property
    def published_ms(self) -> int | None:
        return show_comment_ms(self.url)


@dataclass
class FeedPage:
    """One page of a post or comment feed, with what is needed to ask for the next."""

    blog_id: str | None
    title: str | None
    total: int | None
    start_index: int
    per_page: int
    entries: list[dict[str, Any]]

    def next_start_index(self, received: int) -> int | None:
        """The ``start-index`` of the next page, or None when this was the last one."""
        if received == 0:
            return None
        nxt = self.start_index + received
        if self.total is not None and nxt > self.total:
            return None
        return nxt


def show_comment_ms(url: str) -> int | None:
    """The epoch-ms comment time carried by a ``?showComment=MS`` permalink."""
    values = parse_qs(urlsplit(url).query).get("showComment")
    if values and values[0].isdigit():
        return int(values[0])
    return None


def parse_feed(body: bytes | str) -> FeedPage:
    """Parse a JSON (``alt=json``, also JSONP) or Atom Blogger feed page; ValueError if neither."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) or re.match(r"^[\w.$]+\(", stripped):
        return _parse_json(stripped)
    if stripped.startswith("<"):
        return _parse_atom(text.encode("utf-8"))
    raise ValueError("not a Blogger feed")


def feed_posts(page: FeedPage) -> list[FeedPost]:
    return [p for p in (_post(e) for e in page.entries) if p is not None]


def feed_comments(page: FeedPage) -> list[FeedComment]:
    return [c for c in (_comment(e) for e in page.entries) if c is not None]


# --- JSON -------------------------------------------------------------------------------
def _t(obj: Any) -> str | None:
    if isinstance(obj, dict):
        value = obj.get("$t")
        return value if isinstance(value, str) else None
    return None


def _parse_json(text: str) -> FeedPage:
    jsonp = re.match(r"^[\w.$]+\((.*)\)\s*;?\s*$", text, re.DOTALL)
    if jsonp:
        text = jsonp.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bad feed JSON: {exc}") from exc
    feed = data.get("feed") if isinstance(data, dict) else None
    if not isinstance(feed, dict):
        raise ValueError("JSON has no 'feed' object")
    entries = [_json_entry(e) for e in feed.get("entry", []) if isinstance(e, dict)]
    return FeedPage(
        blog_id=_blog_id(_t(feed.get("id"))),
        title=_t(feed.get("title")),
        total=_int(_t(feed.get("openSearch$totalResults"))),
        start_index=_int(_t(feed.get("openSearch$startIndex"))) or 1,
        per_page=_int(_t(feed.get("openSearch$itemsPerPage"))) or len(entries),
        entries=entries,
    )


def _json_entry(e: dict[str, Any]) -> dict[str, Any]:
    links = [
        {
            "rel": lk.get("rel"),
            "type": lk.get("type"),
            "href": lk.get("href"),
            "title": lk.get("title"),
        }
        for lk in e.get("link", [])
        if isinstance(lk, dict)
    ]
    authors = e.get("author") or []
    author = _t(authors[0].get("name")) if authors and isinstance(authors[0], dict) else None
    reply = e.get("thr$in-reply-to") or {}
    props = {
        p.get("name"): p.get("value")
        for p in e.get("gd$extendedProperty", [])
        if isinstance(p, dict)
    }
    content = e.get("content") or e.get("summary") or {}
    return {
        "id": _t(e.get("id")),
        "published": _t(e.get("published")),
        "updated": _t(e.get("updated")),
        "title": _t(e.get("title")),
        "html": _t(content) or "",
        "author": author,
        "links": links,
        "labels": [c.get("term") for c in e.get("category", []) if isinstance(c, dict)],
        "total": _t(e.get("thr$total")),
        "in_reply_to": reply.get("href") if isinstance(reply, dict) else None,
        "display_time": props.get("blogger.displayTime"),
        "summary_only": "content" not in e and "summary" in e,
    }


# --- Atom -------------------------------------------------------------------------------
def _parse_atom(body: bytes) -> FeedPage:
    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"bad Atom: {exc}") from exc
    if root is None or etree.QName(root).localname != "feed":
        raise ValueError("not an Atom feed")

    def text(el: Any, path: str) -> str | None:
        found = el.find(path, _NS)
        return found.text if found is not None and found.text is not None else None

    entries = []
    for e in root.findall("a:entry", _NS):
        content = e.find("a:content", _NS)
        if content is None:
            content = e.find("a:summary", _NS)
        reply = e.find("thr:in-reply-to", _NS)
        props = {p.get("name"): p.get("value") for p in e.findall("gd:extendedProperty", _NS)}
        entries.append(
            {
                "id": text(e, "a:id"),
                "published": text(e, "a:published"),
                "updated": text(e, "a:updated"),
                "title": text(e, "a:title"),
                "html": (content.text or "") if content is not None else "",
                "author": text(e, "a:author/a:name"),
                "links": [dict(lk.attrib) for lk in e.findall("a:link", _NS)],
                "labels": [c.get("term") for c in e.findall("a:category", _NS)],
                "total": text(e, "thr:total"),
                "in_reply_to": reply.get("href") if reply is not None else None,
                "display_time": props.get("blogger.displayTime"),
                "summary_only": e.find("a:content", _NS) is None
                and e.find("a:summary", _NS) is not None,
            }
        )
    total = text(root, "os:totalResults") or text(root, "os11:totalResults")
    start = text(root, "os:startIndex") or text(root, "os11:startIndex")
    per = text(root, "os:itemsPerPage") or text(root, "os11:itemsPerPage")
    return FeedPage(
        blog_id=_blog_id(text(root, "a:id")),
        title=text(root, "a:title"),
        total=_int(total),
        start_index=_int(start) or 1,
        per_page=_int(per) or len(entries),
        entries=entries,
    )


# --- records ----------------------------------------------------------------------------
def _link(entry: dict[str, Any], rel: str, type_: str | None = None) -> str | None:
    for lk in entry["links"]:
        if lk.get("rel") == rel and (type_ is None or lk.get("type") == type_):
            return lk.get("href")
    return None


def _post(e: dict[str, Any]) -> FeedPost | None:
    url = _link(e, "alternate", "text/html") or _link(e, "alternate")
    pid = _POST_ID.search(e.get("id") or "")
    if not url or not pid:
        return None
    count = _int(e.get("total"))
    if count is None:  # older feeds: only the "N Comments" title of the html replies link
        for lk in e["links"]:
            if lk.get("rel") == "replies" and lk.get("type") == "text/html":
                m = re.match(r"\s*(\d+)", lk.get("title") or "")
                count = int(m.group(1)) if m else None
    return FeedPost(
        post_id=pid.group(1),
        url=url,
        title=e.get("title"),
        html=e.get("html") or "",
        published=e.get("published"),
        updated=e.get("updated"),
        author=e.get("author"),
        labels=[lb for lb in e.get("labels", []) if lb],
        comment_count=count,
        comments_feed=_link(e, "replies", "application/atom+xml"),
        summary_only=bool(e.get("summary_only")),
    )


def _comment(e: dict[str, Any]) -> FeedComment | None:
    cid = _POST_ID.search(e.get("id") or "")
    url = _link(e, "alternate", "text/html") or _link(e, "alternate")
    if not cid or not url:
        return None
    related = _link(e, "related")
    parent = related.rstrip("/").rsplit("/", 1)[-1] if related else None
    post_url = e.get("in_reply_to")
    if post_url:
        post_url = post_url.split("#", 1)[0].split("?", 1)[0]
    return FeedComment(
        comment_id=cid.group(1),
        url=url,
        post_url=post_url,
        html=e.get("html") or "",
        published=e.get("published"),
        display_time=e.get("display_time"),
        author=e.get("author"),
        parent_id=parent if parent and parent.isdigit() else None,
    )


def _blog_id(feed_id: str | None) -> str | None:
    m = re.search(r"blog-(\d+)", feed_id or "")
    return m.group(1) if m else None


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None
