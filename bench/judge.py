"""Judging a contest at scale: `tangguh judge run` over N entries on N hosts.

    python -m bench.judge [--entries 500] [--json OUT]

The sample web serves N one-post Blogger blogs, one per host (``peserta-NNN.blogspot.test``,
`SampleWeb(entries=N)`), in this process; ``TANGGUH_RESOLVE`` maps the names to loopback,
so the crawl sees N hosts, each with its own politeness slot. Three runs, each in its own
process tree:

1. ``bare``: a plain ``scrapy.Spider`` with stock middlewares and the judging politeness
   (`tangguh.judging.fetch.JUDGE_SETTINGS` over the project's delay and AutoThrottle) that
   fetches the same N pages and parses nothing: the floor set by politeness and the server.
2. ``judge run``: the real command (a CSV form export of N rows, fetch in a child process,
   every rule checked, reports, blind pack, score sheet), into a fresh output folder.
3. ``judge run`` again over the same folder: the resume path, nothing is fetched.

Printed: entries/s of the fetch (first to last entry, from the fetch journal's growth) and
of the bare spider (its engine's open to close), their ratio, and the same counted from each
process's start (start-up included); the whole command's time (judging and reports included);
the peak resident memory of the command's process tree (the command and its fetch worker,
summed, sampled every 0.1 s) and of its largest process; the re-run's time. ``--rounds``
runs the bare spider and the command alternately, on a sample web warmed up first, and
reports medians. Aims: N = 500 in under 5 minutes, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TANGGUH = str(Path(sys.executable).parent / "tangguh")
CONTEST = ROOT / "examples" / "contest.toml"
AIM_SECONDS = 300
AIM_MB = 1024


def worker_bare(urls_file: str) -> dict[str, Any]:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from scrapers import settings as project
    from tangguh.judging.fetch import JUDGE_SETTINGS

    urls = Path(urls_file).read_text(encoding="utf-8").split()

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response: Any) -> None:
            return None

    settings = {
        name: getattr(project, name)
        for name in ("DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY",
                     "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY", "USER_AGENT")
    }  # fmt: skip
    settings.update(JUDGE_SETTINGS)
    settings.update(
        {
            "LOG_LEVEL": "ERROR",
            "TELNETCONSOLE_ENABLED": False,
            "TANGGUH_RESOLVE": {"*.test": "127.0.0.1"},
            "TWISTED_DNS_RESOLVER": "scrapers.middlewares.resolver.GuardedResolver",
        }
    )
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    return {
        "elapsed": float(crawler.stats.get_value("elapsed_time_seconds")),
        "responses": int(crawler.stats.get_value("response_received_count", 0)),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


class TreeMemory:
    """Peak summed RSS of a process and its descendants, sampled from /proc (Linux)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self.largest_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            sizes = [_rss_kb(pid) for pid in _tree(self.pid)]
            self.peak_kb = max(self.peak_kb, sum(sizes))
            self.largest_kb = max(self.largest_kb, *sizes, 0)


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def judge_run(form: Path, out: Path) -> dict[str, Any]:
    """The real command, timed; the fetch's own span read from its journal's growth."""
    env = dict(os.environ, TANGGUH_RESOLVE="*.test=127.0.0.1")
    env.pop("TANGGUH_ALLOW_PRIVATE", None)
    env.pop("TANGGUH_SCRAPY_SETTINGS", None)
    journal = out / "snapshots" / "fetched.jsonl"
    before = _lines(journal)
    args = [TANGGUH, "judge", "run", str(CONTEST), "--entries", str(form), "--out", str(out),
            "--no-store"]  # fmt: skip
    started = time.perf_counter()
    first = last = None
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        with TreeMemory(proc.pid) as memory:
            seen = before
            while proc.poll() is None:
                time.sleep(0.05)
                now = _lines(journal)
                if now > seen:
                    first = first or time.perf_counter()
                    last = time.perf_counter()
                    seen = now
        wall = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        raise RuntimeError(f"judge run exited {proc.returncode}:\n{output[-3000:]}")
    records = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "fetched": _lines(journal) - before,
        "fetch_s": (last - started) if last else 0.0,  # start-up included: what a user waits
        "first_entry_s": (first - started) if first else None,
        "fetch_span_s": (last - first) if first and last and last > first else 0.0,
        "entries": len(records),
        "eligible": sum(r["eligible"] for r in records),
        "peak_tree_mb": memory.peak_kb / 1024,
        "largest_process_mb": memory.largest_kb / 1024,
    }


def _bare(listing: Path) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.judge", "--worker-bare", str(listing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bare worker failed:\n{proc.stderr[-3000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started
    return figures


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _middle(runs: list[dict[str, Any]], key: str = "wall") -> dict[str, Any]:
    """The run with the median ``key`` (the lower middle one for an even count)."""
    return sorted(runs, key=lambda r: r[key])[(len(runs) - 1) // 2]


def _lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2, help="bare/judge rounds, alternated")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker-bare", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_bare:
        print(json.dumps(worker_bare(args.worker_bare)))
        return 0

    from tangguh.sampleweb.contest_web import write_form
    from tangguh.sampleweb.server import SampleWeb

    n = args.entries
    with tempfile.TemporaryDirectory() as tmp, SampleWeb(entries=n) as web:
        urls = web.farm.entry_urls()
        form = write_form(Path(tmp) / "entri.csv", urls)
        listing = Path(tmp) / "urls.txt"
        listing.write_text("\n".join(urls), encoding="utf-8")
        for host in {url.split("/")[2].split(":")[0] for url in urls}:
            web.farm.site(host)  # every blog built before anything is timed
        bares, firsts, agains = [], [], []
        for round_no in range(args.rounds):
            bares.append(_bare(listing))
            out = Path(tmp) / f"hasil-{round_no}"
            firsts.append(judge_run(form, out))
            agains.append(judge_run(form, out))
    fetch_rate = _median([r["fetched"] / r["fetch_span_s"] for r in firsts if r["fetch_span_s"]])
    bare_rate = _median([b["responses"] / b["elapsed"] for b in bares])
    fetch_wall_rate = _median([r["fetched"] / r["fetch_s"] for r in firsts if r["fetch_s"]])
    bare_wall_rate = _median([b["responses"] / b["wall"] for b in bares])
    first = _middle(firsts)
    again = _middle(agains)
    bare = _middle(bares, key="elapsed")
    figures = {
        "entries": n,
        "hosts": n,
        "rounds": args.rounds,
        "judge_run": first,
        "rerun_from_snapshots": again,
        "bare": bare,
        "fetch_entries_per_s": round(fetch_rate, 1),
        "bare_pages_per_s": round(bare_rate, 1),
        "ratio_fetch_vs_bare": round(fetch_rate / bare_rate, 3) if bare_rate else None,
        "ratio_from_process_start": round(fetch_wall_rate / bare_wall_rate, 3),
        "command_entries_per_s": round(n / first["wall"], 1),
        "peak_tree_mb": round(max(r["peak_tree_mb"] for r in firsts)),
        "runs": {"judge": firsts, "rerun": agains, "bare": bares},
    }
    print(
        f"judge bench: {n} entries on {n} hosts (loopback, TANGGUH_RESOLVE), judging politeness, "
        f"median of {args.rounds} round(s)"
    )
    print(
        f"  judge run          : {first['wall']:6.1f}s for {first['entries']} entries "
        f"({first['eligible']} eligible) = {figures['command_entries_per_s']} entries/s "
        f"(start-up, judging and reports included); the fetch: first entry at "
        f"{first['first_entry_s'] or 0:.1f}s, last at {first['fetch_s']:.1f}s = "
        f"{figures['fetch_entries_per_s']} entries/s"
    )
    print(
        f"  bare scrapy        : {bare['responses']} pages in {bare['elapsed']:.1f}s "
        f"(process {bare['wall']:.1f}s) = {figures['bare_pages_per_s']} pages/s (same "
        "concurrency and delays, no parsing)"
    )
    print(
        f"  ratio fetch/bare   : {figures['ratio_fetch_vs_bare']} over each crawl's own span, "
        f"{figures['ratio_from_process_start']} counted from each process's start"
    )
    print(
        f"  peak memory        : {figures['peak_tree_mb']} MB for the command and its fetch "
        f"worker together (largest process {first['largest_process_mb']:.0f} MB); "
        f"bare spider {bare['maxrss_mb']:.0f} MB"
    )
    print(
        f"  re-run (resume)    : {again['wall']:.1f}s, {again['fetched']} entries fetched "
        f"(every entry kept from the first run)"
    )
    met_time = first["wall"] < AIM_SECONDS * n / 500
    met_mem = figures["peak_tree_mb"] < AIM_MB
    print(
        f"  aims               : under {AIM_SECONDS * n / 500:.0f}s "
        f"{'met' if met_time else 'MISSED'}, under {AIM_MB} MB {'met' if met_mem else 'MISSED'}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
