"""Crawl the whole sample web over HTTP and compare with its manifest (slow, end to end).

One SampleWeb (port 0) per test; items go through a collecting pipeline that "commits"
them to a ``MemoryCrawlState`` the way the store does, so re-crawls are incremental.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from crawlkit import Sink, crawl_settings

from scrapers.runner import run_crawl
from scrapers.sources import parse_sources
from scrapers.state import MemoryCrawlState

sampleweb = pytest.importorskip("tangguh.sampleweb.server")

pytestmark = pytest.mark.slow
WIB = timezone(timedelta(hours=7))


@pytest.fixture
def web():
    w = sampleweb.SampleWeb()
    w.start()
    yield w
    w.stop()


def _expected(web, sources):
    hosts = {d for s in sources for d in s.allowed_domains}
    return {r.url: r for r in web.manifest() if r.visible and r.site in hosts}


def test_full_crawl_matches_manifest_then_recrawls_incrementally(web) -> None:
    sources = parse_sources(web.sources_toml())
    assert {s.kind for s in sources} == {"blogger", "wordpress", "news"}
    state = MemoryCrawlState()
    sink = Sink(state)
    settings = crawl_settings(sink)

    result = run_crawl(sources, settings=settings, crawl_state=state)
    first_requests = len(web.request_log)
    want = _expected(web, sources)
    got = {i.url: i for i in sink.items}
    assert result.ok
    assert len(got) == len(sink.items), "an item was yielded twice"
    assert sorted(set(want) - set(got)) == []
    assert sorted(set(got) - set(want)) == []
    kinds = Counter(i.kind for i in sink.items)
    assert kinds == Counter(r.kind for r in want.values())
    assert kinds["comment"] > 0 and kinds["post"] > 0 and kinds["article"] > 0
    for url, record in want.items():
        item = got[url]
        assert item.parent_url == record.parent_url, url
        assert item.reply_to == record.reply_to, url
        assert item.deleted == record.deleted, url
        assert item.author == record.author, url
        if record.kind != "comment":
            assert item.title == record.title, url
        if record.deleted:
            assert item.text == ""
        else:
            assert record.text[:60] in item.text, url
    templates = {s.template for s in web.sites if s.in_sources}
    assert {"blogger-modern", "blogger-classic"} <= templates
    assert any(s.kind == "wordpress" and not s.rest_enabled for s in web.sites)
    assert any(s.kind == "wordpress" and s.rest_enabled for s in web.sites)

    # Second crawl, nothing changed: nothing new, and far fewer requests.
    sink.clear()
    before = len(web.request_log)
    result = run_crawl(sources, settings=settings, crawl_state=state)
    second_requests = len(web.request_log) - before
    assert result.ok
    assert sink.items == []
    assert second_requests * 3 <= first_requests, (second_requests, first_requests)

    # A new comment on an old post of each blog: the next crawl yields exactly those.
    added = set()
    for host in sorted({r.site for r in want.values() if r.kind == "post"}):
        post = sorted(r.url for r in want.values() if r.kind == "post" and r.site == host)[0]
        added.add(
            web.add_comment(
                post,
                author="Rina",
                text="Komentar baru soal kampung tangguh.",
                published=datetime(2026, 11, 27, 9, 30, tzinfo=WIB),
            )
        )
    sink.clear()
    result = run_crawl(sources, settings=settings, crawl_state=state)
    assert result.ok
    new = [i for i in sink.items if i.url not in want]
    assert sorted(i.url for i in new) == sorted(added)
    assert all(i.kind == "comment" and i.author == "Rina" for i in new)
    posts_again = [i for i in sink.items if i.kind != "comment"]
    assert all(i.url in want for i in posts_again)  # only count updates of known posts
    manifest = web.manifest().by_url()
    for item in new:
        assert item.parent_url == manifest[item.url].parent_url


def test_fetch_mode_detects_platform_per_url(web) -> None:
    sources = parse_sources(web.sources_toml())
    want = _expected(web, sources)
    posts = {}
    for record in want.values():
        if record.kind in ("post", "article"):
            posts.setdefault((record.platform, record.site), record.url)
    urls = sorted(posts.values())
    sink = Sink()
    result = run_crawl([], settings=crawl_settings(sink), urls=urls)
    assert result.ok
    got = {i.url: i for i in sink.items}
    for url in urls:
        assert got[url].platform == want[url].platform, url
        assert got[url].title == want[url].title
        comments = {r.url for r in want.values() if r.parent_url == url}
        assert comments <= set(got), url
