"""Operator safety through the real `tangguh` command: lock, kill -9, locked DB, replay."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tangguh import crawl
from tangguh.lock import run_lock
from tangguh.sampleweb.server import SampleWeb

TANGGUH = str(Path(sys.executable).parent / "tangguh")


def _env(**extra: str) -> dict[str, str]:
    env = dict(
        os.environ,
        TANGGUH_RESOLVE="*.test=127.0.0.1",
        TANGGUH_ALLOW_PRIVATE="1",
        TANGGUH_SCRAPY_SETTINGS=json.dumps(
            {k: v for k, v in crawl.LOOPBACK_SETTINGS.items() if k != "TANGGUH_RESOLVE"}
        ),
    )
    env.update(extra)
    return env


def _tangguh(*args: str, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TANGGUH, *args], capture_output=True, text=True, env=env or _env(), timeout=timeout
    )


def _count(db_file: Path, sql: str) -> int:
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql).fetchone()[0]


def test_overlapping_run_exits_at_once_with_its_own_code(tmp_path):
    db_file = tmp_path / "t.db"
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "x"\nkind = "news"\nstart_urls = ["http://x.test/"]\n'
        '[source.selectors]\nlisting_links = "a"\n'
    )
    with run_lock(tmp_path / "t.lock"):
        started = time.monotonic()
        proc = _tangguh("--db", f"sqlite:///{db_file}", "--config", str(sources), "crawl", "--all")
        assert time.monotonic() - started < 60
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert "another run holds" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_sources_file_names_the_key_and_exits_4(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\nkind = "gopher"\nstart_urls = ["http://x.test/"]\n')
    proc = _tangguh(
        "--db", f"sqlite:///{tmp_path / 't.db'}", "--config", str(sources), "crawl", "--all"
    )
    assert proc.returncode == 4
    assert "kind" in proc.stderr and "line" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_locked_database_goes_to_dead_letter_then_replays(tmp_path):
    db_file = tmp_path / "t.db"
    db = f"sqlite:///{db_file}"
    assert _tangguh("--db", db, "stats").returncode == 0  # create the schema
    records = [
        {"url": f"https://a.example/{i}", "text": f"dokumen nomor {i} tentang posko warga"}
        for i in range(5)
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))

    holder = sqlite3.connect(db_file, isolation_level=None, timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        proc = _tangguh("--db", db, "import", str(src), env=_env(TANGGUH_BUSY_TIMEOUT_MS="100"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "5 failed" in proc.stdout
    dead = tmp_path / "t.deadletter.jsonl"
    lines = [json.loads(line) for line in dead.read_text().splitlines()]
    assert sorted(d["url"] for d in lines) == sorted(r["url"] for r in records)
    assert all("locked" in d["_error"] for d in lines)
    assert _count(db_file, "select count(*) from documents") == 0

    replay = _tangguh("--db", db, "replay", str(dead))
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert _count(db_file, "select count(*) from documents") == 5
    assert not dead.exists()


@pytest.mark.slow
def test_kill_9_mid_crawl_then_rerun_loses_and_duplicates_nothing(tmp_path):
    db_file = tmp_path / "k.db"
    db = f"sqlite:///{db_file}"
    with SampleWeb(scale=1500) as web:
        sources = tmp_path / "sources.toml"
        sources.write_text(web.sources_toml())
        args = ("--db", db, "--config", str(sources), "crawl", "scale")
        proc = subprocess.Popen(
            [TANGGUH, *args], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                if _count(db_file, "select count(*) from documents") >= 100:
                    break
            except sqlite3.OperationalError:  # not created yet
                continue
        assert proc.poll() is None, "the crawl finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        stored_before = _count(db_file, "select count(*) from documents")
        assert 100 <= stored_before < 1500

        rerun = _tangguh(*args, timeout=600)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _count(db_file, "select count(*) from documents") == 1500
    assert _count(db_file, "select count(distinct url) from documents") == 1500
    assert _count(db_file, "select count(*) from crawl_runs where status = 'interrupted'") == 1
    assert _count(db_file, "select count(*) from crawl_runs where status = 'running'") == 0
    doctor = _tangguh("--db", db, "doctor")
    assert doctor.returncode == 0, doctor.stdout


@pytest.mark.slow
def test_max_runtime_stops_cleanly_and_the_next_run_finishes(tmp_path):
    db_file = tmp_path / "m.db"
    db = f"sqlite:///{db_file}"
    with SampleWeb(scale=1200) as web:
        sources = tmp_path / "sources.toml"
        sources.write_text(web.sources_toml())
        args = ("--db", db, "--config", str(sources), "crawl", "scale")
        stopped = _tangguh(*args, "--max-runtime", "3")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert "stopped" in stopped.stdout
        partial = _count(db_file, "select count(*) from documents")
        assert 0 < partial < 1200
        jobdir = tmp_path / "m.jobs" / "scale"
        assert (jobdir / "requests.queue").exists(), "a clean stop keeps its queue"
        listings_before = sum(1 for _, u, _ in web.request_log if "/berita" in u)
        finished = _tangguh(*args)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        # Resumed from the queue: the listing pages were walked once over both runs.
        listings = sum(1 for _, u, _ in web.request_log if "/berita" in u)
        assert listings == 1200 // 20, (listings_before, listings)
        assert not jobdir.exists(), "a finished run leaves no queue behind"
    assert _count(db_file, "select count(*) from documents") == 1200
    statuses = [
        row[0]
        for row in sqlite3.connect(db_file).execute("select status from crawl_runs order by id")
    ]
    assert statuses == ["stopped", "ok"]


def test_a_source_that_goes_silent_is_a_warning_and_exit_7(tmp_path):
    """A layout change that breaks the listing selector: the run says so, loudly."""
    db_file = tmp_path / "w.db"
    with SampleWeb() as web:
        text = web.sources_toml().replace('"div.berita-list h3.judul a"', '"div.renamed a"', 1)
        sources = tmp_path / "sources.toml"
        sources.write_text(text)
        proc = _tangguh(
            "--db", f"sqlite:///{db_file}", "--config", str(sources), "crawl", "blitarkota"
        )
    assert proc.returncode == 7, proc.stdout + proc.stderr
    assert "warning" in proc.stdout and "blitarkota" in proc.stdout
    assert _count(db_file, "select count(*) from crawl_runs where status = 'warning'") == 1


def test_source_warnings_compare_with_recent_full_runs():
    class Run:
        def __init__(self, id, status, n):
            self.id, self.status, self.stats = id, status, {"per_source": {"a": n}}

    history = [Run(1, "ok", 100), Run(2, "ok", 90), Run(3, "partial", 5)]
    assert crawl.source_warnings(history, {"a": 80}, 4) == []
    (warning,) = crawl.source_warnings(history, {"a": 30}, 4)
    assert "under half its recent average of 95" in warning
    assert crawl.source_warnings([], {"a": 0}, 1) == ["source 'a' yielded nothing"]
    assert crawl.source_warnings([], {"a": 3}, 1) == []
    silent = [Run(1, "warning", 0), Run(2, "warning", 0)]
    assert crawl.source_warnings(silent, {"a": 0}, 3) == [
        "source 'a' yielded nothing (nothing in its last 2 runs either)"
    ]


def test_terminal_log_lines_carry_no_traceback(tmp_path):
    """An unreachable site is one line on the terminal; the log file keeps the traceback."""
    import logging

    from tangguh.logs import BriefFormatter

    try:
        raise ConnectionRefusedError("Connection was refused by other side")
    except ConnectionRefusedError:
        record = logging.getLogger("scrapy.core.scraper").makeRecord(
            "scrapy.core.scraper",
            logging.ERROR,
            __file__,
            1,
            "Error downloading %s",
            ("u",),
            sys.exc_info(),
        )
    full = logging.Formatter("%(levelname)s %(message)s").format(record)
    brief = BriefFormatter("%(levelname)s %(message)s").format(record)
    assert "Traceback" in full
    assert brief == (
        "ERROR Error downloading u [ConnectionRefusedError; traceback in the log file or with -v]"
    )
    assert record.exc_info is not None  # the file handler still gets the traceback
