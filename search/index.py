"""Build and update the search index folder from stored documents.

Layout of ``index_dir`` (rebuildable from the database at any time, so safe to delete):
``index.sqlite`` (documents' display fields and date bounds, passages with their vectors,
the FTS5 table, the model that built it), plus the dense caches written by ``search.dense``.

Why incremental by ``id`` + ``content_hash``: embedding runs at ~100 passages/s on 2 cores, so a
cron run must only embed what is new or changed. Documents are written in small batches, each
in its own ``BEGIN IMMEDIATE`` transaction together with its passages and vectors: a run killed
midway keeps what it finished and the next run resumes. A lock file stops two runs from
embedding the same documents at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from search import dense, lexical
from search.chunks import chunk_text, passage_text
from search.dates import doc_bounds
from search.encoder import Encoder, default_encoder, vectors_of
from search.encoder_choice import LEGACY_VECTORS, choose_encoder, describe
from search.errors import (  # noqa: F401  (re-exported: search.index was their home)
    DeviceUnavailableError,
    EncoderMismatchError,
    IndexBusyError,
    IndexMissingError,
    ModelMismatchError,
    SearchIndexError,
)
from search.index_db import (  # noqa: F401  (connect, get_meta, DB_NAME: also used by readers)
    DB_NAME,
    SCHEMA,
    SCHEMA_VERSION,
    connect,
    get_meta,
    set_meta,
    write_tx,
)
from search.records import IndexDoc, IndexStats

CHUNKER_VERSION = 1  # bump when chunking changes: every document is re-embedded
# Passages per encoder call and per transaction: enough for the length-sorted batches of the
# ONNX encoder to pad little and keep every core busy; a killed run loses at most this many.
EMBED_BATCH = 256


def doc_key(doc: IndexDoc) -> str:
    """Changes whenever what gets embedded changes (text, title, or the chunker)."""
    content = doc.content_hash or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    raw = f"{CHUNKER_VERSION}\x00{content}\x00{doc.title or ''}\x00{doc.kind or ''}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def indexed_doc_keys(index_dir: Path) -> dict[int, str]:
    """{document id: doc_key} of what the index holds, read-only (for `tangguh doctor`)."""
    db = Path(index_dir) / DB_NAME
    if not db.exists():
        raise IndexMissingError(f"no search index at {index_dir}")
    conn = connect(db, readonly=True)
    try:
        return {doc_id: key for doc_id, key in conn.execute("SELECT id, doc_key FROM docs")}
    finally:
        conn.close()


def _doc_row(doc: IndexDoc) -> tuple[object, ...]:
    bounds = doc_bounds(doc.published_at, doc.published_utc)
    lo, hi = bounds if bounds else (None, None)
    site = (doc.site or "").lower() or None
    return (
        doc.id,
        doc.url,
        doc.title,
        (doc.kind or "").lower() or None,
        site,
        doc.published_at,
        lo,
        hi,
        doc.duplicate_of or doc.url,
        doc_key(doc),
    )


def _remove_index_files(index_dir: Path) -> None:
    """Delete what this package wrote, and only that: ``index_dir`` may be misconfigured to a
    folder that holds other data (the main database, say)."""
    names = {DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", dense.STATE, dense.STATE + ".tmp"}
    for p in index_dir.iterdir():
        if p.name in names or p.name.startswith(dense.CACHE_PREFIX):
            p.unlink()


@contextmanager
def _lock(index_dir: Path) -> Iterator[None]:
    fh = (index_dir / ".lock").open("a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusyError(f"{index_dir} is being updated by another process") from exc
        yield
    finally:
        fh.close()


def _check_model(conn: sqlite3.Connection, encoder: Encoder) -> None:
    model, dim = get_meta(conn, "model"), get_meta(conn, "dim")
    if model is None:
        with write_tx(conn):
            set_meta(conn, "model", encoder.name)
            set_meta(conn, "dim", encoder.dim)
            set_meta(conn, "schema", SCHEMA_VERSION)
            set_meta(conn, "generation", 0)
            set_meta(conn, "doc_vectors", vectors_of(encoder))
        return
    if model != encoder.name or int(dim or 0) != encoder.dim:
        raise ModelMismatchError(
            f"the index was built with model {model!r} ({dim}-d) but the current model is "
            f"{encoder.name!r} ({encoder.dim}-d): rebuild it (tangguh index --rebuild)"
        )
    if get_meta(conn, "doc_vectors") is None:  # an index from before the record
        with write_tx(conn):
            set_meta(conn, "doc_vectors", vectors_of(encoder))


def _recorded_vectors(index_dir: Path, encoder: Encoder) -> tuple[str | None, str | None]:
    """(kind of vectors, encoder that embedded them) of an index built with this model;
    ``(None, None)`` for a missing index or one of another model (checked elsewhere)."""
    db = index_dir / DB_NAME
    if not db.exists():
        return None, None
    conn = connect(db, readonly=True)
    try:
        if get_meta(conn, "model") != encoder.name:
            return None, None
        vectors = get_meta(conn, "doc_vectors")
        if vectors is None:
            vectors = LEGACY_VECTORS if hasattr(encoder, "vectors") else vectors_of(encoder)
        return vectors, get_meta(conn, "doc_encoder")
    except sqlite3.DatabaseError:
        return None, None  # no meta table yet: a fresh or foreign file, handled on open
    finally:
        conn.close()


def _progress(enabled: bool, total: int | None):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    prog = Progress(
        TextColumn("[bold]indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("docs"),
        TimeRemainingColumn(),
        disable=not enabled,
        transient=False,
    )
    task = prog.add_task("index", total=total)
    return prog, task


class _Writer:
    """Buffers documents to (re)index and flushes them in embedded, committed batches."""

    def __init__(self, conn: sqlite3.Connection, encoder: Encoder, stats: IndexStats):
        self.conn, self.encoder, self.stats = conn, encoder, stats
        self.docs: list[tuple[IndexDoc, bool]] = []  # (doc, replaces an existing row)
        self.passages = 0
        self.added: list[int] = []
        self.removed: list[int] = []

    def put(self, doc: IndexDoc, replace: bool) -> None:
        self.docs.append((doc, replace))
        self.passages += max(1, len(doc.text) // 1200)
        if self.passages >= EMBED_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.docs:
            return
        plan: list[tuple[IndexDoc, bool, list[str]]] = []
        texts: list[str] = []
        for doc, replace in self.docs:
            bodies = chunk_text(doc.text, doc.kind)
            if not bodies and doc.title:
                bodies = [doc.title.strip()]
            plan.append((doc, replace, bodies))
            texts.extend(passage_text(doc.title, b) for b in bodies)
        vecs = self.encoder.encode_documents(texts) if texts else np.zeros((0, 1))
        self.stats.chunks_embedded += len(texts)
        i = 0
        with write_tx(self.conn):
            for doc, replace, bodies in plan:
                if replace:
                    self.removed.extend(delete_doc_chunks(self.conn, doc.id))
                self.conn.execute(
                    "INSERT OR REPLACE INTO docs(id, url, title, kind, site, published_at, "
                    "day_lo, day_hi, dup_group, doc_key) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    _doc_row(doc),
                )
                fts_rows = []
                for ord_, body in enumerate(bodies):
                    cur = self.conn.execute(
                        "INSERT INTO chunks(doc_id, ord, body, vec) VALUES (?,?,?,?)",
                        (doc.id, ord_, body, dense.to_blob(vecs[i])),
                    )
                    cid = int(cur.lastrowid or 0)
                    self.added.append(cid)
                    fts_rows.append((cid, texts[i]))
                    i += 1
                lexical.add(self.conn, fts_rows)
            _bump_generation(self.conn)
        self.docs, self.passages = [], 0


def delete_doc_chunks(conn: sqlite3.Connection, doc_id: int) -> list[int]:
    ids = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
    lexical.delete(conn, ids)
    conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
    return ids


def _bump_generation(conn: sqlite3.Connection) -> None:
    g = int(get_meta(conn, "generation") or 0)
    set_meta(conn, "generation", g + 1)


def update_index(
    docs: Iterable[IndexDoc],
    index_dir: Path,
    *,
    encoder: Encoder | None = None,
    rebuild: bool = False,
    progress: bool = True,
    prune: bool = True,
    change_encoder: bool = False,
) -> IndexStats:
    """Bring ``index_dir`` up to date with ``docs`` (the full set of stored documents).

    New documents and documents whose ``content_hash`` (or title) changed are chunked and
    embedded; metadata-only changes (dates, duplicate links, site) are applied without
    re-embedding; with ``prune`` (default), documents absent from ``docs`` are removed.
    ``rebuild`` deletes the index first. Raises ``ModelMismatchError`` when the index was built
    with another model (rebuild instead), ``IndexBusyError`` when another update is running,
    ``EncoderMismatchError`` when ``encoder`` writes another kind of vectors than the index
    holds (int8 against fp32; see ``search.encoder_choice``): allowed only with ``rebuild``
    and ``change_encoder``.
    """
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    encoder = encoder or default_encoder()
    stats = IndexStats(model=encoder.name)
    with _lock(index_dir):
        recorded, recorded_by = _recorded_vectors(index_dir, encoder)
        encoder = choose_encoder(
            encoder, recorded, recorded_by, rebuild=rebuild, change_encoder=change_encoder
        )
        stats.encoder = describe(encoder)
        if rebuild:
            _remove_index_files(index_dir)
        conn = connect(index_dir / DB_NAME)
        try:
            conn.executescript(SCHEMA)
            lexical.create(conn)
            _check_model(conn, encoder)
            base_generation = int(get_meta(conn, "generation") or 0)
            added, removed = _update(conn, docs, encoder, stats, progress, prune)
            if stats.chunks_embedded and get_meta(conn, "doc_encoder") != stats.encoder:
                with write_tx(conn):
                    set_meta(conn, "doc_encoder", stats.encoder)
            generation = int(get_meta(conn, "generation") or 0)
            state = dense.read_state(index_dir)
            if not dense.cache_is_current(index_dir, generation):
                state = dense.export(
                    conn,
                    index_dir,
                    generation,
                    encoder.dim,
                    added=np.asarray(added, dtype=np.int64),
                    removed=np.asarray(removed, dtype=np.int64),
                    base_generation=base_generation,
                )
            stats.ann = bool(state.get("ann"))
            stats.chunks_total = int(conn.execute("SELECT count(*) FROM chunks").fetchone()[0])
            if get_meta(conn, "chunks") != str(stats.chunks_total):
                with write_tx(conn):
                    set_meta(conn, "chunks", stats.chunks_total)
        finally:
            conn.close()
    stats.seconds = time.perf_counter() - t0
    return stats


def _update(
    conn: sqlite3.Connection,
    docs: Iterable[IndexDoc],
    encoder: Encoder,
    stats: IndexStats,
    progress: bool,
    prune: bool,
) -> tuple[list[int], list[int]]:
    """Stream ``docs`` through the writer; returns the chunk ids added and removed."""
    existing = {
        int(r[0]): (r[1], r[2:])
        for r in conn.execute(
            "SELECT id, doc_key, url, title, kind, site, published_at, day_lo, day_hi, dup_group "
            "FROM docs"
        )
    }
    writer = _Writer(conn, encoder, stats)
    seen: set[int] = set()
    meta_updates: list[tuple[object, ...]] = []
    total = len(docs) if hasattr(docs, "__len__") else None  # type: ignore[arg-type]
    prog, task = _progress(progress, total)
    with prog:
        for doc in docs:
            if doc.id in seen:
                continue
            seen.add(doc.id)
            stats.docs_total += 1
            old = existing.get(doc.id)
            row = _doc_row(doc)
            if old is None:
                stats.docs_added += 1
                writer.put(doc, replace=False)
            elif old[0] != row[-1]:
                stats.docs_updated += 1
                writer.put(doc, replace=True)
            else:
                stats.docs_unchanged += 1
                if tuple(old[1]) != row[1:-1]:
                    meta_updates.append(row[1:-1] + (doc.id,))
            prog.advance(task)
        writer.flush()
    gone = [i for i in existing if i not in seen] if prune else []
    if meta_updates or gone:
        with write_tx(conn):
            conn.executemany(
                "UPDATE docs SET url=?, title=?, kind=?, site=?, published_at=?, day_lo=?, "
                "day_hi=?, dup_group=? WHERE id=?",
                meta_updates,
            )
            for doc_id in gone:
                writer.removed.extend(delete_doc_chunks(conn, doc_id))
                conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
            _bump_generation(conn)
    stats.docs_removed = len(gone)
    return writer.added, writer.removed
