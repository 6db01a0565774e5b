"""The distributed-crawl commands' edges: refusals, no run to join, runs and doctor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from store import distributed
from store.db import open_database

TANGGUH = str(Path(sys.executable).parent / "tangguh")
SOURCES = '[[source]]\nname = "x"\nkind = "news"\nstart_urls = ["http://x.test/"]\n'


def _tangguh(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    config = tmp_path / "sources.toml"
    config.write_text(SOURCES + '[source.selectors]\nlisting_links = "a"\n', encoding="utf-8")
    return subprocess.run(
        [TANGGUH, "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},  # one table row per line
    )


def test_a_sqlite_database_is_refused_with_the_reason(tmp_path):
    db = f"sqlite:///{tmp_path / 't.db'}"
    for args in (["crawl", "--all"], ["worker"]):
        proc = _tangguh(tmp_path, "--db", db, *args, "--queue", "redis://127.0.0.1:6379/0")
        assert proc.returncode == 4, proc.stderr
        assert "needs PostgreSQL" in proc.stderr and "one writer" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not (tmp_path / "t.db").exists()  # refused before anything was opened


def test_a_bad_or_unreachable_queue_is_a_clear_error(tmp_path, pg_url):
    proc = _tangguh(tmp_path, "--db", pg_url, "crawl", "--all", "--queue", "http://q:1/0")
    assert proc.returncode == 4 and "Redis URL" in proc.stderr
    proc = _tangguh(tmp_path, "--db", pg_url, "worker", "--queue", "redis://127.0.0.1:1/0")
    assert proc.returncode == 6 and "cannot reach the queue" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_worker_with_no_run_to_join_waits_then_says_so(tmp_path, pg_url, redis_url):
    proc = _tangguh(tmp_path, "--db", pg_url, "worker", "--queue", redis_url, "--idle-exit", "1")
    assert proc.returncode == 0, proc.stderr
    assert "no crawl in progress" in proc.stdout


def test_runs_and_doctor_show_a_distributed_run_and_its_workers(tmp_path, pg_url):
    db = open_database(pg_url)
    with db.write() as session:
        run_id = distributed.start_run(session, ["x"], "redis://q.lan:6379/0", 1)
        distributed.add_worker(session, run_id, "mesin-a", 11, "seed")
        done = distributed.add_worker(session, run_id, "mesin-b", 12, "worker")
        distributed.finish_worker(session, done, status="finished", stats={"new": 1})
    db.dispose()
    runs = _tangguh(tmp_path, "--db", pg_url, "runs")
    assert runs.returncode == 0
    assert "workers" in runs.stdout and "1 finished" in runs.stdout and "1 running" in runs.stdout
    doctor = _tangguh(tmp_path, "--db", pg_url, "doctor")
    assert "distributed runs" in doctor.stdout
    assert "1 live worker(s) (mesin-a/11)" in doctor.stdout


def test_a_second_seeding_while_a_run_is_alive_exits_5(tmp_path, pg_url, redis_url):
    import redis

    db = open_database(pg_url)
    with db.write() as session:
        run_id = distributed.start_run(session, ["x"], redis_url, 1)
        distributed.add_worker(session, run_id, "mesin-a", 11, "worker")  # heartbeat: now
    db.dispose()
    redis.Redis.from_url(redis_url).hset("tangguh:run", mapping={"id": run_id, "sources": '["x"]'})
    proc = _tangguh(tmp_path, "--db", pg_url, "crawl", "--all", "--queue", redis_url)
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert f"run {run_id} is still crawling" in proc.stderr and "tangguh worker" in proc.stderr
