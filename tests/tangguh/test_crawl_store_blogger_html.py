"""Blogger without usable feeds: a real crawl over HTTP into SQLite finds exactly the manifest.

The sample web's Blogger blogs are switched to the shapes the feed-first spider must
survive (``tangguh.sampleweb.blogger_settings``): feeds switched off, answered by a 404 or
an HTML notice; feeds cut short or failing. Both templates are covered: the modern
threaded one (comment times from ``showComment=<epoch ms>`` permalinks) and the classic
``dl#comments-block`` one, here in Indonesian with ``#c<ID>`` permalinks and paged comments,
so comment times come from the visible "26 Juni 2020 pukul 15.02".
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from pipelines.canonical import canonical_url
from scrapers.sources import parse_sources
from store.db import open_database
from store.models import Document
from tangguh import crawl
from tangguh.sampleweb.blogger_settings import BloggerSettings
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

MODERN = "kampungtangguh-semeru.blogspot.test"
CLASSIC = "catatanwargablitar.blogspot.test"
WIB = timezone(timedelta(hours=7))

FEEDS_OFF = {
    MODERN: BloggerSettings(post_feed="none", comment_feeds="none"),
    CLASSIC: BloggerSettings(
        post_feed="none",
        comment_feeds="none",
        feeds_off_answer="html",
        language="id",
        comment_permalinks="anchor",
        comments_per_page=2,
        posts_per_page=2,
        archive_page_size=2,
        sitemap=False,
    ),
}
FEEDS_CUT = {
    MODERN: BloggerSettings(post_feed_cap=3, comment_feed_cap=2),
    CLASSIC: BloggerSettings(
        post_feed_error_from=3, comment_feed_error=True, language="id", comments_per_page=2
    ),
}
# small feed pages, so the classic blog's feed fails on its second page
SETTINGS = {**crawl.LOOPBACK_SETTINGS, "TANGGUH_BLOGGER_PAGE_SIZE": 2}


def _crawl(db, web):
    sources = [s for s in parse_sources(web.sources_toml()) if s.kind == "blogger"]
    return crawl.run(
        db, command="crawl", sources=sources, allow_private=True, extra_settings=SETTINGS
    )


def _docs(db):
    with db.read() as s:
        return {d.url: d for d in s.scalars(select(Document))}


def _key(url, kind="post"):
    return canonical_url(url, kind=kind) if url else None


def _check_against_manifest(web, db) -> dict:
    records = [r for r in web.manifest() if r.site in (MODERN, CLASSIC)]
    stored = [r for r in records if not r.deleted]
    docs = _docs(db)
    want = {_key(r.url, r.kind): r for r in stored}
    assert set(docs) == set(want), (
        f"missing {sorted(set(want) - set(docs))[:3]}, extra {sorted(set(docs) - set(want))[:3]}"
    )
    by_id = {d.id: d for d in docs.values()}
    for url, rec in want.items():
        doc = docs[url]
        assert doc.kind == rec.kind and doc.platform == "blogger", url
        assert doc.published_at == rec.published_instant.replace(tzinfo=None), url
        assert doc.author == rec.author, url
        assert rec.text[:50] in doc.text, url
        if rec.kind == "post":
            assert doc.title == rec.title, url
            assert doc.snapshot_sha256, url
            continue
        assert doc.parent_url == _key(rec.parent_url), url
        assert by_id[doc.parent_id].url == doc.parent_url, url
        assert doc.reply_to == _key(rec.reply_to, "comment"), url
        if rec.reply_to:
            assert by_id[doc.reply_to_id].url == doc.reply_to, url
    # deleted comments are counted on their post, their text never stored
    deleted = Counter(_key(r.parent_url) for r in records if r.deleted)
    assert deleted, "the sample blogs hold deleted comments"
    for url, rec in want.items():
        if rec.kind == "post":
            assert (docs[url].deleted_comments or 0) == deleted.get(url, 0), url
    for rec in records:
        if rec.deleted:
            assert _key(rec.url, "comment") not in docs
    return docs


@pytest.mark.parametrize("shape", ["feeds_off", "feeds_cut"])
def test_blogger_without_usable_feeds_matches_the_manifest_then_recrawls(shape, tmp_path):
    blogger = FEEDS_OFF if shape == "feeds_off" else FEEDS_CUT
    with SampleWeb(blogger=blogger) as web:
        db = open_database(f"sqlite:///{tmp_path / 'blogger.db'}")
        first = _crawl(db, web)
        assert first.stats["failed"] == 0 and first.stats["invalid"] == 0
        docs = _check_against_manifest(web, db)

        # how each comment's time was read: ms permalink (modern), visible text (classic)
        comments = [d for d in docs.values() if d.kind == "comment"]
        classic = [d for d in comments if d.site == CLASSIC]
        modern = [d for d in comments if d.site == MODERN]
        assert classic and modern
        assert all(" pukul " in d.published_raw for d in classic)
        if shape == "feeds_off":
            assert all(" pukul " in d.published_raw for d in modern)  # visible text kept raw
        assert any(d.reply_to for d in modern)

        # Nothing changed: nothing stored, and fewer requests.
        second = _crawl(db, web)
        assert second.stats["new"] == 0 and second.stats["updated"] == 0, second.stats
        assert second.stats["requests"] < first.stats["requests"], (
            first.stats["requests"],
            second.stats["requests"],
        )

        # New comments, a reply among them: the next crawl stores exactly those.
        old_modern = min(
            (r for r in web.manifest().for_site(MODERN) if r.kind == "post"),
            key=lambda r: r.published,
        )
        parent = next(
            r
            for r in web.manifest().comments_of(old_modern.url)
            if r.reply_to is None and not r.deleted
        )
        reply = web.add_comment(
            old_modern.url,
            author="Pak RT",
            text="Betul, posko kami juga masih buka.",
            published=datetime(2021, 2, 1, 9, 30, 27, tzinfo=WIB),  # seconds: only in the ms
            reply_to=parent.url,
        )
        old_classic = min(
            (r for r in web.manifest().for_site(CLASSIC) if r.kind == "post"),
            key=lambda r: r.published,
        )
        added = web.add_comment(
            old_classic.url,
            author="Bu Lurah",
            text="Terima kasih sudah menulis tentang kampung kami.",
            published=datetime(2021, 3, 2, 16, 45, tzinfo=WIB),
        )
        third = _crawl(db, web)
        assert third.stats["new"] == 2, third.stats
        after = _docs(db)
        assert set(after) - set(docs) == {_key(reply, "comment"), _key(added, "comment")}
        stored_reply = after[_key(reply, "comment")]
        assert stored_reply.reply_to == _key(parent.url, "comment")
        # The seconds (and milliseconds) are only in the permalink's epoch ms.
        assert stored_reply.published_at.replace(microsecond=0) == datetime(2021, 2, 1, 2, 30, 27)
        assert after[_key(added, "comment")].published_at.replace(microsecond=0) == datetime(
            2021, 3, 2, 9, 45
        )
        assert web.errors == []
        db.dispose()
