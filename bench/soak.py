"""Soak: one long crawl of the sample web in scale mode, memory sampled as it goes.

    python -m bench.soak [--pages 50000] [--checkpoints 10000,25000,50000]

The sample web serves `scale.test` in this process; `tangguh crawl scale` runs as a child
process (the real command, every middleware and pipeline, a fresh SQLite file). Its
resident memory (VmRSS from /proc) is sampled every 0.5 s together with the number of
stored documents; at each checkpoint the peak so far is printed. The aim is flat memory
(under 500 MB) and no errors. Also prints pages/s and the run's error count.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tangguh import crawl
from tangguh.sampleweb.server import SampleWeb


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def stored(db_file: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=50_000)
    ap.add_argument("--checkpoints", default="10000,25000,50000")
    args = ap.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if int(c) <= args.pages)
    tmp = Path(tempfile.mkdtemp(prefix="tangguh-soak-"))
    db_file = tmp / "soak.db"
    loopback = {k: v for k, v in crawl.LOOPBACK_SETTINGS.items() if k != "TANGGUH_RESOLVE"}
    env = dict(
        os.environ,
        TANGGUH_RESOLVE="*.test=127.0.0.1",
        TANGGUH_SCRAPY_SETTINGS=json.dumps({**loopback, "LOG_LEVEL": "WARNING"}),
    )
    tangguh = str(Path(sys.executable).parent / "tangguh")
    with SampleWeb(scale=args.pages) as web:
        sources = tmp / "sources.toml"
        sources.write_text(web.sources_toml())
        cmd = [
            tangguh,
            "--allow-private",
            "--db",
            f"sqlite:///{db_file}",
            "--config",
            str(sources),
            "crawl",
            "scale",
        ]
        log = (tmp / "crawl.log").open("w")
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak, pending = 0.0, list(checkpoints)
        print(f"soak: crawling {args.pages} pages (db {db_file})", flush=True)
        while proc.poll() is None:
            time.sleep(0.5)
            peak = max(peak, rss_mb(proc.pid))
            n = stored(db_file)
            while pending and n >= pending[0]:
                elapsed = time.perf_counter() - started
                print(
                    f"  {pending.pop(0):>7} pages: peak RSS {peak:6.0f} MB, "
                    f"{n / elapsed:5.1f} pages/s",
                    flush=True,
                )
        elapsed = time.perf_counter() - started
    n = stored(db_file)
    errors = sum(1 for line in (tmp / "crawl.log").read_text().splitlines() if " ERROR " in line)
    print(
        f"soak: {n} documents in {elapsed:.0f}s ({n / elapsed:.1f} pages/s), "
        f"peak RSS {peak:.0f} MB, exit {proc.returncode}, {errors} error lines in the log"
    )
    return 0 if proc.returncode == 0 and n == args.pages else 1


if __name__ == "__main__":
    sys.exit(main())
