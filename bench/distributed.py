"""Distributed crawl throughput: 1, 2 and 4 workers in the same run, I/O-bound.

    python -m bench.distributed [--pages 600] [--latency 0.2] [--per-worker 2]
                                [--pg URL] [--redis URL] [--json OUT]

The sample web serves ``scale.test`` in this process with ``--latency`` seconds added to
every answer, as a distant server would, so one crawler process is bound by waiting, not
by CPU: each worker process sends ``--per-worker`` requests at a time (Scrapy's
``CONCURRENT_REQUESTS``), and the host's limit for the whole crawl (the shared slot,
``CONCURRENT_REQUESTS_PER_DOMAIN``) is 16. For each worker count the PostgreSQL database
is emptied, then `tangguh crawl --queue` and the others, `tangguh worker` processes crawl
the site into it. Pages/s count over the crawl at the server (first to last article
request to the host), so process start-up and the idle wait before exit are left out; each process's
wall time is reported beside it. Prints pages/s, the ratios to one worker (goal: 1.8x with
2, 3x with 4), and the politeness check: the most requests the host saw at once, and
robots.txt fetches per run.

Needs a PostgreSQL database it may wipe (``--pg`` or env ``TANGGUH_BENCH_PG``) and a Redis
database (``--redis`` or env ``TANGGUH_BENCH_REDIS``); without them it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TANGGUH = str(Path(sys.executable).parent / "tangguh")
HOST = "scale.test"
PER_HOST = 16


def _reset(pg: str, redis_url: str) -> None:
    import redis
    from sqlalchemy import create_engine, text

    engine = create_engine(pg)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match="tangguh:*", count=1000))
    if keys:
        client.delete(*keys)
    subprocess.run([TANGGUH, "--db", pg, "stats"], check=True, capture_output=True)


def _peak(times: list[tuple[str, float, float]]) -> int:
    events = sorted(
        [(a, 1) for h, a, _ in times if h == HOST] + [(b, -1) for h, _, b in times if h == HOST]
    )
    peak = level = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def run_one(args: argparse.Namespace, web: Any, workers: int, tmp: Path) -> dict[str, Any]:
    _reset(args.pg, args.redis)
    sources = tmp / "sources.toml"
    sources.write_text(web.sources_toml(), encoding="utf-8")
    env = dict(
        os.environ,
        TANGGUH_RESOLVE="*.test=127.0.0.1",
        TANGGUH_ALLOW_PRIVATE="1",
        TANGGUH_SCRAPY_SETTINGS=json.dumps(
            {
                "CONCURRENT_REQUESTS": args.per_worker,
                "CONCURRENT_REQUESTS_PER_DOMAIN": PER_HOST,
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "LOG_LEVEL": "ERROR",
            }
        ),
    )
    base = [TANGGUH, "--db", args.pg, "--config", str(sources)]
    mark_log, mark_times = len(web.request_log), len(web.request_times)
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*base, "crawl", "scale", "--queue", args.redis, "--idle-exit", "2"],
            env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    ]  # fmt: skip
    time.sleep(0.5)
    for _ in range(workers - 1):
        procs.append(
            subprocess.Popen(
                [*base, "worker", "--queue", args.redis, "--idle-exit", "2"],
                env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
        )  # fmt: skip
    outputs = [p.communicate(timeout=3600)[0] for p in procs]
    wall = time.perf_counter() - started
    codes = [p.returncode for p in procs]
    if any(codes):
        print(outputs[0][-2000:])
        raise SystemExit(f"a process failed: exit codes {codes}")
    log = web.request_log[mark_log:]
    times = web.request_times[mark_times:]
    host_times = sorted(a for h, a, _ in times if h == HOST)
    span = max(host_times) - min(host_times)
    from sqlalchemy import create_engine, text

    engine = create_engine(args.pg)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*), count(DISTINCT url) FROM documents")).one()
        per_worker = [
            int((st or {}).get("requests", 0))
            for (st,) in conn.execute(text("SELECT stats FROM crawl_workers ORDER BY id"))
        ]
    engine.dispose()
    return {
        "workers": workers,
        "pages_stored": int(stored[0]),
        "distinct_urls": int(stored[1]),
        "requests": len(log),
        "article_requests": sum(1 for _, url, _ in log if "/artikel/" in url),
        "span_s": round(span, 2),
        "pages_per_s": round(int(stored[0]) / span, 1) if span else 0.0,
        "wall_s": round(wall, 1),
        "requests_per_worker": per_worker,
        "peak_per_host": _peak(times),
        "robots_fetches": sum(1 for _, url, _ in log if url.endswith("/robots.txt")),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--per-worker", type=int, default=2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--pg", default=os.environ.get("TANGGUH_BENCH_PG"))
    parser.add_argument("--redis", default=os.environ.get("TANGGUH_BENCH_REDIS"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.pg or not args.redis:
        print(
            "bench.distributed skipped: give a PostgreSQL database it may wipe (--pg or "
            "TANGGUH_BENCH_PG) and a Redis database (--redis or TANGGUH_BENCH_REDIS)"
        )
        return 0  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from tangguh.sampleweb.server import SampleWeb

    rows = []
    with (
        SampleWeb(scale=args.pages, latency=args.latency) as web,
        tempfile.TemporaryDirectory() as d,
    ):
        for n in (int(x) for x in args.workers.split(",")):
            row = run_one(args, web, n, Path(d))
            rows.append(row)
            print(json.dumps(row), flush=True)
    base = rows[0]["pages_per_s"] or 1.0
    print(f"\n{args.pages} pages, {args.latency:g}s per answer, {args.per_worker} requests at a "
          f"time per worker, host limit {PER_HOST} for the whole crawl")  # fmt: skip
    print(f"{'workers':>7} {'pages/s':>8} {'ratio':>6} {'span s':>7} {'wall s':>7} "
          f"{'stored':>6} {'peak/host':>9} {'robots':>6}  requests per worker")  # fmt: skip
    for r in rows:
        print(
            f"{r['workers']:>7} {r['pages_per_s']:>8} {r['pages_per_s'] / base:>6.2f} "
            f"{r['span_s']:>7} {r['wall_s']:>7} {r['pages_stored']:>6} "
            f"{r['peak_per_host']:>9} {r['robots_fetches']:>6}  {r['requests_per_worker']}"
        )
    ok = all(
        r["pages_stored"] == r["distinct_urls"] == args.pages
        and r["peak_per_host"] <= PER_HOST
        and r["robots_fetches"] == 1
        for r in rows
    )
    print("politeness and completeness:", "intact" if ok else "BROKEN")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
