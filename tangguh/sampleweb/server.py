"""``SampleWeb``: every sample site behind one loopback HTTP server, routed by Host.

One stdlib ``ThreadingHTTPServer`` on 127.0.0.1 serves all sites; each site has a
``.test`` host name that clients map to 127.0.0.1 (Scrapy through a resolver setting,
Chromium through ``--host-resolver-rules``). ``http://127.0.0.1:PORT/`` is an index for
people. Responses are deterministic for a seed: the Date header is the fixed fake "now",
validators derive from content, ids from the seed.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlencode

from . import contest_web, faults, scale, sources
from .blogger import BloggerSite
from .blogger_settings import BloggerSettings
from .index import index_page
from .manifest import Manifest
from .model import load_corpus
from .news import NewsWebsite
from .responses import (
    FAKE_NOW,
    Request,
    Response,
    http_date,
    maybe_gzip,
    not_modified,
    text,
)
from .site import Origin, Site, SiteInfo
from .wordpress import WordPressSite
from .wordpress_settings import WordPressSettings

INDEX_HOSTS = {"127.0.0.1", "localhost", ""}


class SampleWeb:
    """The offline sample web. Use as a context manager or call ``start``/``stop``."""

    def __init__(
        self,
        *,
        scale: int = 0,
        seed: int = 0,
        corpus_dir: Path | None = None,
        blogger: dict[str, BloggerSettings] | None = None,
        wordpress: dict[str, WordPressSettings] | None = None,
        latency: float = 0.0,
        entries: int = 0,
    ) -> None:
        self.seed = seed
        # Seconds each answer waits, as a distant server would (I/O-bound benchmarks).
        self.latency = latency
        self.scale = scale
        self.origin = Origin()
        self.request_log: list[tuple[str, str, int]] = []
        # (host, arrived, answering) by time.time(), to check per-host politeness
        self.request_times: list[tuple[str, float, float]] = []
        # tracebacks of renderer bugs (answered as 500); tests assert it stays empty
        self.errors: list[str] = []
        self._log_lock = threading.Lock()
        corpus = load_corpus(corpus_dir, seed=seed)
        content: list[Site] = []
        blogger = dict(blogger or {})
        wordpress = dict(wordpress or {})
        for blog in corpus.blogs:
            if blog.platform == "blogger":
                content.append(BloggerSite(blog, self.origin, seed, blogger.pop(blog.host, None)))
            else:
                settings = wordpress.pop(blog.host, None)
                content.append(WordPressSite(blog, self.origin, seed, settings))
        content.extend(NewsWebsite(n, self.origin, seed) for n in corpus.news)
        if blogger:
            raise KeyError(f"no Blogger blog at {sorted(blogger)}")
        if wordpress:
            raise KeyError(f"no WordPress blog at {sorted(wordpress)}")
        self._content = content
        extra: list[Site] = []
        if scale > 0:
            extra.append(_scale_site(self.origin, scale, seed))
        extra.extend(faults.fault_sites(self.origin))
        extra.extend(contest_web.edge_sites(self.origin, self.respond))
        self._sites: dict[str, Site] = {s.host: s for s in [*content, *extra]}
        # `entries=N`: N one-post blogs on N hosts (peserta-NNN.blogspot.test), for judging
        self.farm = contest_web.EntryFarm(self.origin, entries, seed)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        if self._server is not None:
            return self.base_url
        self.origin.stopping.clear()
        server = _Server(("127.0.0.1", port), _Handler)
        server.web = self
        self._server = server
        self.origin.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.name = f"sampleweb-{self.origin.port}"
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self.origin.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SampleWeb:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.origin.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    base = base_url

    def url(self, host: str, path: str = "/") -> str:
        if not path.startswith("/"):
            path = "/" + path
        return self.origin.url(host, path)

    @property
    def sites(self) -> list[SiteInfo]:
        return [s.info() for s in self._sites.values()]

    def site(self, host: str) -> Site:
        return self._sites[host]

    def resolver_rules(self) -> str:
        """Chromium ``--host-resolver-rules`` value mapping every site to loopback."""
        return ", ".join(f"MAP {host} 127.0.0.1" for host in self._sites)

    # -- ground truth and mutation -------------------------------------------------------

    def manifest(self) -> Manifest:
        records = []
        for site in self._sites.values():
            with site.lock:
                records.extend(site.manifest_records())
        return Manifest(records)

    def add_comment(
        self,
        post_url: str,
        *,
        author: str,
        text: str,
        published: datetime,
        reply_to: str | None = None,
    ) -> str:
        """Add a comment to a live blog post; returns the comment's permalink."""
        if published.tzinfo is None:
            raise ValueError("published must carry a UTC offset")
        for site in self._content:
            if isinstance(site, BloggerSite | WordPressSite):
                found = site.locate(post_url)
                if found is None:
                    continue
                post = found
                parent = None
                if reply_to is not None:
                    parent = site.locate_comment(post, reply_to)
                    if parent is None:
                        raise KeyError(f"no comment {reply_to!r} on {post_url}")
                comment = site.add_comment(
                    post, author=author or None, text=text, published=published, reply_to=parent
                )
                return site.comment_url(post, comment)
        raise KeyError(f"no blog post at {post_url!r}")

    def configure_blogger(self, host: str, **changes: object) -> BloggerSettings:
        """Change a live Blogger blog's settings (feeds off or cut, page sizes, ...)."""
        site = self._sites.get(host)
        if not isinstance(site, BloggerSite):
            raise KeyError(f"no Blogger blog at {host!r}")
        with site.lock:
            site.settings = replace(site.settings, **changes)
            return site.settings

    def configure_wordpress(self, host: str, **changes: object) -> WordPressSettings:
        """Change a live WordPress blog's settings (theme, REST/RSS off, comment pages)."""
        site = self._sites.get(host)
        if not isinstance(site, WordPressSite):
            raise KeyError(f"no WordPress blog at {host!r}")
        with site.lock:
            site.settings = replace(site.settings, **changes)
            return site.settings

    def remove_page(self, url: str, status: int = 410) -> None:
        """Make ``url`` answer ``status`` from now on (a stored page that disappeared).
        A URL with a query string removes only that query (``?page=all``), one without
        it the path whatever the query."""
        self.origin.gone[_gone_key(url)] = status

    def restore_page(self, url: str) -> None:
        self.origin.gone.pop(_gone_key(url), None)

    def sources_toml(self, topic: list[str] | None = None) -> str:
        """sources.toml for the content sites at this port; ``topic`` adds a relevance
        filter to every source (e.g. ``["kampung tangguh"]``; off by default so a crawl
        can be compared with the whole manifest)."""
        selectors = {
            host: site.selectors()
            for host, site in self._sites.items()
            if hasattr(site, "selectors")
        }
        return sources.render(self.sites, selectors, topic)

    # -- serving -------------------------------------------------------------------------

    def respond(self, request: Request) -> Response:
        """Answer one request (the server calls this; tests may too, without sockets)."""
        key = f"{request.host}:{self.port}{request.path}"
        if request.query:
            with_query = f"{key}?{urlencode(request.query, doseq=True)}"
            key = with_query if with_query in self.origin.gone else key
        if key in self.origin.gone:
            status = self.origin.gone[key]
            return text(f"<h1>{status}</h1>", status=status)
        if request.host in INDEX_HOSTS:
            if request.path == "/":
                return index_page(self)
            if request.path == "/sources.toml":
                return text(self.sources_toml(), "text/plain; charset=UTF-8")
            if request.path == "/manifest.jsonl":
                return text(self.manifest().to_jsonl(), "application/x-ndjson; charset=UTF-8")
            return text("Not found", "text/plain; charset=UTF-8", status=404)
        site = self._sites.get(request.host) or self.farm.site(request.host)
        if site is None:
            return text(f"Unknown host {request.host!r}", "text/plain; charset=UTF-8", status=404)
        return site.respond(request)

    def log(self, method: str, url: str, status: int) -> None:
        with self._log_lock:
            self.request_log.append((method, url, status))

    def log_time(self, host: str, arrived: float, answered: float) -> None:
        with self._log_lock:
            self.request_times.append((host, arrived, answered))


def _scale_site(origin: Origin, n: int, seed: int) -> Site:
    return scale.ScaleSite(origin, n, seed)


def _gone_key(url: str) -> str:
    """``host:port/path`` of a URL, with its query string when it has one."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    path, _, query = rest.partition("?")
    return f"{path}?{urlencode(parse_qs(query), doseq=True)}" if query else path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128
    web: SampleWeb


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections must not pin threads forever
    server: _Server
    reasons: ClassVar[dict[int, str]] = {
        code: msg for code, (msg, _) in BaseHTTPRequestHandler.responses.items()
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the request log is kept in ``SampleWeb.request_log``."""

    def _dispatch(self) -> None:
        arrived = time.time()
        web = self.server.web
        if web.latency:
            time.sleep(web.latency)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request.parse(self.command, self.path, headers, web.port)
        try:
            response = web.respond(request)
        except Exception as exc:  # a renderer bug must show as a 500, not a hung client
            web.errors.append(f"{self.command} {self.path}: {traceback.format_exc()}")
            response = text(
                f"Internal error: {type(exc).__name__}", "text/plain; charset=UTF-8", status=500
            )
        host = headers.get("host", f"127.0.0.1:{web.port}")
        if not response.drop and not_modified(request, response):
            keep = [(k, v) for k, v in response.headers if k.lower() in ("etag", "last-modified")]
            response = Response(304, b"", keep)
        web.log(self.command, f"http://{host}{self.path}", response.status)  # as answered
        if response.drop:
            self.close_connection = True
            return
        if response.status != 304:
            response = maybe_gzip(request, response)
        # Stamped before the answer is written: the client cannot be done with a request
        # before that, so these intervals sit inside the client's own.
        web.log_time(headers.get("host", "").split(":")[0], arrived, time.time())
        self._write(request, response)

    def _write(self, request: Request, response: Response) -> None:
        reason = self.reasons.get(response.status, "Unknown")
        lines = [f"HTTP/1.1 {response.status} {reason}"]
        names = {k.lower() for k, _ in response.headers}
        lines.append(f"Date: {http_date(FAKE_NOW)}")
        if "server" not in names:
            lines.append(f"Server: {self._server_name(request.host)}")
        lines.extend(f"{k}: {v}" for k, v in response.headers)
        streaming = response.stream is not None
        if not streaming and "content-length" not in names and response.status != 304:
            lines.append(f"Content-Length: {len(response.body)}")
        if streaming:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        try:
            self.wfile.write(head)
            if request.method == "HEAD" or response.status == 304:
                self.wfile.flush()
                return
            if streaming:
                self.wfile.flush()
                response.stream(self.wfile)
                self.close_connection = True
            else:
                self.wfile.write(response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def _server_name(self, host: str) -> str:
        site = self.server.web._sites.get(host)
        return getattr(site, "server_header", "SampleWeb") if site else "SampleWeb"

    do_GET = _dispatch
    do_HEAD = _dispatch
    do_POST = _dispatch
    do_PUT = _dispatch
    do_DELETE = _dispatch
    do_OPTIONS = _dispatch
