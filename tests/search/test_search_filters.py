import itertools

import numpy as np
import pytest

from search import update_index
from search.filters import Filters, normalise_site, site_matches
from search.query import Searcher


@pytest.fixture
def searcher(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    with Searcher(index_dir, encoder) as s:
        yield s


def test_normalise_and_match_sites():
    assert normalise_site(" https://WWW.Kompas.com/read/1 ") == "kompas.com"
    assert site_matches("regional.kompas.com", "kompas.com")
    assert site_matches("www.kompas.com", "kompas.com")
    assert not site_matches("notkompas.com", "kompas.com")
    assert not site_matches(None, "kompas.com")


def test_no_filter_parses_to_none():
    assert Filters.parse(None, " ", "", None) is None


SINCE = [None, "2020", "2020-06", "2020-06-15", "2021-02-01"]
UNTIL = [None, "2020-05", "2020-06-14", "2021"]
KIND = [None, "post", "article,comment", "PODCAST"]
SITE = [None, "example.id", "www.resepku.com", "go.id", "copy.example.com"]


def test_numpy_filters_agree_with_sql(searcher):
    cache = searcher.dense
    assert cache.meta is not None
    for since, until, kind, site in itertools.product(SINCE, UNTIL, KIND, SITE):
        f = Filters.parse(since, until, kind, site)
        if f is None:
            continue
        via_numpy = {int(cache.docs[r]) for r in cache.rows_for_filters(f)}
        cond, params = f.sql()
        via_sql = {
            r[0] for r in searcher.conn.execute(f"SELECT id FROM docs d WHERE {cond}", params)
        }
        assert via_numpy == via_sql, (since, until, kind, site)


def test_filters_without_caches_use_sql(searcher, index_dir, corpus):
    for p in index_dir.glob("vectors-*"):
        p.unlink()
    with Searcher(index_dir, searcher.encoder) as s:
        assert s.dense.meta is None
        hits = s.search("nasi goreng", since="2021-02", kind="comment")
        assert [h.url for h in hits] == [corpus[2].url]
        rows = s._allowed_rows(Filters.parse(site="jatimprov.go.id"))
        assert np.array_equal(s.dense.docs[rows], [2])
