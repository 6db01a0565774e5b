"""`tangguh crawl --queue` and `tangguh worker`: one crawl run shared by many processes.

The seeding process (`crawl --queue`) records the run in the database, names it in Redis
(``tangguh:run``) and crawls as one worker, its spiders' start requests going into the
shared queue. Each `tangguh worker` finds the run there, crawls its sources (from its own
`sources.toml`, which must name them) and takes requests from the same queue. Every worker
writes into one PostgreSQL database, records itself in ``crawl_workers`` with a heartbeat,
and stops once the queue and every worker's leases have been empty for ``idle_exit``
seconds. The last worker to stop sums the workers' stats into the run record and deletes
the run's Redis keys; the seeding process waits for that and prints the run's summary.

Settings (``TANGGUH_SCRAPY_SETTINGS`` or ``extra_settings``): ``TANGGUH_LEASE_SECONDS``
(default 30): how long a dead worker's in-flight requests wait before they return to the
queue. A worker whose heartbeat is older than ``stale_after`` (3 leases, at least 15 s)
counts as lost.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapers.cluster.context import ACTIVE_RUN, ClusterContext, RunKeys
from store import distributed as dist_sql
from store import repo
from store.db import Database
from tangguh import crawl as crawl_mod
from tangguh import runs
from tangguh.errors import ExitCode, UserError

log = logging.getLogger(__name__)

DEFAULT_IDLE_EXIT = 30.0
DEFAULT_LEASE_S = 30.0
HEARTBEAT_S = 5.0
SUMMED = ("new", "updated", "unchanged", "failed", "invalid", "gone", "dropped", "requests",
          "errors", "body_fallbacks", "requeued")  # fmt: skip


@dataclass
class WorkerResult:
    """What one process did, and the run's summary when this process saw the run end."""

    run_id: int
    worker_id: int
    stats: dict[str, Any]
    run: crawl_mod.RunSummary | None  # None: other workers go on, the last one records it


def masked(url: str) -> str:
    """A Redis URL fit for the run record and messages: the password hidden."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}:***@{host}")
    return urlunsplit(parts)


def connect(queue_url: str) -> Any:
    """A Redis client for ``--queue``, checked (exit 4 for a bad URL, 6 when unreachable)."""
    import redis

    if not queue_url.startswith(("redis://", "rediss://", "unix://")):
        raise UserError(
            f"--queue wants a Redis URL such as redis://HOST:6379/0, not {queue_url!r}",
            ExitCode.BAD_CONFIG,
        )
    try:
        client = redis.Redis.from_url(queue_url, socket_timeout=30, socket_connect_timeout=10)
        client.ping()
    except ValueError as exc:
        raise UserError(
            f"bad --queue URL {masked(queue_url)}: {exc}", ExitCode.BAD_CONFIG
        ) from None
    except redis.RedisError as exc:
        raise UserError(
            f"cannot reach the queue at {masked(queue_url)}: {exc}", ExitCode.STORE
        ) from None
    return client


def require_postgres(db_url: str) -> None:
    from store.db import is_sqlite

    if is_sqlite(db_url):
        raise UserError(
            "a distributed crawl (--queue) needs PostgreSQL: its workers, on several "
            "machines, all write into one database, and SQLite is a file on one machine "
            "that takes one writer at a time. Pass --db postgresql+psycopg://USER@HOST/DB",
            ExitCode.BAD_CONFIG,
        )


def lease_seconds(extra_settings: dict | None) -> float:
    merged = {**crawl_mod.settings_from_env(), **(extra_settings or {})}
    return float(merged.get("TANGGUH_LEASE_SECONDS", DEFAULT_LEASE_S))


def stale_after(lease_s: float) -> float:
    return max(3 * lease_s, 3 * HEARTBEAT_S)


# --- starting and joining --------------------------------------------------------------


def seed(
    db: Database,
    queue_url: str,
    sources: list,
    *,
    allow_private: bool = False,
    idle_exit: float = DEFAULT_IDLE_EXIT,
    max_runtime: float | None = None,
    extra_settings: dict | None = None,
) -> WorkerResult:
    """Start a run on the queue (exit 5 while another one is alive) and crawl in it."""
    client = connect(queue_url)
    lease_s = lease_seconds(extra_settings)
    seeding = client.lock(f"{ACTIVE_RUN}:seeding", timeout=60, blocking_timeout=60)
    if not seeding.acquire():
        raise UserError(
            f"another `crawl --queue` is starting a run on {masked(queue_url)}", ExitCode.LOCKED
        ) from None
    try:
        _retire_previous(db, client, stale_after(lease_s))
        with db.write() as session:
            repo.mark_interrupted_runs(session, runs.pid_alive)
            run_id = dist_sql.start_run(
                session, [s.name for s in sources], masked(queue_url), os.getpid()
            )
        resume = runs.previous_incomplete(db, "crawl", run_id)
        client.hset(
            ACTIVE_RUN,
            mapping={
                "id": run_id,
                "sources": json.dumps([s.name for s in sources]),
                "full_listing": int(resume),
            },
        )
    finally:
        seeding.release()
    return _work(
        db, client, run_id, sources, "seed", resume,
        allow_private=allow_private, idle_exit=idle_exit, lease_s=lease_s,
        max_runtime=max_runtime, extra_settings=extra_settings,
    )  # fmt: skip


def join(
    db: Database,
    queue_url: str,
    all_sources: list,
    *,
    allow_private: bool = False,
    idle_exit: float = DEFAULT_IDLE_EXIT,
    max_runtime: float | None = None,
    extra_settings: dict | None = None,
) -> WorkerResult | None:
    """Work in the run on the queue; None when no run appeared within ``idle_exit``."""
    from scrapers.sources import SourcesError, select_sources

    client = connect(queue_url)
    deadline = time.monotonic() + idle_exit
    while not (active := client.hgetall(ACTIVE_RUN)):
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.5)
    run_id = int(active[b"id"])
    names = json.loads(active[b"sources"])
    with db.read() as session:
        record = dist_sql.get_run(session, run_id)
    if record is None or record.status != "running":
        return None  # finished (or never in this database)
    try:
        sources = select_sources(all_sources, names)
    except SourcesError as exc:
        raise UserError(
            f"run {run_id} crawls {', '.join(names)}, but this worker's sources file does "
            f"not have them all ({exc}); give every worker the same sources.toml",
            ExitCode.BAD_CONFIG,
        ) from None
    lease_s = lease_seconds(extra_settings)
    return _work(
        db, client, run_id, sources, "worker", bool(int(active.get(b"full_listing", 0))),
        allow_private=allow_private, idle_exit=idle_exit, lease_s=lease_s,
        max_runtime=max_runtime, extra_settings=extra_settings,
    )  # fmt: skip


def _retire_previous(db: Database, client: Any, stale: float) -> None:
    """Clear the run named in Redis if it is over (all workers finished or lost); a live
    one makes this seeding refuse, like the lock of a run by one process."""
    active = client.hgetall(ACTIVE_RUN)
    if not active:
        return
    old = int(active[b"id"])
    with db.write() as session:
        record = dist_sql.lock_run(session, old)
        alive = [w for w in dist_sql.workers_of(session, old) if dist_sql.is_alive(w, stale)]
        if record is not None and record.status == "running" and alive:
            raise UserError(
                f"run {old} is still crawling on this queue ({len(alive)} live worker(s)); "
                "start `tangguh worker` to help it, or wait for it to end",
                ExitCode.LOCKED,
            )
        if record is not None:
            dist_sql.mark_interrupted(session, old, stale)
    RunKeys(old).wipe(client)
    client.delete(ACTIVE_RUN)


# --- one worker ------------------------------------------------------------------------


def _work(
    db: Database,
    client: Any,
    run_id: int,
    sources: list,
    role: str,
    resume: bool,
    *,
    allow_private: bool,
    idle_exit: float,
    lease_s: float,
    max_runtime: float | None,
    extra_settings: dict | None,
) -> WorkerResult:
    from pipelines.dedup_shared import SharedDedupLog
    from scrapers.runner import run_crawl

    with db.write() as session:
        worker_id = dist_sql.add_worker(session, run_id, socket.gethostname(), os.getpid(), role)
    keys = RunKeys(run_id)
    stats: Counter = Counter()
    chain = crawl_mod.chain_for(
        db, sources, stats, shared_dedup=SharedDedupLog(client, keys.dedup_log, keys.dedup_lock)
    )
    beat = {"at": time.monotonic()}

    def tick() -> None:
        chain.flush()
        if time.monotonic() - beat["at"] >= HEARTBEAT_S:
            beat["at"] = time.monotonic()
            with db.write() as session:
                dist_sql.heartbeat(session, worker_id)

    cluster = ClusterContext(
        redis=client, keys=keys, role=role, lease_s=lease_s, idle_exit=idle_exit, tick=tick
    )
    settings = crawl_mod.crawl_settings(
        chain,
        allow_private=allow_private,
        resume=resume,
        max_runtime=max_runtime,
        extra_settings=extra_settings,
    )
    settings.update(cluster_settings(settings, cluster))
    started = datetime.now(UTC)
    result = run_crawl(sources, settings=settings, crawl_state=crawl_mod.StoreCrawlState(db))
    duration = (datetime.now(UTC) - started).total_seconds()
    mine = crawl_mod.summarize(result, stats, sources, duration=duration, resume=resume)
    # Requests of lost workers this one put back in the queue (their leases expired).
    mine["requeued"] = int(result.stats.get("tangguh/cluster/requeued_expired", 0))
    with db.write() as session:
        dist_sql.finish_worker(session, worker_id, status="finished", stats=mine)
    stale = stale_after(lease_s)
    summary = finish_if_last(db, client, run_id, sources, stale)
    if summary is None and role == "seed":
        summary = _wait_for_run(db, client, run_id, sources, stale, idle_exit + stale + 30)
    return WorkerResult(run_id, worker_id, mine, summary)


def cluster_settings(settings: dict[str, Any], cluster: ClusterContext) -> dict[str, Any]:
    """What turns a crawl's settings into a worker's: the leased scrapy-redis scheduler,
    the shared host slots, start requests from the seeding process only."""
    from scrapers import settings as project

    handlers = dict(project.DOWNLOAD_HANDLERS)
    handlers.update(settings.get("DOWNLOAD_HANDLERS") or {})
    for scheme in ("http", "https"):
        handlers[scheme] = "scrapers.cluster.hostslot.SharedSlotHTTPDownloadHandler"
    spider = dict(settings.get("SPIDER_MIDDLEWARES") or {})
    spider["scrapers.cluster.start.SeedOnlyStartMiddleware"] = 10
    return {
        "SCHEDULER": "scrapers.cluster.queue.LeasedScheduler",
        "TANGGUH_CLUSTER": cluster,
        "DOWNLOAD_HANDLERS": handlers,
        "SPIDER_MIDDLEWARES": spider,
    }


def _wait_for_run(
    db: Database, client: Any, run_id: int, sources: list, stale: float, limit: float
) -> crawl_mod.RunSummary | None:
    """The seeding process reports the whole run: wait for the other workers to end (or
    to be found lost), at most ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(1.0)
        with db.read() as session:
            record = dist_sql.get_run(session, run_id)
            if record is not None and record.status != "running":
                return _summary_of(record)
        summary = finish_if_last(db, client, run_id, sources, stale)
        if summary is not None:
            return summary
    return None


def _summary_of(record: Any) -> crawl_mod.RunSummary:
    stats = dict(record.stats or {})
    return crawl_mod.RunSummary(
        record.id,
        record.status,
        stats,
        duration_s=float(stats.get("duration_s", 0.0)),
        exit_code=int(record.exit_code or 0),
    )


def finish_if_last(
    db: Database, client: Any, run_id: int, sources: list, stale: float
) -> crawl_mod.RunSummary | None:
    """Record the run if no worker of it is alive any more (under a lock on its row)."""
    with db.write() as session:
        record = dist_sql.lock_run(session, run_id)
        if record is None or record.status != "running":
            return None
        dist_sql.mark_lost(session, run_id, stale)
        workers = dist_sql.workers_of(session, run_id)
        if any(w.status == "running" for w in workers):
            return None
        stats = aggregate(workers, sources)
        stats["duration_s"] = round((repo.utcnow() - record.started_at).total_seconds(), 2)
        status, code = crawl_mod.conclude(db, stats, run_id)
        if stats["lost_workers"]:
            stats["warnings"].extend(
                f"{lost} stopped answering; its requests went back to the queue"
                for lost in stats["lost_workers"]
            )
            if status == "ok":
                status, code = "warning", int(ExitCode.WARNING)
        repo.finish_run(session, run_id, status=status, stats=stats, exit_code=code)
        summary = crawl_mod.RunSummary(run_id, status, stats, stats["duration_s"], code)
    RunKeys(run_id).wipe(client)
    if client.hget(ACTIVE_RUN, "id") == str(run_id).encode():
        client.delete(ACTIVE_RUN)
    return summary


def aggregate(workers: list, sources: list) -> dict[str, Any]:
    """One run summary from the workers' own (lost workers recorded none)."""
    total: dict[str, Any] = {key: 0 for key in SUMMED}
    pipeline: Counter = Counter()
    per_source: Counter = Counter({s.name: 0 for s in sources})
    reasons: dict[str, str] = {}
    crawl_s: dict[str, float] = {}
    resumed = False
    lost = []
    for w in workers:
        if w.status == "lost" or not w.stats:
            lost.append(f"worker {w.id} ({w.role}, {w.host} pid {w.pid})")
            continue
        st = w.stats
        for key in SUMMED:
            total[key] += int(st.get(key, 0) or 0)
        pipeline.update(st.get("pipeline") or {})
        per_source.update(st.get("per_source") or {})
        for name, reason in (st.get("finish_reasons") or {}).items():
            if reasons.get(name) in (None, "finished"):  # any other reason tells more
                reasons[name] = reason
        for name, secs in (st.get("crawl_s") or {}).items():
            crawl_s[name] = max(crawl_s.get(name, 0.0), float(secs))
        resumed = resumed or bool(st.get("resumed_after_incomplete_run"))
    total.update(
        pipeline=dict(pipeline),
        per_source=dict(per_source),
        finish_reasons=reasons,
        crawl_s=crawl_s,
        resumed_after_incomplete_run=resumed,
        workers=len(workers),
        lost_workers=lost,
    )
    return total
