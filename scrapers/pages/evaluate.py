"""Score page objects against a corpus of saved pages with expected output.

Each fixture is ``NAME.html|.json|.xml`` beside ``NAME.expected.json``::

    {"page": "news", "url": "...", "selectors": {...}, "platform": "generic",
     (``"page": "auto"`` detects the platform as ``tangguh fetch`` does),
     "expect": {"title": "...", "author": "...", "published_raw": "..."},
     "must_contain": ["..."], "must_not_contain": ["..."],
     "comments": {"count": 5, "deleted": 1, "replies": 2, "items": [{...}]},
     (a comment item checks its fields, "text_contains"/"text_excludes" and "author_raw")
     "links": {"count": 10, "contains": ["..."]}, "next_page": "..."}

Every expectation is one check; the score is the share of checks passed, per fixture and
overall. The tests require every check to pass; ``bench/extraction.py`` prints the score
and compares it with the committed baseline so it never drops silently.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse

from scrapers.items import DocumentItem
from scrapers.pages.blogger_feed import feed_comments, feed_posts, parse_feed
from scrapers.pages.blogger_html import BloggerPostPage
from scrapers.pages.detect import detect_platform
from scrapers.pages.news import NewsArticlePage
from scrapers.pages.news_listing import NewsListingPage
from scrapers.pages.wordpress import (
    WordPressPostPage,
    rest_comment,
    rest_json,
    rest_post,
    rss_items,
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class FixtureResult:
    name: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def fixtures(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.expected.json"))


def body_path(expected: Path) -> Path:
    stem = expected.name[: -len(".expected.json")]
    for suffix in (".html", ".html.gz", ".json", ".xml"):
        candidate = expected.with_name(stem + suffix)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"no page file for {expected.name}")


def evaluate(expected_path: Path) -> FixtureResult:
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    path = body_path(expected_path)
    raw = path.read_bytes()
    if path.suffix == ".gz":  # real pages saved whole are kept compressed
        raw = gzip.decompress(raw)
    result = FixtureResult(expected_path.name[: -len(".expected.json")])
    kind = spec["page"]
    url = spec["url"]
    checks = result.checks
    if "encoding" in spec or kind != "auto":
        html = raw.decode(spec.get("encoding", "utf-8"), "replace")
    else:  # a real page: its own declared or sniffed encoding, as a crawl reads it
        html = HtmlResponse(url, body=raw).text
    if "platform" in spec:
        got = detect_platform(html)
        checks.append(Check("platform", got == spec["platform"], f"got {got!r}"))
    doc: DocumentItem | None = None
    comments: list[DocumentItem] | None = None
    if kind == "auto":  # what `tangguh fetch` does: the platform detected, then its page
        kind = {"blogger": "blogger_html", "wordpress": "wordpress_html"}.get(
            detect_platform(html), "news"
        )
    if kind == "blogger_html":
        page = BloggerPostPage(url, html)
        doc, comments = page.post(), page.comments()
    elif kind == "wordpress_html":
        wp = WordPressPostPage(url, html)
        doc, comments = wp.post(), wp.comments()
    elif kind == "news":
        doc = NewsArticlePage(url, html, spec.get("selectors")).article()
    elif kind == "listing":
        listing = NewsListingPage(url, html, spec.get("selectors"))
        _check_links(checks, spec, listing.links(), listing.next_page())
    elif kind == "wordpress_listing":
        wpl = WordPressPostPage(url, html)
        _check_links(checks, spec, wpl.post_links(), wpl.next_page())
    elif kind == "blogger_feed":
        feed = parse_feed(raw)
        _check_feed(checks, spec, feed)
        posts = feed_posts(feed)
        if posts:
            first = posts[0]
            doc = DocumentItem(
                url=first.url,
                kind="post",
                title=first.title,
                author=first.author,
                published_raw=first.published,
                text=first.text,
                comment_count=first.comment_count,
            )
        else:
            from scrapers.spiders.blogger import comments_from_feed

            comments = comments_from_feed(spec["post_url"], feed_comments(feed))
    elif kind == "wp_rest_posts":
        items = [p for p in (rest_post(d) for d in rest_json(raw)) if p]
        checks.append(Check("records", len(items) == spec["records"], f"got {len(items)}"))
        doc = items[0] if items else None
    elif kind == "wp_rest_comments":
        comments = [c for c in (rest_comment(d, spec["post_url"]) for d in rest_json(raw)) if c]
    elif kind == "wp_rss":
        entries = rss_items(raw)
        checks.append(Check("records", len(entries) == spec["records"], f"got {len(entries)}"))
        if entries:
            e = entries[0]
            doc = DocumentItem(
                url=e.url,
                kind="post",
                title=e.title,
                author=e.author,
                published_raw=e.published,
                comment_count=e.comment_count,
            )
    else:
        raise ValueError(f"{expected_path.name}: unknown page kind {kind!r}")
    if doc is not None:
        _check_doc(checks, spec, doc)
    if comments is not None and "comments" in spec:
        _check_comments(checks, spec["comments"], comments)
    return result


def _check_doc(checks: list[Check], spec: dict[str, Any], doc: DocumentItem) -> None:
    for name, want in spec.get("expect", {}).items():
        got = getattr(doc, name, None)
        if name == "published_raw" and isinstance(want, str) and want.startswith("~"):
            ok = bool(got) and want[1:] in got
        else:
            ok = got == want
        checks.append(Check(f"field:{name}", ok, f"got {got!r}, want {want!r}"))
    text = doc.text or ""
    for snippet in spec.get("must_contain", []):
        checks.append(Check(f"contains:{snippet[:30]}", snippet in text, ""))
    for snippet in spec.get("must_not_contain", []):
        checks.append(Check(f"excludes:{snippet[:30]}", snippet not in text, ""))


def _check_comments(checks: list[Check], spec: dict[str, Any], comments: list[DocumentItem]):
    if "count" in spec:
        checks.append(
            Check("comments:count", len(comments) == spec["count"], f"got {len(comments)}")
        )
    if "deleted" in spec:
        n = sum(c.deleted for c in comments)
        checks.append(Check("comments:deleted", n == spec["deleted"], f"got {n}"))
    if "replies" in spec:
        n = sum(c.reply_to is not None for c in comments)
        checks.append(Check("comments:replies", n == spec["replies"], f"got {n}"))
    by_url = {c.url: c for c in comments}
    for want in spec.get("items", []):
        got = by_url.get(want["url"])
        checks.append(Check(f"comment:{want['url'][-24:]}", got is not None, "missing"))
        if got is None:
            continue
        for key, value in want.items():
            if key == "url":
                continue
            if key == "text_contains":
                ok, actual = value in got.text, got.text[:60]
            elif key == "text_excludes":
                ok, actual = value not in got.text, got.text[:60]
            elif key == "author_raw":  # the placeholder label kept for an anonymous author
                actual = ((got.extra.get("field_sources") or {}).get("author") or {}).get("raw")
                ok = actual == value
            elif key == "published_ms":
                ok, actual = got.extra.get("published_ms") == value, got.extra.get("published_ms")
            else:
                actual = getattr(got, key)
                ok = actual == value
            checks.append(Check(f"comment:{want['url'][-12:]}:{key}", ok, f"got {actual!r}"))


def _check_links(checks: list[Check], spec: dict[str, Any], links: list[str], nxt: str | None):
    want = spec.get("links", {})
    if "count" in want:
        checks.append(Check("links:count", len(links) == want["count"], f"got {len(links)}"))
    for url in want.get("contains", []):
        checks.append(Check(f"links:{url[-30:]}", url in links, ""))
    for url in want.get("excludes", []):
        checks.append(Check(f"links-not:{url[-30:]}", url not in links, ""))
    if "next_page" in spec:
        checks.append(Check("next_page", nxt == spec["next_page"], f"got {nxt!r}"))


def _check_feed(checks: list[Check], spec: dict[str, Any], feed: Any) -> None:
    for key in ("total", "start_index", "blog_id"):
        if key in spec.get("feed", {}):
            got = getattr(feed, key)
            want = spec["feed"][key]
            checks.append(Check(f"feed:{key}", got == want, f"got {got!r}"))
    if "next_start_index" in spec.get("feed", {}):
        got = feed.next_start_index(len(feed.entries))
        checks.append(Check("feed:next", got == spec["feed"]["next_start_index"], f"got {got}"))
