"""The open database and search index behind the pages, shared by every request.

Why one search thread: a ``Searcher`` holds a SQLite connection, which may only be used by
the thread that opened it, and a loaded index whose copies per thread would multiply its
memory. Searches are CPU-bound on two cores anyway, so they queue on one worker thread while
database reads (SQLAlchemy, a connection pool) run on Starlette's thread pool. The index is
reopened when ``tangguh index`` has written a new generation, so a running server sees
documents indexed after it started.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from search.encoder import Encoder
from store.db import Database

T = TypeVar("T")


class IndexUnavailable(Exception):
    """No search index yet (or it cannot be opened): the page says how to build it."""


class QueryVectorCache:
    """An encoder that remembers its last query vectors: a results page asks for the hits and
    for the whole result set of one query, and embedding it twice was a third of the page's
    time (the search thread is the only caller, so no lock is needed)."""

    def __init__(self, encoder: Encoder, size: int = 64) -> None:
        self.inner = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._size = size

    def encode_queries(self, texts):
        if len(texts) != 1:
            return self.inner.encode_queries(texts)
        key = texts[0]
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key].copy()  # type: ignore[attr-defined]
        vecs = self.inner.encode_queries(texts)
        self._cache[key] = vecs.copy()
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return vecs

    def encode_documents(self, texts):
        return self.inner.encode_documents(texts)


class SearchService:
    """Runs callables against one open ``Searcher`` on a dedicated thread."""

    def __init__(self, index_dir: Path, encoder: Encoder | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.encoder = QueryVectorCache(encoder) if encoder is not None else None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tangguh-search")
        self._searcher = None

    def _current(self):
        from search.index import DB_NAME, SearchIndexError, get_meta
        from search.query import Searcher

        if self._searcher is not None:
            try:
                generation = int(get_meta(self._searcher.conn, "generation") or 0)
            except Exception:  # noqa: BLE001 - a replaced index file: reopen below
                generation = -1
            if generation == self._searcher.generation:
                return self._searcher
            self._searcher.close()
            self._searcher = None
        if not (self.index_dir / DB_NAME).exists():
            raise IndexUnavailable(f"no search index at {self.index_dir}: run `tangguh index`")
        if self.encoder is None:
            from search.encoder import default_encoder

            self.encoder = QueryVectorCache(default_encoder())
        try:
            self._searcher = Searcher(self.index_dir, self.encoder)
        except SearchIndexError as exc:
            raise IndexUnavailable(str(exc)) from exc
        return self._searcher

    def run(self, fn: Callable[..., T]) -> T:
        """``fn(searcher)`` on the search thread; its result or its exception."""
        return self._pool.submit(lambda: fn(self._current())).result()

    def close(self) -> None:
        def shut() -> None:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

        self._pool.submit(shut).result()
        self._pool.shutdown(wait=True)


class Services:
    """What every request handler needs: the database, the searcher, the sources file."""

    def __init__(
        self,
        db: Database,
        index_dir: Path,
        *,
        encoder: Encoder | None = None,
        config: Path | None = None,
    ) -> None:
        self.db = db
        self.search = SearchService(index_dir, encoder)
        self.config = config

    def close(self) -> None:
        self.search.close()
        self.db.dispose()
