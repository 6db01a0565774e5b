"""The addresses a page claims for itself: ``<link rel=canonical>`` and ``og:url``.

A page served by one host that names another as its own address is a blog on a custom
domain, a mirror, an archived copy, or a page copied whole from someone else's blog. The
per-URL report keeps both claims beside the URL that served the page, so a judge can see
which it is; nothing here decides.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit


def declared_addresses(url: str, selector: Any) -> dict[str, str]:
    """``{"canonical": ..., "og:url": ...}`` as absolute http(s) URLs (missing ones left out)."""
    found = {
        "canonical": selector.xpath("//link[@rel='canonical'][1]/@href").get(),
        "og:url": selector.xpath("//meta[@property='og:url'][1]/@content").get(),
    }
    out = {}
    for name, value in found.items():
        if not value or not value.strip():
            continue
        absolute = urljoin(url, value.strip())
        if urlsplit(absolute).scheme in ("http", "https"):
            out[name] = absolute
    return out


def site_host(url: str) -> str:
    """The host a reader would name: lower case, without port or a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def elsewhere(served_url: str, declared: dict[str, str]) -> dict[str, str]:
    """The claims that name another host than the one that served the page."""
    served = site_host(served_url)
    return {name: url for name, url in declared.items() if site_host(url) != served}
