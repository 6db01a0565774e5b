"""Raw HTTP helpers for the sample-web tests: no redirects followed, no decompression."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Got:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding)


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET", timeout: float = 10
) -> Got:
    """Fetch ``url`` (any ``*.test`` host) from the loopback server it names by port."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", parts.port or 80, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        conn.request(method, target, headers={"Host": parts.netloc, **(headers or {})})
        resp = conn.getresponse()
        body = resp.read()
        return Got(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    finally:
        conn.close()
