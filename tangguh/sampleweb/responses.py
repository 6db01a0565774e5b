"""Request and response values shared by every sample site, and HTTP caching rules.

Sites are pure functions from a ``Request`` to a ``Response``; only the server touches
sockets. Faults that must misbehave on the wire (drops, stalls, truncation) set
``Response.stream``, a callable that writes raw bytes itself.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import BinaryIO
from urllib.parse import parse_qs

WIB = timezone(timedelta(hours=7), "WIB")
# The sample web's fixed "now": the Date header and the news sites' header widgets.
FAKE_NOW = datetime(2026, 11, 28, 9, 0, tzinfo=WIB)


@dataclass
class Request:
    method: str
    host: str  # lower case, without port
    port: int
    path: str  # without query
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names

    @classmethod
    def parse(cls, method: str, target: str, headers: dict[str, str], port: int) -> Request:
        host = headers.get("host", "").strip().lower()
        if target.startswith(("http://", "https://")):  # absolute form, as proxies send it
            netloc, _, rest = target.split("://", 1)[1].partition("/")
            host, target = netloc.lower(), "/" + rest
        path, _, qs = target.partition("?")
        host = host.split(":")[0]  # .test names and IPv4 only; no IPv6 literals here
        return cls(method, host, port, path or "/", parse_qs(qs, keep_blank_values=True), headers)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int, lo: int = 0, hi: int = 10**9) -> int:
        try:
            value = int(self.arg(name) or default)
        except ValueError:
            value = default
        return max(lo, min(hi, value))


Stream = Callable[[BinaryIO], None]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Raw writer for wire-level faults: when set, the server writes the status line and
    # headers (without Content-Length unless given) and then hands the socket file over.
    stream: Stream | None = None
    # The server closes the connection without answering at all.
    drop: bool = False

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def set_header(self, name: str, value: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        self.headers.append((name, value))


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def text(
    body: str,
    content_type: str = "text/html; charset=UTF-8",
    *,
    status: int = 200,
    encoding: str = "utf-8",
    last_modified: datetime | None = None,
    extra: list[tuple[str, str]] | None = None,
) -> Response:
    """A text response with validators (ETag from the bytes, Last-Modified from content)."""
    data = body.encode(encoding)
    headers = [("Content-Type", content_type)]
    if status == 200:
        headers.append(("ETag", etag_for(data)))
        if last_modified is not None:
            headers.append(("Last-Modified", http_date(last_modified)))
    headers.extend(extra or [])
    return Response(status=status, body=data, headers=headers)


def html(body: str, *, last_modified: datetime | None = None, status: int = 200) -> Response:
    return text(body, status=status, last_modified=last_modified)


def json_response(
    obj: object,
    *,
    content_type: str = "application/json; charset=UTF-8",
    last_modified: datetime | None = None,
    status: int = 200,
    extra: list[tuple[str, str]] | None = None,
) -> Response:
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text(body, content_type, status=status, last_modified=last_modified, extra=extra)


def not_found(message: str = "Not Found") -> Response:
    return text(
        f"<!DOCTYPE html><html><head><title>404 {message}</title></head>"
        f"<body><h1>404</h1><p>{message}</p></body></html>",
        status=404,
    )


def redirect(location: str, status: int = 301) -> Response:
    return Response(
        status=status,
        body=b"",
        headers=[("Location", location), ("Content-Type", "text/html; charset=UTF-8")],
    )


def not_modified(request: Request, response: Response) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match wins; If-Modified-Since only without it."""
    if response.status != 200 or request.method not in ("GET", "HEAD"):
        return False
    inm = request.headers.get("if-none-match")
    etag = response.header("ETag")
    if inm is not None:
        if etag is None:
            return False
        tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = request.headers.get("if-modified-since")
    lm = response.header("Last-Modified")
    if ims and lm:
        try:
            return parsedate_to_datetime(lm) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


def maybe_gzip(request: Request, response: Response) -> Response:
    """Compress text bodies for clients that accept gzip, as real servers do."""
    accepts = request.headers.get("accept-encoding", "")
    ctype = response.header("Content-Type") or ""
    if (
        response.stream is not None
        or response.header("Content-Encoding")
        or len(response.body) < 1024
        or "gzip" not in accepts.lower()
        or not (ctype.startswith("text/") or "json" in ctype or "xml" in ctype)
    ):
        return response
    packed = gzip.compress(response.body, compresslevel=6, mtime=0)
    headers = [*response.headers, ("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
    return Response(status=response.status, body=packed, headers=headers)
