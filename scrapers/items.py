"""Typed items that page objects produce and pipelines enrich.

One dataclass serves posts, comments and articles: they share every stored field, and the
`kind` says which it is. Raw strings (`published_raw`, `updated_raw`, `body_html`) are kept
as scraped; pipelines add normalised fields beside them and never overwrite the raw ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

Kind = Literal["post", "comment", "article"]
Platform = Literal["blogger", "wordpress", "generic"]

KINDS: tuple[str, ...] = ("post", "comment", "article")
PLATFORMS: tuple[str, ...] = ("blogger", "wordpress", "generic")


@dataclass
class DocumentItem:
    """A post, comment or article as scraped (raw) plus what pipelines derive from it."""

    url: str
    kind: str = "article"
    text: str = ""
    platform: str = "generic"
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published_raw: str | None = None
    updated_raw: str | None = None
    parent_url: str | None = None
    reply_to: str | None = None
    body_html: str | None = None
    fetched_at: datetime | None = None
    comment_count: int | None = None
    source: str | None = None
    page_canonical: str | None = None  # the page's own <link rel=canonical>, if any
    deleted: bool = False  # a deleted comment: counted, its text not stored
    extra: dict[str, Any] = field(default_factory=dict)

    # Set by pipelines (pipelines.dates, pipelines.dedup, ...):
    published: Any = None  # pipelines.dates.ParsedDate or None
    updated: Any = None
    content_hash: str | None = None
    duplicate_of: str | None = None

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GoneItem:
    """A page that now answers 404/410: the stored document is flagged, never deleted."""

    url: str
    status: int
