"""``--since``, ``--until``, ``--kind``, ``--site``: parsed once, applied in SQL or in numpy.

Why two forms: with 100k documents an SQL scan of the ``docs`` table plus mapping its ids onto
vector rows cost ~70 ms a query; the same test over per-document arrays exported with the
vector caches costs about a millisecond. SQL remains for the FTS5 fallback (stale caches).
Semantics (both forms): a document passes the date filters when the span of days it may have
been published in (``search.dates``) overlaps the asked range, undated ones never do; kinds are
compared case-insensitively; a site matches its host, ``www.`` + host, or any subdomain.
Several kinds or sites may be given, comma-separated: a document passes when it matches one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import numpy as np

from search.dates import parse_bound

NO_DAY = -1  # day ordinal stored for undated documents


def day_ordinal(iso: str | None) -> int:
    return date.fromisoformat(iso).toordinal() if iso else NO_DAY


def normalise_site(site: str) -> str:
    s = site.strip().lower()
    if "://" in s:
        s = urlsplit(s).hostname or s
    return s.split("/")[0].removeprefix("www.")


def site_matches(host: str | None, site: str) -> bool:
    """``site`` must already be normalised."""
    if not host:
        return False
    return host == site or host == "www." + site or host.endswith("." + site)


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # first day, ISO
    until: str | None = None  # last day, ISO
    kinds: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()  # normalised hosts

    @classmethod
    def parse(
        cls,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        site: str | None = None,
    ) -> Filters | None:
        """``None`` when nothing filters; ``ValueError`` for a malformed date."""
        lo, hi = parse_bound(since, end=False), parse_bound(until, end=True)
        kinds = tuple(k.strip().lower() for k in (kind or "").split(",") if k.strip())
        hosts = tuple(normalise_site(s) for s in (site or "").split(",") if s.strip())
        if not (lo or hi or kinds or hosts):
            return None
        return cls(lo, hi, kinds, hosts)

    def sql(self) -> tuple[str, list[object]]:
        """Condition over ``docs d`` and its parameters."""
        conds: list[str] = []
        params: list[object] = []
        if self.since:
            conds.append("d.day_hi >= ?")
            params.append(self.since)
        if self.until:
            conds.append("d.day_lo <= ?")
            params.append(self.until)
        if self.kinds:
            conds.append(f"d.kind IN ({','.join('?' * len(self.kinds))})")
            params.extend(self.kinds)
        if self.sites:
            alternatives = []
            for s in self.sites:
                like = "%." + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                alternatives.append("d.site = ? OR d.site = ? OR d.site LIKE ? ESCAPE '\\'")
                params.extend([s, "www." + s, like])
            conds.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(conds) or "1", params

    def doc_mask(self, meta: DocMeta) -> np.ndarray:
        """Boolean mask over ``meta``'s documents."""
        mask = np.ones(len(meta.ids), dtype=bool)
        if self.since:
            mask &= meta.day_hi >= day_ordinal(self.since)
        if self.until:
            mask &= (meta.day_lo <= day_ordinal(self.until)) & (meta.day_lo != NO_DAY)
        if self.kinds:
            codes = [i for i, k in enumerate(meta.kinds) if k in self.kinds]
            mask &= np.isin(meta.kind, codes)
        if self.sites:
            codes = [
                i for i, h in enumerate(meta.sites) if any(site_matches(h, s) for s in self.sites)
            ]
            mask &= np.isin(meta.site, codes)
        return mask


@dataclass
class DocMeta:
    """Per-document filter columns, sorted by document id (a derived cache)."""

    ids: np.ndarray  # int64
    day_lo: np.ndarray  # int32 day ordinals, NO_DAY when undated
    day_hi: np.ndarray
    kind: np.ndarray  # int32 codes into ``kinds``
    site: np.ndarray  # int32 codes into ``sites``
    kinds: list[str | None]
    sites: list[str | None]
    group: np.ndarray  # int32 codes of the duplicate group (one code per group)
    original: np.ndarray  # bool: the document is its group's original

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> DocMeta:
        """From ``(id, day_lo, day_hi, kind, site, url, dup_group)`` rows sorted by id."""
        kinds: dict[str | None, int] = {}
        sites: dict[str | None, int] = {}
        groups: dict[str, int] = {}
        n = len(rows)
        ids = np.empty(n, dtype=np.int64)
        lo = np.empty(n, dtype=np.int32)
        hi = np.empty(n, dtype=np.int32)
        kind = np.empty(n, dtype=np.int32)
        site = np.empty(n, dtype=np.int32)
        group = np.empty(n, dtype=np.int32)
        original = np.empty(n, dtype=bool)
        for i, (doc_id, d_lo, d_hi, k, s, url, dup_group) in enumerate(rows):
            ids[i] = doc_id
            lo[i] = day_ordinal(d_lo)
            hi[i] = day_ordinal(d_hi)
            kind[i] = kinds.setdefault(k, len(kinds))
            site[i] = sites.setdefault(s, len(sites))
            group[i] = groups.setdefault(dup_group, len(groups))
            original[i] = url == dup_group
        return cls(ids, lo, hi, kind, site, list(kinds), list(sites), group, original)
