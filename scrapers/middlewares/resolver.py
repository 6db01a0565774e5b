"""A DNS resolver that applies ``TANGGUH_RESOLVE`` and refuses non-public answers.

Settings: ``TANGGUH_RESOLVE`` (``{"*.test": "127.0.0.1"}``: glob -> address, checked before
DNS, so the offline sample web's ``*.test`` hosts reach loopback), ``TANGGUH_ALLOW_PRIVATE``
(let loopback/private answers through), plus Scrapy's DNSCACHE_* and DNS_TIMEOUT.

Checking here, at connection time, closes the gap a middleware-only check leaves when a
name resolves differently on the second lookup (DNS rebinding).
"""

from __future__ import annotations

from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from scrapers.middlewares.netguard import ip_literal, is_public, mapped_address


class PrivateAddressRefused(DNSLookupError):
    """The name resolved to an address outside the public internet."""

    def __init__(self, host: str = "", address: str = ""):
        super().__init__(f"{host} resolves to non-public address {address}")
        self.host = host
        self.address = address


class GuardedResolver(CachingThreadedResolver):
    def __init__(
        self,
        reactor: Any,
        cache_size: int,
        timeout: float,
        table: dict[str, str] | None = None,
        allow_private: bool = False,
    ):
        super().__init__(reactor, cache_size, timeout)
        self.table = dict(table or {})
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        return cls.from_settings(crawler.settings, reactor)

    @classmethod
    def from_settings(cls, settings: Any, reactor: Any) -> GuardedResolver:
        cache = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache,
            settings.getfloat("DNS_TIMEOUT"),
            table=settings.getdict("TANGGUH_RESOLVE"),
            allow_private=settings.getbool("TANGGUH_ALLOW_PRIVATE"),
        )

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 (Twisted API)
        mapped = mapped_address(name, self.table)
        if mapped is not None:  # chosen by the operator: not subject to the public-only rule
            return defer.succeed(mapped)
        if ip_literal(name) is not None:
            return self._checked(str(ip_literal(name)), name)
        d = super().getHostByName(name, timeout)
        d.addCallback(lambda address: self._check(address, name))
        return d

    def _checked(self, address: str, name: str) -> Any:
        try:
            return defer.succeed(self._check(address, name))
        except PrivateAddressRefused as exc:
            return defer.fail(exc)

    def _check(self, address: str, name: str) -> str:
        if not self.allow_private and not is_public(address):
            raise PrivateAddressRefused(name, address)
        return address
