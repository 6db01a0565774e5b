"""WordPress sites: REST paging headers, RSS, threaded comment HTML, and the REST-off blog."""

from __future__ import annotations

import json

import pytest
from conftest import WP_OFF, WP_ON
from lxml import etree
from parsel import Selector
from swhttp import fetch

NS = {
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def posts_of(web, host):
    return [r for r in web.manifest().for_site(host) if r.kind == "post"]


def visible_comments(web, post_url):
    return [c for c in web.manifest().comments_of(post_url) if c.visible]


def test_rest_posts_paging_headers_cover_every_post(web):
    posts = posts_of(web, WP_ON)
    first = fetch(web.url(WP_ON, "/wp-json/wp/v2/posts?per_page=5"))
    assert first.status == 200
    total, pages = int(first.headers["x-wp-total"]), int(first.headers["x-wp-totalpages"])
    assert total == len(posts) and pages == -(-len(posts) // 5)
    seen = []
    for page in range(1, pages + 1):
        got = fetch(web.url(WP_ON, f"/wp-json/wp/v2/posts?per_page=5&page={page}"))
        seen.extend(json.loads(got.body))
    assert sorted(p["link"] for p in seen) == sorted(p.url for p in posts)
    by_url = {p.url: p for p in posts}
    for item in seen:
        truth = by_url[item["link"]]
        assert item["title"]["rendered"] == truth.title
        assert item["date"] == truth.published[:19]
        assert str(item["id"]) == truth.native_id
    past = fetch(web.url(WP_ON, f"/wp-json/wp/v2/posts?per_page=5&page={pages + 1}"))
    assert past.status == 400
    assert json.loads(past.body)["code"] == "rest_post_invalid_page_number"
    assert fetch(web.url(WP_ON, "/wp-json/wp/v2/posts?per_page=101")).status == 400


def test_rest_comments_with_parents_and_totals(web):
    post = next(p for p in posts_of(web, WP_ON) if p.title.startswith("Lumbung"))
    truth = visible_comments(web, post.url)
    got = fetch(web.url(WP_ON, f"/wp-json/wp/v2/comments?post={post.native_id}&per_page=2"))
    assert int(got.headers["x-wp-total"]) == len(truth)
    assert int(got.headers["x-wp-totalpages"]) == -(-len(truth) // 2)
    items = []
    for page in range(1, int(got.headers["x-wp-totalpages"]) + 1):
        url = f"/wp-json/wp/v2/comments?post={post.native_id}&per_page=2&page={page}"
        items.extend(json.loads(fetch(web.url(WP_ON, url)).body))
    by_link = {c["link"]: c for c in items}
    assert set(by_link) == {c.url for c in truth}
    ids = {c.url: int(c.native_id) for c in web.manifest().comments_of(post.url)}
    for c in truth:
        item = by_link[c.url]
        assert item["parent"] == (ids[c.reply_to] if c.reply_to else 0)
        assert item["author_name"] == (c.author or "")
        assert c.url == f"{post.url}#comment-{item['id']}"
    # the deleted comment is absent, its id never served
    hidden = [c for c in web.manifest().comments_of(post.url) if not c.visible]
    assert hidden and all(h.url not in by_link for h in hidden)
    nested = fetch(web.url(WP_ON, f"/wp-json/wp/v2/comments?post={post.native_id}&parent=0"))
    assert all(c["parent"] == 0 for c in json.loads(nested.body))


def test_rest_disabled_blog_answers_404_but_has_rss_and_html(web):
    for path in ("/wp-json/", "/wp-json/wp/v2/posts", "/?rest_route=/wp/v2/posts"):
        got = fetch(web.url(WP_OFF, path))
        assert got.status == 404, path
    info = next(i for i in web.sites if i.host == WP_OFF)
    assert info.rest_enabled is False
    posts = posts_of(web, WP_OFF)
    # RSS pages and HTML pagination each reach every post
    rss_links = []
    for paged in range(1, 10):
        got = fetch(web.url(WP_OFF, f"/feed/?paged={paged}"))
        if got.status != 200:
            break
        rss_links += etree.fromstring(got.body).xpath("//item/link/text()")
    assert sorted(rss_links) == sorted(p.url for p in posts)
    html_links, url = [], web.url(WP_OFF, "/")
    while url:
        sel = Selector(text=fetch(url).text())
        html_links += sel.css("article.post .entry-title a::attr(href)").getall()
        url = sel.css("a.next.page-numbers::attr(href)").get()
    assert sorted(html_links) == sorted(p.url for p in posts)


@pytest.mark.parametrize("host", [WP_ON, WP_OFF])
def test_rss_carries_comment_counts_and_comment_feeds(web, host):
    root = etree.fromstring(fetch(web.url(host, "/feed/")).body)
    assert root.tag == "rss"
    for item in root.iter("item"):
        link = item.findtext("link")
        count = int(item.findtext("slash:comments", namespaces=NS))
        assert count == len(visible_comments(web, link))
        feed = item.findtext("wfw:commentRss", namespaces=NS)
        assert feed == link + "feed/"
        comments = etree.fromstring(fetch(feed).body)
        assert len(comments.findall("channel/item")) == count


@pytest.mark.parametrize("host", [WP_ON, WP_OFF])
def test_post_page_markup_and_threading(web, host):
    post = next(p for p in posts_of(web, host) if p.title.startswith("Lumbung"))
    sel = Selector(text=fetch(post.url).text())
    assert sel.css("meta[name=generator]::attr(content)").get().startswith("WordPress 6.")
    assert sel.css("link[rel='https://api.w.org/']::attr(href)").get().endswith("/wp-json/")
    article = sel.css("article.post")
    assert article.css("h1.entry-title::text").get() == post.title
    assert article.css("time.entry-date.published::attr(datetime)").get() == post.published
    body = " ".join("".join(article.css("div.entry-content ::text").getall()).split())
    assert body == " ".join(post.text.split())
    truth = visible_comments(web, post.url)
    ids = [li.attrib["id"] for li in sel.css("ol.comment-list li.comment")]
    assert sorted(ids) == sorted("comment-" + c.native_id for c in truth)
    first = sel.css("ol.comment-list > li.comment")[0]
    assert first.css(".comment-author .fn::text").get() == truth[0].author
    assert first.css(".comment-metadata time::attr(datetime)").get() == truth[0].published
    # c3 replies to c2 which replies to c1: two levels of ol.children
    deep = first.css("ol.children ol.children li.comment .comment-content p::text").get()
    assert deep == "Balasan bersarang."
    assert "Dihapus admin." not in sel.get()
    assert "Anonim" in sel.css("ol.comment-list .fn::text").getall()


def test_permalink_redirects_and_sitemap(web):
    post = posts_of(web, WP_ON)[0]
    got = fetch(web.url(WP_ON, f"/?p={post.native_id}"))
    assert got.status == 301 and got.headers["location"] == post.url
    assert fetch(post.url.rstrip("/")).status == 301
    sitemap = etree.fromstring(fetch(web.url(WP_ON, "/wp-sitemap-posts-post-1.xml")).body)
    locs = sitemap.xpath("//*[local-name()='loc']/text()")
    assert sorted(locs) == sorted(p.url for p in posts_of(web, WP_ON))


def test_rest_orderby_modified_and_embedded_author(web):
    url = web.url(
        WP_ON, "/wp-json/wp/v2/posts?per_page=100&orderby=modified&order=desc&_embed=author"
    )
    items = json.loads(fetch(url).body)
    modified = [p["modified_gmt"] for p in items]
    assert modified == sorted(modified, reverse=True)
    truth = {p.url: p for p in posts_of(web, WP_ON)}
    for item in items:
        author = item["_embedded"]["author"][0]
        assert author["name"] == truth[item["link"]].author
        user = json.loads(fetch(item["_links"]["author"][0]["href"]).body)
        assert user["id"] == item["author"] == author["id"]
    assert fetch(web.url(WP_ON, "/wp-json/wp/v2/posts?orderby=nonsense")).status == 400
    assert "_embedded" not in json.loads(fetch(web.url(WP_ON, "/wp-json/wp/v2/posts")).body)[0]
