"""Every fault route misbehaves exactly as documented (and the index links them all)."""

from __future__ import annotations

import gzip
import http.client
import socket
import zlib

import pytest
from parsel import Selector
from swhttp import fetch

from tangguh.sampleweb.faults import FAULTS_HOST, ROUTES, XSS_HOST

STATUS_ROUTES = [(500, None), (503, "1"), (429, "1"), (404, None), (410, None), (403, None)]


def furl(web, path):
    return web.url(FAULTS_HOST, path)


def raw(web, path, read_timeout=5.0):
    """Send a GET on a bare socket; return everything received until close or timeout."""
    sock = socket.create_connection(("127.0.0.1", web.port), timeout=read_timeout)
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {FAULTS_HOST}:{web.port}\r\n\r\n".encode())
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except TimeoutError:
                chunks.append(b"<timeout>")
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)
    finally:
        sock.close()


def test_index_links_every_route(web):
    sel = Selector(text=fetch(furl(web, "/")).text())
    hrefs = set(sel.css("a::attr(href)").getall())
    assert {furl(web, path) for path, _ in ROUTES} <= hrefs
    assert "http://refused.test:1/" in hrefs


@pytest.mark.parametrize(("code", "retry_after"), STATUS_ROUTES)
def test_status_routes(web, code, retry_after):
    got = fetch(furl(web, f"/status/{code}"))
    assert got.status == code
    assert got.headers.get("retry-after") == retry_after


def test_flaky_route_recovers_after_n_failures(fresh_web):
    url = fresh_web.url(FAULTS_HOST, "/flaky/503/2")
    assert [fetch(url).status for _ in range(3)] == [503, 503, 200]


def test_drop_closes_without_a_response(web):
    assert raw(web, "/drop") == b""


def test_truncated_body_is_shorter_than_content_length(web):
    data = raw(web, "/truncated")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Content-Length: 20000" in head
    assert 0 < len(body) < 20000
    with pytest.raises(http.client.IncompleteRead):
        fetch(furl(web, "/truncated"))


def test_stall_sends_headers_then_nothing(web):
    data = raw(web, "/stall?seconds=30", read_timeout=1.0)
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"<timeout>")
    head, _, body = data.partition(b"\r\n\r\n")
    assert body == b"<timeout>"


def test_slow_body_arrives_complete(web):
    got = fetch(furl(web, "/slow?seconds=1"))
    assert got.status == 200 and b"Halaman Lambat" in got.body


def test_redirect_traps(web):
    assert fetch(furl(web, "/redirect/loop")).headers["location"].endswith("/redirect/loop/a")
    a = fetch(furl(web, "/redirect/loop/a")).headers["location"]
    assert fetch(a).headers["location"].endswith("/redirect/loop/a")
    assert fetch(furl(web, "/redirect/file")).headers["location"] == "file:///etc/passwd"
    meta = fetch(furl(web, "/redirect/metadata")).headers["location"]
    assert meta.startswith("http://169.254.169.254/")
    assert fetch(furl(web, "/redirect/private")).headers["location"].startswith("http://10.")
    local = fetch(furl(web, "/redirect/localhost")).headers["location"]
    assert local == f"http://localhost:{web.port}/"
    url, hops = furl(web, "/redirect/chain/3"), 0
    while (got := fetch(url)).status in (301, 302):
        url, hops = got.headers["location"], hops + 1
    assert hops == 4 and got.status == 200


def test_oversized_bodies(web):
    got = fetch(furl(web, "/oversized?mb=2"))
    assert int(got.headers["content-length"]) == 2 << 20 == len(got.body)
    chunked = fetch(furl(web, "/oversized/chunked?mb=1"))
    assert "content-length" not in chunked.headers and len(chunked.body) == 1 << 20


def test_gzip_bomb_is_small_and_inflates_hugely(web):
    got = fetch(furl(web, "/gzip-bomb?mb=64"))
    assert got.headers["content-encoding"] == "gzip"
    assert len(got.body) < 100_000
    inflater = zlib.decompressobj(31)
    first = inflater.decompress(got.body, 1 << 20)
    assert len(first) == 1 << 20 and inflater.unconsumed_tail  # a capped reader stops here
    assert len(gzip.decompress(got.body)) == 64 << 20


def test_non_html_routes(web):
    assert fetch(furl(web, "/binary.pdf")).headers["content-type"] == "application/pdf"
    assert fetch(furl(web, "/binary")).headers["content-type"] == "application/octet-stream"
    mislabeled = fetch(furl(web, "/pdf-as-html"))
    assert mislabeled.headers["content-type"].startswith("text/html")
    assert mislabeled.body.startswith(b"%PDF")


def test_charset_traps(web):
    wrong = fetch(furl(web, "/charset/wrong"))
    assert "utf-8" in wrong.headers["content-type"].lower()
    with pytest.raises(UnicodeDecodeError):
        wrong.body.decode("utf-8")
    assert "caf\u00e9" in wrong.body.decode("windows-1252")
    assert "x-unknown-8" in fetch(furl(web, "/charset/unknown")).headers["content-type"]
    conflict = fetch(furl(web, "/charset/conflict"))
    assert "ISO-8859-1" in conflict.headers["content-type"] and b"charset='utf-8'" in conflict.body
    conflict.body.decode("utf-8")  # the bytes really are UTF-8
    with pytest.raises(UnicodeDecodeError):
        fetch(furl(web, "/charset/invalid-utf8")).body.decode("utf-8")
    assert fetch(furl(web, "/charset/none")).headers["content-type"] == "text/html"
    assert fetch(furl(web, "/charset/bom")).body.startswith(b"\xef\xbb\xbf")


def test_pathological_html(web):
    nested = fetch(furl(web, "/nested"))
    assert nested.body.count(b"<div>") == 20000
    assert b"<html><head><title>Berita Rusak<body>" in fetch(furl(web, "/malformed")).body


def test_layout_changes_and_bad_dates(web):
    no_title = Selector(text=fetch(furl(web, "/layout/missing-title")).text())
    assert not no_title.css("h1") and no_title.css("div.isi-berita p")
    no_body = Selector(text=fetch(furl(web, "/layout/missing-body")).text())
    assert not no_body.css("div.post-body") and no_body.css("h3.post-title")
    no_date = Selector(text=fetch(furl(web, "/layout/missing-date")).text())
    assert not no_date.css(".tanggal")
    impossible = Selector(text=fetch(furl(web, "/dates/impossible")).text())
    assert impossible.css(".tanggal::text").get() == "Rabu, 31 Februari 2021"
    empty = Selector(text=fetch(furl(web, "/dates/empty")).text())
    assert empty.css(".tanggal::text").get() is None


def test_soft_block_and_empty_200s(web):
    block = fetch(furl(web, "/soft-block"))
    assert block.status == 200 and b"<title>Just a moment...</title>" in block.body
    empty = fetch(furl(web, "/empty"))
    assert empty.status == 200 and empty.body == b""
    assert fetch(furl(web, "/empty-html")).body == b"<html><head></head><body></body></html>"


def test_xss_payloads_are_live_in_the_pages(web):
    article = fetch(furl(web, "/xss/article")).text()
    assert "<h1 class='judul-berita'>Kampung Tangguh <script>" in article
    assert 'onerror="alert(1)"' in article and "onmouseover" in article
    blog = web.site(XSS_HOST)
    post_url = blog.post_url(blog.blog.posts[0])
    page = fetch(post_url).text()
    assert "<script>alert('xss')</script>" not in page.split("post-body")[0]  # title escaped
    body = page.split("post-body", 1)[1]
    assert "&lt;script&gt;" in body  # paragraphs are text, escaped like Blogger does
    feed = fetch(web.url(XSS_HOST, "/feeds/posts/default?alt=json")).text()
    assert "<script>alert('judul')</script>" in feed  # raw in JSON strings, as the API gives it


def test_robots_hosts(web):
    assert fetch(web.url("robots-503.test", "/robots.txt")).status == 503
    assert fetch(web.url("robots-404.test", "/robots.txt")).status == 404
    disallow = fetch(web.url("robots-disallow.test", "/robots.txt")).text()
    assert "Disallow: /private/" in disallow
    index = Selector(text=fetch(web.url("robots-disallow.test", "/")).text())
    assert any("/private/" in h for h in index.css("a::attr(href)").getall())
    assert fetch(web.url("robots-503.test", "/public/1")).status == 200


def test_fault_hosts_stay_out_of_sources_and_manifest(web):
    names = {i.host for i in web.sites if not i.in_sources}
    assert {FAULTS_HOST, XSS_HOST, "robots-503.test"} <= names
    assert not [r for r in web.manifest() if r.site in names]
    assert XSS_HOST not in web.sources_toml()


WIRE_FAULTS = {"/drop", "/truncated", "/stall"}


@pytest.mark.parametrize("path", [p for p, _ in ROUTES if p not in WIRE_FAULTS])
def test_every_route_answers_without_server_errors(web, path):
    small = {"/oversized": "?mb=1", "/oversized/chunked": "?mb=1", "/gzip-bomb": "?mb=4"}
    got = fetch(furl(web, path + small.get(path, "?seconds=0")))
    expected = int(path.rsplit("/", 1)[1]) if path.startswith("/status/") else None
    if expected is not None:
        assert got.status == expected
    elif path.startswith("/redirect/") or path.startswith("/flaky/"):
        assert got.status in (200, 301, 302, 503)
    else:
        assert got.status == 200
    assert not web.errors
