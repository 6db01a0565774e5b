"""Crawl throughput: the Tangguh crawl (all pipelines on) vs a bare Scrapy spider.

    python -m bench.crawl [--pages 5000] [--json OUT]

The sample web serves ``scale.test`` with N article pages behind paginated listings, in
this (parent) process. Each crawler runs in its own child process so that its peak memory
(ru_maxrss) is its own:

1. ``tangguh``: ``tangguh.crawl.run``, what `tangguh crawl` runs: the ``news`` spider over
   scale.test with every Tangguh middleware, the crawl state, the Scrapy job directory,
   snapshots and the full item pipeline chain (validate, clean, dates, relevance, dedup,
   store into a fresh SQLite file), with a run record.
2. ``spider``: the same crawl with no item pipelines (splits crawl cost from storage cost).
3. ``bare``: a plain ``scrapy.Spider`` with stock settings that fetches the same URLs (the
   list the first crawl requested, listings included) and parses nothing: an upper bound
   that skips discovery (the listing chain is sequential: page N+1 is known only once
   page N has arrived).
4. ``bare-nav``: a plain spider that walks the same listings with two CSS selectors and
   fetches the same articles, parsing nothing: the same discovery, none of our work.

All use the same concurrency and no download delay or AutoThrottle, so the ratio
measures Tangguh's own overhead. Pages/s count over the crawl itself (Scrapy's
``elapsed_time_seconds``: engine open to close); the process wall time, which adds
imports and start-up (store migration check, crawl state), is reported beside it. The four
crawls run ``--rounds`` times interleaved, and the ratios are the median of the per-round
ratios, so a burst of load on a shared machine hits both sides of a ratio alike. Prints
pages/s for each, their ratios, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CONCURRENCY = 16
ROOT = Path(__file__).resolve().parents[1]


def _common(resolve: dict[str, str]) -> dict[str, Any]:
    return {
        "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "TANGGUH_RESOLVE": resolve,
        "TWISTED_DNS_RESOLVER": "scrapers.middlewares.resolver.GuardedResolver",
        "TELNETCONSOLE_ENABLED": False,
    }


def worker_tangguh(args: argparse.Namespace) -> dict[str, Any]:
    """With ``--db``: the real `tangguh crawl` path (tangguh.crawl.run: run record, crawl
    state, job directory, snapshots, the pipeline chain into SQLite). Without: the
    spider and middlewares alone, no item pipelines."""
    from scrapers.runner import run_crawl
    from scrapers.sources import Source

    selectors = json.loads(args.selectors)
    source = Source(
        name="scale",
        kind="news",
        start_urls=[args.start],
        allowed_domains=["scale.test"],
        selectors=selectors,
    )
    settings = _common({"*.test": "127.0.0.1"})
    started = time.perf_counter()
    if args.db:
        from store.db import open_database
        from tangguh import crawl

        db = open_database(args.db)
        summary = crawl.run(
            db,
            command="crawl",
            sources=[source],
            allow_private=True,
            extra_settings=settings,
        )
        wall = time.perf_counter() - started
        stats = summary.stats
        return {
            "elapsed": float(stats["crawl_s"]["scale"]),
            "wall": wall,
            "responses": int(stats["requests"]),
            "items": int(stats["pipeline"].get("items/seen", 0)),
            "stored_new": int(stats["new"]),
            "status": summary.status,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    result = run_crawl([source], settings=settings)
    wall = time.perf_counter() - started
    stats = result.stats
    return {
        "elapsed": float(result.per_source["scale"]["elapsed_time_seconds"]),
        "wall": wall,
        "responses": int(stats.get("downloader/request_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_bare(args: argparse.Namespace) -> dict[str, Any]:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(args.urls).read_text(encoding="utf-8").split() if args.urls else []
    selectors = json.loads(args.selectors) if args.selectors else {}

    class BareSpider(scrapy.Spider):
        """``--urls``: fetch a fixed list. ``--start``: follow the listings, parse nothing."""

        name = "bare"

        async def start(self) -> Any:
            if args.start:
                yield scrapy.Request(args.start, callback=self.listing, priority=10)
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def listing(self, response: Any) -> Any:
            for href in response.css(selectors["listing_links"] + "::attr(href)").getall():
                yield response.follow(href, callback=self.parse)
            nxt = response.css(selectors["next_page"] + "::attr(href)").get()
            if nxt:
                yield response.follow(nxt, callback=self.listing, priority=10)

        def parse(self, response: Any) -> None:
            return None

    settings = _common({"*.test": "127.0.0.1"})
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    started = time.perf_counter()
    process.start()
    wall = time.perf_counter() - started
    return {
        "elapsed": float(crawler.stats.get_value("elapsed_time_seconds")),
        "wall": wall,
        "responses": int(crawler.stats.get_value("downloader/request_count", 0)),
        "items": 0,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(mode: str, extra: list[str]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "bench.crawl", "--worker", mode, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{mode} worker failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rate(run: dict[str, Any]) -> float:
    return run["responses"] / run["elapsed"] if run["elapsed"] else 0.0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="crawl the four ways this many times, interleaved; figures are medians",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--worker", choices=["tangguh", "spider", "bare", "bare-nav"], help=argparse.SUPPRESS
    )
    parser.add_argument("--start", help=argparse.SUPPRESS)
    parser.add_argument("--selectors", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        bare = args.worker.startswith("bare")
        figures = worker_bare(args) if bare else worker_tangguh(args)
        print(json.dumps(figures))
        return 0

    from tangguh.sampleweb.server import SampleWeb

    web = SampleWeb(scale=args.pages)
    web.start()
    scale = next(s for s in web._sites.values() if s.host == "scale.test")  # noqa: SLF001
    runs: dict[str, list[dict[str, Any]]] = {"tangguh": [], "spider": [], "bare": [], "nav": []}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            crawl_args = [
                "--start",
                web.url("scale.test", "/berita"),
                "--selectors",
                json.dumps(scale.selectors()),
            ]
            urls = Path(tmp) / "urls.txt"
            for round_no in range(args.rounds):
                db = f"sqlite:///{tmp}/bench{round_no}.db"
                mark = len(web.request_log)
                runs["tangguh"].append(_child("tangguh", [*crawl_args, "--db", db]))
                if round_no == 0:
                    fetched = [
                        u
                        for m, u, s in web.request_log[mark:]
                        if m == "GET"
                        and s == 200
                        and "scale.test" in u
                        and not u.endswith("/robots.txt")
                    ]
                    urls.write_text("\n".join(fetched), encoding="utf-8")
                runs["bare"].append(_child("bare", ["--urls", str(urls)]))
                runs["spider"].append(_child("spider", crawl_args))
                runs["nav"].append(_child("bare-nav", crawl_args))
        finally:
            web.stop()
    t, sp, b, nav = (runs[k] for k in ("tangguh", "spider", "bare", "nav"))
    # Ratios per round (the two crawls of a round ran back to back), then their median.
    ratio = _median([_rate(x) / _rate(y) for x, y in zip(t, b, strict=True)])
    ratio_nav = _median([_rate(x) / _rate(y) for x, y in zip(t, nav, strict=True)])
    ratio_sp = _median([_rate(x) / _rate(y) for x, y in zip(sp, b, strict=True)])
    ratio_sp_nav = _median([_rate(x) / _rate(y) for x, y in zip(sp, nav, strict=True)])
    ratio_wall = _median(
        [
            (x["responses"] / x["wall"]) / (y["responses"] / y["wall"])
            for x, y in zip(t, b, strict=True)
        ]
    )

    def summary(name: str, group: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "pages_per_s": round(_median([_rate(r) for r in group]), 1),
            "responses": group[0]["responses"],
            "items": group[0]["items"],
            "stored_new": group[0].get("stored_new"),
            "elapsed_s": round(_median([r["elapsed"] for r in group]), 2),
            "wall_s": round(_median([r["wall"] for r in group]), 2),
            "maxrss_mb": round(max(r["maxrss_mb"] for r in group)),
            "runs": group,
        }

    figures = {
        "pages": args.pages,
        "rounds": args.rounds,
        "tangguh": summary("tangguh", t),
        "spider_only": summary("spider", sp),
        "bare": summary("bare", b),
        "bare_nav": summary("nav", nav),
        "ratio": round(ratio, 3),
        "ratio_wall": round(ratio_wall, 3),
        "ratio_vs_bare_nav": round(ratio_nav, 3),
        "ratio_spider_only": round(ratio_sp, 3),
        "ratio_spider_only_vs_bare_nav": round(ratio_sp_nav, 3),
    }
    print(
        f"crawl bench: scale.test with {args.pages} articles, concurrency {CONCURRENCY}, "
        f"median of {args.rounds} interleaved rounds"
    )
    rows = [
        ("tangguh (all pipelines)", figures["tangguh"]),
        ("tangguh, no pipelines", figures["spider_only"]),
        ("bare scrapy, URL list", figures["bare"]),
        ("bare scrapy, same nav", figures["bare_nav"]),
    ]
    for label, row in rows:
        stored = f", stored new {row['stored_new']}" if row["stored_new"] is not None else ""
        print(
            f"  {label:24s}: {row['responses']:6d} pages, crawl {row['elapsed_s']:6.1f}s "
            f"= {row['pages_per_s']:7.1f} pages/s (process wall {row['wall_s']:.1f}s), "
            f"items {row['items']}{stored}, peak RSS {row['maxrss_mb']} MB"
        )
    print(
        f"  ratio tangguh/bare     : {figures['ratio']} vs the URL list, "
        f"{figures['ratio_vs_bare_nav']} vs the same navigation (aim >= 0.8); "
        f"{figures['ratio_wall']} vs the URL list counting start-up"
    )
    print(
        f"  spiders+middlewares only (no item pipelines): {figures['ratio_spider_only']} vs "
        f"the URL list, {figures['ratio_spider_only_vs_bare_nav']} vs the same navigation"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
