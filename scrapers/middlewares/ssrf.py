"""Refuse requests to non-http(s) schemes and to non-public addresses (SSRF guard).

Settings: ``TANGGUH_ALLOW_PRIVATE`` (off: refuse loopback, private, link-local, multicast and
metadata addresses), ``TANGGUH_RESOLVE`` (host map, see ``resolver``). Runs on every request,
including each hop of a redirect (Scrapy reschedules redirected requests through the whole
chain). The resolver repeats the check at connection time. Stats: ``tangguh/ssrf/scheme``,
``tangguh/ssrf/private``. Refusals are typed (``RefusedScheme``, ``RefusedAddress``) so that a
per-URL report can say which address was refused and why. Hosts mapped by ``TANGGUH_RESOLVE`` are trusted: the operator chose
their address.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from scrapers.middlewares.netguard import ip_literal, is_public, mapped_address
from scrapers.middlewares.resolver import PrivateAddressRefused


class RefusedScheme(IgnoreRequest):
    """A request (or a redirect) to a scheme other than http(s)."""

    def __init__(self, scheme: str, url: str):
        super().__init__(f"refused scheme {scheme!r}: {url}")
        self.scheme = scheme


class RefusedAddress(IgnoreRequest):
    """A host that is, or resolves to, a loopback/private/link-local/metadata address."""

    def __init__(self, host: str, address: str, url: str):
        super().__init__(f"refused non-public address {address} for {url}")
        self.host = host
        self.address = address


class SsrfGuardMiddleware:
    def __init__(self, crawler: Any):
        self.stats = crawler.stats
        self.allow_private = crawler.settings.getbool("TANGGUH_ALLOW_PRIVATE")
        self.table = crawler.settings.getdict("TANGGUH_RESOLVE")

    @classmethod
    def from_crawler(cls, crawler: Any) -> SsrfGuardMiddleware:
        return cls(crawler)

    async def process_request(self, request: Any) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in ("http", "https"):
            self.stats.inc_value("tangguh/ssrf/scheme")
            raise RefusedScheme(parts.scheme, request.url)
        if self.allow_private:
            return
        host = parts.hostname or ""
        if mapped_address(host, self.table) is not None:
            return  # the operator mapped this host on purpose (the sample web)
        literal = ip_literal(host)
        address = str(literal) if literal is not None else await self._resolve(host)
        if address is not None and not is_public(address):
            self.stats.inc_value("tangguh/ssrf/private")
            raise RefusedAddress(host, address, request.url)

    def process_exception(self, request: Any, exception: BaseException):
        if isinstance(exception, PrivateAddressRefused):
            self.stats.inc_value("tangguh/ssrf/private")
        return None

    @staticmethod
    async def _resolve(host: str) -> str | None:
        from twisted.internet import reactor

        try:
            return await maybe_deferred_to_future(reactor.resolve(host))
        except PrivateAddressRefused as exc:  # the installed GuardedResolver refused it
            return exc.address or "0.0.0.0"
        except Exception:  # unresolvable: the download fails on its own, with its own error
            return None
