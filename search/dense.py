"""The dense side: passage vectors searched exactly with numpy, or through a usearch HNSW file
once the collection is large; this module also owns the derived caches next to the vectors
(the BM25 posting arrays of ``search.bm25``), which share the vectors' row order.

Why two paths: exact inner product over a memory-mapped float32 matrix costs 9-17 ms per
query at 100k passages on 2 cores (90-260 ms at 1M) and is always right; from
``TANGGUH_ANN_MIN`` vectors (default 100k) an HNSW graph (usearch) answers instead: 7 ms
against 9 ms exact at 100k in the same run (a few ms off a ~47 ms query, 36 of them spent
embedding it), 3 ms at 1M.

Settings, from ``bench/search.py`` on the hard synthetic set (noise 1.0) at 1M vectors: with
the former M=16, efC=128 recall@10 was 0.957 / 0.981 / 0.990 at ef 256 / 512 / 2048 (2048
costs 25 ms) and stalled there: the graph, not the beam, was short. M=32, efC=200 gives 1.000
at ef 256 (3 ms) for +11% index memory (2.55 vs 2.30 GB) but a 3.5x slower build (50 vs
14 min at 1M on 2 shared cores; a cron update adds to the graph in place). ``vectors.json``
records the graph's M, so an index built with other settings is rebuilt on the next update;
until then an older graph is searched with its former beam.

SQLite holds the vectors (the truth, updated transactionally); the ``.npy`` files and the
HNSW file are derived caches, rewritten after each update and stamped with the index
generation, so a crash between the two can only make the cache stale, never wrong: a stale
cache is ignored and the vectors are read from SQLite instead. Cache files carry the
generation in their names and ``vectors.json`` names the current set, so a search that starts
while an update replaces them never mixes two generations.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import numpy as np

from search import bm25
from search.bm25 import BM25Index
from search.filters import DocMeta, Filters

BM25_KEYS = ("terms", "indptr", "rows", "weights")

STATE = "vectors.json"  # names the current cache files; replaced atomically, written last
CACHE_PREFIX = "vectors-"  # vectors-<generation>.<part>: see cache_names()
# What the cache files hold; an older format is rebuilt by the next `tangguh index`
# (2: the document metadata keeps duplicate groups, for the result set's summary).
CACHE_FORMAT = 2
ANN_MIN = 100_000  # vectors; below, exact search (TANGGUH_ANN_MIN overrides)
ANN_CONNECTIVITY = 32  # M: links per node (see the module docstring for the measurements)
ANN_EXPANSION_ADD = 200  # efConstruction
ANN_EXPANSION_SEARCH = 256  # ef: the search beam, at least the results wanted
LEGACY_EXPANSION_SEARCH = 512  # for a graph built with a smaller M, until it is rebuilt
# One slot of the HNSW beam costs about as much as reading 200 vectors in an exact scan
# (bench/search.py: ef 256 in 3-7 ms, a 100k scan in 9-16 ms); decides filtered searches.
SCAN_PER_BEAM_SLOT = 200


def ann_min() -> int:
    return int(os.environ.get("TANGGUH_ANN_MIN", str(ANN_MIN)))


def to_blob(vec: np.ndarray) -> bytes:
    return np.asarray(vec, dtype="<f4").tobytes()


def from_blob(blob: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4", count=dim)


def read_state(index_dir: Path) -> dict[str, object]:
    try:
        return json.loads((index_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _load_from_sqlite(conn: sqlite3.Connection, dim: int):
    n = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    mat = np.empty((n, dim), dtype=np.float32)
    ids = np.empty(n, dtype=np.int64)
    docs = np.empty(n, dtype=np.int64)
    got = 0  # a writer may commit between the count and the scan: keep what was read
    for cid, did, blob in conn.execute("SELECT id, doc_id, vec FROM chunks ORDER BY id"):
        if got >= n:
            break
        ids[got], docs[got] = cid, did
        mat[got] = from_blob(blob, dim)
        got += 1
    return mat[:got], ids[:got], docs[:got]


def new_ann(dim: int, *, connectivity: int | None = None, expansion_add: int | None = None):
    """An empty HNSW index with the shipped settings (``bench/search.py`` may try others)."""
    from usearch.index import Index

    return Index(
        ndim=dim,
        metric="ip",
        dtype="f32",
        connectivity=connectivity or ANN_CONNECTIVITY,
        expansion_add=expansion_add or ANN_EXPANSION_ADD,
        expansion_search=ANN_EXPANSION_SEARCH,
    )


def ann_expansion(want: int, connectivity: int = ANN_CONNECTIVITY) -> int:
    """expansion_search (HNSW's ef) for ``want`` results from a graph of this connectivity.

    A filtered search asks for more results than it keeps (see ``DenseIndex.search``); the
    beam is then that wide, since usearch searches with max(ef, count) candidates anyway.
    """
    base = ANN_EXPANSION_SEARCH if connectivity >= ANN_CONNECTIVITY else LEGACY_EXPANSION_SEARCH
    return max(base, want)


def cache_is_current(index_dir: Path, generation: int) -> bool:
    """True when ``vectors.json`` describes ``generation`` and all its files exist."""
    state = read_state(index_dir)
    files = state.get("files")
    count = state.get("count")
    required = {"vectors", "ids", "docs", "docmeta", "docmeta_names"}
    required |= {"bm25_" + k for k in BM25_KEYS}
    return (
        state.get("generation") == generation
        and state.get("format") == CACHE_FORMAT
        and isinstance(files, dict)
        and required <= files.keys()
        and all((index_dir / str(f)).is_file() for f in files.values())
        # the HNSW file exists exactly when the threshold asks for one (it may have moved)
        and isinstance(count, int)
        and bool(state.get("ann")) == (count >= ann_min())
        and (not state.get("ann") or state.get("ann_connectivity") == ANN_CONNECTIVITY)
    )


def cache_names(generation: int) -> dict[str, str]:
    base = f"{CACHE_PREFIX}{generation}"
    return {
        "vectors": base + ".f32.npy",
        "ids": base + ".ids.npy",
        "docs": base + ".docs.npy",
        "ann": base + ".usearch",
        "bm25_terms": base + ".bm25-terms.npy",
        "bm25_indptr": base + ".bm25-indptr.npy",
        "bm25_rows": base + ".bm25-rows.npy",
        "bm25_weights": base + ".bm25-weights.npy",
        "docmeta": base + ".docmeta.npz",
        "docmeta_names": base + ".docmeta.json",
    }


def _save_npy(path: Path, arr: np.ndarray) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        np.save(fh, arr)
    os.replace(tmp, path)


def _save_docmeta(conn: sqlite3.Connection, index_dir: Path, names: dict[str, str]) -> None:
    meta = DocMeta.from_rows(
        conn.execute(
            "SELECT id, day_lo, day_hi, kind, site, url, dup_group FROM docs ORDER BY id"
        ).fetchall()
    )
    tmp = index_dir / (names["docmeta"] + ".tmp")
    with tmp.open("wb") as fh:
        np.savez(
            fh,
            ids=meta.ids,
            day_lo=meta.day_lo,
            day_hi=meta.day_hi,
            kind=meta.kind,
            site=meta.site,
            group=meta.group,
            original=meta.original,
        )
    os.replace(tmp, index_dir / names["docmeta"])
    tmp = index_dir / (names["docmeta_names"] + ".tmp")
    tmp.write_text(json.dumps({"kinds": meta.kinds, "sites": meta.sites}), encoding="utf-8")
    os.replace(tmp, index_dir / names["docmeta_names"])


def _load_docmeta(index_dir: Path, files: dict[str, str]) -> DocMeta:
    arrs = np.load(index_dir / files["docmeta"])
    names = json.loads((index_dir / files["docmeta_names"]).read_text(encoding="utf-8"))
    return DocMeta(
        arrs["ids"],
        arrs["day_lo"],
        arrs["day_hi"],
        arrs["kind"],
        arrs["site"],
        names["kinds"],
        names["sites"],
        arrs["group"],  # a cache written before groups were kept: KeyError, rebuilt
        arrs["original"],
    )


def export(
    conn: sqlite3.Connection,
    index_dir: Path,
    generation: int,
    dim: int,
    *,
    added: np.ndarray | None = None,
    removed: np.ndarray | None = None,
    base_generation: int | None = None,
    progress=None,
) -> dict[str, object]:
    """Write the matrix caches (and the HNSW file when large enough) for ``generation``.

    With ``added``/``removed`` chunk ids (the changes since ``base_generation``) and an HNSW
    file of that generation, the graph is updated in place instead of being rebuilt (a cron
    run adding a few posts should not rebuild 1M vectors).
    """
    previous = read_state(index_dir)
    names = cache_names(generation)
    mat, ids, docs = _load_from_sqlite(conn, dim)
    _save_npy(index_dir / names["vectors"], mat)
    _save_npy(index_dir / names["ids"], ids)
    _save_npy(index_dir / names["docs"], docs)
    for key, arr in bm25.build(conn, ids).items():
        _save_npy(index_dir / names["bm25_" + key], arr)
    _save_docmeta(conn, index_dir, names)
    use_ann = len(ids) >= ann_min()
    if use_ann:
        old_ann = index_dir / str(previous.get("files", {}).get("ann", "-"))  # type: ignore[union-attr]
        index = new_ann(dim)
        incremental = (
            previous.get("ann")
            and previous.get("ann_connectivity") == ANN_CONNECTIVITY
            and previous.get("generation") == base_generation
            and old_ann.is_file()
            and added is not None
            and removed is not None
            and len(added) + len(removed) < len(ids) // 5
        )
        if incremental:
            assert added is not None and removed is not None
            index.load(str(old_ann))
            gone = [int(k) for k in removed if index.contains(int(k))]
            if gone:
                index.remove(gone)
            added = added[np.isin(added, ids)]
            if len(added):
                index.add(added.astype(np.uint64), mat[np.searchsorted(ids, added)])
        else:
            index.add(ids.astype(np.uint64), mat, progress=progress)
        tmp = index_dir / (names["ann"] + ".tmp")
        index.save(str(tmp))
        os.replace(tmp, index_dir / names["ann"])
    files = {k: v for k, v in names.items() if k != "ann" or use_ann}
    state = {
        "generation": generation,
        "count": int(len(ids)),
        "dim": dim,
        "ann": use_ann,
        "files": files,
        "format": CACHE_FORMAT,
    }
    if use_ann:
        state["ann_connectivity"] = ANN_CONNECTIVITY
    tmp = index_dir / (STATE + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, index_dir / STATE)
    keep = set(files.values())
    for p in index_dir.glob(CACHE_PREFIX + "*"):
        if p.name not in keep:  # a reader that mapped an old file keeps it until it closes
            p.unlink(missing_ok=True)
    return state


class DenseIndex:
    """Read side: top-k passages for a query vector, optionally restricted to some documents."""

    def __init__(self, index_dir: Path, conn: sqlite3.Connection, generation: int, dim: int):
        self.ann = None
        self.bm25: BM25Index | None = None  # None: lexical search goes through FTS5
        self.meta: DocMeta | None = None  # None: filters go through SQL
        self._doc_index: np.ndarray | None = None
        state = read_state(index_dir)
        files = state.get("files") or {}
        try:
            if state.get("generation") != generation or state.get("dim") != dim:
                raise FileNotFoundError("vector cache is stale")
            self.matrix = np.load(index_dir / files["vectors"], mmap_mode="r")
            self.ids = np.load(index_dir / files["ids"])
            self.docs = np.load(index_dir / files["docs"])
            self.meta = _load_docmeta(index_dir, files)
            self.bm25 = BM25Index(
                {k: index_dir / files["bm25_" + k] for k in BM25_KEYS}, len(self.ids)
            )
            if state.get("ann"):
                from usearch.index import Index

                self.ann = Index.restore(str(index_dir / files["ann"]), view=True)
        except (FileNotFoundError, KeyError, TypeError, ValueError, RuntimeError):
            # Missing, stale or replaced under our feet: the SQLite copy is always current.
            self.ann = self.bm25 = self.meta = None
            self.matrix, self.ids, self.docs = _load_from_sqlite(conn, dim)

    def rows_for_docs(self, doc_ids: np.ndarray) -> np.ndarray:
        """Vector rows of the given documents' passages."""
        return np.flatnonzero(np.isin(self.docs, doc_ids))

    def doc_positions(self) -> np.ndarray:
        """For each vector row, its document's position in the metadata cache."""
        assert self.meta is not None
        if self._doc_index is None:
            self._doc_index = np.searchsorted(self.meta.ids, self.docs)
        return self._doc_index

    def rows_for_filters(self, filters: Filters) -> np.ndarray:
        """Vector rows passing ``filters`` (requires the document-metadata cache)."""
        return np.flatnonzero(filters.doc_mask(self.meta)[self.doc_positions()])

    def lexical_search(
        self, terms: list[str], k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, int, float]]:
        """BM25 through the posting arrays: ``(chunk_id, doc_id, score)`` best first."""
        assert self.bm25 is not None
        found = self.bm25.search(terms, k, rows)
        return [(int(self.ids[r]), int(self.docs[r]), s) for r, s in found]

    def __len__(self) -> int:
        return len(self.ids)

    def _exact(self, q: np.ndarray, k: int, rows: np.ndarray | None) -> list[tuple[int, float]]:
        if rows is not None and len(rows) < len(self.ids) // 20:  # as exact_cost in search()
            scores = np.asarray(self.matrix[rows]) @ q  # gathering few rows is cheaper
            base = rows
        else:  # one pass over the whole matrix, then drop the rows filtered out
            scores = self.matrix @ q
            base = None
            if rows is not None:
                keep = np.zeros(len(scores), dtype=bool)
                keep[rows] = True
                scores = np.where(keep, scores, -np.inf)
                k = min(k, len(rows))
        if len(scores) == 0 or k <= 0:
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        rws = top if base is None else base[top]
        return [(int(r), float(scores[t])) for r, t in zip(rws, top, strict=True)]

    def search(
        self, q: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, int, float]]:
        """``(chunk_id, doc_id, cosine)`` best first, among ``rows`` when given."""
        q = np.asarray(q, dtype=np.float32).reshape(-1)
        n = len(self.ids)
        # A filtered search over-fetches from the graph (4x the share filtered out) and keeps
        # the allowed rows; it goes to the graph only when that beam is cheaper than the exact
        # search (at 100k a 13% filter needs a 3,000-wide beam, slower than a 9-16 ms scan:
        # measured 93 against 76 ms a query before this rule).
        want = k if rows is None else min(n, k * 4 * n // max(1, len(rows)))
        ef = ann_expansion(want, self.ann.connectivity) if self.ann is not None else 0
        exact_cost = n if rows is None or len(rows) >= n // 20 else len(rows)
        if self.ann is not None and (rows is None or ef * SCAN_PER_BEAM_SLOT <= exact_cost):
            self.ann.expansion_search = ef
            m = self.ann.search(q, want)
            keys = np.asarray(m.keys, dtype=np.int64)
            pos = np.clip(np.searchsorted(self.ids, keys), 0, len(self.ids) - 1)
            ok = self.ids[pos] == keys
            if rows is not None:
                ok &= np.isin(pos, rows)
            hits = [
                (int(p), 1.0 - float(d))
                for p, d, good in zip(pos, m.distances, ok, strict=True)
                if good
            ][:k]
            if len(hits) >= min(k, len(self.ids) if rows is None else len(rows)):
                return [(int(self.ids[p]), int(self.docs[p]), s) for p, s in hits]
        found = self._exact(q, k, rows)
        return [(int(self.ids[r]), int(self.docs[r]), s) for r, s in found]

    def scores_for(self, q: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """Exact cosine of given chunks (lets fusion score lexical-only candidates)."""
        if not chunk_ids or not len(self.ids):
            return {}
        want = np.asarray(chunk_ids, dtype=np.int64)
        rows = np.clip(np.searchsorted(self.ids, want), 0, len(self.ids) - 1)
        ok = self.ids[rows] == want
        if not ok.any():
            return {}
        rows, want = rows[ok], want[ok]
        order = np.argsort(rows)  # sorted reads are kinder to a memory-mapped file
        scores = np.asarray(self.matrix[rows[order]]) @ np.asarray(q, dtype=np.float32)
        return {int(c): float(s) for c, s in zip(want[order], scores, strict=True)}
