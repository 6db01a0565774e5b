"""An in-memory BM25 over the same passages as FTS5, for speed at scale.

Why: FTS5 ranks an OR query by calling ``bm25()`` once per matching row, ~3 us each, so a
question whose words occur in 50k of 100k passages costs ~150 ms. Precomputing every
(term, passage) BM25 weight ("eager" BM25, as bm25s does) turns a query into a few numpy
scatter-adds over posting lists: milliseconds at 100k. The arrays are a derived cache written
next to the vectors after each update (same row order as the vector matrix) from the stemmed
text kept in the FTS5 table, which stays the source of truth and the fallback. Scores follow
FTS5's formula (k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), floored at 1e-6), so
both paths rank alike.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

K1 = 1.2
B = 0.75


def build(conn: sqlite3.Connection, ids: np.ndarray) -> dict[str, np.ndarray]:
    """Posting arrays for the chunks ``ids`` (sorted), rows aligned with ``ids``.

    Streams the stemmed text once and keeps postings in flat numpy arrays, so 1M passages
    need a few hundred MB rather than millions of Python objects.
    """
    n = len(ids)
    row_of = {int(c): i for i, c in enumerate(ids)}
    vocab: dict[str, int] = {}
    lengths = np.zeros(n, dtype=np.float64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    t_buf: list[int] = []
    r_buf: list[int] = []
    f_buf: list[int] = []
    for cid, text in conn.execute("SELECT rowid, terms FROM chunks_fts"):
        row = row_of.get(int(cid))
        if row is None:
            continue
        toks = (text or "").split()
        lengths[row] = len(toks)
        for term, tf in Counter(toks).items():
            t_buf.append(vocab.setdefault(term, len(vocab)))
            r_buf.append(row)
            f_buf.append(tf)
        if len(t_buf) > 2_000_000:
            parts.append((np.array(t_buf), np.array(r_buf), np.array(f_buf)))
            t_buf, r_buf, f_buf = [], [], []
    parts.append((np.array(t_buf, dtype=np.int64), np.array(r_buf), np.array(f_buf)))
    tid = np.concatenate([p[0] for p in parts]).astype(np.int64)
    row = np.concatenate([p[1] for p in parts]).astype(np.int32)
    tf = np.concatenate([p[2] for p in parts]).astype(np.float64)
    terms = sorted(vocab)
    rank = np.empty(len(vocab), dtype=np.int64)  # vocab id -> alphabetical position
    rank[[vocab[t] for t in terms]] = np.arange(len(terms))
    tid = rank[tid] if len(tid) else tid
    order = np.lexsort((row, tid))
    tid, row, tf = tid[order], row[order], tf[order]
    df = np.bincount(tid, minlength=len(terms)).astype(np.float64)
    avgdl = float(lengths.mean()) if n and lengths.sum() else 1.0
    idf = np.maximum(np.log((n - df + 0.5) / (df + 0.5)), 1e-6)
    weights = idf[tid] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[row] / avgdl))
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(df.astype(np.int64), out=indptr[1:])
    return {
        "terms": np.array(terms, dtype=str) if terms else np.array([], dtype="<U1"),
        "indptr": indptr,
        "rows": row,
        "weights": weights.astype(np.float32),
    }


class BM25Index:
    """Read side of the posting arrays (memory-mapped where it helps)."""

    def __init__(self, files: dict[str, Path], n_rows: int) -> None:
        self.terms = np.load(files["terms"], mmap_mode="r")  # binary search touches few pages
        self.indptr = np.load(files["indptr"])
        self.rows = np.load(files["rows"], mmap_mode="r")
        self.weights = np.load(files["weights"], mmap_mode="r")
        self.n_rows = n_rows

    def _slots(self, terms: Sequence[str]) -> dict[str, int]:
        if not len(self.terms) or not terms:
            return {}
        q = np.array(list(terms), dtype=str)
        pos = np.clip(np.searchsorted(self.terms, q), 0, len(self.terms) - 1)
        return {t: int(p) for t, p in zip(terms, pos, strict=True) if self.terms[p] == t}

    def doc_freqs(self, terms: Sequence[str]) -> dict[str, int]:
        """Passages containing each known term (unknown terms are absent)."""
        return {t: int(self.indptr[p + 1] - self.indptr[p]) for t, p in self._slots(terms).items()}

    def mark_rows(self, terms: Sequence[str], mask: np.ndarray) -> None:
        """Set ``mask`` (one flag per row) for every row holding one of ``terms``."""
        for p in self._slots(terms).values():
            mask[self.rows[int(self.indptr[p]) : int(self.indptr[p + 1])]] = True

    def search(
        self, terms: Sequence[str], k: int, allowed_rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """``(row, score)`` best first; only rows that match at least one term."""
        slots = self._slots(terms)
        if not slots:
            return []
        acc = np.zeros(self.n_rows, dtype=np.float32)
        for p in slots.values():
            a, b = int(self.indptr[p]), int(self.indptr[p + 1])
            acc[self.rows[a:b]] += self.weights[a:b]  # rows are unique within a posting list
        if allowed_rows is not None:
            mask = np.zeros(self.n_rows, dtype=bool)
            mask[allowed_rows] = True
            acc[~mask] = 0.0
        hit = np.flatnonzero(acc)
        if not len(hit):
            return []
        k = min(k, len(hit))
        top = hit[np.argpartition(-acc[hit], k - 1)[:k]]
        top = top[np.argsort(-acc[top], kind="stable")]
        return [(int(r), float(acc[r])) for r in top]
