"""Crawl the whole sample web over HTTP into a real SQLite file, through every pipeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from pipelines.canonical import canonical_url
from scrapers.sources import parse_sources
from store import repo
from store.db import open_database
from store.models import Document, Snapshot
from tangguh import crawl
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

RESOLVE = crawl.LOOPBACK_SETTINGS
WIB = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def web():
    with SampleWeb() as sample:
        yield sample


def _crawl(db, web, topic=None):
    sources = parse_sources(web.sources_toml(topic=topic))
    return crawl.run(
        db, command="crawl", sources=sources, allow_private=True, extra_settings=RESOLVE
    )


def _canonical(url, kind="post"):
    return canonical_url(url, kind=kind) if url else None


def _canonical_manifest(web):
    """The manifest's records (as the sites print them) under our canonical URLs."""
    return [
        replace(
            r,
            url=_canonical(r.url, r.kind),
            parent_url=_canonical(r.parent_url),
            reply_to=_canonical(r.reply_to, "comment"),
        )
        for r in web.manifest().visible()
        if not r.deleted
    ]


def _docs(db):
    with db.read() as s:
        return {d.url: d for d in s.scalars(select(Document))}


def test_full_crawl_matches_the_manifest_then_recrawls_incrementally(web, tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'crawl.db'}")
    first = _crawl(db, web)
    assert first.stats["failed"] == 0
    manifest = _canonical_manifest(web)
    # Blogger comments to the millisecond of their (not canonical) permalink.
    instants = {_canonical(r.url, r.kind): r.published_instant for r in web.manifest()}
    docs = _docs(db)

    expected = {r.url for r in manifest}
    assert set(docs) == expected, (
        f"missing {sorted(expected - set(docs))[:5]}, extra {sorted(set(docs) - expected)[:5]}"
    )
    for rec in manifest:
        doc = docs[rec.url]
        assert doc.kind == rec.kind, rec.url
        assert doc.platform == rec.platform, rec.url
        assert doc.published_at is not None, f"no date for {rec.url}"
        want = datetime.fromisoformat(rec.published)
        if doc.published_precision == "day":  # the page shows only the day
            assert repo.published_iso(doc) == want.date().isoformat(), rec.url
        else:
            assert doc.published_at == instants[rec.url].replace(tzinfo=None), rec.url
        if rec.kind == "comment":
            assert doc.parent_url == rec.parent_url
            assert doc.parent_id is not None, f"comment not linked to its post: {rec.url}"
            assert doc.reply_to == rec.reply_to, rec.url
            if rec.reply_to:
                assert doc.reply_to_id is not None
        else:
            assert doc.title == rec.title, rec.url
            assert doc.snapshot_sha256, f"no raw snapshot kept for {rec.url}"

    # The syndicated press release: two copies point at the earliest-published one.
    groups: dict[str, list[str]] = {}
    for rec in manifest:
        if rec.syndicated_group:
            groups.setdefault(rec.syndicated_group, []).append(rec.url)
    for members in groups.values():
        earliest = min(members, key=lambda u: docs[u].published_at)
        for url in members:
            assert docs[url].duplicate_of == (None if url == earliest else earliest), url

    # A second crawl with nothing changed stores nothing new and asks much less.
    second = _crawl(db, web)
    assert second.stats["new"] == 0 and second.stats["updated"] == 0
    assert second.stats["requests"] < first.stats["requests"] / 2, (
        first.stats["requests"],
        second.stats["requests"],
    )

    # A new comment on an old post: the next crawl stores exactly that comment.
    post = next(r for r in manifest if r.kind == "post" and r.platform == "blogger")
    new_url = web.add_comment(
        post.url,
        author="Pak RT",
        text="Alhamdulillah posko masih jalan.",
        published=datetime(2021, 2, 1, 9, 30, tzinfo=WIB),
    )
    third = _crawl(db, web)
    assert third.stats["new"] == 1
    after = _docs(db)
    assert set(after) - set(docs) == {
        new_url.split("?")[0].split("#")[0] + "#" + new_url.split("#")[1]
    }
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Snapshot)) > 0
        runs = repo.recent_runs(s, 3)
    assert [r.status for r in runs] == ["ok", "ok", "ok"]


def test_topic_filter_drops_distractors_and_their_comments(web, tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'topic.db'}")
    summary = _crawl(db, web, topic=["kampung tangguh"])
    docs = _docs(db)
    off_topic = [
        r for r in web.manifest().visible() if r.kind != "comment" and r.topic != "kampung-tangguh"
    ]
    assert off_topic, "the sample web should hold distractors"
    assert summary.stats["dropped"] >= len(off_topic) - 2
    for rec in off_topic:
        text = (rec.title + " " + rec.text).lower()
        if "kampung tangguh" not in text:
            assert rec.url not in docs, f"off-topic page stored: {rec.url}"
            assert not [d for d in docs.values() if d.parent_url == rec.url]


def test_crawl_into_postgresql(web, pg_url):
    """The same crawl path on the scale-out store (skips without TANGGUH_TEST_PG)."""
    db = open_database(pg_url)
    sources = [s for s in parse_sources(web.sources_toml()) if s.kind == "blogger"]
    for _ in range(2):  # the second run must change nothing
        summary = crawl.run(
            db, command="crawl", sources=sources, allow_private=True, extra_settings=RESOLVE
        )
        assert summary.stats["failed"] == 0
    hosts = {urlsplit(s.start_urls[0]).hostname for s in sources}
    expected = {r.url for r in _canonical_manifest(web) if r.site in hosts}
    assert set(_docs(db)) == expected
    assert summary.stats["new"] == 0
    db.dispose()


def test_sources_are_recorded_with_their_configured_kind(web, tmp_path):
    from store.models import Source

    db = open_database(f"sqlite:///{tmp_path / 'src.db'}")
    sources = [
        s for s in parse_sources(web.sources_toml()) if s.name in ("semeru-blog", "jatimkini")
    ]
    crawl.run(db, command="crawl", sources=sources, allow_private=True, extra_settings=RESOLVE)
    with db.read() as s:
        kinds = {src.name: src.kind for src in s.scalars(select(Source))}
    assert kinds == {"semeru-blog": "blogger", "jatimkini": "news"}
