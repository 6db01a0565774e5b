"""The pipeline chain every document goes through, from a crawl or from `tangguh import`.

validate -> clean -> canonical URL -> dates (``dates_stage``) -> relevance -> dedup -> store.
Each stage is a small function in its own module; this class only orders them, counts what happens in
`stats` (Scrapy-style keys) and turns a write that keeps failing into a dead letter.

In a distributed crawl (`shared_dedup`, see pipelines.dedup_shared) the dedup stage moves
from `process` to `flush`: a batch is checked, committed and published in one turn of the
run's dedup lock, so every worker's detector sees what the others stored.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.exc import OperationalError

from pipelines.canonical import canonical_url, site_of
from pipelines.clean import clean
from pipelines.dates import ParsedDate, parse_date
from pipelines.dates_stage import aware, normalise_dates
from pipelines.dedup import DedupRecord, DuplicateDetector, content_hash
from pipelines.dedup_shared import SharedDedupLog
from pipelines.relevance import TopicFilter
from pipelines.validate import InvalidItem, validate
from scrapers.items import DocumentItem
from store import repo
from store.db import Database

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 3
# Queued items are committed together once this many are waiting or the oldest has
# waited this long (a slow crawl still commits every second).
BATCH_SIZE = 100
BATCH_SECONDS = 1.0


@dataclass(frozen=True)
class Outcome:
    status: str  # queued (stored at the next flush) | dropped | invalid
    url: str | None
    reason: str = ""


def platform_from_url(url: str) -> str:
    """The platform an imported record's URL betrays (hosted blogs, comment permalinks)."""
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".blogspot.com") or "showComment=" in url:
        return "blogger"
    if host.endswith(".wordpress.com") or "replytocom=" in url:
        return "wordpress"
    return "generic"


class PipelineChain:
    """Runs items through every stage into the store; one instance per run."""

    def __init__(
        self,
        db: Database,
        *,
        topics: dict[str, Sequence[str]] | None = None,
        source_kinds: dict[str, str] | None = None,
        dead_letter: Path | None = None,
        stats: Counter | None = None,
        shared_dedup: SharedDedupLog | None = None,
    ):
        self.db = db
        self._shared = shared_dedup
        self.stats: Counter = stats if stats is not None else Counter()
        self.dead_letter = dead_letter
        self._topics = {name: TopicFilter(p) for name, p in (topics or {}).items()}
        self._off_topic_posts: set[str] = set()
        self._detector: DuplicateDetector | None = None
        self._source_ids: dict[str, int] = {}
        self._source_kinds = dict(source_kinds or {})
        self._deleted: dict[str, set[str]] = {}
        self._failed_in_a_row = 0
        self._pending: list[tuple[DocumentItem, dict[str, str]]] = []
        self._pending_since = 0.0  # post url -> deleted comment urls seen
        # url -> published date of the posts seen or looked up in this run, for comments
        # stamped with a time only.
        self._post_dates: dict[str, ParsedDate | None] = {}

    # -- stages ------------------------------------------------------------------------

    def _canonicalise(self, item: DocumentItem) -> None:
        if item.platform == "generic":
            item.platform = platform_from_url(item.url)
        try:
            item.url = canonical_url(item.url, page_canonical=item.page_canonical, kind=item.kind)
            if item.parent_url:
                item.parent_url = canonical_url(item.parent_url)
            if item.reply_to and "://" in item.reply_to:
                item.reply_to = canonical_url(item.reply_to, kind="comment")
        except ValueError as exc:
            raise InvalidItem(f"bad url: {exc}", "invalid/url") from exc
        item.site = item.site or site_of(item.url)

    def _relevant(self, item: DocumentItem) -> bool:
        if item.kind == "comment":
            return item.parent_url not in self._off_topic_posts
        topic = self._topics.get(item.source or "")
        if topic is None or topic.matches(item.title, item.text):
            return True
        self._off_topic_posts.add(item.url)
        return False

    def _post_date(self, url: str) -> ParsedDate | None:
        """The published date of the post at ``url``: seen in this run, else stored."""
        if url not in self._post_dates:
            with self.db.read() as session:
                doc = repo.get_document(session, url)
                stored = repo.published_iso(doc) if doc is not None else None
            self._post_dates[url] = parse_date(stored) if stored else None
        return self._post_dates[url]

    def detector(self) -> DuplicateDetector:
        if self._detector is None:
            if self._shared is not None:
                with self._shared.turn():
                    self._detector = self._shared.load(self._load_detector)
            else:
                self._detector = self._load_detector()
        return self._detector

    def _load_detector(self) -> DuplicateDetector:
        """The detector over the stored documents, their signatures and groups."""
        with self.db.read() as session:
            rows = [
                DedupRecord(
                    key=url,
                    kind=kind,
                    text=text,
                    published_utc=aware(published) if published else None,
                    first_seen=aware(first_seen) if first_seen else None,
                    signature=signature,
                    duplicate_of=duplicate_of,
                )
                for url, kind, text, published, first_seen, signature, duplicate_of in (
                    repo.dedup_rows(session)
                )
            ]
        return DuplicateDetector.from_records(rows)

    def _dedup(self, item: DocumentItem) -> dict[str, str]:
        if item.deleted:
            item.content_hash = content_hash(item.text)
            return {}
        verdict = self.detector().check_and_add(
            DedupRecord(
                key=item.url,
                kind=item.kind,
                text=item.text,
                published_utc=item.published.utc if item.published is not None else None,
                first_seen=aware(item.fetched_at),
            )
        )
        item.content_hash = verdict.content_hash  # the hash dedup made of the same text
        item.duplicate_of = verdict.duplicate_of
        item.extra["dedup_signature"] = verdict.signature
        if verdict.duplicate_of:
            self.stats[f"dedup/{verdict.method or 'near'}"] += 1
        return dict(verdict.repoint or {})

    def _write_batch(self, batch: list[tuple[DocumentItem, dict[str, str]]]) -> list[str]:
        """Store a batch in one transaction; returns each item's upsert status."""
        with self.db.write() as session:
            with_snapshot = [item for item, _ in batch if item.extra.get("snapshot")]
            digests = repo.save_snapshots(
                session,
                [
                    {
                        **item.extra["snapshot"],
                        "url": item.extra["snapshot"].get("url") or item.url,
                        "fetched_at": item.fetched_at,
                    }
                    for item in with_snapshot
                ],
            )
            for item, digest in zip(with_snapshot, digests, strict=True):
                item.extra["snapshot_sha256"] = digest
            entries = [(item, self._source_id(session, item)) for item, _ in batch]
            results = repo.upsert_documents(session, entries)
            for _, repoint in batch:
                if repoint:
                    repo.set_duplicate_of(session, repoint)
        return [result.status for result in results]

    def flush(self) -> None:
        """Commit the queued items; a batch that keeps failing goes to the dead letters.

        Items are queued, not written one by one: a transaction per item would cost more
        than everything else the chain does. Nothing is marked done before the commit.
        """
        batch, self._pending = self._pending, []
        if not batch:
            return
        if self._shared is None:
            self._commit(batch)
            return
        with self._shared.turn():
            if self._detector is None:
                self._detector = self._shared.load(self._load_detector)
            else:
                self._shared.catch_up(self._detector)
            batch = [(item, self._dedup(item)) for item, _ in batch]
            self._commit(batch)
            # Published even when the batch went to the dead letters: every worker's
            # detector must stay the same, and the replayed documents will match them.
            self._shared.publish([_dedup_record(item) for item, _ in batch if not item.deleted])

    def _commit(self, batch: list[tuple[DocumentItem, dict[str, str]]]) -> None:
        # Once writes keep failing (a database locked for long), stop retrying: every
        # further batch goes straight to the dead-letter file after one try.
        attempts = 1 if self._failed_in_a_row >= WRITE_ATTEMPTS else WRITE_ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                statuses = self._write_batch(batch)
            except OperationalError as exc:
                self._source_ids.clear()  # ids created in the rolled-back transaction
                self.stats["store/retry"] += 1
                if attempt == attempts:
                    self._failed_in_a_row += 1
                    for item, _ in batch:
                        self.stats["items/failed"] += 1
                        self.stats["failed"] += 1
                        self._write_dead_letter(item, str(exc.orig))
                    return
                log.warning(
                    "write of %d items failed (%s); retry %d", len(batch), exc.orig, attempt
                )
                time.sleep(0.5 * attempt)
            else:
                self._failed_in_a_row = 0
                for (item, _), status in zip(batch, statuses, strict=True):
                    item.extra.pop("snapshot", None)
                    self.stats[status] += 1
                    self.stats[f"items/{status}"] += 1
                return

    def _source_id(self, session, item: DocumentItem) -> int | None:
        if not item.source:
            return None
        if item.source not in self._source_ids:
            # The kind sources.toml gives (blogger/wordpress/news); `fetch` and imports
            # name no configured source, so their platform stands in.
            kind = self._source_kinds.get(item.source, item.platform)
            self._source_ids[item.source] = repo.source_id(session, item.source, kind)
        return self._source_ids[item.source]

    # -- the chain ---------------------------------------------------------------------

    def process(self, item: DocumentItem) -> Outcome:
        self.stats["items/seen"] += 1
        try:
            validate(item)
            clean(item)
            self._canonicalise(item)
            normalise_dates(item, self.stats, self._post_date)
        except InvalidItem as exc:
            self.stats[exc.key] += 1
            self.stats["items/invalid"] += 1
            return Outcome("invalid", item.url if isinstance(item.url, str) else None, str(exc))
        if item.kind != "comment" and item.published is not None:
            self._post_dates[item.url] = item.published
        if not self._relevant(item):
            self.stats["items/dropped/off_topic"] += 1
            return Outcome("dropped", item.url, "off topic")
        if item.deleted:
            self.stats["comments/deleted"] += 1
            self._deleted.setdefault(item.parent_url, set()).add(item.url)
            return Outcome("dropped", item.url, "deleted comment (counted, not stored)")
        # Shared: checked at the flush, in the run's dedup turn (see the module docstring).
        repoint = {} if self._shared is not None else self._dedup(item)
        if not self._pending:
            self._pending_since = time.monotonic()
        self._pending.append((item, repoint))
        if (
            len(self._pending) >= BATCH_SIZE
            or time.monotonic() - self._pending_since >= BATCH_SECONDS
        ):
            self.flush()
        return Outcome("queued", item.url)

    def mark_gone(self, url: str) -> None:
        """Flag the stored document at `url` (404/410 now); its row and text are kept."""
        try:
            key = canonical_url(url)
        except ValueError:
            return
        self.flush()  # the page may have been queued earlier in this run
        try:
            with self.db.write() as session:
                if repo.mark_gone(session, key):
                    self.stats["gone"] += 1
        except OperationalError as exc:
            log.error("could not flag %s as gone: %s", key, exc.orig)
            self.stats["gone/failed"] += 1

    def close(self) -> None:
        """Commit what is queued, then link comments stored before their parents."""
        self.flush()
        try:
            with self._turn(), self.db.write() as session:
                self.stats["threads/linked"] += repo.link_threads(session)
                for post_url, urls in self._deleted.items():
                    repo.set_deleted_comments(session, post_url, len(urls))
        except OperationalError as exc:
            log.error("could not link comment threads: %s", exc.orig)
            self.stats["threads/link_failed"] += 1

    def _turn(self):
        """The shared dedup turn in a distributed crawl (workers linking the same threads
        at once would deadlock), else nothing."""
        return self._shared.turn() if self._shared is not None else nullcontext()

    def _write_dead_letter(self, item: DocumentItem, error: str) -> None:
        if self.dead_letter is None:
            log.error("lost %s: %s (no dead-letter file configured)", item.url, error)
            return
        self.dead_letter.parent.mkdir(parents=True, exist_ok=True)
        record = item_to_record(item)
        record["_error"] = error
        with self.dead_letter.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.stats["deadletter/written"] += 1


def _dedup_record(item: DocumentItem) -> DedupRecord:
    """What the shared dedup log keeps of a checked item (its signature, not its text)."""
    return DedupRecord(
        key=item.url,
        kind=item.kind,
        text="",
        published_utc=item.published.utc if item.published is not None else None,
        first_seen=aware(item.fetched_at),
        signature=item.extra.get("dedup_signature"),
    )


def item_to_record(item: DocumentItem) -> dict:
    """The design.md record of an item before storage (dead letters, replays)."""
    return {
        "url": item.url,
        "kind": item.kind,
        "platform": item.platform,
        "site": item.site,
        "title": item.title,
        "author": item.author,
        "published_at": item.published.isoformat() if item.published is not None else None,
        "published_raw": item.published_raw,
        "text": item.text,
        "parent_url": item.parent_url,
        "reply_to": item.reply_to,
        "duplicate_of": item.duplicate_of,
        "fetched_at": item.fetched_at.isoformat() if item.fetched_at else None,
    }
