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
