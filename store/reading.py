"""Read-only queries for the web page: a document with its thread, records by URL, snapshots.

Why beside `repo.py`: these only read, for people looking at the corpus (`tangguh serve`);
`repo.py` keeps the write path. Nothing here changes a row.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Document, Snapshot, Source
from store.repo import document_record

_BATCH = 500


@dataclass
class ThreadComment:
    """A comment and its replies, as the page shows them (depth 0 = under the post)."""

    record: dict[str, Any]
    depth: int
    replies: list[ThreadComment] = field(default_factory=list)


@dataclass
class DocumentView:
    """Everything the document page shows about one stored document."""

    record: dict[str, Any]
    snapshot_sha256: str | None
    version: int
    first_seen: str | None
    gone_at: str | None
    comment_count: int | None
    deleted_comments: int | None
    source: str | None
    group: list[dict[str, Any]]  # the duplicate group: original first, then copies
    comments: list[ThreadComment]  # the thread, in order, replies nested
    parent: dict[str, Any] | None  # a comment's post


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def document_view(session: Session, url: str) -> DocumentView | None:
    """The document at ``url`` with its duplicate group and (for a post) its comment thread."""
    doc = session.scalar(select(Document).where(Document.url == url))
    if doc is None:
        return None
    root = doc.duplicate_of or doc.url
    members = session.scalars(
        select(Document)
        .where((Document.url == root) | (Document.duplicate_of == root))
        .order_by(Document.published_at.is_(None), Document.published_at, Document.id)
    ).all()
    group = (
        [
            {
                "url": m.url,
                "site": m.site,
                "title": m.title,
                "published_at": document_record(m)["published_at"],
                "original": m.url == root,
            }
            for m in members
        ]
        if len(members) > 1
        else []
    )
    parent = None
    if doc.parent_id is not None:
        post = session.get(Document, doc.parent_id)
        parent = document_record(post) if post is not None else None
    source = session.scalar(select(Source.name).where(Source.id == doc.source_id))
    return DocumentView(
        record=document_record(doc),
        snapshot_sha256=doc.snapshot_sha256,
        version=doc.version,
        first_seen=_iso(doc.first_seen),
        gone_at=_iso(doc.gone_at),
        comment_count=doc.comment_count,
        deleted_comments=doc.deleted_comments,
        source=source,
        group=group,
        comments=comment_thread(session, doc.id) if doc.kind != "comment" else [],
        parent=parent,
    )


def comment_thread(session: Session, post_id: int) -> list[ThreadComment]:
    """The post's comments as a tree: top-level comments in time order, replies under the
    comment they answer (a reply whose comment is not stored stays at the top level)."""
    rows = session.scalars(
        select(Document)
        .where(Document.parent_id == post_id, Document.kind == "comment")
        .order_by(Document.published_at.is_(None), Document.published_at, Document.id)
    ).all()
    nodes = {d.id: ThreadComment(document_record(d), 0) for d in rows}
    top: list[ThreadComment] = []
    for d in rows:
        parent = nodes.get(d.reply_to_id) if d.reply_to_id and d.reply_to_id != d.id else None
        (parent.replies if parent is not None else top).append(nodes[d.id])

    seen: set[int] = set()

    def settle(items: list[ThreadComment], depth: int) -> None:
        for item in items:
            seen.add(id(item))
            item.depth = depth
            item.replies = [r for r in item.replies if id(r) not in seen]
            settle(item.replies, depth + 1)

    settle(top, 0)
    # Replies that answer each other in a cycle (hostile data) hang under no top comment:
    # show them at the top level, once, rather than lose them.
    for node in nodes.values():
        if id(node) not in seen:
            top.append(node)
            settle([node], 0)
    return top


def records_by_url(session: Session, urls: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Export records (design.md schema + ``field_sources``) for ``urls``, in their order;
    URLs no longer stored are skipped. Batched: constant memory for any number of URLs."""
    for start in range(0, len(urls), _BATCH):
        part = list(urls[start : start + _BATCH])
        found = {
            d.url: document_record(d)
            for d in session.scalars(select(Document).where(Document.url.in_(part)))
        }
        for url in part:
            if url in found:
                yield found[url]
        session.expunge_all()


def snapshot(session: Session, digest: str) -> tuple[bytes, dict[str, Any]] | None:
    """A stored raw body (decompressed) and its metadata, or None."""
    snap = session.get(Snapshot, digest)
    if snap is None:
        return None
    meta = {
        "url": snap.url,
        "fetched_at": _iso(snap.fetched_at),
        "status": snap.status,
        "headers": snap.headers or {},
        "size": snap.size,
    }
    return zlib.decompress(snap.body), meta


def sites_on_platform(session: Session, platform: str) -> list[str]:
    """Hosts with documents of ``platform`` (blogger, wordpress, generic)."""
    return [
        s
        for (s,) in session.execute(
            select(Document.site)
            .where(Document.platform == platform, Document.site.is_not(None))
            .distinct()
            .order_by(Document.site)
        )
    ]


def platforms(session: Session) -> list[str]:
    return [p for (p,) in session.execute(select(Document.platform).distinct()) if p]


def configured_sources(session: Session) -> list[dict[str, Any]]:
    """Sources documents were crawled from, with how many documents each gave and when the
    latest was fetched."""
    counts = dict(
        session.execute(select(Document.source_id, func.count()).group_by(Document.source_id)).all()
    )
    latest = dict(
        session.execute(
            select(Document.source_id, func.max(Document.fetched_at)).group_by(Document.source_id)
        ).all()
    )
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "documents": int(counts.get(s.id, 0)),
            "last_fetched": _iso(latest.get(s.id)),
        }
        for s in session.scalars(select(Source).order_by(Source.name))
    ]
