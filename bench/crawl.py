"""Crawl throughput: the Tangguh crawl (all pipelines on) vs a bare Scrapy spider.

    python -m bench.crawl [--pages 5000] [--json OUT]

The sample web serves ``scale.test`` with N article pages behind paginated listings, in
this (parent) process. Each crawler runs in its own child process so that its peak memory
(ru_maxrss) is its own:

1. ``tangguh``: the ``news`` spider over scale.test with every Tangguh middleware and the
   full item pipeline chain (validate, clean, dates, relevance, dedup, store into a fresh
   SQLite file), exactly as `tangguh crawl` runs it.
2. ``spider``: the same crawl with no item pipelines (splits crawl cost from storage cost).
3. ``bare``: a plain ``scrapy.Spider`` with stock settings that fetches the same URLs (the
   list the first crawl requested, listings included) and parses nothing: an upper bound
   that skips discovery (the listing chain is sequential: page N+1 is known only once
   page N has arrived).
4. ``bare-nav``: a plain spider that walks the same listings with two CSS selectors and
   fetches the same articles, parsing nothing: the same discovery, none of our work.

Both use the same concurrency and no download delay or AutoThrottle, so the ratio
measures Tangguh's own overhead. Prints pages/s for each, their ratio, and peak memory.
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
    settings.update(
        {
            "ITEM_PIPELINES": {"pipelines.scrapy_adapter.TangguhPipeline": 300},
            "TANGGUH_DB": args.db,
        }
    )
    started = time.perf_counter()
    result = run_crawl([source], settings=settings)
    elapsed = time.perf_counter() - started
    stats = result.stats
    return {
        "elapsed": elapsed,
        "responses": int(stats.get("downloader/response_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "stored_new": int(stats.get("tangguh/stored/new", 0)),
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
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "responses": int(crawler.stats.get_value("downloader/response_count", 0)),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
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
    with tempfile.TemporaryDirectory() as tmp:
        try:
            crawl_args = [
                "--start",
                web.url("scale.test", "/berita"),
                "--selectors",
                json.dumps(scale.selectors()),
            ]
            t = _child("tangguh", [*crawl_args, "--db", f"sqlite:///{tmp}/bench.db"])
            fetched = [
                u
                for m, u, s in web.request_log
                if m == "GET" and s == 200 and "scale.test" in u and not u.endswith("/robots.txt")
            ]
            urls = Path(tmp) / "urls.txt"
            urls.write_text("\n".join(fetched), encoding="utf-8")
            b = _child("bare", ["--urls", str(urls)])
            sp = _child("spider", crawl_args)
            nav = _child("bare-nav", crawl_args)
        finally:
            web.stop()
    t_rate = t["responses"] / t["elapsed"]
    b_rate = b["responses"] / b["elapsed"]
    s_rate = sp["responses"] / sp["elapsed"]
    n_rate = nav["responses"] / nav["elapsed"]
    figures = {
        "pages": args.pages,
        "tangguh": {**t, "pages_per_s": round(t_rate, 1)},
        "spider_only": {**sp, "pages_per_s": round(s_rate, 1)},
        "bare": {**b, "pages_per_s": round(b_rate, 1)},
        "ratio": round(t_rate / b_rate, 3) if b_rate else None,
        "ratio_spider_only": round(s_rate / b_rate, 3) if b_rate else None,
        "bare_nav": {**nav, "pages_per_s": round(n_rate, 1)},
        "ratio_vs_bare_nav": round(t_rate / n_rate, 3) if n_rate else None,
        "ratio_spider_only_vs_bare_nav": round(s_rate / n_rate, 3) if n_rate else None,
    }
    print(f"crawl bench: scale.test with {args.pages} articles, concurrency {CONCURRENCY}")
    print(
        f"  tangguh (all pipelines): {t['responses']:6d} pages in {t['elapsed']:6.1f}s "
        f"= {t_rate:7.1f} pages/s, items {t['items']}, stored new {t.get('stored_new')}, "
        f"peak RSS {t['maxrss_mb']:.0f} MB"
    )
    print(
        f"  tangguh, no pipelines  : {sp['responses']:6d} pages in {sp['elapsed']:6.1f}s "
        f"= {s_rate:7.1f} pages/s, items {sp['items']}, peak RSS {sp['maxrss_mb']:.0f} MB"
    )
    print(
        f"  bare scrapy spider     : {b['responses']:6d} pages in {b['elapsed']:6.1f}s "
        f"= {b_rate:7.1f} pages/s, peak RSS {b['maxrss_mb']:.0f} MB"
    )
    print(
        f"  bare spider, same nav  : {nav['responses']:6d} pages in {nav['elapsed']:6.1f}s "
        f"= {n_rate:7.1f} pages/s, peak RSS {nav['maxrss_mb']:.0f} MB"
    )
    print(
        f"  ratio tangguh/bare     : {figures['ratio']} vs the URL list, "
        f"{figures['ratio_vs_bare_nav']} vs the same navigation (aim >= 0.8)"
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
