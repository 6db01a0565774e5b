import numpy as np
import pytest
from search_fixtures import make_doc

from search import lexical, update_index
from search.query import Searcher
from search.text import query_terms

WORDS = ["warga", "kampung", "lumbung", "pangan", "posko", "masker", "vaksin", "sekolah"]
WORDS += ["banjir", "resep", "sayur", "beras"]


@pytest.fixture
def searcher(tmp_path, encoder):
    rng = np.random.default_rng(3)
    docs = [
        make_doc(i, " ".join(rng.choice(WORDS, size=int(rng.integers(3, 30)))), title=None)
        for i in range(1, 121)
    ]
    update_index(docs, tmp_path / "idx", encoder=encoder, progress=False)
    with Searcher(tmp_path / "idx", encoder) as s:
        yield s


@pytest.mark.parametrize("query", ["lumbung pangan", "vaksin", "banjir resep beras sayur"])
def test_posting_arrays_rank_like_fts5(searcher, query):
    cache = searcher.dense
    assert cache.bm25 is not None
    ours = {c: s for c, _d, s in cache.lexical_search(query_terms(query), 500)}
    fts = {c: s for c, _d, s in lexical.search(searcher.conn, query, 500)}
    assert ours.keys() == fts.keys()  # every matching passage, nothing else
    assert [ours[c] for c in fts] == pytest.approx(list(fts.values()), rel=1e-4)


def test_doc_freqs_and_unknown_terms(searcher):
    bm = searcher.dense.bm25
    df = bm.doc_freqs(["lumbung", "harimau"])
    assert "harimau" not in df
    n = searcher.conn.execute(
        "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'lumbung'"
    ).fetchone()[0]
    assert df["lumbung"] == n
    assert bm.search(["harimau"], 10) == []


def test_filtered_posting_search_only_returns_allowed_rows(searcher):
    rows = searcher.dense.rows_for_docs(np.array([1, 2, 3], dtype=np.int64))
    hits = searcher.dense.lexical_search(["warga", "pangan"], 10, rows)
    assert hits and {d for _c, d, _s in hits} <= {1, 2, 3}
