"""Comments from theme HTML over real HTTP, through `crawl` and through `fetch`, into SQLite.

The sample web's blogs are switched to the comment shapes real blogs use
(``tangguh.sampleweb.wordpress_settings``, ``blogger_settings``):

- a WordPress block theme (Twenty Twenty-Four's comments block) with REST and RSS off, so
  the crawl walks the home pages, and comments paged two threads a page at
  ``/comment-page-N/``, the post URL showing the newest page;
- a WordPress theme listing comments as nested ``div.comment.depth-N`` with visible times
  only, REST off, comment pages linked one by one ("older/newer"), oldest page first;
- a Blogger blog (threaded template) whose anonymous commenters show as "Unknown" (feeds
  on: the crawl reads them from the comment feeds, `fetch` from the page);
- a Blogger blog (classic template) with its feeds off, in Indonesian ("Anonim"), comments
  paged two a page with ``?commentPage=N``.

Every comment the manifest shows must be stored once, with its author (null for the
anonymous ones, the label kept in ``field_sources``), its time and its reply parent.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from pipelines.canonical import canonical_url
from scrapers.sources import parse_sources
from store.db import open_database
from store.models import Document
from tangguh import crawl
from tangguh.sampleweb.blogger_settings import BloggerSettings
from tangguh.sampleweb.server import SampleWeb
from tangguh.sampleweb.wordpress_settings import WordPressSettings

pytestmark = pytest.mark.slow

BLOCK = "arekbloggerjatim.test"
DIVS = "suarawargablitar.test"
THREADED = "kampungtangguh-semeru.blogspot.test"
CLASSIC = "catatanwargablitar.blogspot.test"
SITES = (BLOCK, DIVS, THREADED, CLASSIC)

WORDPRESS = {
    BLOCK: WordPressSettings(theme="block", rest=False, rss=False, comments_per_page=2),
    DIVS: WordPressSettings(theme="divs", comments_per_page=2, default_comments_page="oldest"),
}
BLOGGER = {
    THREADED: BloggerSettings(anonymous_label="Unknown"),
    CLASSIC: BloggerSettings(
        post_feed="none", comment_feeds="none", language="id", comments_per_page=2
    ),
}
# how each site's anonymous commenters are labelled, and where the crawl reads them
ANONYMOUS = {BLOCK: "Anonim", DIVS: "Anonim", THREADED: "Unknown", CLASSIC: "Anonim"}
CRAWL_SOURCE = {BLOCK: "template", DIVS: "template", THREADED: "feed", CLASSIC: "template"}


def _utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC).replace(tzinfo=None)


def _key(url: str | None, kind: str = "post") -> str | None:
    return canonical_url(url, kind=kind) if url else None


def _check(web: SampleWeb, db, *, command: str) -> dict[str, int]:
    """Every visible comment of the four blogs stored as the manifest says; the count of
    anonymous ones per site."""
    records = [r for r in web.manifest() if r.site in SITES and r.kind == "comment"]
    with db.read() as session:
        docs = {d.url: d for d in session.scalars(select(Document))}
        by_id = {d.id: d for d in docs.values()}
        stored = {u: d for u, d in docs.items() if d.kind == "comment"}
        want = {_key(r.url, "comment"): r for r in records if not r.deleted}
        missing = sorted(set(want) - set(stored))
        extra = sorted(set(stored) - set(want))
        assert not missing and not extra, (command, missing[:3], extra[:3])
        anonymous = dict.fromkeys(SITES, 0)
        for url, rec in want.items():
            doc = stored[url]
            assert doc.author == rec.author, (command, url, doc.author)
            assert doc.published_at == _utc(rec.published_instant.isoformat()), (
                command,
                url,
                doc.published_raw,
            )
            assert rec.text[:40] in doc.text, (command, url)
            assert "<" not in doc.text or "<" in rec.text, (command, url)
            assert doc.parent_url == _key(rec.parent_url), (command, url)
            assert by_id[doc.parent_id].url == doc.parent_url, (command, url)
            assert doc.reply_to == _key(rec.reply_to, "comment"), (command, url)
            if rec.reply_to:
                assert by_id[doc.reply_to_id].url == doc.reply_to, (command, url)
            sources = doc.field_sources or {}
            assert sources.get("published_raw", {}).get("source"), (command, url, sources)
            if rec.author is None:
                anonymous[rec.site] += 1
                author = sources.get("author") or {}
                assert author.get("raw") == ANONYMOUS[rec.site], (command, url, author)
                assert author.get("anonymous") is True
                expected = CRAWL_SOURCE[rec.site] if command == "crawl" else "template"
                assert author.get("source") == expected, (command, url, author)
        for rec in records:
            if rec.deleted:
                assert _key(rec.url, "comment") not in stored, (command, rec.url)
    return anonymous


def test_comment_themes_crawl_and_fetch_store_every_comment(tmp_path):
    with SampleWeb(wordpress=WORDPRESS, blogger=BLOGGER) as web:
        sources = [s for s in parse_sources(web.sources_toml()) if urlsite(s) in SITES]
        assert len(sources) == 4
        crawl_db = open_database(f"sqlite:///{tmp_path / 'crawl.db'}")
        crawled = crawl.run(
            crawl_db,
            command="crawl",
            sources=sources,
            allow_private=True,
            extra_settings=crawl.LOOPBACK_SETTINGS,
        )
        assert crawled.stats["failed"] == 0 and crawled.stats["invalid"] == 0, crawled.stats
        anonymous = _check(web, crawl_db, command="crawl")
        assert all(anonymous.values()), anonymous  # each blog has anonymous commenters
        crawl_db.dispose()

        posts = [r.url for r in web.manifest().of_kind("post") if r.site in SITES]
        # A judge may paste a comment page's URL: the post and all its comments still come.
        manifest = web.manifest()
        busiest = max(
            (r for r in manifest.of_kind("post") if r.site == BLOCK),
            key=lambda r: len(manifest.comments_of(r.url)),
        )
        posts[posts.index(busiest.url)] = busiest.url + "comment-page-1/"
        fetch_db = open_database(f"sqlite:///{tmp_path / 'fetch.db'}")
        fetched = crawl.run(
            fetch_db,
            command="fetch",
            urls=posts,
            allow_private=True,
            extra_settings=crawl.LOOPBACK_SETTINGS,
        )
        assert fetched.stats["failed"] == 0 and fetched.stats["invalid"] == 0, fetched.stats
        _check(web, fetch_db, command="fetch")
        fetch_db.dispose()

        # Paged comments were walked both ways: WordPress /comment-page-N/, Blogger
        # ?commentPage=N.
        got = [u for m, u, status in web.request_log if m == "GET" and status == 200]
        for host in (BLOCK, DIVS):
            assert any(host in u and "/comment-page-" in u for u in got), host
        assert any(CLASSIC in u and "commentPage=" in u for u in got)
        assert web.errors == []


def urlsite(source) -> str:
    return source.start_urls[0].split("//", 1)[1].split("/", 1)[0].split(":", 1)[0]
