"""Ground truth for the sample web: every document it serves, as a crawler should record it.

Integration tests crawl the sample web and compare what they stored with this manifest,
so each record says what the site *shows*: URLs with the live port, Blogger replies
flattened to their thread root (Blogger threads are one level deep), and ``deleted``
for comments the platform shows as removed (Blogger) or hides (WordPress).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

_SHOW_COMMENT_MS = re.compile(r"[?&]showComment=(\d{13})(?!\d)")


@dataclass(frozen=True)
class ManifestRecord:
    url: str  # canonical URL (comments: the permalink the platform prints)
    kind: str  # post | comment | article
    platform: str  # blogger | wordpress | generic
    site: str  # host without port
    title: str
    author: str | None
    published: str  # ISO 8601 with offset
    text: str  # plain text of the body as rendered (comments: their text)
    parent_url: str | None = None  # comments: the post
    reply_to: str | None = None  # comments: the permalink of the comment replied to
    deleted: bool = False
    syndicated_group: str | None = None
    contest_entry: str | None = None
    topic: str | None = None
    native_id: str | None = None  # the platform's own id (Blogger post/comment id, WP id)
    updated: str | None = None
    labels: tuple[str, ...] = field(default=())
    visible: bool = True  # False: the platform does not show it at all (WP deleted comment)
    # The most precise publication date the page itself shows: "YYYY-MM-DD" where the
    # site prints only a date (government news, scale pages), else the full timestamp.
    published_shown: str | None = None

    def __post_init__(self) -> None:
        if self.published_shown is None:
            object.__setattr__(self, "published_shown", self.published)

    @property
    def published_instant(self) -> datetime:
        """The instant the platform gives, as aware UTC: a Blogger comment permalink's
        epoch milliseconds (``showComment=...``: the seconds of ``published`` plus a few
        milliseconds, as on the real platform), else ``published``."""
        if self.kind == "comment" and (m := _SHOW_COMMENT_MS.search(self.url)):
            return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(m[1]))
        return datetime.fromisoformat(self.published).astimezone(UTC)


@dataclass
class Manifest:
    records: list[ManifestRecord]

    def __iter__(self) -> Iterator[ManifestRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def by_url(self) -> dict[str, ManifestRecord]:
        return {r.url: r for r in self.records}

    def of_kind(self, kind: str) -> list[ManifestRecord]:
        return [r for r in self.records if r.kind == kind]

    def for_site(self, host: str) -> list[ManifestRecord]:
        return [r for r in self.records if r.site == host]

    def comments_of(self, post_url: str) -> list[ManifestRecord]:
        return [r for r in self.records if r.kind == "comment" and r.parent_url == post_url]

    def visible(self) -> list[ManifestRecord]:
        """What a crawler can see (drops WordPress comments that were deleted)."""
        return [r for r in self.records if r.visible]

    def counts(self, *, visible_only: bool = False) -> dict[str, int]:
        """Documents per kind, e.g. ``{"post": 40, "article": 24, "comment": 180}``."""
        records = self.visible() if visible_only else self.records
        return dict(Counter(r.kind for r in records))

    def to_jsonl(self) -> str:
        return "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in self.records)
