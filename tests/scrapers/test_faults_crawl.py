"""Every fault route of the sample web, fetched in one run: the run survives and behaves.

Also robots.txt: concurrent first requests never slip past a disallow, a 5xx robots.txt
means nothing is fetched from that host, a 4xx one means everything is allowed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from crawlkit import Sink, crawl_settings

from scrapers.items import DocumentItem, GoneItem
from scrapers.runner import run_crawl

server = pytest.importorskip("tangguh.sampleweb.server")
faults = pytest.importorskip("tangguh.sampleweb.faults")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fault_run():
    web = server.SampleWeb()
    web.start()
    urls = [web.url("faults.test", path) for path, _ in faults.ROUTES]
    sink = Sink()
    settings = crawl_settings(
        sink,
        DOWNLOAD_TIMEOUT=10,
        DOWNLOAD_MAXSIZE=4 * 1024 * 1024,
        LOG_LEVEL="ERROR",
        RETRY_TIMES=2,
        CONCURRENT_REQUESTS_PER_DOMAIN=8,
    )
    result = run_crawl([], settings=settings, urls=urls)
    yield web, sink, result
    web.stop()


def _paths(items):
    """Paths of the documents scraped (a GoneItem is a signal, not a document)."""
    return {urlsplit(i.url).path for i in items if isinstance(i, DocumentItem)}


def test_run_survives_every_fault(fault_run) -> None:
    web, sink, result = fault_run
    assert result.ok
    paths = _paths(sink.items)
    assert "/ok" in paths
    assert "/flaky/503/2" in paths  # retried until it answered
    gone = {urlsplit(i.url).path for i in sink.items if isinstance(i, GoneItem)}
    assert gone == {"/status/404", "/status/410"}
    for refused in (
        "/redirect/file",
        "/redirect/metadata",
        "/redirect/private",
        "/redirect/localhost",
        "/binary.pdf",
        "/binary",
        "/pdf-as-html",
        "/soft-block",
        "/empty",
        "/status/500",
        "/status/404",
        "/drop",
        "/truncated",
        "/stall",
        "/oversized",
        "/gzip-bomb",
    ):
        assert refused not in paths, refused
    stats = result.stats
    assert stats["tangguh/ssrf/private"] >= 2  # metadata + 10.0.0.1 (+ localhost)
    assert stats["tangguh/skipped/non_html"] >= 2
    assert stats["tangguh/skipped/block_page"] >= 1
    assert stats["tangguh/retry_after/waited"] >= 1
    assert stats.get("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError")
    # nothing was fetched from the metadata or private addresses
    assert not [u for _, u, _ in web.request_log if "169.254" in u or "10.0.0.1" in u]


def test_bad_content_is_cleaned_not_fatal(fault_run) -> None:
    _, sink, _ = fault_run
    by_path = {urlsplit(i.url).path: i for i in sink.items if isinstance(i, DocumentItem)}
    control = by_path["/ok"].text
    for path in ("/charset/wrong", "/charset/conflict", "/charset/bom", "/charset/none"):
        item = by_path[path]
        assert "\ufffd" not in item.text and "â€" not in item.text, path
        assert "café" in (item.title or "") + item.text, path
    assert control[:40] in by_path["/nested"].text
    xss = by_path["/xss/article"]
    assert "alert" not in (xss.title or "") and "<script" not in xss.text
    assert by_path["/dates/impossible"].published_raw == "Rabu, 31 Februari 2021"
    assert by_path["/layout/missing-date"].published_raw is None
    # a theme that moved its body: read by the general extractor, and marked as such
    missing = by_path["/layout/missing-body"]
    assert missing.title and "Isi dipindah ke wadah baru" in missing.text
    assert missing.extra["body_extractor"] == "generic"


def test_robots_rules() -> None:
    web = server.SampleWeb()
    web.start()
    try:
        urls = []
        for host in ("robots-503.test", "robots-404.test", "robots-disallow.test"):
            urls += [
                web.url(host, f"/{kind}/{n}") for kind in ("public", "private") for n in (1, 2)
            ]
        sink = Sink()
        result = run_crawl(
            [], settings=crawl_settings(sink, CONCURRENT_REQUESTS_PER_DOMAIN=8), urls=urls
        )
        fetched = {(urlsplit(u).hostname, urlsplit(u).path) for _, u, _ in web.request_log}
    finally:
        web.stop()
    assert result.ok
    assert {p for h, p in fetched if h == "robots-503.test"} == {"/robots.txt"}
    assert {p for h, p in fetched if h == "robots-404.test"} >= {"/public/1", "/private/2"}
    disallowed = {p for h, p in fetched if h == "robots-disallow.test"}
    assert "/public/1" in disallowed and "/public/2" in disallowed
    assert not {p for p in disallowed if p.startswith("/private/")}
    assert result.stats["tangguh/robots/blocked_unavailable"] == 4


def test_loopback_url_needs_allow_private() -> None:
    web = server.SampleWeb()
    base = web.start()
    try:
        url = base.replace("127.0.0.1", "localhost") + "/"
        sink = Sink()
        refused = run_crawl([], settings=crawl_settings(sink), urls=[url, base + "/"])
        assert refused.stats["tangguh/ssrf/private"] >= 2
        allowed = run_crawl(
            [], settings=crawl_settings(sink, TANGGUH_ALLOW_PRIVATE=True), urls=[base + "/"]
        )
        assert allowed.stats.get("tangguh/ssrf/private", 0) == 0
        assert allowed.stats["downloader/response_status_count/200"] >= 1
    finally:
        web.stop()
