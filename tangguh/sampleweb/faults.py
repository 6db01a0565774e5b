"""Misbehaving hosts for the reliability tests: one route per fault, linked from an index.

``faults.test`` carries status codes, wire faults (drop, truncation, stall, slow body),
redirect traps (loop, ``file:``, metadata and private addresses), oversized bodies and a
gzip bomb, non-HTML, charset traps, pathological HTML, layout changes, soft blocks, bad
dates and script payloads. ``robots-503.test``, ``robots-404.test`` and
``robots-disallow.test`` exercise robots.txt handling (RFC 9309: 5xx = crawl nothing,
4xx = allow all). ``xss.blogspot.test`` is a complete Blogger blog of hostile content.
``refused.test`` never answers: link to it on port 1 for "connection refused".
"""

from __future__ import annotations

import struct
import threading
import zlib
from datetime import datetime
from functools import lru_cache
from html import escape
from typing import BinaryIO

from .blogger import BloggerSite
from .model import Blog, Comment, Image, Link, Post, stable_int
from .responses import WIB, Request, Response, html, redirect, text
from .site import Origin, Site, SiteInfo

# (path, what it does): the index page and the tests iterate over this list.
ROUTES: list[tuple[str, str]] = [
    ("/ok", "a normal article (control)"),
    ("/status/500", "500 Internal Server Error"),
    ("/status/503", "503 with Retry-After: 1"),
    ("/status/429", "429 Too Many Requests with Retry-After: 1"),
    ("/status/404", "404 Not Found"),
    ("/status/410", "410 Gone"),
    ("/status/403", "403 Forbidden"),
    ("/flaky/503/2", "503 twice per client-visible URL, then 200"),
    ("/drop", "connection closed without any response"),
    ("/truncated", "Content-Length 20000, 2000 bytes sent, then close"),
    ("/stall", "headers sent, then no body for ?seconds=60"),
    ("/slow", "body dribbled over ?seconds=3"),
    ("/redirect/loop", "redirect loop a -> b -> a"),
    ("/redirect/chain/3", "three redirects, then a normal page"),
    ("/redirect/file", "redirect to file:///etc/passwd"),
    ("/redirect/metadata", "redirect to http://169.254.169.254/latest/meta-data/"),
    ("/redirect/private", "redirect to http://10.0.0.1/admin"),
    ("/redirect/localhost", "redirect to http://localhost/ on this port"),
    ("/oversized", "64 MiB body with Content-Length (?mb=N)"),
    ("/oversized/chunked", "64 MiB body without Content-Length, close-delimited (?mb=N)"),
    ("/gzip-bomb", "~1 MB gzip body that inflates to 1 GiB (?mb=N)"),
    ("/binary.pdf", "a PDF document"),
    ("/binary", "application/octet-stream"),
    ("/pdf-as-html", "PDF bytes labelled text/html"),
    ("/charset/wrong", "windows-1252 bytes labelled UTF-8"),
    ("/charset/unknown", "charset=x-unknown-8"),
    ("/charset/conflict", "header ISO-8859-1, meta UTF-8, bytes UTF-8"),
    ("/charset/invalid-utf8", "UTF-8 label with invalid byte sequences"),
    ("/charset/none", "no charset anywhere, UTF-8 bytes"),
    ("/charset/bom", "UTF-8 BOM, header says windows-1252"),
    ("/nested", "20000 nested <div> elements around the article"),
    ("/malformed", "unclosed tags, stray end tags, unquoted attributes"),
    ("/layout/missing-title", "article page without its title element"),
    ("/layout/missing-body", "Blogger post page without div.post-body"),
    ("/layout/missing-date", "article page without any date"),
    ("/dates/impossible", "article dated 'Rabu, 31 Februari 2021'"),
    ("/dates/empty", "article whose date line is empty"),
    ("/soft-block", "200 'Just a moment...' challenge page"),
    ("/empty", "200 with an empty body"),
    ("/empty-html", "200 with an empty HTML document"),
    ("/empty-body", "200 with a title and metadata but an empty <body>"),
    ("/script-only", "an app shell: megabytes of script, a <noscript> notice, no text"),
    ("/nav-5mb", "a 5 MB page of navigation links and nothing else"),
    ("/xss/article", "script and event-handler payloads in title, body and comments"),
]

FAULTS_HOST = "faults.test"
XSS_HOST = "xss.blogspot.test"
PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(2)>",
    "javascript:alert(3)",
    '"><iframe src=javascript:alert(4)></iframe>',
]


def _doc(title: str, body: str, *, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>{head}"
        f"<title>{title}</title></head><body>{body}</body></html>"
    )


def _article(title: str, date_line: str, paragraphs: list[str], *, raw_title: bool = False) -> str:
    shown = title if raw_title else escape(title)
    paras = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return _doc(
        shown if raw_title else escape(title),
        f"<div class='berita-detail'><h1 class='judul-berita'>{shown}</h1>"
        f"<div class='info-berita'><span class='penulis'>Humas</span> | "
        f"<span class='tanggal'>{escape(date_line)}</span></div>"
        f"<div class='isi-berita'>{paras}</div></div>",
    )


CONTROL_TEXT = [
    "Blitar Kota - Senin, (15/06/2020), Warga RW 02 Kelurahan Bendogerit menggelar kerja bakti "
    "menyemprotkan disinfektan di sepanjang gang kampung.",
    "Ketua RW menyebut kegiatan ini bagian dari gerakan Kampung Tangguh yang digagas bersama "
    "Bhabinkamtibmas dan Babinsa setempat.",
]


@lru_cache(maxsize=4)
def gzip_bomb(mib: int) -> bytes:
    """A single-member gzip stream of ``mib`` MiB of zeros, about 1 KB per MiB.

    Full flushes make every MiB compress to the same bytes, so the stream is built by
    repetition in milliseconds instead of compressing a gigabyte.
    """
    chunk = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    unit = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush()
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)
    return header + first + unit * (mib - 1) + tail + trailer


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class FaultSite(Site):
    host = FAULTS_HOST
    name = "faults"

    def __init__(self, origin: Origin) -> None:
        super().__init__(origin)
        self._hits: dict[str, int] = {}
        self._hits_lock = threading.Lock()

    def respond(self, request: Request) -> Response:
        # no site lock: a stalled response must not block the other fault routes
        if request.path == "/robots.txt":
            return self.robots_response()
        return self.handle(request)

    def info(self) -> SiteInfo:
        return SiteInfo(
            host=self.host,
            name=self.name,
            kind="faults",
            template="faults",
            title="Fault routes",
            start_urls=[self.url("/")],
            in_sources=False,
        )

    def index(self) -> Response:
        items = "".join(
            f"<li><a href='{self.url(path)}'>{escape(path)}</a> &mdash; {escape(what)}</li>"
            for path, what in ROUTES
        )
        others = "".join(
            f"<li><a href='{self.origin.url(h, '/')}'>{h}</a></li>"
            for h in ("robots-503.test", "robots-404.test", "robots-disallow.test", XSS_HOST)
        )
        refused = (
            "<li><a href='http://refused.test:1/'>refused.test:1</a> (connection refused)</li>"
        )
        return html(
            _doc("Fault routes", f"<h1>Fault routes</h1><ul>{items}</ul><ul>{others}{refused}</ul>")
        )

    def handle(self, request: Request) -> Response:  # noqa: C901 - one branch per route
        path = request.path
        if path == "/":
            return self.index()
        if path == "/ok":
            return html(
                _article(
                    "Kerja Bakti Kampung Tangguh Bendogerit", "Senin, 15 Juni 2020", CONTROL_TEXT
                )
            )
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[-1]) if path.rsplit("/", 1)[-1].isdigit() else 500
            extra = [("Retry-After", "1")] if code in (429, 503) else []
            return text(_doc(f"{code}", f"<h1>Error {code}</h1>"), status=code, extra=extra)
        if path.startswith("/flaky/"):
            return self.flaky(request)
        if path == "/drop":
            return Response(drop=True)
        if path == "/truncated":
            body = (
                _article("Berita Terpotong", "Senin, 15 Juni 2020", CONTROL_TEXT * 20)
            ).encode()[:2000]
            return Response(
                200,
                headers=[("Content-Type", "text/html; charset=UTF-8"), ("Content-Length", "20000")],
                stream=lambda out: out.write(body),
            )
        if path == "/stall":
            seconds = request.int_arg("seconds", 60, 0, 600)
            return Response(
                200,
                headers=[("Content-Type", "text/html; charset=UTF-8"), ("Content-Length", "5000")],
                stream=lambda out: self.origin.stopping.wait(seconds),
            )
        if path == "/slow":
            return self.slow(request)
        if path.startswith("/redirect/"):
            return self.redirects(request)
        if path.startswith("/oversized"):
            return self.oversized(request, chunked=path.endswith("/chunked"))
        if path == "/gzip-bomb":
            mib = request.int_arg("mb", 1024, 1, 4096)
            return Response(
                200,
                gzip_bomb(mib),
                [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")],
            )
        if path == "/binary.pdf":
            return Response(200, PDF, [("Content-Type", "application/pdf")])
        if path == "/binary":
            return Response(
                200, bytes(range(256)) * 16, [("Content-Type", "application/octet-stream")]
            )
        if path == "/pdf-as-html":
            return Response(200, PDF, [("Content-Type", "text/html; charset=UTF-8")])
        if path.startswith("/charset/"):
            return self.charsets(path.removeprefix("/charset/"))
        if path == "/nested":
            depth = request.int_arg("depth", 20000, 1, 200000)
            body = (
                "<div>" * depth
                + "".join(f"<p>{escape(p)}</p>" for p in CONTROL_TEXT)
                + "</div>" * depth
            )
            return html(_doc("Halaman Bersarang Dalam", body))
        if path == "/malformed":
            return html(
                "<html><head><title>Berita Rusak<body><div class=berita-detail><h1 class=judul-berita>"
                "Posko Kampung Tangguh <b>Sananwetan</h1></div></div></div><p>Warga RW 07 <i>berjaga"
                "<p>Kalimat tanpa penutup <a href=/ok>tautan<td>sel liar</table>"
                "<div class='isi-berita'><p>" + escape(CONTROL_TEXT[1]) + "</span></html></html>"
            )
        if path.startswith("/layout/"):
            return self.layouts(path.removeprefix("/layout/"))
        if path == "/dates/impossible":
            return html(
                _article(
                    "Tanggal Mustahil di Kampung Tangguh",
                    "Rabu, 31 Februari 2021",
                    CONTROL_TEXT[1:],
                )
            )
        if path == "/dates/empty":
            return html(_article("Tanggal Kosong di Kampung Tangguh", "", CONTROL_TEXT[1:]))
        if path == "/soft-block":
            return html(
                _doc(
                    "Just a moment...",
                    "<div class='main-wrapper'><h1>Checking if the site connection is secure</h1>"
                    "<p>faults.test needs to review the security of your connection before proceeding.</p>"
                    "<noscript>Enable JavaScript and cookies to continue</noscript></div>"
                    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>",
                    head="<meta name='robots' content='noindex,nofollow'>",
                ),
                status=200,
            )
        if path == "/empty":
            return Response(200, b"", [("Content-Type", "text/html; charset=UTF-8")])
        if path == "/empty-html":
            return html("<html><head></head><body></body></html>")
        if path == "/empty-body":
            head = (
                "<meta property='og:title' content='Posko Kampung Tangguh'>"
                "<meta property='article:published_time' content='2020-06-15T10:21:00+07:00'>"
            )
            return html(f"<html><head><title>Posko</title>{head}</head><body></body></html>")
        if path == "/script-only":
            bundle = "window.__STATE__=" + "[" + ",".join(["{'a':1}"] * 200_000) + "];"
            return html(
                "<html><head><title>Aplikasi</title></head><body><div id='app'></div>"
                f"<script>{bundle}</script><noscript>Aktifkan JavaScript untuk membaca berita"
                "</noscript></body></html>"
            )
        if path == "/nav-5mb":
            items = "".join(
                f"<li><a href='/kanal/{i}'>Kanal berita daerah nomor {i}</a></li>"
                for i in range(80_000)
            )
            return html(
                f"<html><head><title>Peta Situs</title></head><body><nav><ul>{items}</ul></nav></body></html>"
            )
        if path == "/xss/article":
            return html(self.xss_article())
        return text(_doc("404", "<h1>404</h1>"), status=404)

    # -- individual faults ---------------------------------------------------------------

    def flaky(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 503
        fails = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 2
        with self._hits_lock:
            seen = self._hits.get(request.path, 0)
            self._hits[request.path] = seen + 1
        if seen < fails:
            extra = [("Retry-After", "0")] if code in (429, 503) else []
            return text(_doc(str(code), f"<h1>{code}</h1>"), status=code, extra=extra)
        return html(_article("Akhirnya Berhasil Dimuat", "Selasa, 16 Juni 2020", CONTROL_TEXT))

    def slow(self, request: Request) -> Response:
        seconds = request.int_arg("seconds", 3, 0, 120)
        body = _article("Halaman Lambat", "Selasa, 16 Juni 2020", CONTROL_TEXT).encode()
        pieces = 10
        step = -(-len(body) // pieces)

        def dribble(out: BinaryIO) -> None:
            for i in range(0, len(body), step):
                if self.origin.stopping.wait(seconds / pieces):
                    return
                out.write(body[i : i + step])
                out.flush()

        return Response(
            200,
            headers=[
                ("Content-Type", "text/html; charset=UTF-8"),
                ("Content-Length", str(len(body))),
            ],
            stream=dribble,
        )

    def redirects(self, request: Request) -> Response:
        what = request.path.removeprefix("/redirect/")
        if what == "loop":
            return redirect(self.url("/redirect/loop/a"), 302)
        if what == "loop/a":
            return redirect(self.url("/redirect/loop/b"), 302)
        if what == "loop/b":
            return redirect(self.url("/redirect/loop/a"), 302)
        if what.startswith("chain/"):
            n = int(what.split("/")[1]) if what.split("/")[1].isdigit() else 3
            return redirect(self.url(f"/redirect/chain/{n - 1}") if n > 0 else self.url("/ok"), 301)
        targets = {
            "file": "file:///etc/passwd",
            "metadata": "http://169.254.169.254/latest/meta-data/",
            "private": "http://10.0.0.1/admin",
            "localhost": f"http://localhost:{self.origin.port}/",
        }
        if what in targets:
            return redirect(targets[what], 302)
        return text(_doc("404", "<h1>404</h1>"), status=404)

    def oversized(self, request: Request, *, chunked: bool) -> Response:
        mib = request.int_arg("mb", 64, 1, 4096)
        line = ("<p>" + "Kampung Tangguh " * 60 + "</p>\n").encode()
        block = line * ((1 << 16) // len(line) + 1)
        block = block[: 1 << 16]
        total = mib << 20

        def write(out: BinaryIO) -> None:
            prefix = b"<!DOCTYPE html><html><head><title>Besar</title></head><body>"
            out.write(prefix)
            sent = len(prefix)
            while sent < total:
                if self.origin.stopping.is_set():
                    return
                piece = block[: total - sent]
                out.write(piece)
                sent += len(piece)

        headers = [("Content-Type", "text/html; charset=UTF-8")]
        if not chunked:
            headers.append(("Content-Length", str(total)))
        return Response(200, headers=headers, stream=write)

    def charsets(self, what: str) -> Response:
        words = "Kampung Tangguh \u2013 \u201cjogo tonggo\u201d, caf\u00e9 warga, ibu-ibu PKK \u2018semangat\u2019"
        page = _article(words, "Senin, 15 Juni 2020", [words, CONTROL_TEXT[1]])
        if what == "wrong":
            return Response(
                200, page.encode("windows-1252"), [("Content-Type", "text/html; charset=UTF-8")]
            )
        if what == "unknown":
            return Response(
                200,
                page.replace("charset='utf-8'", "charset='x-unknown-8'").encode(),
                [("Content-Type", "text/html; charset=x-unknown-8")],
            )
        if what == "conflict":
            return Response(200, page.encode(), [("Content-Type", "text/html; charset=ISO-8859-1")])
        if what == "invalid-utf8":
            raw = page.encode().replace("caf\u00e9".encode(), b"caf\xc3\x28 \xff\xfe \xed\xa0\x80")
            return Response(200, raw, [("Content-Type", "text/html; charset=UTF-8")])
        if what == "none":
            return Response(
                200,
                page.replace("<meta charset='utf-8'>", "").encode(),
                [("Content-Type", "text/html")],
            )
        if what == "bom":
            return Response(
                200,
                b"\xef\xbb\xbf" + page.encode(),
                [("Content-Type", "text/html; charset=windows-1252")],
            )
        return text(_doc("404", "<h1>404</h1>"), status=404)

    def layouts(self, what: str) -> Response:
        if what == "missing-title":
            paras = "".join(f"<p>{escape(p)}</p>" for p in CONTROL_TEXT)
            return html(
                _doc(
                    "Berita",
                    "<div class='berita-detail'><div class='info-berita'><span class='penulis'>Humas</span> | "
                    f"<span class='tanggal'>Senin, 15 Juni 2020</span></div><div class='isi-berita'>{paras}</div></div>",
                )
            )
        if what == "missing-date":
            return html(
                _article("Berita Tanpa Tanggal", "", CONTROL_TEXT[1:]).replace(
                    "<span class='tanggal'></span>", ""
                )
            )
        if what == "missing-body":
            return html(
                "<!DOCTYPE html><html><head><meta content='blogger' name='generator'/>"
                "<title>Posting Tanpa Isi</title></head><body><div class='post'>"
                "<h3 class='post-title entry-title'>Posting Tanpa Isi</h3>"
                "<time class='published' datetime='2020-06-25T10:15:00+07:00'>Kamis, 25 Juni 2020</time>"
                "<div class='post-content-v2'><p>Isi dipindah ke wadah baru oleh tema.</p></div>"
                "</div></body></html>"
            )
        return text(_doc("404", "<h1>404</h1>"), status=404)

    def xss_article(self) -> str:
        title = "Kampung Tangguh " + PAYLOADS[0]
        comments = "".join(
            f"<li class='comment'><b class='fn'>{p}</b><div class='comment-content'><p>Bagus {p}</p></div></li>"
            for p in PAYLOADS
        )
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='berita-detail'><h1 class='judul-berita'>{title}</h1>"
            "<div class='info-berita'><span class='penulis'>Humas<script>document.cookie</script></span> | "
            "<span class='tanggal'>Senin, 15 Juni 2020</span></div>"
            f"<div class='isi-berita'><p>Warga berjaga di posko. {PAYLOADS[1]}</p>"
            f'<p onmouseover="alert(\'p\')">Relawan mendata tamu. <a href="{PAYLOADS[3]}">tautan</a></p>'
            f"<p>{PAYLOADS[2]} {PAYLOADS[4]}</p></div></div>"
            f"<ol class='comment-list'>{comments}</ol></body></html>"
        )


class RobotsSite(Site):
    """A tiny site whose robots.txt answers ``robots_status`` or disallows ``/private/``."""

    def __init__(self, origin: Origin, host: str, robots_status: int, disallow: bool) -> None:
        super().__init__(origin)
        self.host = host
        self.name = host.split(".")[0]
        self.robots_status = robots_status
        self.disallow = disallow

    def robots_response(self) -> Response:
        if self.robots_status != 200:
            return text("robots unavailable", "text/plain", status=self.robots_status)
        body = "User-agent: *\nCrawl-delay: 0\n" + (
            "Disallow: /private/\n" if self.disallow else "Allow: /\n"
        )
        return text(body, "text/plain; charset=UTF-8")

    def handle(self, request: Request) -> Response:
        if request.path == "/":
            links = "".join(
                f"<li><a href='{self.url(p)}'>{p}</a></li>"
                for p in ("/public/1", "/public/2", "/private/1", "/private/2")
            )
            return html(_doc(self.host, f"<h1>{self.host}</h1><ul>{links}</ul>"))
        if request.path.startswith(("/public/", "/private/")):
            return html(_article(f"Halaman {request.path}", "Senin, 15 Juni 2020", CONTROL_TEXT))
        return text(_doc("404", "<h1>404</h1>"), status=404)

    def info(self) -> SiteInfo:
        return SiteInfo(
            self.host, self.name, "faults", "robots", self.host, [self.url("/")], in_sources=False
        )


def _xss_blog(seed: int = 0) -> Blog:
    when = datetime(2020, 6, 25, 10, 15, tzinfo=WIB)
    comments = [
        Comment(f"x{i}", payload, when.replace(hour=11 + i), f"Komentar {payload} selesai", None)
        for i, payload in enumerate(PAYLOADS)
    ]
    comments.append(Comment("x9", "Balas", when.replace(hour=20), "<b>tebal</b> & </p>", "x0"))
    post = Post(
        slug="kampung-tangguh-script",
        title="Kampung Tangguh <script>alert('judul')</script>",
        published=when,
        updated=when,
        author="Penguji <img src=x onerror=alert(1)>",
        labels=["<script>label</script>"],
        paragraphs=[f"Isi posting dengan muatan {p}." for p in PAYLOADS],
        images=[Image('/img/x.png" onerror="alert(5)', 'alt" onload="alert(6)')],
        links=[Link("javascript:alert(7)", "tautan berbahaya", None)],
        hashtags=["#KampungTangguhSemeru"],
        topic="other",
        syndicated_group=None,
        contest_entry=None,
        comments=comments,
    )
    blog = Blog(
        XSS_HOST, "blogger", "blogger-modern", "Blog <script>x</script>", "id", "Penguji", [post]
    )
    blog.native_id = stable_int(seed, "blog", XSS_HOST)
    post.native_id = stable_int(seed, "post", XSS_HOST, post.slug)
    for c in comments:
        c.native_id = stable_int(seed, "comment", XSS_HOST, c.key)
    return blog


class XssBlog(BloggerSite):
    """A full Blogger blog (HTML and feeds) whose every field carries a payload."""

    def info(self) -> SiteInfo:
        base = super().info()
        return SiteInfo(
            base.host,
            "xss-blog",
            "blogger",
            base.template,
            base.title,
            base.start_urls,
            base.feed_urls,
            False,
            False,
        )

    def manifest_records(self) -> list:
        return []


def fault_sites(origin: Origin, seed: int = 0) -> list[Site]:
    return [
        FaultSite(origin),
        RobotsSite(origin, "robots-503.test", 503, False),
        RobotsSite(origin, "robots-404.test", 404, False),
        RobotsSite(origin, "robots-disallow.test", 200, True),
        XssBlog(_xss_blog(seed), origin, seed),
    ]
