"""Small shared pieces: address guard, charset repair, Retry-After, text cleanups."""

from __future__ import annotations

import pytest

from scrapers.middlewares.charset import better_encoding
from scrapers.middlewares.netguard import ip_literal, is_public, mapped_address
from scrapers.middlewares.retry import retry_after_seconds
from scrapers.pages.commenters import comment_author
from scrapers.pages.detect import detect_platform
from scrapers.pages.text import (
    clean_author,
    html_to_text,
    is_deleted_comment,
    strip_title_suffix,
)
from scrapers.state import KnownDoc, MemoryCrawlState


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.5",
        "169.254.169.254",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "fd00:ec2::254",
        "224.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "103.10.20.30", "2001:4860:4860::8888"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public(address)


def test_ip_literals_in_browser_forms() -> None:
    assert str(ip_literal("2130706433")) == "127.0.0.1"
    assert str(ip_literal("0x7f000001")) == "127.0.0.1"
    assert str(ip_literal("[::1]")) == "::1"
    assert ip_literal("kominfo.jatimprov.go.id") is None
    assert mapped_address("blog.blogspot.test", {"*.test": "127.0.0.1"}) == "127.0.0.1"
    assert mapped_address("blog.test.com", {"*.test": "127.0.0.1"}) is None


def test_charset_repair() -> None:
    text = "Kampung Tangguh – “jogo tonggo”, café"
    assert better_encoding(text.encode("utf-8"), "iso-8859-1") == "utf-8"
    assert better_encoding(text.encode("cp1252"), "utf-8") == "cp1252"
    assert better_encoding(text.encode("utf-8"), "utf-8") is None
    damaged = text.encode("utf-8") + b"\xff\xfe"
    assert better_encoding(damaged, "utf-8") is None  # mostly valid UTF-8 stays UTF-8
    assert better_encoding(b"plain ascii", "iso-8859-1") is None


def test_retry_after_forms() -> None:
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_text_cleanups() -> None:
    html = (
        "<div><p>Warga berjaga.</p><p>Baca juga: Berita lain</p><script>x()</script>"
        "<p style='display:none'>tersembunyi</p><p>Satu<br>dua</p></div>"
    )
    assert html_to_text(html) == "Warga berjaga.\n\nSatu\ndua"
    assert clean_author("Penulis pos Oleh Moh. Khotib") == "Moh. Khotib"
    assert clean_author("Penulis: Samsul Hadi | Editor: Dwi Prastika") == "Samsul Hadi"
    assert clean_author("Rep: Wilda Fizriyani/ Red: Yudha") == "Wilda Fizriyani"
    assert clean_author("Bobby") == "Bobby"
    assert comment_author("Anonim") is None and comment_author("Rina") == "Rina"
    assert strip_title_suffix("Judul Berita | Blog Susi", ["Blog Susi"]) == "Judul Berita"
    assert strip_title_suffix("Blog Susi: Judul Berita", ["Blog Susi"]) == "Judul Berita"
    assert strip_title_suffix("Judul - Sub", ["Lain"]) == "Judul - Sub"
    assert is_deleted_comment("Komentar ini telah dihapus oleh pengarang.")
    assert is_deleted_comment("This comment has been removed by the author.")
    assert not is_deleted_comment("Komentar yang bagus")


def test_detect_platform() -> None:
    assert detect_platform("<meta name='generator' content='blogger'>") == "blogger"
    assert detect_platform("<meta name='generator' content='WordPress 6.4'>") == "wordpress"
    assert detect_platform("<link rel='https://api.w.org/' href='/wp-json/'>") == "wordpress"
    assert detect_platform("<div class='post-body entry-content'></div>") == "blogger"
    assert detect_platform("<html><body><article>x</article></body></html>") == "generic"


def test_memory_state_remembers_committed_items() -> None:
    from scrapers.items import DocumentItem

    state = MemoryCrawlState()
    item = DocumentItem(
        url="http://a.test/p.html",
        kind="post",
        updated_raw="2020",
        comment_count=3,
        extra={"etag": '"x"'},
    )
    state.remember_item(item)
    assert state.known(item.url) == KnownDoc(etag='"x"', updated_raw="2020", comment_count=3)
    assert state.known("http://a.test/other.html") is None


def test_crawl_delay_from_robots_is_remembered_per_host() -> None:
    from scrapy import signals
    from scrapy.http import Request
    from scrapy.robotstxt import ProtegoRobotParser
    from scrapy.utils.test import get_crawler

    from scrapers.middlewares.crawldelay import CrawlDelayMiddleware

    crawler = get_crawler(settings_dict={"USER_AGENT": "TangguhBot/0.1"})
    mw = CrawlDelayMiddleware.from_crawler(crawler)
    parser = ProtegoRobotParser(b"User-agent: *\nCrawl-delay: 3\nAllow: /\n", None)
    first = Request("https://kominfo.jatimprov.go.id/berita")
    crawler.signals.send_catch_log(signals.robots_parsed, robotparser=parser, request=first)
    assert mw.delays == {"kominfo.jatimprov.go.id": 3.0}
    mw.process_request(first)
    assert first.meta["autothrottle_dont_adjust_delay"] is True
    other = Request("https://arekmemo.com/")
    mw.process_request(other)
    assert "autothrottle_dont_adjust_delay" not in other.meta
