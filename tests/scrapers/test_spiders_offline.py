"""Spider decisions on saved responses, without a network: what gets fetched next.

These pin the incremental rules (skip unchanged posts and comment feeds) and the fallbacks
(HTML when feeds fail, RSS when REST is off) on real-shaped fixture bodies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from scrapers.items import DocumentItem
from scrapers.sources import Source
from scrapers.spiders.blogger import BloggerSpider
from scrapers.spiders.news import NewsSpider
from scrapers.spiders.wordpress import WordPressSpider, _Blog
from scrapers.state import KnownDoc, MemoryCrawlState

FIXTURES = Path(__file__).parent / "fixtures"
BLOG = "https://infokampungtangguhsemeru.blogspot.com/"


def _spider(cls: type, source: Source, state: MemoryCrawlState) -> Any:
    crawler = get_crawler(cls, {"TANGGUH_BLOGGER_PAGE_SIZE": 2})
    spider = cls.from_crawler(crawler, source=source, crawl_state=state)
    return spider


def _response(url: str, name: str, status: int = 200, cls: type = TextResponse) -> Any:
    body = (FIXTURES / name).read_bytes() if name else b""
    return cls(
        url=url,
        body=body,
        status=status,
        encoding="utf-8",
        request=Request(url),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def _split(outputs: Any) -> tuple[list[scrapy.Request], list[DocumentItem]]:
    outputs = list(outputs)
    return (
        [o for o in outputs if isinstance(o, scrapy.Request)],
        [o for o in outputs if isinstance(o, DocumentItem)],
    )


def blogger() -> tuple[Any, MemoryCrawlState]:
    state = MemoryCrawlState()
    source = Source(
        name="kts",
        kind="blogger",
        start_urls=[BLOG],
        allowed_domains=["infokampungtangguhsemeru.blogspot.com"],
    )
    return _spider(BloggerSpider, source, state), state


def test_blogger_feed_asks_for_comment_feeds_and_next_page() -> None:
    spider, _ = blogger()
    response = _response(BLOG + "feeds/posts/default?alt=json", "blogger_feed_posts.json")
    requests, items = _split(spider.parse_post_feed(response, root=BLOG, start_url=BLOG))
    assert items == []  # posts wait for their comments
    urls = [r.url for r in requests]
    assert any("/feeds/1122334455667788990/comments/default" in u and "alt=json" in u for u in urls)
    assert any("start-index=3" in u for u in urls)


def test_blogger_unchanged_posts_cost_nothing() -> None:
    spider, state = blogger()
    state.remember(
        BLOG + "2020/06/pasar-tangguh.html",
        KnownDoc(updated_raw="2020-06-27T08:12:41.522+07:00", comment_count=2),
    )
    url = BLOG + "2020/06/10-hal-tentang-kampung-tangguh-semeru.html"
    state.remember(url, KnownDoc(updated_raw="2020-06-25T21:40:12.000+07:00", comment_count=4))
    response = _response(BLOG + "feeds/posts/default?alt=json", "blogger_feed_posts.json")
    requests, items = _split(spider.parse_post_feed(response, root=BLOG, start_url=BLOG))
    comment_feeds = [r.url for r in requests if "/comments/" in r.url]
    assert comment_feeds == [
        f"{BLOG}feeds/3344556677889900112/comments/default?alt=json&start-index=1&max-results=200"
    ]  # only the post whose count went 4 -> 5
    assert spider.crawler.stats.get_value("tangguh/unchanged") == 1


def test_blogger_feed_failure_falls_back_to_html() -> None:
    spider, _ = blogger()
    response = _response(BLOG + "feeds/posts/default?alt=json", "", status=404)
    requests, _ = _split(spider.parse_post_feed(response, root=BLOG, start_url=BLOG))
    assert [r.url for r in requests] == [BLOG]
    listing = _response(BLOG, "blogger_contempo_threaded.html", cls=HtmlResponse)
    requests, _ = _split(spider.parse_listing(listing))
    urls = {r.url for r in requests}
    assert BLOG + "2020/06/10-hal-tentang-kampung-tangguh-semeru.html" in urls
    assert BLOG + "2020/" in urls  # archive pages lead to older posts
    assert not any("/search" in u for u in urls)


def test_blogger_short_comment_feed_completes_from_the_page() -> None:
    spider, _ = blogger()
    post = BLOG + "2020/06/10-hal-tentang-kampung-tangguh-semeru.html"
    item = DocumentItem(url=post, kind="post", platform="blogger", comment_count=5)
    feed = _response(post, "blogger_feed_comments.json")
    requests, items = _split(spider.parse_comment_feed(feed, feed="x", item=item, collected=[]))
    assert items == [] and len(requests) == 1 and requests[0].url == post
    page = _response(post, "blogger_contempo_threaded.html", cls=HtmlResponse)
    _, items = _split(spider.parse_post_page(page, **requests[0].cb_kwargs))
    comments = [i for i in items if i.kind == "comment"]
    assert len(comments) == 5 and items[-1].kind == "post"  # the post goes out last
    assert items[-1].comment_count == 5
    assert sum(c.reply_to is not None for c in comments) == 2


def test_wordpress_without_rest_uses_rss_then_pages() -> None:
    state = MemoryCrawlState()
    source = Source(
        name="arek",
        kind="wordpress",
        start_urls=["https://arekmemo.com/"],
        allowed_domains=["arekmemo.com"],
    )
    spider = _spider(WordPressSpider, source, state)
    blog = _Blog("https://arekmemo.com/", "https://arekmemo.com/")
    denied = _response("https://arekmemo.com/wp-json/wp/v2/posts", "", status=401)
    requests, _ = _split(spider.parse_rest_posts(denied, blog=blog, page=1))
    assert [r.url for r in requests] == ["https://arekmemo.com/feed/"]
    state.remember(
        "https://arekmemo.com/2020/06/22/polda-jatim-gelar-lomba-blogger/",
        KnownDoc(comment_count=None),
    )
    state.remember("https://arekmemo.com/?p=3093", KnownDoc(comment_count=4))
    rss = _response("https://arekmemo.com/feed/", "wp_rss_feed.xml")
    requests, _ = _split(spider.parse_rss(rss, blog=blog, page=1))
    urls = [r.url for r in requests]
    assert "https://arekmemo.com/?p=3093" not in urls  # same slash:comments: skipped
    assert "https://arekmemo.com/2020/06/22/polda-jatim-gelar-lomba-blogger/" in urls
    assert "https://arekmemo.com/feed/?paged=2" in urls


def test_news_listing_stops_at_a_fully_known_page() -> None:
    state = MemoryCrawlState()
    source = Source(
        name="kominfo",
        kind="news",
        start_urls=["https://kominfo.jatimprov.go.id/berita"],
        allowed_domains=["kominfo.jatimprov.go.id"],
    )
    spider = _spider(NewsSpider, source, state)
    listing = _response(
        "https://kominfo.jatimprov.go.id/berita", "news_listing_kominfo.html", cls=HtmlResponse
    )
    requests, _ = _split(spider.parse_listing(listing, depth=1))
    assert len(requests) == 4  # three articles and the next page
    for r in requests:
        if "page=" not in r.url:
            state.remember(r.url, KnownDoc(etag='"a"'))
    rerun = _spider(NewsSpider, source, state)  # the next run, same store
    requests, _ = _split(rerun.parse_listing(listing, depth=1))
    assert requests == []
    assert rerun.crawler.stats.get_value("tangguh/unchanged") == 3


def test_news_listing_that_repeats_itself_ends() -> None:
    source = Source(
        name="k",
        kind="news",
        start_urls=["https://kominfo.jatimprov.go.id/berita"],
        allowed_domains=["kominfo.jatimprov.go.id"],
    )
    spider = _spider(NewsSpider, source, MemoryCrawlState())
    listing = _response(
        "https://kominfo.jatimprov.go.id/berita?page=2",
        "news_listing_kominfo.html",
        cls=HtmlResponse,
    )
    first, _ = _split(spider.parse_listing(listing, depth=1))
    again, _ = _split(spider.parse_listing(listing, depth=2))  # page 2 served page 1 again
    assert any("page=2" in r.url for r in first)
    assert again == []


def test_wordpress_comments_closed_to_rest_come_from_post_pages() -> None:
    state = MemoryCrawlState()
    root = "https://kelpurwantoro.malangkota.go.id/"
    source = Source(
        name="purwantoro",
        kind="wordpress",
        start_urls=[root],
        allowed_domains=["kelpurwantoro.malangkota.go.id"],
    )
    spider = _spider(WordPressSpider, source, state)
    blog = _Blog(root, root)
    posts = _response(root + "wp-json/wp/v2/posts", "wp_rest_posts.json")
    posts = posts.replace(headers={"X-WP-Total": "2", "X-WP-TotalPages": "1"})
    requests, items = _split(spider.parse_rest_posts(posts, blog=blog, page=1))
    assert [i.kind for i in items] == ["post", "post"]
    assert requests[-1].url.startswith(root + "wp-json/wp/v2/comments")
    closed = _response(requests[-1].url, "", status=401)
    requests, _ = _split(spider.parse_rest_comments(closed, blog=blog, page=1))
    assert {r.url for r in requests} == {i.url for i in items}


def _feed_body(total: int, start: int, entries: bool) -> bytes:
    import json

    data = json.loads((FIXTURES / "blogger_feed_posts.json").read_text(encoding="utf-8"))
    data["feed"]["openSearch$totalResults"] = {"$t": str(total)}
    data["feed"]["openSearch$startIndex"] = {"$t": str(start)}
    if not entries:
        data["feed"].pop("entry")
    return json.dumps(data).encode()


def _feed_response(body: bytes) -> Any:
    url = BLOG + "feeds/posts/default?alt=json"
    return TextResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def test_blogger_post_feed_cut_before_total_walks_the_pages() -> None:
    spider, _ = blogger()
    complete = _feed_response(_feed_body(total=4, start=3, entries=True))  # posts 3 and 4
    requests, _ = _split(spider.parse_post_feed(complete, root=BLOG, start_url=BLOG))
    assert requests and all("/feeds/" in r.url for r in requests)  # comment feeds only
    cut = _feed_response(_feed_body(total=40, start=3, entries=False))
    requests, _ = _split(spider.parse_post_feed(cut, root=BLOG, start_url=BLOG))
    assert [r.url for r in requests] == [BLOG]
    assert spider.crawler.stats.get_value("tangguh/fallback/post_feed_short") == 1
    empty = _feed_response(_feed_body(total=0, start=1, entries=False))  # "no feed" as a feed
    spider, _ = blogger()
    requests, _ = _split(spider.parse_post_feed(empty, root=BLOG, start_url=BLOG))
    assert [r.url for r in requests] == [BLOG]


def test_blogger_pages_skip_posts_the_feed_gave_and_posts_whose_count_is_unchanged() -> None:
    from tangguh.sampleweb.responses import Request as SampleRequest
    from tangguh.sampleweb.server import SampleWeb

    web = SampleWeb()  # rendered without a socket: pages of the classic sample blog
    host = "catatanwargablitar.blogspot.test"
    root = web.url(host, "/")
    home = web.respond(SampleRequest.parse("GET", "/", {"host": host}, 0))
    listing = HtmlResponse(url=root, body=home.body, encoding="utf-8", request=Request(root))
    state = MemoryCrawlState()
    source = Source(name="cw", kind="blogger", start_urls=[root], allowed_domains=[host])
    spider = _spider(BloggerSpider, source, state)
    manifest = web.manifest()
    shown = [r for r in manifest.for_site(host) if r.kind == "post"][:5]  # the home page
    from_feed, same, more = shown[0].url, shown[1].url, shown[2].url
    spider._feed_posts.add(from_feed)
    state.remember(same, KnownDoc(etag='"s"', comment_count=len(manifest.comments_of(same))))
    state.remember(more, KnownDoc(etag='"m"', comment_count=0))
    requests, _ = _split(spider.parse_listing(listing))
    urls = [r.url for r in requests]
    assert from_feed not in urls and same not in urls
    again = next(r for r in requests if r.url == more)
    assert again.headers.get("If-None-Match") == b'"m"'  # count changed: revalidate
    assert again.cb_kwargs["walk"] is True  # its "Posting Lama" link is followed
    assert any("/search?updated-max=" in u for u in urls)  # the pager (robots decides)
    assert any(u.endswith("/2020/06/") for u in urls)  # archive pages
    assert spider.crawler.stats.get_value("tangguh/unchanged") == 1


def test_blogger_feed_reply_past_a_cut_gets_its_parent_from_the_page() -> None:
    from scrapers.pages.blogger_feed import FeedComment
    from scrapers.spiders.blogger import comments_from_feed, merge_comments

    post = BLOG + "2020/06/posko.html"
    reply = FeedComment(
        comment_id="222",
        url=post + "?showComment=1593147720000#c222",
        post_url=post,
        html="Setuju.",
        published="2020-06-26T12:02:00.000+07:00",
        display_time="26 Juni 2020 pukul 12.02",
        author="Rina",
        parent_id="111",  # the feed was cut before comment 111
    )
    from_feed = comments_from_feed(post, [reply])
    assert from_feed[0].reply_to is None
    parent = DocumentItem(url=post + "?showComment=1593140000000#c111", kind="comment")
    on_page = DocumentItem(url=post + "#c222", kind="comment", reply_to=parent.url)
    merged = merge_comments(from_feed, [parent, on_page])
    assert [c.url for c in merged] == [reply.url, parent.url]
    assert merged[0].reply_to == parent.url and "parent_id" not in merged[0].extra
