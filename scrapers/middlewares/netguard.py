"""Which addresses a crawler may connect to (shared by the resolver and the SSRF middleware).

Scrapy's offsite filter only looks at host names; a stranger's URL (or a redirect) can still
name, or resolve to, loopback, private, link-local, multicast or cloud-metadata addresses.
"""

from __future__ import annotations

import fnmatch
import ipaddress

_EXTRA_BLOCKED = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
    ipaddress.ip_network("fd00:ec2::/32"),  # AWS IPv6 metadata
)


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # inet_aton forms a browser would accept: 2130706433, 0x7f.1, 017700000001
    try:
        if host.isdigit() or host.lower().startswith("0x"):
            return ipaddress.IPv4Address(int(host, 0))
    except ValueError:
        return None
    return None


def is_public(addr: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """False for any address a crawler of the public web must not reach."""
    ip = ipaddress.ip_address(addr) if isinstance(addr, str) else addr
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return is_public(mapped)
        if ip.teredo:
            return False
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    ):
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED)


def mapped_address(host: str, table: dict[str, str]) -> str | None:
    """The address ``TANGGUH_RESOLVE`` assigns to ``host`` (glob patterns), if any."""
    host = host.lower().rstrip(".")
    for pattern, address in table.items():
        if fnmatch.fnmatchcase(host, pattern.lower()):
            return address
    return None
