"""What judging needs from one fetched entry, and the interface that fetches it.

Rules are pure functions of `FetchedEntry`, so they are tested with saved HTML and a fake
fetcher; `ScrapyEntryFetcher` is the real one: the project's `fetch` spider in a child process
(`fetch_worker`), platform detected per page, comments included, each entry matched to what
its own request chain produced (`scrapers.outcomes`). Entries stream back one at a time as
they finish, so `judge run` shows progress and keeps each one at once (`journal`).

Entry URLs come from strangers: the crawl refuses loopback, private, link-local and metadata
addresses, before the first request and after every redirect, unless `allow_private` is set
(then the sample web's `*.test` hosts map to 127.0.0.1, as `TANGGUH_RESOLVE` can map others).
A refused URL comes back with the refusal as its error, like any other failure.

Politeness (`JUDGE_SETTINGS`): entries live on hundreds of hosts, a page or two each, so many
hosts are fetched at once and each host one request at a time, with the project's per-host
delay and AutoThrottle. `TANGGUH_SCRAPY_SETTINGS` overrides them for one run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from .text import body_text


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
    redirects: list[str] = field(default_factory=list)  # the chain before final_url
    # The address the page gives itself (canonical, og:url) when it names another host than
    # the one that served it: a custom domain, a mirror, an archived or a copied page.
    declared: dict[str, str] = field(default_factory=dict)
    reason: str | None = None  # `scrapers.outcomes` reason code when not fetched

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


OnEntry = Callable[[FetchedEntry], None]


class EntryFetcher(Protocol):
    def fetch(
        self, urls: list[str], *, on_entry: OnEntry | None = None
    ) -> dict[str, FetchedEntry]: ...


class FetchInterrupted(Exception):
    """The fetch was stopped (Ctrl-C, SIGINT): what arrived before was handed to on_entry."""


def sha256_text(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


def finish_entry(entry: FetchedEntry) -> FetchedEntry:
    """Fill the derived fields (body text, snapshot hash) from `body_html`."""
    if entry.body_html is not None:
        if not entry.text:
            entry.text = body_text(entry.body_html)[0]
        entry.snapshot_sha256 = sha256_text(entry.body_html)
    return entry


# --- the Scrapy-backed fetcher ----------------------------------------------------------------


# Many hosts at once, one request at a time on each (the project's delay and AutoThrottle
# still apply per host): entries are single pages spread over hundreds of blogs.
JUDGE_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS": 48,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "REACTOR_THREADPOOL_MAXSIZE": 20,  # DNS lookups of many new hosts at once
    # Each URL was submitted by its author for review, one page at a time, like a link
    # preview: a robots rule must not disqualify an entry.
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "WARNING",
}


class ScrapyEntryFetcher:
    """Fetch entry URLs with the project's `fetch` spider, in a child process.

    A child process because a crawl of hundreds of pages is best killed as a whole (Ctrl-C,
    a timeout) without taking the judging with it, and its memory is given back at its end.
    The child (`tangguh.judging.fetch_worker`) writes each finished entry as one JSON line on
    its standard output; `fetch` hands each to `on_entry` as it comes.
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
        self.timeout = timeout  # the child is killed after max(timeout, 60 s + 5 s an entry)
        self.python = python or sys.executable
        self.pid: int | None = None  # the running child's, while there is one

    def crawl_settings(self) -> dict[str, Any]:
        from tangguh.crawl import resolve_map_from_env, settings_from_env

        settings = {
            **JUDGE_SETTINGS,
            "TANGGUH_ALLOW_PRIVATE": self.allow_private,
            **settings_from_env(),
            **self.settings,
        }
        resolve = resolve_map_from_env()
        if not resolve and self.allow_private:
            resolve = {"*.test": "127.0.0.1"}
        if resolve:
            settings.setdefault("TANGGUH_RESOLVE", resolve)
        return settings

    def fetch(self, urls: list[str], *, on_entry: OnEntry | None = None) -> dict[str, FetchedEntry]:
        results: dict[str, FetchedEntry] = {}
        failure = None
        if urls:
            failure = self._crawl(urls, results, on_entry)
        for url in urls:
            if url not in results:
                missing = FetchedEntry(url=url, error=failure or "tidak selesai diambil")
                results[url] = missing
                if on_entry is not None:
                    on_entry(missing)
        return {url: results[url] for url in urls}

    def _crawl(
        self, urls: list[str], results: dict[str, FetchedEntry], on_entry: OnEntry | None
    ) -> str | None:
        """Run the child; returns why it failed (None when it finished)."""
        with tempfile.TemporaryDirectory(prefix="tangguh-judge-") as tmp:
            job = Path(tmp) / "job.json"
            job.write_text(
                json.dumps({"urls": urls, "settings": self.crawl_settings()}), encoding="utf-8"
            )
            env = {**os.environ, "TANGGUH_ALLOW_PRIVATE": "1" if self.allow_private else "0"}
            with (Path(tmp) / "stderr.log").open("w+", encoding="utf-8") as errors:
                proc = subprocess.Popen(
                    [self.python, "-m", "tangguh.judging.fetch_worker", str(job)],
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    env=env,
                    text=True,
                    encoding="utf-8",
                )
                self.pid = proc.pid
                expired = threading.Event()
                limit = max(self.timeout, 60 + 5 * len(urls))
                timer = threading.Timer(limit, lambda: (expired.set(), proc.kill()))
                timer.start()
                try:
                    for entry in _entries(proc.stdout):
                        results[entry.url] = entry
                        if on_entry is not None:
                            on_entry(entry)
                    code = proc.wait()
                except KeyboardInterrupt:
                    _stop(proc)
                    raise FetchInterrupted() from None
                finally:
                    timer.cancel()
                    self.pid = None
                    proc.stdout.close()
                if code in (130, -signal.SIGINT):
                    raise FetchInterrupted()
                if expired.is_set():
                    return "batas waktu pengambilan habis"
                if code != 0:
                    errors.seek(0)
                    return _last_line(errors.read())
        return None


def _entries(stream: Any) -> Iterator[FetchedEntry]:
    for line in stream:
        try:
            yield FetchedEntry.from_dict(json.loads(line))
        except (ValueError, TypeError, KeyError):
            continue  # a torn line from a killed child: that entry is fetched again


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return f"pengambilan gagal: {lines[-1][:200]}" if lines else "pengambilan gagal"


class SnapshotFetcher:
    """Serve entries from the snapshots of an earlier `judge run` (no network).

    Re-judges exactly what was judged before, e.g. after a rule was corrected or to settle a
    dispute; URLs without a snapshot come back as not fetched.
    """

    def __init__(self, out_dir: str | Path) -> None:
        from .journal import load_snapshots

        self.entries = load_snapshots(Path(out_dir))

    def fetch(self, urls: list[str], *, on_entry: OnEntry | None = None) -> dict[str, FetchedEntry]:
        out = {}
        for url in urls:
            out[url] = self.entries.get(url) or FetchedEntry(url=url, error="tidak ada snapshot")
            if on_entry is not None:
                on_entry(out[url])
        return out
