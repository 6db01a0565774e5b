"""What every sample site shares: its origin, robots.txt, images, and a lock.

A site is a plain object answering ``handle(request)``; ``Site.respond`` adds the routes
every real site has (robots.txt, favicon, images) before the platform's own routes.
Content sites render from the model on every request, under a lock, so a mutation
(``add_comment``) shows up everywhere at once: HTML, feeds, counts and validators.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from .manifest import ManifestRecord
from .responses import FAKE_NOW, Request, Response, not_found, text


@dataclass
class Origin:
    """The live port, shared by all sites; URLs are absolute like on the real platforms."""

    port: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)
    # "host:port/path" -> status, for pages that disappeared (SampleWeb.remove_page)
    gone: dict[str, int] = field(default_factory=dict)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"


@dataclass(frozen=True)
class SiteInfo:
    host: str
    name: str  # the sources.toml source name
    kind: str  # blogger | wordpress | news | faults | scale
    template: str
    title: str
    start_urls: list[str]
    feed_urls: list[str] = field(default_factory=list)
    rest_enabled: bool = False
    in_sources: bool = True  # listed in sources_toml()

    @property
    def platform(self) -> str:
        return self.kind


ALLOW_ALL_ROBOTS = "User-agent: *\nCrawl-delay: 0\nAllow: /\n"


class Site:
    host: str = ""
    name: str = ""
    server_header: str = "nginx"

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.lock = threading.RLock()

    def url(self, path: str = "/") -> str:
        return self.origin.url(self.host, path)

    def robots_txt(self) -> str:
        return ALLOW_ALL_ROBOTS

    def respond(self, request: Request) -> Response:
        if request.path == "/robots.txt":
            return self.robots_response()
        if request.path == "/favicon.ico" or request.path.startswith(("/img/", "/uploads/")):
            return image_response(request.path)
        if request.path.startswith(("/assets/", "/wp-includes/", "/static/")):
            return asset_response(request.path)
        with self.lock:
            return self.handle(request)

    def robots_response(self) -> Response:
        return text(self.robots_txt(), "text/plain; charset=UTF-8", last_modified=FAKE_NOW)

    def handle(self, request: Request) -> Response:
        return not_found()

    def info(self) -> SiteInfo:
        raise NotImplementedError

    def manifest_records(self) -> list[ManifestRecord]:
        return []

    def last_modified(self) -> datetime:
        return FAKE_NOW


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def image_response(path: str) -> Response:
    """A small valid PNG whose colour depends on the path (whatever the extension says)."""
    digest = hashlib.sha256(path.encode()).digest()
    body = _png(32, 24, (digest[0], digest[1], digest[2]))
    return Response(
        200,
        body,
        [
            ("Content-Type", "image/png"),
            ("ETag", '"' + digest.hex()[:20] + '"'),
            ("Cache-Control", "public, max-age=86400"),
        ],
    )


def asset_response(path: str) -> Response:
    """Stylesheets and scripts pages link to: tiny, but real enough for a browser."""
    if ".css" in path:
        return text("body{margin:0}\n", "text/css; charset=UTF-8", last_modified=FAKE_NOW)
    if ".js" in path:
        return text(
            "/* sample web */\n", "application/javascript; charset=UTF-8", last_modified=FAKE_NOW
        )
    return not_found()
