"""What judging needs from one fetched entry, and the interface that fetches it.

Rules are pure functions of `FetchedEntry`, so they are tested with saved HTML and a fake
fetcher; `ScrapyEntryFetcher` is the real one, reusing the project's spiders through
`scrapers.runner.run_crawl(..., urls=...)` (platform detected per page, comments included).

Entry URLs come from strangers. Before anything is fetched, `address_refusal` resolves the host
and refuses loopback, private, link-local, shared, multicast and metadata addresses unless
`allow_private` is set; the crawl repeats the check after every redirect
(`TANGGUH_ALLOW_PRIVATE` in the crawl settings). Sample-web hosts (`*.test`) map to 127.0.0.1
only when private addresses are allowed, as the sample web's resolver does.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .text import body_text

TEST_HOST_SUFFIX = ".test"


@dataclass
class FetchedEntry:
    """One entry URL as fetched: reachability, metadata, body and comments."""

    url: str
    final_url: str | None = None
    status: int | None = None
    error: str | None = None  # why it is unreachable, in Indonesian; None when fetched
    platform: str | None = None
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published_raw: str | None = None
    published: datetime | None = None  # aware
    updated: datetime | None = None
    body_html: str | None = None
    text: str = ""  # body only
    comments: list[dict[str, Any]] = field(default_factory=list)
    snapshot_sha256: str | None = None  # of body_html as judged
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    published_precision: str = "second"  # "day" when only the date was shown
    updated_raw: str | None = None
    body_from_text: bool = False  # the page gave text only: links and images unknown

    @property
    def reachable(self) -> bool:
        """Fetched and a post body found: only then can the rules be checked."""
        return (
            self.error is None
            and (self.status or 200) < 400
            and self.body_html is not None
            and bool(self.body_html.strip())
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready snapshot (the evidence kept beside the report)."""
        out = {k: v for k, v in self.__dict__.items()}
        for key in ("published", "updated", "fetched_at"):
            value = out[key]
            out[key] = value.isoformat() if value else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchedEntry:
        kwargs = dict(data)
        for key in ("published", "updated", "fetched_at"):
            if kwargs.get(key):
                kwargs[key] = datetime.fromisoformat(kwargs[key])
        if kwargs.get("fetched_at") is None:
            kwargs.pop("fetched_at", None)
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in kwargs.items() if k in known})


class EntryFetcher(Protocol):
    def fetch(self, urls: list[str]) -> dict[str, FetchedEntry]: ...


def sha256_text(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


def finish_entry(entry: FetchedEntry) -> FetchedEntry:
    """Fill the derived fields (body text, snapshot hash) from `body_html`."""
    if entry.body_html is not None:
        if not entry.text:
            entry.text = body_text(entry.body_html)[0]
        entry.snapshot_sha256 = sha256_text(entry.body_html)
    return entry


# --- address guard --------------------------------------------------------------------------


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for private, loopback, link-local (169.254.169.254 metadata),
    # shared 100.64/10, reserved, unspecified and documentation ranges.
    return not ip.is_global or ip.is_multicast


def address_refusal(
    url: str,
    *,
    allow_private: bool,
    resolve: Any = socket.getaddrinfo,
) -> str | None:
    """Why `url` must not be fetched (Indonesian), or None when it may be."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "URL rusak"
    if parts.scheme not in ("http", "https") or not host:
        return "hanya URL http/https yang diambil"
    if host.endswith(TEST_HOST_SUFFIX):
        return None if allow_private else "host .test hanya untuk web contoh (--allow-private)"
    try:
        infos = resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError, OSError):
        return f"DNS gagal: host {host} tidak ditemukan"
    addresses = {info[4][0] for info in infos}
    if allow_private:
        return None
    for address in sorted(addresses):
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            continue
        if _refused(ip):
            return f"alamat privat/lokal ditolak ({host} → {address}); pakai --allow-private"
    return None


# --- the Scrapy-backed fetcher ----------------------------------------------------------------


class ScrapyEntryFetcher:
    """Fetch entry URLs with the project's spiders, in a child process.

    A child process because Twisted's reactor cannot be restarted: `judge run` and `recheck`
    (and tests) may fetch more than once per process. The child (`tangguh.judging.fetch_worker`)
    adds a collecting item pipeline and a downloader middleware that records each URL's final
    status or error, and writes them as JSON lines.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        settings: dict[str, Any] | None = None,
        timeout: float = 600.0,
        python: str | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.settings = dict(settings or {})
        self.timeout = timeout
        self.python = python or sys.executable

    def fetch(self, urls: list[str]) -> dict[str, FetchedEntry]:
        results: dict[str, FetchedEntry] = {}
        todo = []
        for url in urls:
            refusal = address_refusal(url, allow_private=self.allow_private)
            if refusal:
                results[url] = FetchedEntry(url=url, error=refusal)
            else:
                todo.append(url)
        if todo:
            results.update(self._crawl(todo))
        return {url: results[url] for url in urls}

    def crawl_settings(self) -> dict[str, Any]:
        settings = {"TANGGUH_ALLOW_PRIVATE": self.allow_private, **self.settings}
        if self.allow_private:
            settings.setdefault("TANGGUH_RESOLVE", {"*.test": "127.0.0.1"})
        return settings

    def _crawl(self, urls: list[str]) -> dict[str, FetchedEntry]:
        with tempfile.TemporaryDirectory(prefix="tangguh-judge-") as tmp:
            job = Path(tmp) / "job.json"
            out = Path(tmp) / "collected.jsonl"
            job.write_text(
                json.dumps({"urls": urls, "settings": self.crawl_settings(), "out": str(out)}),
                encoding="utf-8",
            )
            env = {**os.environ, "TANGGUH_ALLOW_PRIVATE": "1" if self.allow_private else "0"}
            try:
                proc = subprocess.run(
                    [self.python, "-m", "tangguh.judging.fetch_worker", str(job)],
                    capture_output=True,
                    text=True,
                    timeout=max(self.timeout, 60 + 5 * len(urls)),
                    env=env,
                )
                failure = None if proc.returncode == 0 else _last_line(proc.stderr)
            except subprocess.TimeoutExpired:
                failure = "batas waktu pengambilan habis"
            records = []
            if out.exists():
                records = [json.loads(line) for line in out.read_text("utf-8").splitlines() if line]
        return assemble(urls, records, failure=failure)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f"pengambilan gagal: {lines[-1][:200]}" if lines else "pengambilan gagal"


def assemble(
    urls: list[str], records: list[dict[str, Any]], *, failure: str | None = None
) -> dict[str, FetchedEntry]:
    """Turn the worker's records (items and per-request outcomes) into FetchedEntry objects."""
    from .scrapy_items import entries_from_records

    return entries_from_records(urls, records, failure=failure)


class SnapshotFetcher:
    """Serve entries from the snapshots of an earlier `judge run` (no network).

    Re-judges exactly what was judged before, e.g. after a rule was corrected or to settle a
    dispute; URLs without a snapshot come back as not fetched.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.entries: dict[str, FetchedEntry] = {}
        for path in sorted(Path(out_dir, "snapshots").glob("*.json")):
            entry = FetchedEntry.from_dict(json.loads(path.read_text(encoding="utf-8")))
            self.entries[entry.url] = entry

    def fetch(self, urls: list[str]) -> dict[str, FetchedEntry]:
        return {
            url: self.entries.get(url) or FetchedEntry(url=url, error="tidak ada snapshot")
            for url in urls
        }
