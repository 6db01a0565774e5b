"""The Blogger spider when feeds are missing or cut: real crawls of the sample web over HTTP.

Each shape switches both sample Blogger blogs (modern threaded, classic ``dl#comments-block``)
to feeds that are off or broken (``tangguh.sampleweb.blogger_settings``); the crawl must
still yield exactly the posts and comments the manifest holds, once each, with parents,
replies and deleted flags, and a re-crawl of the unchanged blogs must yield nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from crawlkit import Sink, crawl_settings

from pipelines.canonical import canonical_url
from scrapers.runner import run_crawl
from scrapers.sources import parse_sources
from scrapers.state import MemoryCrawlState
from tangguh.sampleweb.blogger_settings import BloggerSettings
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

MODERN = "kampungtangguh-semeru.blogspot.test"
CLASSIC = "catatanwargablitar.blogspot.test"
HOSTS = (MODERN, CLASSIC)
WIB = timezone(timedelta(hours=7))


def _both(**settings) -> dict[str, BloggerSettings]:
    return {host: BloggerSettings(**settings) for host in HOSTS}


SHAPES = {
    "feeds off, 404": _both(post_feed="none", comment_feeds="none"),
    "feeds off, HTML notice": _both(
        post_feed="none", comment_feeds="none", feeds_off_answer="html"
    ),
    "feeds off, empty feed": _both(
        post_feed="none", comment_feeds="none", feeds_off_answer="empty"
    ),
    "short post feed, no comment feeds": _both(post_feed="short", comment_feeds="none"),
    "feeds cut short": _both(post_feed_cap=3, comment_feed_cap=1),
    "feeds failing": _both(post_feed_error_from=3, comment_feed_error=True),
    # two posts per listing page, the pager refused by robots.txt, no sitemap: the
    # posts beyond the listings are reached through each post's "Posting Lama" link
    "feeds off, small pages, no sitemap": _both(
        post_feed="none",
        comment_feeds="none",
        posts_per_page=2,
        archive_page_size=1,
        sitemap=False,
        comments_per_page=3,
    ),
    "feeds off, classic in Indonesian with #c permalinks": {
        MODERN: BloggerSettings(post_feed="none", comment_feeds="none"),
        CLASSIC: BloggerSettings(
            post_feed="none", comment_permalinks="anchor", language="id", comments_per_page=2
        ),
    },
}


def _key(url: str | None, kind: str = "post") -> str | None:
    return canonical_url(url, kind=kind) if url else None


def _sources(web):
    return [s for s in parse_sources(web.sources_toml()) if s.kind == "blogger"]


def _crawl(web, state, sink, **extra):
    sink.clear()
    settings = crawl_settings(sink, TANGGUH_BLOGGER_PAGE_SIZE=2, **extra)
    result = run_crawl(_sources(web), settings=settings, crawl_state=state)
    assert result.ok
    return result


def assert_matches_manifest(web, items) -> None:
    """Every post and comment of both blogs exactly once, as the manifest says."""
    want = {_key(r.url, r.kind): r for r in web.manifest() if r.site in HOSTS}
    got = Counter(_key(i.url, i.kind) for i in items)
    assert [u for u, n in got.items() if n > 1] == [], "yielded twice"
    assert sorted(set(want) - set(got)) == []
    assert sorted(set(got) - set(want)) == []
    for item in items:
        rec = want[_key(item.url, item.kind)]
        assert item.kind == rec.kind and item.author == rec.author, item.url
        if rec.kind == "post":
            assert item.title == rec.title, item.url
            assert rec.text[:60] in item.text, item.url
            continue
        assert item.parent_url == _key(rec.parent_url), item.url
        assert _key(item.reply_to, "comment") == _key(rec.reply_to, "comment"), item.url
        assert item.deleted == rec.deleted, item.url
        if rec.deleted:
            assert item.text == "", item.url  # counted, its text not kept
        else:
            assert rec.text[:60] in item.text, item.url
        assert item.published_raw, item.url


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_post_and_comment_without_usable_feeds(shape):
    with SampleWeb(blogger=SHAPES[shape]) as web:
        state = MemoryCrawlState()
        sink = Sink(state)
        first = _crawl(web, state, sink)
        assert_matches_manifest(web, sink.items)
        assert first.stats.get("tangguh/pages/post_html", 0) > 0  # the pages were used
        assert not [u for _, u, _ in web.request_log if "/search" in u], "robots.txt ignored"
        before = len(web.request_log)
        second = _crawl(web, state, sink)
        assert sink.items == []
        assert len(web.request_log) - before < before
        assert second.stats.get("tangguh/pages/post_html", 0) <= 1
        assert web.errors == []


def test_html_only_recrawl_finds_new_comments_and_posts_from_counts():
    with SampleWeb(blogger=SHAPES["feeds off, 404"]) as web:
        state = MemoryCrawlState()
        sink = Sink(state)
        _crawl(web, state, sink)
        added = set()
        for host in HOSTS:
            posts = sorted(
                (r for r in web.manifest().for_site(host) if r.kind == "post"),
                key=lambda r: r.published,
            )
            added.add(
                web.add_comment(
                    posts[0].url,  # the oldest post: on no home page, only in its archive
                    author="Rina",
                    text="Komentar baru soal kampung tangguh.",
                    published=datetime(2026, 11, 27, 9, 30, tzinfo=WIB),
                )
            )
        result = _crawl(web, state, sink)
        comments = [i for i in sink.items if i.kind == "comment"]
        assert sorted(i.url for i in comments) == sorted(added)
        posts = [i for i in sink.items if i.kind == "post"]
        assert len(posts) == 2 and all(p.comment_count for p in posts)
        # only the two posts whose listed count changed were fetched again
        assert result.stats.get("tangguh/pages/post_html") == 2


def test_feeds_switched_off_between_crawls_costs_no_items():
    with SampleWeb() as web:
        state = MemoryCrawlState()
        sink = Sink(state)
        _crawl(web, state, sink)  # through the feeds
        assert_matches_manifest(web, sink.items)
        for host in HOSTS:
            web.configure_blogger(host, post_feed="none", comment_feeds="none")
        result = _crawl(web, state, sink)  # through the pages: every count is unchanged
        assert sink.items == []
        assert result.stats.get("tangguh/pages/post_html", 0) <= 1
        assert result.stats.get("tangguh/fallback/html") == 2


def test_classic_post_with_more_than_a_page_of_comments():
    settings = _both(post_feed="none", comment_feeds="none")
    with SampleWeb(blogger=settings) as web:
        post = min(
            (r for r in web.manifest().for_site(CLASSIC) if r.kind == "post"),
            key=lambda r: r.published,
        )
        start = datetime(2021, 1, 1, 8, 0, tzinfo=WIB)
        for n in range(205):
            web.add_comment(
                post.url,
                author=f"Warga {n}",
                text=f"Komentar nomor {n} untuk posko.",
                published=start + timedelta(minutes=n),
            )
        state = MemoryCrawlState()
        sink = Sink(state)
        result = _crawl(web, state, sink)
        assert_matches_manifest(web, sink.items)
        assert result.stats.get("tangguh/pages/comment_page") == 1  # ?commentPage=2
        stored = next(i for i in sink.items if i.url == post.url)
        assert stored.comment_count == len(web.manifest().comments_of(post.url)) > 200


def test_fetch_mode_reads_every_comment_page_of_a_classic_post():
    settings = BloggerSettings(comments_per_page=2, comment_permalinks="anchor", language="id")
    with SampleWeb(blogger={CLASSIC: settings}) as web:
        manifest = web.manifest()
        post = max(
            (r for r in manifest.for_site(CLASSIC) if r.kind == "post"),
            key=lambda r: len(manifest.comments_of(r.url)),
        )
        truth = manifest.comments_of(post.url)
        assert len(truth) > 4  # three comment pages at least
        sink = Sink()
        assert run_crawl([], settings=crawl_settings(sink), urls=[post.url]).ok
        comments = [i for i in sink.items if i.kind == "comment"]
        assert sorted(i.url for i in comments) == sorted(c.url for c in truth)
        assert all(" pukul " in i.published_raw for i in comments)
        assert sink.items[-1].kind == "post" and sink.items[-1].comment_count == len(truth)


def test_a_stopped_and_resumed_crawl_still_reads_the_sitemap(tmp_path):
    """`--max-runtime` stops a run mid-walk and the next run resumes its queue from the job
    directory. The decision to read each blog's sitemap was made in the first run, when the
    feed failed; it must survive the stop, or posts linked only from the sitemap wait for a
    full run."""
    with SampleWeb(blogger=SHAPES["feeds off, 404"]) as web:
        state = MemoryCrawlState()
        sink = Sink(state)
        sources = _sources(web)
        jobdirs = {s.name: str(tmp_path / s.name) for s in sources}

        def crawl(**extra):
            settings = crawl_settings(
                sink, TANGGUH_BLOGGER_PAGE_SIZE=2, TANGGUH_JOBDIRS=jobdirs, **extra
            )
            return run_crawl(sources, settings=settings, crawl_state=state)

        crawl(CLOSESPIDER_ITEMCOUNT=1)  # stopped long before the listings are done
        items = list(sink.items)
        assert not [u for _, u, _ in web.request_log if u.endswith("/sitemap.xml")]
        sink.clear()
        crawl()
        items += sink.items
        sitemaps = {u for _, u, _ in web.request_log if u.endswith("/sitemap.xml")}
        assert len(sitemaps) == len(HOSTS), sitemaps
        want = {_key(r.url, r.kind) for r in web.manifest() if r.site in HOSTS}
        assert want <= {_key(i.url, i.kind) for i in items}
        assert web.errors == []
