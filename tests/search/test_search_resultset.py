"""The result set's summary (count, timeline cells, newest page) agrees with the full set."""

from __future__ import annotations

from collections import Counter

import pytest

from search import Searcher, update_index
from search.resultset import newest, result_set, result_summary

QUERIES = ["lumbung pangan", "kampung", "posko masker", "nasi goreng", "tidak ada sama sekali"]
FILTERS = [
    {},
    {"kind": "post"},
    {"since": "2020-06"},
    {"until": "2020-12"},
    {"site": "copy.example.com"},
    {"kind": "article,comment"},
]


@pytest.fixture
def searcher(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    with Searcher(index_dir, encoder) as s:
        yield s


@pytest.mark.parametrize("query", [*QUERIES, ""])
@pytest.mark.parametrize("flt", FILTERS)
def test_summary_counts_what_the_full_result_set_lists(searcher, query, flt):
    assert searcher.dense.meta is not None, "the fast path under test needs the cache"
    rows = result_set(searcher, query, **flt)
    summary = result_summary(searcher, query, **flt)
    assert summary.total == len(rows)
    # each group once, at the member the full set shows for it (here: its original, or the
    # one member the filters leave)
    assert Counter({(d, k, s): n for d, k, s, n in summary.cells}) == Counter(
        (r.day, r.kind, r.site) for r in rows
    )


def test_a_group_counts_once_at_its_original(searcher, corpus):
    summary = result_summary(searcher, "lumbung pangan")
    rows = result_set(searcher, "lumbung pangan")
    assert summary.total == len(rows)
    days = {d for d, _, _, _ in summary.cells}
    assert "2020-06-14" in days and "2020-06-15" not in days  # the copy is not counted apart


@pytest.mark.parametrize(("offset", "limit"), [(0, 1), (0, 3), (1, 2), (2, 3), (4, 2)])
@pytest.mark.parametrize("flt", FILTERS)
def test_newest_pages_through_the_unqueried_set(searcher, offset, limit, flt):
    everything = result_set(searcher, None, **flt)
    page = newest(searcher, offset=offset, limit=limit, **flt)
    assert len(page) == len(everything[offset : offset + limit])
    assert {r.url for r in page} <= {r.url for r in everything}
    days = [r.day or "" for r in newest(searcher, offset=0, limit=100, **flt)]
    dated = [d for d in days if d]
    assert dated == sorted(dated, reverse=True) and days == dated + [""] * (len(days) - len(dated))
