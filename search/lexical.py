"""The lexical side: SQLite FTS5 over Sastrawi-stemmed passage text, ranked by BM25.

Why pre-stemmed text in a plain FTS5 table: FTS5 has no Indonesian stemmer, and stemming
("pemerintah" -> "perintah", "diberikan" -> "beri") is worth about half a point of nDCG on
FacQA. User input never reaches FTS5's query syntax: queries are reduced to words, and every
term is sent as a quoted string joined by OR, so quotes, NEAR, ``*``, ``-``, ``:`` or a 10 KB
paste cannot raise a syntax error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from search.text import query_terms, terms

TABLE = "chunks_fts"


def create(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "terms, tokenize = 'unicode61 remove_diacritics 2')"
    )


def add(conn: sqlite3.Connection, rows: Iterable[tuple[int, str]]) -> None:
    """Index ``(chunk_id, passage text)`` pairs."""
    conn.executemany(
        f"INSERT INTO {TABLE}(rowid, terms) VALUES (?, ?)",
        ((cid, " ".join(terms(text))) for cid, text in rows),
    )


def delete(conn: sqlite3.Connection, chunk_ids: Sequence[int]) -> None:
    conn.executemany(f"DELETE FROM {TABLE} WHERE rowid = ?", ((c,) for c in chunk_ids))


DocFreqs = Callable[[Sequence[str]], dict[str, int]]
COMMON_DF = 0.25  # terms in more than this share of passages are left out of the OR query


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH string for a free-text query (``None`` when it has no words)."""
    return _or_terms(query_terms(query))


def _or_terms(ts: Sequence[str]) -> str | None:
    if not ts:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in ts)


@dataclass
class LexicalQuery:
    """A query planned against the index vocabulary."""

    expr: str | None  # FTS5 MATCH string over the useful known terms, or None
    coverage: float  # share of the query's content terms that occur in the index (0..1)
    terms: list[str] = field(default_factory=list)  # the useful known terms


def plan(
    conn: sqlite3.Connection, query: str, n_chunks: int, doc_freqs: DocFreqs | None = None
) -> LexicalQuery:
    """Look the query's terms up in the FTS vocabulary (one indexed lookup).

    Unknown terms cannot match and are dropped. Terms found in more than a quarter of all
    passages are dropped too (FTS5's BM25 gives them almost no weight, yet OR-ing them makes
    the query score most of the index: 10x slower at 100k passages) unless nothing else is
    left. ``coverage`` tells fusion how much of the query speaks the corpus's language: an
    English question over Indonesian text leaves most of its words unknown.
    """
    ts = query_terms(query)
    if not ts:
        return LexicalQuery(None, 0.0)
    if doc_freqs is not None:
        df = doc_freqs(ts)
    else:
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, {TABLE}, row)"
        )
        df = dict(
            conn.execute(
                f"SELECT term, doc FROM temp.vocab WHERE term IN ({','.join('?' * len(ts))})", ts
            ).fetchall()
        )
    known = [t for t in ts if t in df]
    useful = [t for t in known if df[t] <= COMMON_DF * n_chunks] or sorted(known, key=df.get)[:3]
    return LexicalQuery(_or_terms(useful), len(known) / len(ts), useful)


def search(
    conn: sqlite3.Connection,
    query: str | LexicalQuery,
    limit: int,
    doc_filter: tuple[str, Sequence[object]] | None = None,
) -> list[tuple[int, int, float]]:
    """Best chunks as ``(chunk_id, doc_id, bm25 score)``, best first (higher is better).

    ``query`` is free text or a ``plan``; ``doc_filter`` is an SQL condition over the
    ``docs`` table aliased ``d`` and its params.
    """
    expr = query.expr if isinstance(query, LexicalQuery) else match_expression(query)
    if expr is None:
        return []
    where, params = doc_filter or ("1", ())
    rows = conn.execute(
        f"SELECT f.rowid, c.doc_id, bm25({TABLE}) AS s FROM {TABLE} f "
        "JOIN chunks c ON c.id = f.rowid JOIN docs d ON d.id = c.doc_id "
        f"WHERE {TABLE} MATCH ? AND ({where}) ORDER BY s LIMIT ?",
        (expr, *params, limit),
    ).fetchall()
    return [(int(cid), int(did), -float(s)) for cid, did, s in rows]
