"""All SQL lives here: idempotent upserts keyed by canonical URL, history, snapshots, runs.

Callers hand in already-normalised items (pipelines did canonical URLs, dates, hashes)
inside a `Database.write()` transaction; nothing here commits on its own.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import CrawlRun, Document, DocumentVersion, Snapshot, Source

# The fields of the document record (design.md), in export order.
RECORD_FIELDS = (
    "url",
    "kind",
    "platform",
    "site",
    "title",
    "author",
    "published_at",
    "published_raw",
    "text",
    "parent_url",
    "reply_to",
    "duplicate_of",
    "fetched_at",
)
# What export writes: the record plus where each field came from (``field_sources``).
EXPORT_FIELDS = (*RECORD_FIELDS, "field_sources")


def utcnow() -> datetime:
    """Naive UTC now: the store keeps naive UTC times on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


@dataclass(frozen=True)
class UpsertResult:
    status: str  # "new" | "updated" | "unchanged"
    id: int


def _insert(session: Session):
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert
    if dialect == "postgresql":
        return postgresql.insert
    return None


def _date_columns(parsed: Any) -> dict[str, Any]:
    """published_at/offset/precision columns from a pipelines.dates.ParsedDate (or None)."""
    if parsed is None:
        return {"published_at": None, "published_offset": None, "published_precision": None}
    return {
        "published_at": to_naive_utc(parsed.utc),
        "published_offset": parsed.offset_minutes,
        "published_precision": parsed.precision,
    }


def _columns(item: Any, now: datetime) -> dict[str, Any]:
    cols = {
        "url": item.url,
        "kind": item.kind,
        "platform": item.platform or "generic",
        "site": item.site,
        "title": item.title,
        "author": item.author,
        "published_raw": item.published_raw,
        "updated_raw": item.updated_raw,
        "updated_at": to_naive_utc(item.updated.utc) if item.updated is not None else None,
        "text": item.text or "",
        "content_hash": item.content_hash or hashlib.sha256((item.text or "").encode()).hexdigest(),
        "duplicate_of": item.duplicate_of,
        "parent_url": item.parent_url,
        "reply_to": item.reply_to,
        "comment_count": item.comment_count,
        "etag": item.extra.get("etag"),
        "last_modified": item.extra.get("last_modified"),
        "snapshot_sha256": item.extra.get("snapshot_sha256"),
        "dedup_signature": item.extra.get("dedup_signature"),
        "deleted_comments": item.extra.get("deleted_comments"),
        "field_sources": item.extra.get("field_sources"),
        "fetched_at": to_naive_utc(item.fetched_at) or now,
    }
    cols.update(_date_columns(item.published))
    return cols


def _id_of(session: Session, url: str | None) -> int | None:
    if not url:
        return None
    return session.scalar(select(Document.id).where(Document.url == url))


def upsert_document(
    session: Session, item: Any, *, source_id: int | None = None, now: datetime | None = None
) -> UpsertResult:
    """Insert or update the document at `item.url`; a changed text or title keeps history.

    Re-running the same input is a no-op apart from `last_seen`: the unique URL makes the
    insert idempotent even when two writers race (ON CONFLICT DO NOTHING, then update).
    """
    now = now or utcnow()
    cols = _columns(item, now)
    cols["parent_id"] = _id_of(session, item.parent_url)
    cols["reply_to_id"] = _id_of(session, item.reply_to)
    cols["source_id"] = source_id
    doc = session.scalar(select(Document).where(Document.url == item.url))
    if doc is None:
        values = dict(cols, first_seen=now, last_seen=now, version=1)
        insert = _insert(session)
        if insert is not None:
            stmt = insert(Document).values(**values).on_conflict_do_nothing(index_elements=["url"])
            result = session.execute(stmt.returning(Document.id))
            new_id = result.scalar()
            if new_id is not None:
                return UpsertResult("new", new_id)
            doc = session.scalar(select(Document).where(Document.url == item.url))
        else:  # pragma: no cover - other backends
            doc = Document(**values)
            session.add(doc)
            session.flush()
            return UpsertResult("new", doc.id)
    return _update_existing(session, doc, cols, now)


def upsert_documents(
    session: Session, entries: list[tuple[Any, int | None]], *, now: datetime | None = None
) -> list[UpsertResult]:
    """`upsert_document` for a batch of (item, source_id), in order, in a few statements.

    New documents go in with one multi-row INSERT .. ON CONFLICT DO NOTHING RETURNING; a
    row it did not insert (a concurrent writer got there first) and every document already
    stored take the one-by-one path, which keeps history. An item whose post or parent
    comment is still waiting in the same INSERT sends that INSERT first, so threads link.
    """
    now = now or utcnow()
    insert = _insert(session)
    if insert is None:  # pragma: no cover - other backends
        return [upsert_document(session, item, source_id=sid, now=now) for item, sid in entries]
    wanted = {u for item, _ in entries for u in (item.url, item.parent_url, item.reply_to) if u}
    ids = _ids_of(session, wanted)
    results: list[UpsertResult | None] = [None] * len(entries)
    group: dict[str, tuple[int, dict[str, Any]]] = {}  # url -> (entry index, row values)

    def send_group() -> None:
        if not group:
            return
        stmt = (
            insert(Document)
            .on_conflict_do_nothing(index_elements=["url"])
            .returning(Document.id, Document.url)
        )
        rows = session.connection().execute(stmt, [values for _, values in group.values()])
        inserted = {url: new_id for new_id, url in rows}
        for url, (index, _) in group.items():
            if url in inserted:
                ids[url] = inserted[url]
                results[index] = UpsertResult("new", inserted[url])
            else:  # lost a race with another writer: update what it stored
                item, sid = entries[index]
                results[index] = upsert_document(session, item, source_id=sid, now=now)
                ids[url] = results[index].id
        group.clear()

    for index, (item, sid) in enumerate(entries):
        if item.url in ids or item.url in group:
            send_group()
            results[index] = upsert_document(session, item, source_id=sid, now=now)
            ids[item.url] = results[index].id
            continue
        if item.parent_url in group or item.reply_to in group:
            send_group()
        cols = _columns(item, now)
        cols["parent_id"] = ids.get(item.parent_url) if item.parent_url else None
        cols["reply_to_id"] = ids.get(item.reply_to) if item.reply_to else None
        cols["source_id"] = sid
        group[item.url] = (index, dict(cols, first_seen=now, last_seen=now, version=1))
    send_group()
    return [r for r in results if r is not None]


def _ids_of(session: Session, urls: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(urls)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = session.execute(select(Document.url, Document.id).where(Document.url.in_(chunk)))
        found.update({url: doc_id for url, doc_id in rows})
    return found


# Fields that only fill gaps: a later, poorer fetch must not erase what an earlier one found.
_FILL_ONLY = (
    "title",
    "author",
    "published_raw",
    "published_at",
    "published_offset",
    "published_precision",
    "parent_id",
    "reply_to_id",
    "source_id",
    "site",
)
# Fields that always take the latest value (bookkeeping about the fetch itself).
_LATEST = (
    "comment_count",
    "etag",
    "last_modified",
    "fetched_at",
    "updated_at",
    "updated_raw",
    "snapshot_sha256",
    "deleted_comments",
    "dedup_signature",
    "field_sources",
)


def _update_existing(session: Session, doc: Document, cols: dict, now: datetime) -> UpsertResult:
    changed = doc.content_hash != cols["content_hash"] or (
        cols["title"] is not None and doc.title != cols["title"]
    )
    if changed:
        session.add(
            DocumentVersion(
                document_id=doc.id,
                version=doc.version,
                title=doc.title,
                text=doc.text,
                content_hash=doc.content_hash,
                published_raw=doc.published_raw,
                snapshot_sha256=doc.snapshot_sha256,
                recorded_at=now,
            )
        )
        doc.text = cols["text"]
        doc.content_hash = cols["content_hash"]
        doc.title = cols["title"] if cols["title"] is not None else doc.title
        doc.version = (doc.version or 1) + 1
        if cols["published_raw"] and cols["published_at"] is not None:
            for key in ("published_raw", "published_at", "published_offset", "published_precision"):
                setattr(doc, key, cols[key])
    for key in _FILL_ONLY:
        if getattr(doc, key) is None and cols.get(key) is not None:
            setattr(doc, key, cols[key])
    for key in _LATEST:
        if cols.get(key) is not None:
            setattr(doc, key, cols[key])
    if cols.get("duplicate_of") is not None:
        doc.duplicate_of = cols["duplicate_of"]
    doc.last_seen = now
    doc.gone_at = None
    return UpsertResult("updated" if changed else "unchanged", doc.id)


def link_threads(session: Session) -> int:
    """Resolve parent/reply ids of comments stored before their post or parent comment."""
    linked = 0
    orphans = session.scalars(
        select(Document).where(
            Document.kind == "comment",
            ((Document.parent_id.is_(None)) & Document.parent_url.is_not(None))
            | ((Document.reply_to_id.is_(None)) & Document.reply_to.is_not(None)),
        )
    )
    for doc in orphans:
        if doc.parent_id is None and (pid := _id_of(session, doc.parent_url)) is not None:
            doc.parent_id = pid
            linked += 1
        if doc.reply_to_id is None and (rid := _id_of(session, doc.reply_to)) is not None:
            doc.reply_to_id = rid
            linked += 1
    return linked


def set_deleted_comments(session: Session, post_url: str, count: int) -> None:
    """How many of a post's comments were deleted (their text is never stored)."""
    session.execute(update(Document).where(Document.url == post_url).values(deleted_comments=count))


def get_document(session: Session, url: str) -> Document | None:
    return session.scalar(select(Document).where(Document.url == url))


def iter_documents(session: Session, *, batch: int = 500) -> Iterator[Document]:
    """Every document in id order, fetched in batches (constant memory on big stores)."""
    last = 0
    while True:
        rows = session.scalars(
            select(Document).where(Document.id > last).order_by(Document.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        session.expunge_all()


def published_iso(doc: Document) -> str | None:
    """The export form of a stored date: as precise as the page was, in its own offset."""
    if doc.published_at is None:
        return None
    offset = timedelta(minutes=doc.published_offset or 0)
    local = doc.published_at.replace(tzinfo=UTC).astimezone(timezone(offset))
    precision = doc.published_precision or "second"
    if precision == "month":
        return local.strftime("%Y-%m")
    if precision == "day":
        return local.strftime("%Y-%m-%d")
    if not local.microsecond:  # a whole second exports without a fraction
        return local.isoformat(timespec="seconds")
    # Milliseconds the source gave (Blogger's showComment=..., "10:21:33.250") are kept.
    return local.isoformat(timespec="microseconds" if local.microsecond % 1000 else "milliseconds")


def document_record(doc: Document) -> dict[str, Any]:
    """The design.md record for one stored document."""
    return {
        "url": doc.url,
        "kind": doc.kind,
        "platform": doc.platform,
        "site": doc.site,
        "title": doc.title,
        "author": doc.author,
        "published_at": published_iso(doc),
        "published_raw": doc.published_raw,
        "text": doc.text,
        "parent_url": doc.parent_url,
        "reply_to": doc.reply_to,
        "duplicate_of": doc.duplicate_of,
        "fetched_at": (doc.fetched_at.replace(tzinfo=UTC).isoformat() if doc.fetched_at else None),
        "field_sources": doc.field_sources,
    }


def counts(session: Session) -> dict[str, Any]:
    """Counts by kind, by site and by month (of publication), for `tangguh stats`."""
    by_kind = {
        kind: n
        for kind, n in session.execute(select(Document.kind, func.count()).group_by(Document.kind))
    }
    by_site = {
        site: n
        for site, n in session.execute(
            select(Document.site, func.count())
            .group_by(Document.site)
            .order_by(func.count().desc())
        )
    }
    months: Counter[str] = Counter()
    for (published,) in session.execute(select(Document.published_at)):
        months[published.strftime("%Y-%m") if published else "unknown"] += 1
    total = sum(by_kind.values())
    dups = session.scalar(select(func.count()).where(Document.duplicate_of.is_not(None))) or 0
    gone = session.scalar(select(func.count()).where(Document.gone_at.is_not(None))) or 0
    return {
        "total": total,
        "by_kind": by_kind,
        "by_site": by_site,
        "by_month": dict(sorted(months.items())),
        "duplicates": dups,
        "gone": gone,
    }


# --- snapshots ---------------------------------------------------------------------------


def save_snapshot(
    session: Session,
    url: str,
    body: bytes,
    *,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> str:
    """Store a raw body once under its sha256 (idempotent); returns the digest."""
    snapshot = {
        "url": url,
        "body": body,
        "status": status,
        "headers": headers,
        "fetched_at": fetched_at,
    }
    return save_snapshots(session, [snapshot])[0]


def save_snapshots(session: Session, snapshots: list[dict[str, Any]]) -> list[str]:
    """Store many raw bodies (dicts with url, body, status, headers, fetched_at), each once
    under its sha256, with one lookup and one INSERT; returns each body's digest, in order."""
    digests = [hashlib.sha256(snap["body"]).hexdigest() for snap in snapshots]
    wanted = sorted(set(digests))
    stored: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stored.update(session.scalars(select(Snapshot.sha256).where(Snapshot.sha256.in_(chunk))))
    rows: dict[str, dict[str, Any]] = {}
    for digest, snap in zip(digests, snapshots, strict=True):
        if digest in stored or digest in rows:
            continue
        rows[digest] = {
            "sha256": digest,
            "url": snap["url"],
            "fetched_at": to_naive_utc(snap.get("fetched_at")) or utcnow(),
            "status": snap.get("status"),
            "headers": snap.get("headers"),
            "size": len(snap["body"]),
            "body": zlib.compress(snap["body"], 6),
        }
    if rows:
        insert = _insert(session)
        if insert is None:  # pragma: no cover - other backends
            session.add_all(Snapshot(**row) for row in rows.values())
            session.flush()
        else:
            stmt = insert(Snapshot).on_conflict_do_nothing(index_elements=["sha256"])
            session.execute(stmt, list(rows.values()))
    return digests


def load_snapshot(session: Session, digest: str) -> bytes | None:
    snap = session.get(Snapshot, digest)
    return zlib.decompress(snap.body) if snap is not None else None


# --- sources and runs --------------------------------------------------------------------


def source_id(session: Session, name: str, kind: str, config: dict | None = None) -> int:
    existing = session.scalar(select(Source.id).where(Source.name == name))
    if existing is not None:
        return existing
    src = Source(name=name, kind=kind, config=config, created_at=utcnow())
    session.add(src)
    session.flush()
    return src.id


def start_run(session: Session, command: str, sources: list[str], pid: int | None) -> int:
    run = CrawlRun(command=command, sources=sources, started_at=utcnow(), status="running", pid=pid)
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, *, status: str, stats: dict, exit_code: int) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.finished_at = utcnow()
    run.status = status
    run.stats = stats
    run.exit_code = exit_code
    for key in ("new", "updated", "unchanged", "failed"):
        setattr(run, key, int(stats.get(key, 0)))


def mark_interrupted_runs(session: Session, is_alive: Callable[[int], bool]) -> int:
    """Runs still 'running' whose process is gone died mid-way (kill -9, power loss)."""
    dead = [
        run_id
        for run_id, pid in session.execute(
            # A distributed run's pid is on another machine: its workers' heartbeats
            # decide (store.distributed.mark_interrupted).
            select(CrawlRun.id, CrawlRun.pid).where(
                CrawlRun.status == "running", CrawlRun.queue.is_(None)
            )
        )
        if pid is None or not is_alive(pid)
    ]
    if dead:
        session.execute(
            update(CrawlRun)
            .where(CrawlRun.id.in_(dead))
            .values(status="interrupted", finished_at=utcnow())
        )
    return len(dead)


def previous_run(session: Session, command: str, before_id: int) -> CrawlRun | None:
    """The latest run of `command` started before run `before_id`."""
    return session.scalar(
        select(CrawlRun)
        .where(CrawlRun.command == command, CrawlRun.id < before_id)
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )


def recent_runs(session: Session, limit: int = 20) -> list[CrawlRun]:
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)).all())


# --- dedup support -----------------------------------------------------------------------


def dedup_rows(session: Session) -> Iterator[tuple]:
    """(url, kind, text, published_at, first_seen, signature, duplicate_of) of every
    document, by id."""
    last = 0
    while True:
        rows = session.execute(
            select(
                Document.id,
                Document.url,
                Document.kind,
                # The signature carries everything the detector needs; the text is only
                # loaded for documents stored without one (keeps a rebuild's memory small).
                case((Document.dedup_signature.is_(None), Document.text), else_=""),
                Document.published_at,
                Document.first_seen,
                Document.dedup_signature,
                Document.duplicate_of,
            )
            .where(Document.id > last)
            .order_by(Document.id)
            .limit(2000)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row[1:]
        last = rows[-1][0]


def set_duplicate_of(session: Session, mapping: dict[str, str | None]) -> None:
    """Point documents at their group's root (None: no longer a copy); one UPDATE per root."""
    by_target: dict[str | None, list[str]] = {}
    for url, target in mapping.items():
        by_target.setdefault(target, []).append(url)
    for target, urls in by_target.items():
        for start in range(0, len(urls), 500):
            session.execute(
                update(Document)
                .where(Document.url.in_(urls[start : start + 500]))
                .values(duplicate_of=target)
            )


def duplicate_groups(session: Session) -> dict[str, list[Document]]:
    """Groups keyed by the root's URL: {root: [copies...]} (root itself not in the list)."""
    groups: dict[str, list[Document]] = {}
    for doc in session.scalars(
        select(Document).where(Document.duplicate_of.is_not(None)).order_by(Document.id)
    ):
        groups.setdefault(doc.duplicate_of, []).append(doc)
    return groups


def mark_gone(session: Session, url: str, when: datetime | None = None) -> bool:
    """Flag a stored page that now answers 404/410; the row and its text are kept."""
    result = session.execute(
        update(Document)
        .where(Document.url == url, Document.gone_at.is_(None))
        .values(gone_at=to_naive_utc(when) or utcnow())
    )
    return bool(result.rowcount)
