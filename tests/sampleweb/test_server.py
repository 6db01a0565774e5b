"""The server: Host routing, validators and 304s, live mutation, determinism, sources.toml."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone

from conftest import FIXTURE_CORPUS, MODERN, PORTAL, WP_ON
from parsel import Selector
from swhttp import fetch

from tangguh.sampleweb.server import SampleWeb

WIB = timezone(timedelta(hours=7))


def test_index_lists_every_site_and_unknown_host_is_404(web):
    index = fetch(web.base_url + "/")
    assert index.status == 200
    links = Selector(text=index.text()).css("table a::attr(href)").getall()
    for info in web.sites:
        assert info.start_urls[0] in links
    assert fetch(f"http://nowhere.test:{web.port}/").status == 404


def test_conditional_requests_give_304_everywhere(web):
    post = next(r for r in web.manifest() if r.kind == "post" and r.site == MODERN)
    article = next(r for r in web.manifest() if r.site == PORTAL)
    urls = [
        post.url,
        web.url(MODERN, "/feeds/posts/default?alt=json"),
        web.url(WP_ON, "/wp-json/wp/v2/posts"),
        web.url(WP_ON, "/feed/"),
        article.url,
        web.url(MODERN, "/robots.txt"),
    ]
    for url in urls:
        first = fetch(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        by_tag = fetch(url, {"If-None-Match": etag})
        assert by_tag.status == 304 and by_tag.body == b"", url
        assert by_tag.headers["etag"] == etag
        assert fetch(url, {"If-Modified-Since": modified}).status == 304, url
        assert fetch(url, {"If-None-Match": '"other"'}).status == 200, url
        # If-None-Match wins over a matching If-Modified-Since (RFC 9110)
        both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
        assert fetch(url, both).status == 200, url


def test_last_modified_comes_from_content(web):
    post = next(r for r in web.manifest() if r.kind == "post" and r.site == MODERN)
    newest = max(
        [post.updated] + [c.published for c in web.manifest().comments_of(post.url)],
        key=datetime.fromisoformat,
    )
    got = fetch(post.url)
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(got.headers["last-modified"]) == datetime.fromisoformat(newest)
    assert got.headers["date"] == "Sat, 28 Nov 2026 02:00:00 GMT"


def test_add_comment_changes_feed_html_counts_and_etag(fresh_web):
    web = fresh_web
    post = next(r for r in web.manifest() if r.kind == "post" and r.title.startswith("Posko"))
    feed_url = web.url(MODERN, f"/feeds/{post.native_id}/comments/default?alt=json")
    posts_feed = web.url(MODERN, "/feeds/posts/default?alt=json")
    before_html, before_feed = fetch(post.url), fetch(feed_url)
    before_total = _thr_total(fetch(posts_feed), post.url)
    when = datetime(2020, 7, 1, 9, 30, tzinfo=WIB)
    top = web.manifest().comments_of(post.url)[0]
    url = web.add_comment(
        post.url,
        author="Wulan",
        text="Komentar baru dari Wlingi.",
        published=when,
        reply_to=top.url,
    )
    assert url.startswith(post.url + "?showComment=")
    after_html = fetch(post.url)
    assert after_html.headers["etag"] != before_html.headers["etag"]
    assert fetch(post.url, {"If-None-Match": before_html.headers["etag"]}).status == 200
    assert "Komentar baru dari Wlingi." in after_html.text()
    after_feed = json.loads(fetch(feed_url).body)["feed"]
    assert (
        int(after_feed["openSearch$totalResults"]["$t"])
        == int(json.loads(before_feed.body)["feed"]["openSearch$totalResults"]["$t"]) + 1
    )
    assert _thr_total(fetch(posts_feed), post.url) == before_total + 1
    record = web.manifest().by_url()[url]
    assert record.reply_to == top.url and record.author == "Wulan"
    # the Last-Modified moves forward to the new comment
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(after_html.headers["last-modified"]) == when


def _thr_total(got, post_url):
    for entry in json.loads(got.body)["feed"]["entry"]:
        if any(x["href"] == post_url for x in entry["link"] if x["rel"] == "alternate"):
            return int(entry["thr$total"]["$t"])
    raise AssertionError(post_url)


def test_add_comment_on_wordpress_shows_in_rest(fresh_web):
    web = fresh_web
    post = next(r for r in web.manifest() if r.kind == "post" and r.site == WP_ON)
    when = datetime(2021, 1, 2, 8, 0, tzinfo=WIB)
    url = web.add_comment(post.url, author="Rudi", text="Tambah satu.", published=when)
    assert url.startswith(post.url + "#comment-")
    items = json.loads(fetch(web.url(WP_ON, f"/wp-json/wp/v2/comments?post={post.native_id}")).body)
    assert url in [c["link"] for c in items]


def test_remove_page_then_restore(fresh_web):
    web = fresh_web
    post = next(r for r in web.manifest() if r.kind == "post")
    web.remove_page(post.url, 410)
    assert fetch(post.url).status == 410
    web.restore_page(post.url)
    assert fetch(post.url).status == 200


def test_same_seed_gives_identical_bytes_and_other_seed_other_ids():
    paths = [
        (MODERN, "/"),
        (MODERN, "/feeds/posts/default?alt=json"),
        (WP_ON, "/wp-json/wp/v2/comments"),
        (PORTAL, "/berita"),
    ]

    def grab(seed, port=0):
        web = SampleWeb(corpus_dir=FIXTURE_CORPUS, seed=seed)
        web.start(port)
        try:
            got = [fetch(web.url(h, p)) for h, p in paths]
            return [(g.headers, g.body) for g in got], web.manifest(), web.port
        finally:
            web.stop()

    one, m1, port = grab(7)
    two, m2, _ = grab(7, port)  # same port: URLs are part of the bytes
    other, m3, _ = grab(8)
    assert one == two
    assert [b for _, b in one] != [b for _, b in other]
    assert [r.native_id for r in m1] == [r.native_id for r in m2] != [r.native_id for r in m3]


def test_request_log_records_method_url_status(web):
    start = len(web.request_log)
    fetch(web.url(MODERN, "/robots.txt"))
    fetch(web.url(MODERN, "/nope"), method="HEAD")
    log = web.request_log[start:]
    assert ("GET", web.url(MODERN, "/robots.txt"), 200) in log
    assert ("HEAD", web.url(MODERN, "/nope"), 404) in log


def test_request_log_records_a_304_as_answered(web):
    url = web.url(MODERN, "/")
    etag = fetch(url).headers["etag"]
    start = len(web.request_log)
    assert fetch(url, {"If-None-Match": etag}).status == 304
    assert web.request_log[start:] == [("GET", url, 304)]


def test_gzip_for_clients_that_ask_and_head_without_body(web):
    url = web.url(MODERN, "/")
    plain = fetch(url)
    packed = fetch(url, {"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    head = fetch(url, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["content-length"]) == len(plain.body)


def test_images_are_real_pngs(web):
    got = fetch(web.url(MODERN, "/img/posko.jpg"))
    assert got.headers["content-type"] == "image/png" and got.body.startswith(b"\x89PNG")


def test_sources_toml_parses_with_the_project_loader(web):
    from scrapers.sources import parse_sources

    sources = parse_sources(web.sources_toml())
    by_name = {s.name: s for s in sources}
    content = [i for i in web.sites if i.in_sources]
    assert set(by_name) == {i.name for i in content}
    for info in content:
        src = by_name[info.name]
        assert src.kind == info.kind and src.start_urls == info.start_urls
        assert src.allowed_domains == [info.host]
        if info.kind == "news":
            assert src.selectors["body"]
    topical = parse_sources(web.sources_toml(topic=["kampung tangguh"]))
    assert all(s.topic == ["kampung tangguh"] for s in topical)


def test_manifest_counts_and_shape(web):
    manifest = web.manifest()
    counts = manifest.counts()
    assert counts["post"] == 2 + 7 + 2 + 13 + 13
    assert counts["article"] == 14 + 12 + 45  # scale=45 in the fixture
    comments = manifest.of_kind("comment")
    assert all(c.parent_url and c.parent_url in manifest.by_url() for c in comments)
    assert any(c.deleted for c in comments) and any(c.author is None for c in comments)
    assert {r.syndicated_group for r in manifest} >= {"pr-1"}
    assert manifest.to_jsonl().count("\n") == len(manifest)
    hidden = [r for r in manifest if not r.visible]
    assert hidden and all(r.platform == "wordpress" and r.deleted for r in hidden)
    assert manifest.counts(visible_only=True)["comment"] == len(comments) - len(hidden)


def test_absolute_form_request_target_is_routed_by_its_host(web):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    try:
        conn.request("GET", web.url(MODERN, "/robots.txt"), headers={"Host": "other.test"})
        resp = conn.getresponse()
        assert resp.status == 200 and b"Disallow: /search" in resp.read()
    finally:
        conn.close()
