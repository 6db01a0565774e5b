"""Semantic search over the stored corpus: chunk, embed, index, fuse (see design.md).

Public API (kept import-light: torch is only imported when documents are embedded)::

    update_index(docs, index_dir, *, encoder=None, rebuild=False, progress=True) -> IndexStats
    search(index_dir, query, *, limit=10, since=None, until=None, kind=None, site=None,
           encoder=None) -> list[Hit]
    Searcher(index_dir, encoder=None).search(query, ...)   # many queries, one open index
    hits_table(query, hits) -> rich.table.Table
"""

from search.index import (
    IndexBusyError,
    IndexMissingError,
    ModelMismatchError,
    SearchIndexError,
    update_index,
)
from search.query import Searcher, search
from search.records import Hit, IndexDoc, IndexStats
from search.render import hits_table

__all__ = [
    "Hit",
    "IndexBusyError",
    "IndexDoc",
    "IndexMissingError",
    "IndexStats",
    "ModelMismatchError",
    "SearchIndexError",
    "Searcher",
    "hits_table",
    "search",
    "update_index",
]
