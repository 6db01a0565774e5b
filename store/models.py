"""SQLAlchemy 2 typed models: the one schema every backend (SQLite, PostgreSQL) shares.

Times are stored as naive UTC datetimes (portable across backends); a document's original
UTC offset and the precision its date was written with are kept beside it, so exports can
give back exactly what the page said (`2020-06`, `2020-06-15` or a full timestamp).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A configured source (sources.toml entry) documents were crawled from."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Document(Base):
    """A post, comment or article; one row per canonical URL."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    site: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # UTC
    published_offset: Mapped[int | None] = mapped_column(Integer)  # minutes east of UTC
    published_precision: Mapped[str | None] = mapped_column(String(8))
    published_raw: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC, e.g. feed <updated>
    updated_raw: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(String(2048), index=True)
    dedup_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    parent_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    reply_to: Mapped[str | None] = mapped_column(String(2048))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    comment_count: Mapped[int | None] = mapped_column(Integer)
    deleted_comments: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    gone_at: Mapped[datetime | None] = mapped_column(DateTime)
    # {"body": {"source": "template", "confidence": 0.9}, "title": {...}, ...}: where each
    # field came from (structured metadata, a known template, a heuristic, the general
    # extractor), so a researcher can tell a template match from a guess.
    field_sources: Mapped[dict | None] = mapped_column(JSON)


class DocumentVersion(Base):
    """An earlier state of a document whose text or title changed: nothing is overwritten."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    published_raw: Mapped[str | None] = mapped_column(Text)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Snapshot(Base):
    """A raw response body, zlib-compressed, keyed by the sha256 of the uncompressed bytes."""

    __tablename__ = "snapshots"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), index=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict | None] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class CrawlRun(Base):
    """One invocation of crawl / fetch / import, with its summary stats."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(50))
    sources: Mapped[list | None] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    pid: Mapped[int | None] = mapped_column(Integer)
    stats: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    exit_code: Mapped[int | None] = mapped_column(Integer)
    # A distributed crawl's queue (redis://host:port/db, password masked); None for a run
    # made by one process.
    queue: Mapped[str | None] = mapped_column(String(512))


class CrawlWorker(Base):
    """One process of a distributed crawl run: where it ran, whether it is alive, its stats.

    Liveness is the heartbeat, not the pid: workers run on other machines, where a pid
    means nothing to the process that reads the row.
    """

    __tablename__ = "crawl_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(10))  # seed (`crawl --queue`) | worker
    started_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    stats: Mapped[dict | None] = mapped_column(JSON)


Index("ix_documents_parent_kind", Document.parent_id, Document.kind)
Index("ix_crawl_runs_started", CrawlRun.started_at)


class JudgedContest(Base):
    """One `tangguh judge run`: the contest as judged, with its reports for download."""

    __tablename__ = "judged_contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    judged_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    timezone: Mapped[str] = mapped_column(String(64))
    opens: Mapped[str | None] = mapped_column(String(40))  # local ISO, as in contest.toml
    closes: Mapped[str | None] = mapped_column(String(40))
    rules: Mapped[list | None] = mapped_column(JSON)  # names of the checks it ran
    counting_rule: Mapped[str | None] = mapped_column(Text)
    contest_file: Mapped[str | None] = mapped_column(Text)
    entries_file: Mapped[str | None] = mapped_column(Text)
    out_dir: Mapped[str | None] = mapped_column(Text)
    input_problems: Mapped[list | None] = mapped_column(JSON)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
    report_csv: Mapped[bytes | None] = mapped_column(LargeBinary)
    report_xlsx: Mapped[bytes | None] = mapped_column(LargeBinary)


class JudgedEntry(Base):
    """One entry's verdict in a judged contest: report.json's record, plus columns to filter."""

    __tablename__ = "judged_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("judged_contests.id", ondelete="CASCADE"), index=True
    )
    form_row: Mapped[int] = mapped_column(Integer)  # the form's spreadsheet row
    url: Mapped[str] = mapped_column(String(2048))
    eligible: Mapped[bool] = mapped_column(Boolean)
    word_count: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[str | None] = mapped_column(String(40))  # in the contest's zone
    fails: Mapped[list] = mapped_column(JSON)
    flags: Mapped[list] = mapped_column(JSON)
    number: Mapped[int | None] = mapped_column(Integer)  # blind-reading number
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64))
    blind_text: Mapped[str | None] = mapped_column(Text)  # no names, no URLs (eligible only)
    blind_title: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict] = mapped_column(JSON)  # report.json's object for this entry
