"""The lexical side: SQLite FTS5 over Sastrawi-stemmed passage text, ranked by BM25.

Why pre-stemmed text in a plain FTS5 table: FTS5 has no Indonesian stemmer, and stemming
("pemerintah" -> "perintah", "diberikan" -> "beri") is worth about half a point of nDCG on
FacQA. User input never reaches FTS5's query syntax: queries are reduced to words, and every
term is sent as a quoted string joined by OR, so quotes, NEAR, ``*``, ``-``, ``:`` or a 10 KB
paste cannot raise a syntax error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

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


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH string for a free-text query (``None`` when it has no words)."""
    ts = query_terms(query)
    if not ts:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in ts)


def search(
    conn: sqlite3.Connection,
    query: str,
    limit: int,
    doc_filter: tuple[str, Sequence[object]] | None = None,
) -> list[tuple[int, int, float]]:
    """Best chunks as ``(chunk_id, doc_id, bm25 score)``, best first (higher is better).

    ``doc_filter`` is an SQL condition over the ``docs`` table aliased ``d`` and its params.
    """
    expr = match_expression(query)
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


def scores_for(conn: sqlite3.Connection, query: str, chunk_ids: Sequence[int]) -> dict[int, float]:
    """BM25 of given chunks for ``query`` (higher is better; chunks without a match are absent).

    Lets fusion score the dense side's candidates lexically instead of guessing.
    """
    expr = match_expression(query)
    if expr is None or not chunk_ids:
        return {}
    ids = list(chunk_ids)
    rows = conn.execute(
        f"SELECT rowid, bm25({TABLE}) FROM {TABLE} WHERE {TABLE} MATCH ? "
        f"AND rowid IN ({','.join('?' * len(ids))})",
        (expr, *ids),
    ).fetchall()
    return {int(r): -float(s) for r, s in rows}


def coverage(conn: sqlite3.Connection, query: str) -> float:
    """Share of the query's content terms that occur anywhere in the index (0..1).

    An English question over Indonesian text has most of its words unknown here, and its few
    lexical matches are then weak evidence; fusion scales the lexical side by this share.
    """
    ts = query_terms(query)
    if not ts:
        return 0.0
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, {TABLE}, row)"
    )
    found = conn.execute(
        f"SELECT count(*) FROM temp.vocab WHERE term IN ({','.join('?' * len(ts))})", ts
    ).fetchone()[0]
    return float(found) / len(ts)
