"""Blogger blogs whose feeds are off or cut, and the page shapes that go with them."""

from __future__ import annotations

import json

import pytest
from conftest import CLASSIC, FIXTURE_CORPUS, MODERN
from parsel import Selector
from swhttp import fetch

from tangguh.sampleweb.blogger_settings import BloggerSettings
from tangguh.sampleweb.server import SampleWeb


def _web(**by_host: BloggerSettings) -> SampleWeb:
    hosts = {"modern": MODERN, "classic": CLASSIC}
    return SampleWeb(corpus_dir=FIXTURE_CORPUS, blogger={hosts[k]: v for k, v in by_host.items()})


def posts_of(web, host):
    return [r for r in web.manifest().for_site(host) if r.kind == "post"]


def feed(url):
    got = fetch(url)
    assert got.status == 200, url
    return json.loads(got.body)["feed"]


def test_switched_off_feeds_answer_404_and_pages_stop_advertising_them():
    off = BloggerSettings(post_feed="none", comment_feeds="none")
    with _web(modern=off) as web:
        post = posts_of(web, MODERN)[0]
        for path in (
            "/feeds/posts/default?alt=json",
            "/feeds/posts/default",
            "/feeds/posts/summary",
            "/atom.xml",
            "/feeds/posts/default?alt=rss",
            f"/feeds/posts/default/{post.native_id}",
            f"/feeds/{post.native_id}/comments/default?alt=json",
            "/feeds/comments/default",
        ):
            got = fetch(web.url(MODERN, path))
            assert got.status == 404, path
            assert b"<H2>Error 404</H2>" in got.body
        page = fetch(post.url).text()
        assert web.url(MODERN, "/feeds/") not in page and "application/rss+xml" not in page
        info = next(s for s in web.sites if s.host == MODERN)
        assert info.feed_urls == []
        # the other blog is untouched
        assert fetch(web.url(CLASSIC, "/feeds/posts/default?alt=json")).status == 200
        assert web.errors == []


def test_switched_off_feeds_may_answer_an_html_notice_or_an_empty_feed():
    notice = BloggerSettings(post_feed="none", comment_feeds="none", feeds_off_answer="html")
    empty = BloggerSettings(post_feed="none", comment_feeds="none", feeds_off_answer="empty")
    with _web(modern=notice, classic=empty) as web:
        got = fetch(web.url(MODERN, "/feeds/posts/default?alt=json"))
        assert got.status == 200 and got.headers["content-type"].startswith("text/html")
        assert b"dinonaktifkan" in got.body
        blank = feed(web.url(CLASSIC, "/feeds/posts/default?alt=json"))
        assert blank["openSearch$totalResults"]["$t"] == "0" and "entry" not in blank
        post = posts_of(web, CLASSIC)[0]
        comments = feed(web.url(CLASSIC, f"/feeds/{post.native_id}/comments/default?alt=json"))
        assert comments["openSearch$totalResults"]["$t"] == "0"


def test_short_feed_serves_summaries():
    with _web(modern=BloggerSettings(post_feed="short")) as web:
        entries = feed(web.url(MODERN, "/feeds/posts/default?alt=json"))["entry"]
        assert entries and all("summary" in e and "content" not in e for e in entries)


def test_post_feed_cut_keeps_counting_every_post():
    with _web(modern=BloggerSettings(post_feed_cap=4)) as web:
        total = len(posts_of(web, MODERN))
        assert total > 4
        first = feed(web.url(MODERN, "/feeds/posts/default?alt=json&max-results=3"))
        assert int(first["openSearch$totalResults"]["$t"]) == total
        assert len(first["entry"]) == 3
        second = feed(web.url(MODERN, "/feeds/posts/default?alt=json&start-index=4&max-results=3"))
        assert len(second["entry"]) == 1  # the cut: entry 5 onwards never comes
        third = feed(web.url(MODERN, "/feeds/posts/default?alt=json&start-index=7"))
        assert "entry" not in third and int(third["openSearch$totalResults"]["$t"]) == total


def test_post_feed_pages_fail_from_a_start_index():
    with _web(classic=BloggerSettings(post_feed_error_from=2)) as web:
        assert fetch(web.url(CLASSIC, "/feeds/posts/default?alt=json&max-results=1")).status == 200
        url = web.url(CLASSIC, "/feeds/posts/default?alt=json&start-index=2&max-results=1")
        assert fetch(url).status == 500


def test_comment_feeds_cut_or_failing_while_thr_total_counts_all():
    cut = BloggerSettings(comment_feed_cap=2)
    failing = BloggerSettings(comment_feed_error=True)
    with _web(modern=cut, classic=failing) as web:
        manifest = web.manifest()
        post = max(posts_of(web, MODERN), key=lambda p: len(manifest.comments_of(p.url)))
        count = len(manifest.comments_of(post.url))
        assert count > 2
        entries = feed(web.url(MODERN, "/feeds/posts/default?alt=json"))["entry"]
        entry = next(e for e in entries if e["id"]["$t"].endswith(post.native_id))
        assert int(entry["thr$total"]["$t"]) == count
        comments = feed(web.url(MODERN, f"/feeds/{post.native_id}/comments/default?alt=json"))
        assert len(comments["entry"]) == 2
        assert int(comments["openSearch$totalResults"]["$t"]) == count
        classic = posts_of(web, CLASSIC)[0]
        url = web.url(CLASSIC, f"/feeds/{classic.native_id}/comments/default?alt=json")
        assert fetch(url).status == 500


def test_anchor_permalinks_and_paged_classic_comments():
    settings = BloggerSettings(comment_permalinks="anchor", comments_per_page=2, language="id")
    with _web(classic=settings) as web:
        manifest = web.manifest()
        post = next(p for p in posts_of(web, CLASSIC) if len(manifest.comments_of(p.url)) == 3)
        truth = manifest.comments_of(post.url)
        assert all(c.url.startswith(post.url + "#c") for c in truth)
        first = Selector(text=fetch(post.url).text())
        second = Selector(text=fetch(post.url + "?commentPage=2").text())
        stamps = "dl#comments-block dd.comment-footer span.comment-timestamp a"
        shown = first.css(stamps) + second.css(stamps)
        assert [a.attrib["href"] for a in shown] == [c.url for c in truth]
        assert len(first.css(stamps)) == 2 and len(second.css(stamps)) == 1
        assert " pukul " in shown[0].css("::text").get()  # the only time the page gives
        pager = first.css("span.paging-control-container a.paging-control::attr(href)").getall()
        assert post.url + "?commentPage=2" in pager
        assert first.css("link[rel=canonical]::attr(href)").get() == post.url
        # the whole thread is still one document: the same count on listings
        assert "3 komentar" in fetch(web.url(CLASSIC, "/")).text()
        # out-of-range pages show the last one, as the template clamps
        third = Selector(text=fetch(post.url + "?commentPage=9").text())
        assert [a.attrib["href"] for a in third.css(stamps)] == [truth[2].url]


def test_listing_page_sizes_and_sitemap_switch():
    settings = BloggerSettings(posts_per_page=2, archive_page_size=1, sitemap=False)
    with _web(modern=settings) as web:
        home = Selector(text=fetch(web.url(MODERN, "/")).text())
        assert len(home.css("div.blog-posts h3.post-title a")) == 2
        older = home.css("a.blog-pager-older-link::attr(href)").get()
        assert "/search?updated-max=" in older and "max-results=2" in older
        year = posts_of(web, MODERN)[-1].published[:4]
        archive = Selector(text=fetch(web.url(MODERN, f"/{year}/")).text())
        assert len(archive.css("div.blog-posts h3.post-title a")) == 1
        assert fetch(web.url(MODERN, "/sitemap.xml")).status == 404
        web.configure_blogger(MODERN, sitemap=True)
        assert fetch(web.url(MODERN, "/sitemap.xml")).status == 200


def test_configure_blogger_live_and_bad_settings():
    with _web() as web:
        url = web.url(MODERN, "/feeds/posts/default?alt=json")
        assert fetch(url).status == 200
        assert web.configure_blogger(MODERN, post_feed="none").post_feed == "none"
        assert fetch(url).status == 404
        web.configure_blogger(MODERN, post_feed="full")
        assert fetch(url).status == 200
        with pytest.raises(ValueError):
            web.configure_blogger(MODERN, post_feed="sometimes")
        with pytest.raises(KeyError):
            web.configure_blogger("wp-fixture.test", post_feed="none")
    with pytest.raises(ValueError):
        BloggerSettings(comments_per_page=0)
    with pytest.raises(KeyError):
        SampleWeb(corpus_dir=FIXTURE_CORPUS, blogger={"nope.blogspot.test": BloggerSettings()})
