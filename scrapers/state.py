"""What a crawl already knows about a document, so re-crawls fetch only what changed.

The spiders ask a ``CrawlState`` about each canonical post/article URL before fetching its
body or comments. The lead implements the protocol over the store; ``MemoryCrawlState`` is
the in-process version for tests and one-off runs. The state is only read here: a URL
becomes "known" when the store has committed it, never when a request was merely sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class KnownDoc:
    """The change markers stored with a document at its last successful crawl."""

    etag: str | None = None
    last_modified: str | None = None
    updated_raw: str | None = None
    comment_count: int | None = None
    content_hash: str | None = None


@runtime_checkable
class CrawlState(Protocol):
    def known(self, url: str) -> KnownDoc | None:
        """The markers of the stored document at canonical ``url``, or None if not stored."""


class MemoryCrawlState:
    """A dict-backed ``CrawlState``; ``remember`` is what a store would do on commit."""

    def __init__(self) -> None:
        self._docs: dict[str, KnownDoc] = {}

    def known(self, url: str) -> KnownDoc | None:
        return self._docs.get(url)

    def remember(self, url: str, doc: KnownDoc) -> None:
        self._docs[url] = doc

    def remember_item(self, item: object) -> None:
        """Record a scraped ``DocumentItem`` as committed, as the store does on commit.

        Comments are remembered too: spiders ask ``known(permalink)`` to skip stored ones.
        """
        extra = getattr(item, "extra", {}) or {}
        self._docs[item.url] = KnownDoc(  # type: ignore[attr-defined]
            etag=extra.get("etag"),
            last_modified=extra.get("last_modified"),
            updated_raw=getattr(item, "updated_raw", None),
            comment_count=getattr(item, "comment_count", None),
            content_hash=getattr(item, "content_hash", None),
        )

    def __len__(self) -> int:
        return len(self._docs)
