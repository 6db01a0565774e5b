"""Combining the lexical and the dense ranking into one.

Measured on FacQA and on English/Javanese questions over Indonesian passages
(``bench/search_quality.py``), plain reciprocal-rank fusion beat both sides on FacQA but fell
far below dense search on English queries: there BM25 only matches a name or a number and its
top ranks are noise that RRF trusts as much as the dense ranks. What worked on every set:

1. give every candidate (the union of both top lists) a dense score (the exact cosine for
   lexical-only candidates) and a lexical one (BM25, 0 for dense-only candidates: scoring them
   through FTS5 as well cost ~130 ms a query and measured no better);
2. turn each side's scores into z-scores over that candidate set, so a passage that stands out
   from the crowd counts, whatever the score scale (e5 cosines crowd into 0.75-0.9);
3. add them, the lexical side weighted by ``coverage**2``, where coverage is the share of the
   query's content words, as the user wrote them, that the index knows at all
   (``lexical.plan``): ~1 for Indonesian questions, ~0.6 for Javanese (0.4), ~0.5 for English
   (0.25). A Javanese query is searched as its Indonesian rewrite (``search.javanese``), but
   its coverage is still that of the words as written: weighing BM25 over a dictionary
   rewrite like an Indonesian question put hybrid below dense alone. An English query's
   lexical side searches its Indonesian rewrite (``search.english``) at a fixed weight of 0.3.

Weights were chosen on half A of the cross-language questions (the weight grid 1-2 x
coverage^2-4 tied on FacQA within 0.001) and are reported on half B and on a half C written
afterwards; see ``bench/search_quality.py`` and the README for the figures. The sets are small
(64-88 questions a language), so read differences of 0.01 as noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RRF_K = 60
LEXICAL_WEIGHT = 1.0
# An English query's lexical side searches its word-by-word Indonesian rewrite
# (search.english): chosen on half A of the English questions, where 0.25-0.5 tied
# (0.834-0.836 nDCG@10) and every coverage-scaled weight scored lower.
ENGLISH_LEXICAL_WEIGHT = 0.3


def lexical_weight(coverage: float, *, english: bool = False) -> float:
    """How much the lexical side counts: a fixed share for an English query searched through
    its Indonesian rewrite, else from the share of query words the index knows."""
    if english:
        return ENGLISH_LEXICAL_WEIGHT
    return LEXICAL_WEIGHT * coverage**2


def rrf(
    rankings: Sequence[Sequence[int]],
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> dict[int, float]:
    """Fused score per item: sum over rankings of ``weight / (k + rank)`` (rank from 1)."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return scores


def _z(values: np.ndarray) -> np.ndarray:
    sd = float(values.std())
    if sd < 1e-9:
        return np.zeros_like(values)
    return (values - float(values.mean())) / sd


def zscore_fusion(
    lexical: Mapping[int, float],
    dense: Mapping[int, float],
    lexical_weight: float = 1.0,
) -> dict[int, float]:
    """``lexical_weight * z(bm25) + z(cosine)`` over the union of candidates.

    A candidate missing from ``lexical`` has BM25 0 (no term matched); one missing from
    ``dense`` gets that side's lowest score (it was not even scored, so assume the worst).
    """
    items = list({*lexical, *dense})
    if not items:
        return {}
    lo_dense = min(dense.values()) if dense else 0.0
    lex = np.array([lexical.get(i, 0.0) for i in items], dtype=np.float64)
    den = np.array([dense.get(i, lo_dense) for i in items], dtype=np.float64)
    fused = lexical_weight * _z(lex) + _z(den)
    return dict(zip(items, fused.tolist(), strict=True))


def first_per_doc(hits: Sequence[tuple[int, int, float]]) -> tuple[list[int], dict[int, int]]:
    """Documents in order of their best passage, and that passage's chunk id per document."""
    order: list[int] = []
    best: dict[int, int] = {}
    for chunk_id, doc_id, _score in hits:
        if doc_id not in best:
            best[doc_id] = chunk_id
            order.append(doc_id)
    return order, best
