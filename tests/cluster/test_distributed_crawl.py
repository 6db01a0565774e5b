"""`tangguh crawl --queue` and `tangguh worker`, as separate processes, over the scale
sample web, into this machine's PostgreSQL through its Redis: every page of the manifest
stored once, per-host limits held across workers, nothing lost to a `kill -9`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

TANGGUH = str(Path(sys.executable).parent / "tangguh")
HOST = "scale.test"


class Crawl:
    """One distributed crawl of the scale site: a seeding process and workers."""

    def __init__(self, tmp_path: Path, pg_url: str, redis_url: str, web: SampleWeb, **settings):
        self.pg_url, self.redis_url, self.web = pg_url, redis_url, web
        self.sources = tmp_path / "sources.toml"
        self.sources.write_text(web.sources_toml(), encoding="utf-8")
        self.logs = tmp_path
        scrapy_settings = {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 4,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "TANGGUH_LEASE_SECONDS": 3,
            **settings,
        }
        self.env = dict(
            os.environ,
            TANGGUH_RESOLVE="*.test=127.0.0.1",
            TANGGUH_ALLOW_PRIVATE="1",
            TANGGUH_SCRAPY_SETTINGS=json.dumps(scrapy_settings),
        )
        self.procs: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        out = (self.logs / f"{name}.log").open("w")
        base = [TANGGUH, "--db", self.pg_url, "--config", str(self.sources)]
        proc = subprocess.Popen(
            [*base, *args], stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=self.logs
        )
        self.procs.append(proc)
        return proc

    def seed(self) -> subprocess.Popen:
        return self._start("seed", "crawl", "scale", "--queue", self.redis_url, "--idle-exit", "3")

    def worker(self, n: int) -> subprocess.Popen:
        return self._start(f"worker{n}", "worker", "--queue", self.redis_url, "--idle-exit", "3")

    def wait(self, timeout: float = 300) -> list[int]:
        codes = [p.wait(timeout=timeout) for p in self.procs]
        return codes

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8")

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    def sql(self, query: str) -> list[tuple]:
        engine = create_engine(self.pg_url)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(query))]
        finally:
            engine.dispose()

    def manifest_urls(self) -> set[str]:
        return {r.url for r in self.web.manifest().for_site(HOST)}

    def stored_urls(self) -> list[str]:
        return [u for (u,) in self.sql("SELECT url FROM documents")]

    def articles_requested(self) -> Counter:
        return Counter(u for m, u, s in self.web.request_log if "/artikel/" in u)


@pytest.fixture
def crawl_of(tmp_path, pg_url, redis_url):
    made: list[Crawl] = []
    webs: list[SampleWeb] = []

    def make(pages: int, latency: float = 0.0, **settings) -> Crawl:
        web = SampleWeb(scale=pages, latency=latency)
        web.start()
        webs.append(web)
        # the schema exists before several processes open the database at once
        subprocess.run([TANGGUH, "--db", pg_url, "stats"], check=True, capture_output=True)
        crawl = Crawl(tmp_path, pg_url, redis_url, web, **settings)
        made.append(crawl)
        return crawl

    yield make
    for crawl in made:
        crawl.stop()
    for web in webs:
        web.stop()


def _assert_manifest_stored_once(crawl: Crawl) -> None:
    stored = crawl.stored_urls()
    assert len(stored) == len(set(stored))
    assert set(stored) == crawl.manifest_urls()
    assert not crawl.web.errors


def _peak_overlap(times: list[tuple[str, float, float]], host: str) -> int:
    events = []
    for h, arrived, answered in times:
        if h == host:
            events += [(arrived, 1), (answered, -1)]
    peak = level = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        level += step
        peak = max(peak, level)
    return peak


def test_two_workers_store_the_manifest_once_and_share_the_requests(crawl_of):
    crawl = crawl_of(2000)
    crawl.seed()
    time.sleep(1.0)
    crawl.worker(1)
    assert crawl.wait() == [0, 0], crawl.log("seed") + crawl.log("worker1")
    _assert_manifest_stored_once(crawl)
    requested = crawl.articles_requested()
    assert set(requested.values()) == {1}  # one shared duplicate filter: no page twice
    robots = [u for _, u, _ in crawl.web.request_log if u.endswith("/robots.txt")]
    assert len(robots) == 1  # once per host for the whole run
    workers = crawl.sql("SELECT role, status, stats FROM crawl_workers")
    assert sorted((r, s) for r, s, _ in workers) == [("seed", "finished"), ("worker", "finished")]
    shares = {role: json.loads(st)["requests"] if isinstance(st, str) else st["requests"]
              for role, _, st in workers}  # fmt: skip
    assert shares["seed"] > 0 and shares["worker"] > 0, shares
    ((status, new, queue),) = crawl.sql("SELECT status, new, queue FROM crawl_runs")
    assert (status, new) == ("ok", 2000) and queue.startswith("redis://")
    assert "run 1 ok: 2000 new" in crawl.log("seed")
    assert crawl.sql("SELECT 1")  # and nothing of the run is left in Redis:
    import redis

    assert not list(redis.Redis.from_url(crawl.redis_url).scan_iter(match="tangguh:*"))


def test_three_workers_keep_the_per_host_concurrency_of_the_whole_crawl(crawl_of):
    # Each worker would send 4 at a time (12 in all); the host's limit is 6 for the crawl.
    crawl = crawl_of(1500, latency=0.05, CONCURRENT_REQUESTS_PER_DOMAIN=6)
    crawl.seed()
    time.sleep(1.0)
    crawl.worker(1)
    crawl.worker(2)
    assert crawl.wait() == [0, 0, 0], crawl.log("seed")
    _assert_manifest_stored_once(crawl)
    assert set(crawl.articles_requested().values()) == {1}
    peak = _peak_overlap(crawl.web.request_times, HOST)
    assert peak <= 6, f"{peak} requests at once to {HOST}"
    print(f"peak concurrency at {HOST}: {peak} (limit 6)")


def test_the_download_delay_holds_across_workers(crawl_of):
    crawl = crawl_of(150, DOWNLOAD_DELAY=0.05)
    crawl.seed()
    time.sleep(1.0)
    crawl.worker(1)
    assert crawl.wait() == [0, 0], crawl.log("seed")
    _assert_manifest_stored_once(crawl)
    starts = sorted(a for h, a, _ in crawl.web.request_times if h == HOST)
    # The slot spaces the starts by the Redis clock; a request's arrival at the server
    # jitters by a few ms after that (a new connection, a busy machine), which shortens
    # one gap and lengthens the next. Ten consecutive arrivals always span nine delays.
    spans = [b - a for a, b in zip(starts, starts[9:], strict=False)]
    assert min(spans) >= 9 * 0.05 - 0.06, sorted(spans)[:5]
    assert (starts[-1] - starts[0]) / (len(starts) - 1) >= 0.05


def test_a_worker_killed_mid_run_loses_nothing(crawl_of):
    crawl = crawl_of(2000, latency=0.02)
    seed = crawl.seed()
    time.sleep(1.0)
    victim = crawl.worker(1)
    crawl.worker(2)
    deadline = time.monotonic() + 120
    while len(crawl.articles_requested()) < 500 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert victim.poll() is None, "the crawl ended before the kill"
    os.kill(victim.pid, signal.SIGKILL)
    codes = crawl.wait()
    assert codes[1] == -signal.SIGKILL
    # Finished, with a warning (exit 7) naming the lost worker.
    assert codes[0] == 7 and codes[2] in (0, 7), crawl.log("seed")
    _assert_manifest_stored_once(crawl)
    ((status, stats),) = crawl.sql("SELECT status, stats FROM crawl_runs")
    stats = json.loads(stats) if isinstance(stats, str) else stats
    assert status == "warning"
    assert len(stats["lost_workers"]) == 1 and stats["requeued"] >= 1, stats
    assert "stopped answering" in crawl.log("seed")
    roles = sorted(crawl.sql("SELECT role, status FROM crawl_workers"))
    assert roles == [("seed", "finished"), ("worker", "finished"), ("worker", "lost")]
    runs = subprocess.run(
        [TANGGUH, "--db", crawl.pg_url, "runs"], capture_output=True, text=True, env=crawl.env
    )
    assert "lost" in runs.stdout and seed.returncode == 7
