"""Blogger sites: feeds (JSON and Atom), paging, comment threads and both HTML templates."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import CLASSIC, MODERN
from lxml import etree
from parsel import Selector
from swhttp import fetch

ATOM = {
    "a": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearchrss/1.0/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
}


def squash(text: str) -> str:
    return " ".join(text.split())


def posts_of(web, host):
    return [r for r in web.manifest().for_site(host) if r.kind == "post"]


def json_entries(web, host, size=3):
    """Every post entry, following the feed's own rel=next links."""
    url = web.url(host, f"/feeds/posts/default?alt=json&max-results={size}")
    entries, totals = [], set()
    while url:
        got = fetch(url)
        assert got.status == 200
        assert got.headers["content-type"].startswith("application/json")
        feed = json.loads(got.body)["feed"]
        totals.add(int(feed["openSearch$totalResults"]["$t"]))
        entries.extend(feed.get("entry", []))
        nxt = [link["href"] for link in feed["link"] if link["rel"] == "next"]
        url = nxt[0] if nxt else None
    return entries, totals


@pytest.mark.parametrize("host", [MODERN, CLASSIC])
def test_json_feed_pages_cover_every_post_once(web, host):
    entries, totals = json_entries(web, host)
    posts = posts_of(web, host)
    assert totals == {len(posts)}
    links = [next(x["href"] for x in e["link"] if x["rel"] == "alternate") for e in entries]
    assert sorted(links) == sorted(p.url for p in posts)
    by_url = {p.url: p for p in posts}
    manifest = web.manifest()
    for entry, link in zip(entries, links, strict=True):
        post = by_url[link]
        assert re.fullmatch(r"tag:blogger\.com,1999:blog-\d{19}\.post-\d{19}", entry["id"]["$t"])
        assert entry["id"]["$t"].endswith(post.native_id)
        assert entry["published"]["$t"].startswith(post.published[:19])
        assert entry["title"]["$t"] == post.title
        assert int(entry["thr$total"]["$t"]) == len(manifest.comments_of(post.url))
        replies = [x for x in entry["link"] if x["rel"] == "replies"]
        assert {x["type"] for x in replies} == {"application/atom+xml", "text/html"}


def test_feed_is_newest_first_and_start_index_is_one_based(web):
    url = web.url(MODERN, "/feeds/posts/default?alt=json&start-index=2&max-results=2")
    feed = json.loads(fetch(url).body)["feed"]
    assert feed["openSearch$startIndex"]["$t"] == "2"
    dates = [e["published"]["$t"] for e in feed["entry"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2
    everything = json.loads(fetch(web.url(MODERN, "/feeds/posts/default?alt=json")).body)["feed"]
    assert [e["id"] for e in everything["entry"][1:3]] == [e["id"] for e in feed["entry"]]


def test_atom_feed_is_valid_xml_with_required_elements(web):
    got = fetch(web.url(CLASSIC, "/feeds/posts/default"))
    assert got.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(got.body)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    total = int(root.findtext("os:totalResults", namespaces=ATOM))
    assert total == len(posts_of(web, CLASSIC))
    for entry in root.findall("a:entry", ATOM):
        for name in ("a:id", "a:published", "a:updated", "a:title", "a:content", "thr:total"):
            assert entry.find(name, ATOM) is not None, name
        assert entry.find("a:link[@rel='replies'][@type='application/atom+xml']", ATOM) is not None


def test_published_filter_and_summary_feed(web):
    url = web.url(MODERN, "/feeds/posts/summary?alt=json&published-min=2020-07-01T00:00:00%2B07:00")
    feed = json.loads(fetch(url).body)["feed"]
    assert all(e["published"]["$t"] >= "2020-07-01" for e in feed["entry"])
    assert all("summary" in e and "content" not in e for e in feed["entry"])
    assert int(feed["openSearch$totalResults"]["$t"]) == sum(
        p.published >= "2020-07-01" for p in posts_of(web, MODERN)
    )


def _comment_entries(web, host, post_id):
    url = web.url(host, f"/feeds/{post_id}/comments/default?alt=json&max-results=2")
    out = []
    while url:
        feed = json.loads(fetch(url).body)["feed"]
        out.extend(feed.get("entry", []))
        nxt = [x["href"] for x in feed["link"] if x["rel"] == "next"]
        url = nxt[0] if nxt else None
    return out


@pytest.mark.parametrize("host", [MODERN, CLASSIC])
def test_comment_feeds_match_manifest_threads(web, host):
    manifest = web.manifest()
    checked = 0
    for post in posts_of(web, host):
        truth = {c.url: c for c in manifest.comments_of(post.url)}
        entries = _comment_entries(web, host, post.native_id)
        links = {next(x["href"] for x in e["link"] if x["rel"] == "alternate"): e for e in entries}
        assert set(links) == set(truth)
        for url, entry in links.items():
            c = truth[url]
            assert entry["thr$in-reply-to"]["href"] == post.url
            assert url.startswith(post.url + "?showComment=")
            ms = int(parse_qs(urlsplit(url).query)["showComment"][0])
            assert abs(ms // 1000 - _epoch(c.published)) <= 1
            related = [x["href"] for x in entry["link"] if x["rel"] == "related"]
            if c.reply_to:
                root_id = c.reply_to.rsplit("#c", 1)[1]
                assert related and related[0].endswith("/" + root_id)
            else:
                assert not related
            props = {p["name"]: p["value"] for p in entry.get("gd$extendedProperty", [])}
            assert (props.get("blogger.contentRemoved") == "true") == c.deleted
            shown = html.unescape(entry["content"]["$t"].replace("<br />", "\n"))
            assert shown == c.text
            checked += 1
    assert checked == len([r for r in manifest.for_site(host) if r.kind == "comment"])


def _epoch(iso: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(iso).timestamp())


def test_reply_to_reply_is_flattened_to_thread_root(web):
    manifest = web.manifest()
    post = next(p for p in posts_of(web, MODERN) if p.title.startswith("Posko"))
    comments = manifest.comments_of(post.url)
    top = comments[0]
    assert top.reply_to is None
    # c2 answers c1 and c3 answers c2: Blogger shows both under c1
    assert [c.reply_to for c in comments[1:3]] == [top.url, top.url]


def test_modern_post_page_markup(web):
    manifest = web.manifest()
    post = next(p for p in posts_of(web, MODERN) if p.title.startswith("Posko"))
    page = fetch(post.url)
    sel = Selector(text=page.text())
    assert sel.css("meta[name=generator]::attr(content)").get() == "blogger"
    assert sel.css("h3.post-title::text").get().strip() == post.title
    assert sel.css("time.published::attr(datetime)").get() == post.published
    assert sel.css("h2.date-header span::text").get() == "Kamis, 25 Juni 2020"
    body = "".join(sel.css("div.post-body.entry-content ::text").getall())
    assert squash(body) == squash(post.text)
    assert sel.css("div.post-body a[href*='tribratanews']::attr(rel)").get() == "nofollow"
    threads = sel.css("div.comment-thread.toplevel-thread > ol > li.comment")
    comments = manifest.comments_of(post.url)
    tops = [c for c in comments if c.reply_to is None]
    assert [t.attrib["id"] for t in threads] == [f"c{c.native_id}" for c in tops]
    nested = threads[0].css("div.comment-replies li.comment::attr(id)").getall()
    assert nested == [f"c{c.native_id}" for c in comments if c.reply_to == tops[0].url]
    first = threads[0]
    assert first.css(".comment-header cite.user a::text").get() == "Dimas"
    link = first.css("span.datetime a::attr(href)").get()
    assert link == tops[0].url and "showComment=" in link
    assert first.css(".comment-content::text").get() == tops[0].text
    raw = page.text()
    assert "Komentar ini telah dihapus oleh pengarang." in raw
    assert "Komentar yang ditarik." not in raw  # the removed text is never shown
    assert "<cite class='user'>Anonim</cite>" in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and "<script>alert(1)" not in raw
    # page furniture a parser must skip: popular posts with other dates, archive, labels
    assert sel.css("#PopularPosts1 time.published")
    assert sel.css("#BlogArchive1 a.post-count-link")
    assert sel.css("#Label1 a.label-name")


def test_classic_post_page_markup(web):
    manifest = web.manifest()
    post = next(p for p in posts_of(web, CLASSIC) if p.title.startswith("Ruang"))
    sel = Selector(text=fetch(post.url).text())
    assert sel.css("meta[name=generator]::attr(content)").get() == "blogger"
    assert sel.css("abbr.published::attr(title)").get() == post.published
    assert sel.css("h2.date-header span::text").get() == "Saturday, June 20, 2020"
    assert sel.css("h3.post-title a::text").get() == post.title
    dts = sel.css("dl#comments-block dt.comment-author")
    comments = manifest.comments_of(post.url)
    assert [dt.css("a[name]::attr(name)").get() for dt in dts] == [
        f"c{c.native_id}" for c in comments
    ]
    footers = sel.css(
        "dl#comments-block dd.comment-footer span.comment-timestamp a::attr(href)"
    ).getall()
    assert footers == [c.url for c in comments]
    bodies = [squash(" ".join(dd.css("::text").getall())) for dd in sel.css("dd.comment-body")]
    assert bodies[0] == comments[0].text
    assert bodies[2] == "This comment has been removed by the author."
    assert "Anonymous said..." in squash(" ".join(dts[1].css("::text").getall()))


def test_archive_label_and_home_pages(web):
    posts = posts_of(web, MODERN)
    june = fetch(web.url(MODERN, "/2020/06/"))
    assert june.status == 200
    sel = Selector(text=june.text())
    listed = set(sel.css("h3.post-title a::attr(href)").getall())
    assert listed == {p.url for p in posts if p.published.startswith("2020-06")}
    label = Selector(text=fetch(web.url(MODERN, "/search/label/Lomba")).text())
    assert label.css("h3.post-title a::text").getall() == [
        p.title for p in posts if "Lomba" in p.labels
    ]
    home = Selector(text=fetch(web.url(MODERN, "/")).text())
    older = home.css("a.blog-pager-older-link::attr(href)").get()
    assert "/search?updated-max=" in older
    assert fetch(older).status == 200
    assert fetch(web.url(MODERN, "/2019/01/")).status == 404
    assert fetch(web.url(MODERN, "/2020/06/nope.html")).status == 404


def test_robots_disallows_search_like_blogspot(web):
    robots = fetch(web.url(MODERN, "/robots.txt")).text()
    assert "Disallow: /search" in robots and "Crawl-delay: 0" in robots


def test_mobile_and_showcomment_variants_serve_the_post(web):
    post = posts_of(web, MODERN)[0]
    plain = fetch(post.url).body
    assert fetch(post.url + "?m=1").body == plain


def test_json_in_script_and_rss(web):
    got = fetch(web.url(MODERN, "/feeds/posts/default?alt=json-in-script&callback=cb"))
    assert got.text().startswith("// API callback\ncb(") and got.text().endswith(");")
    rss = etree.fromstring(fetch(web.url(MODERN, "/feeds/posts/default?alt=rss")).body)
    assert rss.tag == "rss" and rss.findall("channel/item")
    assert fetch(web.url(MODERN, "/feeds/posts/default?alt=json&start-index=0")).status == 400


def test_entry_self_and_related_links_resolve(web):
    manifest = web.manifest()
    feed = json.loads(fetch(web.url(MODERN, "/feeds/posts/default?alt=json")).body)["feed"]
    for entry in feed["entry"][:3]:
        self_href = next(x["href"] for x in entry["link"] if x["rel"] == "self")
        single = json.loads(fetch(self_href + "?alt=json").body)["entry"]
        assert single["id"] == entry["id"]
        assert etree.fromstring(fetch(self_href).body).tag.endswith("entry")
    post = next(p for p in posts_of(web, MODERN) if p.title.startswith("Posko"))
    for entry in _comment_entries(web, MODERN, post.native_id):
        for link in entry["link"]:
            if link["rel"] == "related":
                parent = json.loads(fetch(link["href"] + "?alt=json").body)["entry"]
                alt = next(x["href"] for x in parent["link"] if x["rel"] == "alternate")
                assert manifest.by_url()[alt].reply_to is None


def test_label_pages_page_through_every_labelled_post(web):
    labelled = [p.url for p in posts_of(web, MODERN) if "Harian" in p.labels]
    seen, url = [], web.url(MODERN, "/search/label/Harian?max-results=3")
    while url:
        sel = Selector(text=fetch(url).text())
        seen += sel.css("h3.post-title a::attr(href)").getall()
        url = sel.css("a.blog-pager-older-link::attr(href)").get()
    assert seen == labelled and len(seen) > 3
